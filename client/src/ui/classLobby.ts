/**
 * The class lobby (team mode): every team of the class as a card — its name, colour and pattern,
 * how many people play it and how many seats are free, its phase, clock and availability, and
 * who is in it. A student picks a team (or lets the class balance them) and goes into its game;
 * the host moves students between teams (drag a name onto a team, or pick the team in the name's
 * drop-down for keyboard users), runs every team at once (classHost.ts) and opens any team's
 * full game. A team is always named in text; the colour and pattern only add to the name.
 */
import type { TeamJoin } from "../../../shared/protocol/classMessages.ts";
import { teamById } from "../../../shared/protocol/teams.ts";
import type { ClassLink } from "../net/classLink.ts";
import type { Answer } from "../net/connection.ts";
import { classHostPanel, classHostAction } from "./classHost.ts";
import { pageSay } from "./access.ts";
import { clock, esc, pct, render } from "./dom.ts";
import { projectorUrl } from "./classViews/projector.ts";

/** The drag's payload type: a student's id from this page's team lists. */
const STUDENT_TYPE = "application/x-cluster-crew-student";
/** How often the lobby re-renders from the class state, ms. */
const RENDER_MS = 300;
/** How often the host's page, in a team's game, looks whether that game moved to another room, ms. */
const FOLLOW_HOST_TEAM_MS = 1_000;
/** What to say once the page is back after a move (sessionStorage: a moved student's page reloads). */
const MOVED_SAY = "cluster-crew.moved";

// The synchronised ClassState, read loosely (as the game screen reads its state).
// biome-ignore lint/suspicious/noExplicitAny: the decoded schema instance
type Live = any;

export interface ClassUi {
  answer?: [boolean, string];
  joining?: string;
}

// Shown here, said by the page's live region (pageSay): a region rebuilt on every render is not read reliably.
const answerLine = (ui: ClassUi) => (ui.answer ? `<p class="answer ${ui.answer[0] ? "ok" : "bad"}">${esc(ui.answer[1])}</p>` : `<p class="answer"></p>`);

