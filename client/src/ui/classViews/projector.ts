/**
 * The projector view (`/?projector&pin=<class PIN>#host=<host token>`): what the host puts on the
 * wall during a class. It joins the class room as the projector (it sees ClassState only, never a
 * team's full game) and shows every team's mini map with its availability, score and phase; the
 * class PIN, join address and QR code while the lobby is open; the leaderboard as the host decides
 * (ranked, hidden, or the cooperative class total: `host.board`, from the buttons at the bottom);
 * the role leaderboard; and at the end the class debrief comparing the teams.
 */
import { followGame, roomOfPin } from "../../net/rejoin.ts";
import { Client, type Room } from "@colyseus/sdk";
import type { ClassDebrief, ClassMessage, ClassMessageType, ClassWelcome } from "../../../../shared/protocol/classMessages.ts";
import type { ClassState } from "../../../../shared/protocol/classState.ts";
import { clock, esc, render } from "../dom.ts";
import { joinQrHtml, joinUrlsHtml } from "../joinAddress.ts";
import { roleBoardHtml, teamBoardHtml, totalHtml, type RoleRow, type TotalView } from "./boards.ts";
import { classDebriefHtml } from "./classDebriefView.ts";
import { teamCardHtml, type TeamView } from "./teamCard.ts";

/** Least time between two redraws of the wall, ms (the class state changes about once a second per team). */
const REDRAW_MS = 250;
/** The QR code's size on the wall, CSS px. */
const QR_PX = 260;
/** Places the wall shows per role (the class debrief shows them all). */
const ROLE_TOP = 3;
/** From this many teams on (three rows of cards), the cards are compact (a node a line). */
const COMPACT_FROM = 7;

/** The class state as plain data (what the wall draws). */
interface ClassView {
  pin: string;
  scenario: string;
  phase: string;
  gameNow: number;
  board: string;
  /** The host option "no points for speed": the wall ranks nobody by how fast they acted. */
  noSpeedPoints: boolean;
  joinUrl: string;
  teams: TeamView[];
  students: Record<string, { nickname: string; team: string; seat: string; connected: boolean }>;
  roles: RoleRow[];
  total: TotalView;
}

/** The address that opens the projector view of a class (the host's token rides in the fragment: never sent to a server). */
export function projectorUrl(pin: string, hostToken: string): string {
  return `${location.origin}/?projector&pin=${encodeURIComponent(pin)}#host=${encodeURIComponent(hostToken)}`;
}

const PHASES: Record<string, string> = { lobby: "Lobby open: join now", playing: "Playing", paused: "Paused", debrief: "Game over" };

/** QR codes of the class's join address (with its PIN), by address: drawn in the browser once each. */
const classQrs = new Map<string, string>();

/** The QR code of the class's own join address (it fills in the PIN), or the server's address's until it is drawn. */
function classQrHtml(url: string, redraw: () => void): string {
  const svg = classQrs.get(url);
  if (svg) return `<img class="join-qr" width="${QR_PX}" height="${QR_PX}" alt="QR code of ${esc(url)}" src="data:image/svg+xml;base64,${btoa(svg)}">`;
  if (!classQrs.has(url)) {
    classQrs.set(url, "");
    void import("qrcode")
      .then((q) => q.toString(url, { type: "svg", margin: 2, errorCorrectionLevel: "M" }))
      .then((s) => {
        classQrs.set(url, s);
        redraw();
      })
      .catch(() => undefined);
  }
  return joinQrHtml(QR_PX);
}

function joinHtml(v: ClassView, redraw: () => void): string {
  // The address in words without its ?pin= (the PIN is written large below; the QR code carries it).
  const url = v.joinUrl ? `<b class="join-url">${esc(v.joinUrl.replace(/^https?:\/\//, "").replace(/\/?\?pin=\d+$/, ""))}</b>` : joinUrlsHtml();
  return `<section class="pj-join" aria-label="how to join"><h2>Join the class</h2><p>Open ${url}</p>
    <p class="pj-pin-line">PIN <b class="pj-pin">${esc(v.pin)}</b></p>${v.joinUrl ? classQrHtml(v.joinUrl, redraw) : joinQrHtml(QR_PX)}
    <p class="muted">${Object.keys(v.students).length} students here</p></section>`;
}

function sideHtml(v: ClassView, redraw: () => void): string {
  // While the lobby is open nobody has a score yet: the wall shows how to join.
  if (v.phase === "lobby") return joinHtml(v, redraw);
  const teamOf = (id: string) => v.teams.find((t) => t.id === id);
  if (v.board === "ranked") return teamBoardHtml(v.teams) + (v.noSpeedPoints ? "" : roleBoardHtml(v.roles, teamOf, ROLE_TOP));
  if (v.board === "total") return totalHtml(v.total, v.teams.length);
  return `<section class="board"><h2>Leaderboard hidden</h2><p class="muted">The host keeps the scores off the wall.</p></section>`;
}

