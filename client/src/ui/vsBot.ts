/**
 * "You against the bot" in the debrief: the game replayed on the server with the normal bot in
 * the player's seats — availability, score and recovery with and without them, and the first
 * moments their choice differed from the bot's. The host also sees every player's line.
 */
import type { PlayerVsBot } from "../../../shared/sim/counterfactual/versusBot.ts";
import type { VsBotMessage } from "../../../shared/protocol/serverMessages.ts";
import { clock, esc, pct } from "./dom.ts";

/** Where the results come from: the connection keeps the last message and tells of new ones. */
export interface VsBotSource {
  vsBot?: VsBotMessage;
  onVsBot(cb: (m: VsBotMessage) => void): void;
}

/** Fills `el` with the results now and again whenever new ones arrive. */
export function mountVsBot(el: HTMLElement, source: VsBotSource, me: string, host: boolean, initial?: VsBotMessage): void {
  const show = (m: VsBotMessage | undefined) => {
    el.innerHTML = vsBotHtml(m, me, host);
  };
  show(source.vsBot ?? initial);
  source.onVsBot(show);
}

/** The section's HTML for a message (undefined: nothing heard yet). */
export function vsBotHtml(m: VsBotMessage | undefined, me: string, host: boolean): string {
  const title = "<h3>You against the bot</h3>";
  if (!m || m.status === "running")
    return `${title}<p class="muted">Replaying the game with the bot in your seat — same scenario, same failures, everyone else the same…</p>`;
  if (m.status === "refused") return `${title}<p class="muted">No replay this time: ${esc(m.message ?? "")}.</p>`;
  const mine = m.players.find((p) => p.nickname === me);
  const others = host ? m.players.filter((p) => p !== mine) : [];
  return `${title}${mine ? playerHtml(mine) : '<p class="muted">You held no seat: the bots played, so there is nothing to compare.</p>'}${others.length ? everyone(others) : ""}`;
}

function playerHtml(p: PlayerVsBot): string {
  // Nothing to compare for someone who held no seat: the replay is the game itself.
  if (p.seats.length === 0 && p.moments.length === 0) return `<p class="muted">${esc(p.summary)}</p>`;
  const row = (label: string, you: string, bot: string) => `<tr><td>${label}</td><td>${you}</td><td>${bot}</td></tr>`;
  const secs = (s: number | null) => (s === null ? "not recovered" : `${s} s`);
  const incidents = p.incidents.map((i) => row(`${clock(i.at)} ${esc(i.label)}: recovered in`, secs(i.withYouSec), secs(i.withBotSec))).join("");
  const shared = p.sharedWith.length
    ? `<p class="muted">You shared ${esc(p.seats.join(", "))} with ${esc(p.sharedWith.join(", "))}: in the replay the bot played it alone.</p>`
    : "";
  const moments = p.moments.length
    ? `<p>Where your choice differed from the bot's (the first ${p.moments.length}):</p>${momentList(p)}`
    : p.seats.length
      ? `<p class="muted">Every choice you made was the one the bot would have made${
          p.withYou.availability === p.withBot.availability
            ? "."
            : ": what made the difference is when — the bot acts as soon as its reaction time allows, and every second a pod waits counts."
        }</p>`
      : "";
  return `<p>${esc(p.summary)}</p>${shared}
    <table class="panel vs-bot"><tr><th></th><th>With you</th><th>With the bot</th></tr>
      ${row("availability", pct(p.withYou.availability), pct(p.withBot.availability))}
      ${row("score", String(p.withYou.score), String(p.withBot.score))}
      ${row("result", p.withYou.won ? "won" : "lost", p.withBot.won ? "won" : "lost")}
      ${incidents}</table>${moments}`;
}

/** The host's list: one line per player, their moments folded away. */
function everyone(players: readonly PlayerVsBot[]): string {
  const line = (p: PlayerVsBot) =>
    `<div class="vs-bot-player"><b>${esc(p.nickname)}</b>${p.seats.length ? ` <span class="muted">(${esc(p.seats.join(", "))})</span>` : ""}: ${esc(p.summary)}${
      p.moments.length ? momentList(p) : ""
    }</div>`;
  return `<details class="vs-bot-all"><summary>Every player against the bot (${players.length})</summary>${players.map(line).join("")}</details>`;
}

function momentList(p: PlayerVsBot): string {
  return `<ul class="moments">${p.moments.map((x) => `<li><b>${clock(x.at)}</b> ${esc(x.text)}</li>`).join("")}</ul>`;
}