/** A team's badge: its colour and pattern beside its name (the name carries the meaning). */
export function teamBadge(id: string, name?: string): string {
  const t = teamById(id);
  if (!t) return esc(name ?? id);
  return `<span class="team-badge pattern-${t.pattern}" style="--team:${t.colour};--ink:${t.ink}"><span class="swatch" aria-hidden="true"></span>${esc(name ?? t.name)}</span>`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

function teamCard(s: Live, team: Live, me: { host: boolean; studentId: string; team: string }): string {
  const students = [...s.students.entries()].filter(([, st]: [string, Live]) => st.team === team.id);
  const status = team.phase
    ? `${esc(team.phase)} · ${clock(team.gameNow)}${team.phase === "lobby" || team.phase === "intro" ? "" : ` · ${pct(team.availability)} served · score ${team.score}`}`
    : "opening…";
  const others = [...s.teams].filter((t: Live) => t.id !== team.id);
  const member = ([id, st]: [string, Live]) => {
    const seat = st.seat ? ` <span class="muted">(${esc(st.seat)})</span>` : "";
    const away = st.connected ? "" : ` <span class="muted">(away)</span>`;
    if (!me.host) return `<li>${esc(st.nickname)}${seat}${away}</li>`;
    const move = `<select data-move="${esc(id)}" aria-label="Move ${esc(st.nickname)} to another team"><option value="">move to…</option>${others
      .map((t: Live) => `<option value="${esc(t.id)}">${esc(t.name)}</option>`)
      .join("")}</select>`;
    return `<li class="student"><span class="chip" draggable="true" data-drag-student="${esc(id)}" title="Drag onto another team to move">${esc(st.nickname)}</span>${seat}${away} ${move}</li>`;
  };
  const action = me.host
    ? `<button data-action="host.openTeam" data-team="${esc(team.id)}">Open ${esc(team.name)}'s game</button>`
    : me.team
      ? ""
      : `<button class="primary" data-action="team.choose" data-team="${esc(team.id)}">Join ${esc(team.name)}</button>`;
  const mine = me.team === team.id ? ` <b>(your team)</b>` : "";
  return `<li class="team-card" data-drop-team="${esc(team.id)}" aria-label="Team ${esc(team.name)}">
    <h2>${teamBadge(team.id, team.name)}${mine}</h2>
    <p>${team.phase ? `${team.players} playing · ${plural(team.seatsFree, "free seat")} · ` : ""}${plural(students.length, "student")}</p>
    <p class="muted">${status}</p>
    <ul class="members">${students.map(member).join("") || `<li class="muted">nobody yet</li>`}</ul>
    ${action}</li>`;
}

function lobbyHtml(link: ClassLink, ui: ClassUi): string {
  const s: Live = link.room?.state;
  const w = link.welcome!;
  if (!s?.teams) return `<p class="muted">Connecting to the class…</p>`;
  const away =
    link.status.status === "connected"
      ? ""
      : `<p class="banner in-flow${link.status.status === "lost" ? " lost" : ""}" role="alert">${esc(link.status.why ?? "")}</p>`;
  const mine = w.host ? "" : (s.students.get(w.studentId)?.team ?? "");
  const me = { host: w.host, studentId: w.studentId, team: mine };
  const intro = w.host
    ? `<p>Students join at this address with the PIN <b class="pin">${esc(s.pin)}</b> and pick a team. Drag a name onto another team to move them, or pick the team in the name's list.</p>
       <p><a class="projector-link" href="${esc(projectorUrl(s.pin, w.hostToken ?? ""))}" target="_blank" rel="noopener">Open the projector view</a> (every team's map, the PIN and QR code, the leaderboards) in a new window for the wall.</p>`
    : mine
      ? `<p>You are in team ${teamBadge(mine)}. ${ui.joining ? esc(ui.joining) : `Taking you to your team's game… <button data-action="team.choose" data-team="${esc(mine)}">Go to my team's game</button>`}</p>`
      : `<p>Hi ${esc(w.nickname)}! Pick a team: each team is its own cluster, and every team meets the same incidents.</p>
         <p><button class="primary" data-action="team.choose" data-team="auto">Any team (the one with the most free seats)</button></p>`;
  return `<div class="class-lobby">${away}
    <header><h1>${esc(w.scenario.title)} — a class of ${s.teams.length} teams</h1>
      <p>PIN <b class="pin">${esc(s.pin)}</b> · ${esc(s.phase)} · game clock ${clock(s.gameNow)} <button data-action="class.leave">Leave the class</button></p>${intro}</header>
    ${w.host ? classHostPanel(s, ui) : answerLine(ui)}
    <ul class="teams">${[...s.teams].map((t: Live) => teamCard(s, t, me)).join("")}</ul>
  </div>`;
}

/**
 * Shows the class lobby; `enterGame` runs once this client is in a team room (a student's team,
 * or the team the host opened).
 */
export function showClassLobby(app: HTMLElement, link: ClassLink, enterGame: () => void): void {
  const ui: ClassUi = {};
  let dragging = false;
  let entered = false;
  // The team room this page is in or on its way into: a second team.join for it (the class sends one
  // when the student comes back and another when the team's game reports from its new room) is no
  // reason to leave it and join again — the second join would be refused as a second window.
  let target: string | undefined;
  // A screen reader hears the move that reloaded this page, once the page is back.
  pageSay(sessionStorage.getItem(MOVED_SAY) ?? "");
  sessionStorage.removeItem(MOVED_SAY);
  const tell = (a: Answer) => {
    ui.answer = [a.ok, a.ok ? a.message : `${a.code} ${a.reason ?? ""}: ${a.message}`];
    pageSay(ui.answer[1]);
    draw();
  };
  const go = async (j: TeamJoin) => {
    const name = teamById(j.team)?.name ?? j.team;
    if (j.reason === "moved") {
      // Moved by the host while playing: out of the old team's room, and the class brings this student into the new one.
      if (entered) sessionStorage.setItem(MOVED_SAY, `You moved to team ${name}.`);
      else pageSay(`You moved to team ${name}.`);
    }
    if (entered && j.reason === "moved") return void link.connection.leaveRoom().then(() => location.reload());
    // The class came back after a restart or a failover, or the team's game moved to another process: into its room, unless there already.
    if (entered && j.reason === "returning") return void rejoinTeam(j);
    // The host's own team game moved (followHostTeam asked the class to open it again).
    if (entered && j.reason === "host" && j.team === hostTeam) return void rejoinTeam(j).finally(() => (reopening = false));
    if (entered) return;
    entered = true;
    target = j.roomId;
    if (j.reason === "host") {
      hostTeam = j.team;
      setInterval(() => void followHostTeam(), FOLLOW_HOST_TEAM_MS);
    }
    ui.joining = `Joining team ${name}…`;
    pageSay(ui.joining);
    draw();
    try {
      await link.enterTeam(j);
      clearInterval(timer);
      enterGame();
    } catch (err) {
      entered = false;
      target = undefined;
      ui.joining = undefined;
      tell({ ok: false, code: 503, reason: "ServiceUnavailable", message: `could not join the team: ${(err as Error).message}` });
    }
  };
  const rejoinTeam = async (j: TeamJoin) => {
    const now = link.connection.room;
    if ((now?.roomId === j.roomId && now.connection.isOpen) || target === j.roomId) return;
    target = j.roomId;
    void link.connection.leaveRoom();
    await link.enterTeam(j).catch((err: Error) => {
      target = undefined;
      tell({ ok: false, code: 503, reason: "ServiceUnavailable", message: `could not rejoin the team: ${err.message}` });
    });
  };
  link.onTeamJoin((j) => void go(j));

  // The team whose game the host opened, and whether the class was asked to open it again. A
  // student's page is sent back into their team's game by the class when that game comes back in
  // a new room (a restart, a failover: team.join "returning"); the host's visit is this page's
  // own choice, so the page follows it: the class's view names the team's room, and when that is
  // no longer the room this page is in, the page asks the class to open the team again.
  let hostTeam: string | undefined;
  let reopening = false;
  const followHostTeam = async () => {
    const room = link.room;
    if (!hostTeam || reopening || !room?.connection.isOpen) return;
    const now = ((room.state as Live)?.teams ?? []).find((t: { id: string }) => t.id === hostTeam)?.roomId as string | undefined;
    const here = link.connection.room;
    if (!now || target === now || (here?.roomId === now && here.connection.isOpen)) return;
    reopening = true;
    const a = await link.send("host.openTeam", { team: hostTeam });
    if (!a.ok) reopening = false; // asked again at the next look
  };

  // Each team's failures met so far: a new one is said (the class's incidents, for a screen reader).
  const met = new Map<string, number>();
  const sayIncidents = () => {
    const fresh: string[] = [];
    for (const t of (link.room?.state as Live)?.teams ?? []) {
      const before = met.get(t.id);
      if (before !== undefined && t.incidents > before) fresh.push(`team ${t.name} met a failure (${t.incidents} so far)`);
      met.set(t.id, t.incidents);
    }
    if (fresh.length) pageSay(`Incident: ${fresh.join("; ")}.`);
  };
  const draw = () => {
    sayIncidents();
    if (!dragging) render(app, lobbyHtml(link, ui));
  };
  const timer = setInterval(draw, RENDER_MS);
  draw();

  const move = async (student: string, team: string) => tell(await link.send("host.moveStudent", { student, team }));
  app.addEventListener("click", async (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (!el || entered) return;
    const d = el.dataset;
    if (d.action === "class.leave") {
      await link.leave();
      location.reload();
    } else if (d.action === "team.choose") tell(await link.send("team.choose", { team: d.team ?? "auto" }));
    else if (d.action === "host.openTeam") tell(await link.send("host.openTeam", { team: d.team ?? "" }));
    else {
      const a = await classHostAction(app, link, d);
      if (a) tell(a);
    }
  });
  app.addEventListener("change", (e) => {
    const el = e.target as HTMLSelectElement;
    if (el.dataset.move && el.value) void move(el.dataset.move, el.value);
  });
  // Drag a student's name onto another team's card (plain HTML5 drag and drop).
  app.addEventListener("dragstart", (e) => {
    const chip = (e.target as HTMLElement).closest<HTMLElement>("[data-drag-student]");
    if (!chip || !e.dataTransfer) return;
    e.dataTransfer.setData(STUDENT_TYPE, chip.dataset.dragStudent!);
    e.dataTransfer.setData("text/plain", chip.textContent ?? "");
    e.dataTransfer.effectAllowed = "move";
    dragging = true;
  });
  app.addEventListener("dragover", (e) => {
    const card = (e.target as HTMLElement).closest<HTMLElement>("[data-drop-team]");
    if (!card || !e.dataTransfer || ![...e.dataTransfer.types].includes(STUDENT_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "move";
    for (const c of app.querySelectorAll(".drop-over")) if (c !== card) c.classList.remove("drop-over");
    card.classList.add("drop-over");
  });
  app.addEventListener("drop", (e) => {
    const card = (e.target as HTMLElement).closest<HTMLElement>("[data-drop-team]");
    const student = e.dataTransfer?.getData(STUDENT_TYPE);
    if (!card || !student) return;
    e.preventDefault();
    dragging = false;
    void move(student, card.dataset.dropTeam!);
  });
  app.addEventListener("dragend", () => {
    dragging = false;
    for (const c of app.querySelectorAll(".drop-over")) c.classList.remove("drop-over");
    draw();
  });
}
