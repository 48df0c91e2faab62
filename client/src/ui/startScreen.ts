/**
 * The start screen: play solo (seat, scenario, difficulty), host a workshop, join one with a
 * PIN and a nickname, or watch the bots run a cluster.
 */
import type { Connection } from "../net/connection.ts";
import { esc } from "./dom.ts";

interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  /** Bare servers a player brings into the cluster (their kubelet seat is offered, and picked first). */
  bareServers?: string[];
}

const SEATS = [
  ["scheduler", "Scheduler"],
  ["controller-manager", "Controller manager"],
  ["kubelet:node-1", "Kubelet of node-1"],
  ["kube-proxy:node-1", "kube-proxy of node-1"],
];

export async function showStart(app: HTMLElement, connection: Connection, onEnter: () => void): Promise<void> {
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

  const handle = (id: string, go: (f: FormData) => Promise<unknown>) => {
    const form = app.querySelector<HTMLFormElement>(`#${id}`)!;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const err = form.querySelector(".error")!;
      err.textContent = "";
      try {
        await go(new FormData(form));
        onEnter();
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
  handle("host", (f) =>
    connection.create({
      mode: "workshop",
      scenario: str(f, "scenario"),
      difficulty: str(f, "difficulty"),
      nickname: str(f, "nickname") || "Host",
      questions: f.get("questions") === "on",
      noSpeedPoints: f.get("noSpeedPoints") === "on",
    }),
  );
  handle("join", (f) => connection.join(str(f, "pin").trim(), { nickname: str(f, "nickname").trim(), spectate: f.get("spectate") === "on" }));
  handle("watch", (f) => connection.create({ mode: "watch", scenario: str(f, "scenario"), nickname: "Watcher" }));
}
