/**
 * The host panel's plain controls: a button's data-* attributes (or the panel's fields) turned
 * into the host message they stand for, sent and answered. Controls that change the screen as
 * well (ask, chaos, end, assign) stay with the game screen.
 */
import type { Answer, Connection } from "../net/connection.ts";

/** The host message a button sends, or undefined when the action is not one of these. */
export function sendHostAction(
  connection: Connection,
  action: string | undefined,
  attr: (name: string) => string,
  field: (name: string) => string,
): Promise<Answer> | undefined {
  switch (action) {
    case "host.kick":
      return connection.send("host.kick", { player: attr("player") });
    case "host.speed":
      return connection.send("host.speed", { speed: Number(attr("speed")) });
    case "host.lock":
      return connection.send("host.lock", { locked: attr("locked") === "true" });
    case "host.grantApply":
      return connection.send("host.grantApply", { player: attr("player"), allowed: attr("allowed") === "true" });
    case "host.truth":
      return connection.send("host.truth", { shown: attr("shown") === "true" });
    case "host.scenario":
      return connection.send("host.scenario", { scenario: field("scenario") });
    case "host.noSpeedPoints":
      return connection.send("host.scenario", { scenario: attr("scenario"), noSpeedPoints: attr("on") === "true" });
    case "host.reveal":
    case "host.extend":
    case "host.start":
    case "host.pause":
    case "host.resume":
    case "host.fillBots":
      return connection.send(action, {});
    default:
      return undefined;
  }
}
