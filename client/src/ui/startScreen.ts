/**
 * The start screen: play solo (seat, scenario, difficulty), host a workshop, join one with a
 * PIN and a nickname, or watch the bots run a cluster.
 */
import type { Connection } from "../net/connection.ts";
import { lookUpPin, type ClassLink } from "../net/classLink.ts";
import { esc } from "./dom.ts";

interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  /** Bare servers a player brings into the cluster (their kubelet seat is offered, and picked first). */
  bareServers?: string[];
}

/** What a form's action answers when it went into a class (team mode) rather than a game. */
const CLASS = Symbol("class");

const SEATS = [
  ["scheduler", "Scheduler"],
  ["controller-manager", "Controller manager"],
  ["kubelet:node-1", "Kubelet of node-1"],
  ["kube-proxy:node-1", "kube-proxy of node-1"],
];

/** Team mode: the class link, and what shows the class lobby once in a class. */
export interface ClassEntry {
  link: ClassLink;
  enter: () => void;
}

export async function showStart(app: HTMLElement, connection: Connection, onEnter: () => void, classes?: ClassEntry): Promise<void> {
  const scenarios = (await (await fetch("/api/scenarios")).json()) as ScenarioInfo[];
  const options = scenarios.map((s) => `<option value="${esc(s.id)}">${esc(s.title)}</option>`).join("");
  const difficulty = `<select name="difficulty"><option value="easy">easy — quick bots</option><option value="normal" selected>normal</option><option value="hard">hard — slow bots</option></select>`;
  app.innerHTML = `
  <main class="start">
    <header>
      <h1>Cluster Crew</h1>
      <p>Your team <em>is</em> a Kubernetes cluster. Schedule pods, keep replicas running, start containers and route traffic —
      every move an API request the API server checks. Keep the availability up when nodes fail.</p>
    </header>
    <div class="cards">
      <form class="card" id="solo">
        <h2>Play solo</h2>
        <label>Your seat <select name="seat">${SEATS.map(([v, l]) => `<option value="${v}">${l}</option>`).join("")}</select></label>
        <label>Scenario <select name="scenario">${options}</select></label>
        <label>Difficulty ${difficulty}</label>
        <label><span><input type="checkbox" name="questions" checked /> stop for questions (checkpoints; first-pod: a guided tour)</span></label>
        <button class="primary" type="submit">Play</button>
        <div class="error"></div>
      </form>
      <form class="card" id="host">
        <h2>Host a workshop</h2>
        <label>Your name <input name="nickname" value="Host" maxlength="24" /></label>
        <label>Scenario <select name="scenario">${options}</select></label>
        <label>Difficulty ${difficulty}</label>
        <label><span><input type="checkbox" name="questions" checked /> stop for questions (checkpoints; first-pod: a guided tour)</span></label>
        <label>Teams <input name="teams" type="number" min="1" max="12" value="1" /> <span class="muted">1: one cluster for everyone; 2–12: each team its own cluster, one PIN</span></label>
        <label><span><input type="checkbox" name="noSpeedPoints" /> no points for speed (recovering scores the same however long it takes)</span></label>
        <button class="primary" type="submit">Create the room</button>
        <div class="error"></div>
      </form>
      <form class="card" id="join">
        <h2>Join with a PIN</h2>
        <label>PIN <input name="pin" inputmode="numeric" pattern="\\d{6}" maxlength="6" placeholder="123456" required /></label>
        <label>Nickname <input name="nickname" maxlength="24" required /></label>
        <label><span><input type="checkbox" name="spectate" /> just watch</span></label>
        <button class="primary" type="submit">Join</button>
        <div class="error"></div>
      </form>
      <form class="card" id="watch">
        <h2>Watch</h2>
        <p class="muted">Every seat a bot: the cluster heals itself while you explain.</p>
        <label>Scenario <select name="scenario">${options}</select></label>
        <button class="primary" type="submit">Watch</button>
        <div class="error"></div>
      </form>
    </div>
  </main>`;

  // A scenario with a bare server offers its kubelet seat (the person who joins it), picked unless the player chose a seat.
  const soloSeat = app.querySelector<HTMLSelectElement>("#solo select[name=seat]")!;
  let chosen = false;
  soloSeat.addEventListener("change", () => {
    chosen = true;
  });
  app.querySelector<HTMLSelectElement>("#solo select[name=scenario]")!.addEventListener("change", (e) => {
    const bare = scenarios.find((s) => s.id === (e.target as HTMLSelectElement).value)?.bareServers ?? [];
    const extra = bare.map((n) => [`kubelet:${n}`, `Kubelet of ${n} (the new bare server)`]);
    const all = [...extra, ...SEATS];
    const keep = all.some(([v]) => v === soloSeat.value) && (chosen || extra.length === 0) ? soloSeat.value : all[0][0];
    soloSeat.innerHTML = all.map(([v, l]) => `<option value="${esc(v)}" ${v === keep ? "selected" : ""}>${esc(l)}</option>`).join("");
  });

  // A link with ?pin= (a class's join address, its QR code) fills the PIN in.
  const linkedPin = new URLSearchParams(location.search).get("pin");
  if (linkedPin && /^\d{6}$/.test(linkedPin)) app.querySelector<HTMLInputElement>("#join input[name=pin]")!.value = linkedPin;
  const handle = (id: string, go: (f: FormData) => Promise<unknown>, then = onEnter) => {
    const form = app.querySelector<HTMLFormElement>(`#${id}`)!;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = form.querySelector(".error")!;
      err.textContent = "";
      try {
        const where = await go(new FormData(form));
        (where === CLASS ? (classes?.enter ?? then) : then)();
      } catch (x) {
        err.textContent = (x as Error).message.replace(/^.*?: (cannot|the|no|wrong|someone)/i, (_m, w) => w);
      }
    });
  };
  const str = (f: FormData, k: string) => String(f.get(k) ?? "");
  handle("solo", (f) =>
    connection.create({
      mode: "solo",
      scenario: str(f, "scenario"),
      difficulty: str(f, "difficulty"),
      seat: str(f, "seat"),
      nickname: "You",
      questions: f.get("questions") === "on",
    }),
  );
  handle("host", async (f) => {
    const teams = Number(f.get("teams") ?? 1);
    if (classes && teams > 1) {
      await classes.link.create({
        mode: "workshop",
        teams,
        scenario: str(f, "scenario"),
        difficulty: str(f, "difficulty"),
        questions: f.get("questions") === "on",
        noSpeedPoints: f.get("noSpeedPoints") === "on",
      });
      return CLASS;
    }
    return connection.create({
      mode: "workshop",
      scenario: str(f, "scenario"),
      difficulty: str(f, "difficulty"),
      nickname: str(f, "nickname") || "Host",
      questions: f.get("questions") === "on",
      noSpeedPoints: f.get("noSpeedPoints") === "on",
    });
  });
  handle("join", async (f) => {
    const pin = str(f, "pin").trim();
    const nickname = str(f, "nickname").trim();
    // A class's PIN: into the class, where the student picks a team.
    const found = classes ? await lookUpPin(pin) : undefined;
    if (classes && found?.kind === "class") {
      await classes.link.join(found.roomId, pin, nickname);
      return CLASS;
    }
    return connection.join(pin, { nickname, spectate: f.get("spectate") === "on" });
  });
  handle("watch", (f) => connection.create({ mode: "watch", scenario: str(f, "scenario"), nickname: "Watcher" }));
}