function wallHtml(v: ClassView, redraw: () => void): string {
  const cols = v.teams.length <= 2 ? v.teams.length : v.teams.length <= 4 ? 2 : v.teams.length <= 9 ? 3 : 4;
  const size = v.teams.length >= COMPACT_FROM ? " compact" : v.teams.length > 4 ? " mid" : "";
  return `<div class="pj-teams${size}" style="--cols:${Math.max(1, cols)}">${v.teams.map(teamCardHtml).join("")}</div><aside class="pj-side">${sideHtml(v, redraw)}</aside>`;
}

export async function showProjector(app: HTMLElement): Promise<void> {
  const pin = new URLSearchParams(location.search).get("pin") ?? "";
  const hostToken = new URLSearchParams(location.hash.slice(1)).get("host") ?? "";
  app.innerHTML = `<div class="projector">
    <header class="pj-head"><h1>Cluster Crew</h1><span class="pj-title"></span><span class="pj-phase" role="status"></span><span class="pj-clock"></span></header>
    <main class="pj-main"></main>
    <nav class="pj-controls" aria-label="what the wall shows"><span>Leaderboard:</span>
      <button type="button" data-board="ranked">Show the ranking</button><button type="button" data-board="total">Class total instead</button><button type="button" data-board="hidden">Hide it</button>
      <span class="pj-answer" role="status"></span></nav></div>`;
  const main = app.querySelector(".pj-main")!;
  const answer = app.querySelector(".pj-answer")!;
  if (!/^\d{6}$/.test(pin) || !hostToken) {
    main.innerHTML = `<p class="pj-error">The projector view opens from the host's class screen (its address carries the class PIN and the host's token).</p>`;
    return;
  }
  let room: Room<ClassState>;
  try {
    const res = await fetch(`/api/pin/${pin}`);
    const body = (await res.json()) as { roomId?: string; message?: string };
    if (!res.ok || !body.roomId) throw new Error(body.message ?? `no class with PIN ${pin}`);
    const client = new Client(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}`);
    room = await client.joinById<ClassState>(body.roomId, { pin, projector: true, hostToken });
  } catch (e) {
    main.innerHTML = `<p class="pj-error">${esc((e as Error).message)}</p>`;
    return;
  }
  let debrief: ClassDebrief | undefined;
  let title = "";
  let due = false;
  const draw = () => {
    due = false;
    const v = room.state.toJSON() as unknown as ClassView;
    app.querySelector(".pj-title")!.textContent = `${title || v.scenario} · PIN ${v.pin}`;
    app.querySelector(".pj-phase")!.textContent = PHASES[v.phase] ?? v.phase;
    app.querySelector(".pj-clock")!.textContent = v.phase === "lobby" ? "" : clock(v.gameNow);
    for (const b of app.querySelectorAll<HTMLButtonElement>("[data-board]")) b.setAttribute("aria-pressed", String(b.dataset.board === v.board));
    main.classList.toggle("pj-ended", debrief !== undefined);
    render(main, debrief ? classDebriefHtml(debrief, { ranked: v.board === "ranked" && !v.noSpeedPoints }) : wallHtml(v, redraw));
  };
  const redraw = () => {
    if (due) return;
    due = true;
    setTimeout(draw, REDRAW_MS);
  };
  const send = <T extends ClassMessageType>(type: T, payload: ClassMessage<T>) => room.send(type, payload);
  room.onStateChange(redraw);
  room.onMessage("class.debrief", (d: ClassDebrief) => {
    debrief = d;
    redraw();
  });
  room.onMessage("result", (m: { result?: { ok: boolean; message: string } }) => {
    answer.textContent = m.result && !m.result.ok ? m.result.message : "";
  });
  room.onMessage("welcome", (w: ClassWelcome) => {
    title = w.scenario.title;
    redraw();
  });
  for (const type of ["team.join", "shutdown"]) room.onMessage(type, () => undefined);
  // The class's server process gone (a restart, a failover): once its PIN leads to the class again, the page opens it anew.
  followGame(room, {
    pin,
    lookup: roomOfPin,
    join: () => {
      location.reload();
      return new Promise<never>(() => {});
    },
    moved: () => {},
    status: (s, why) => {
      answer.textContent = s === "connected" ? "" : (why ?? "");
    },
  });
  room.onLeave(() => {
    answer.textContent = "The projector lost the class: reload the page to reconnect.";
  });
  for (const b of app.querySelectorAll<HTMLButtonElement>("[data-board]"))
    b.addEventListener("click", () => send("host.board", { board: b.dataset.board as "ranked" | "hidden" | "total" }));
  // The join address and QR code arrive from the server a moment later: draw again then.
  setTimeout(redraw, 1500);
  redraw();
}
