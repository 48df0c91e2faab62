/**
 * A new game from a client's create options: the options checked (the scenario exists, the solo
 * seat is one of its seats), a seed drawn when none is given, and a PIN no running or saved game
 * holds.
 */
import type { Difficulty } from "../../shared/sim/bots/Bot.ts";
import { scenarioSeats } from "../../shared/sim/bootstrap.ts";
import { getScenario } from "../../shared/sim/scenarios/index.ts";
import { CreateOptionsSchema } from "../../shared/protocol/messages.ts";
import { GameSession } from "../game/GameSession.ts";
import { freePin } from "../game/pins.ts";
import { listRooms } from "../matchmaking/directory.ts";
import type { ClusterStore } from "../store/ClusterStore.ts";
import { readable } from "./messageRouter.ts";
import { storeKeyOf, type RoomMeta } from "./roomOptions.ts";

/** The session of a new room, or an error saying why the options cannot make one. */
export async function newSession(options: unknown, store: ClusterStore | undefined): Promise<GameSession> {
  const parsed = CreateOptionsSchema.safeParse(options);
  if (!parsed.success) throw new Error(`cannot create the room: ${readable(parsed.error)}`);
  const o = parsed.data;
  if (o.teams !== undefined && o.teams > 1)
    throw new Error(
      o.mode === "workshop"
        ? `cannot create the room: a workshop of ${o.teams} teams is a class: create it as room type "class" (client.create("class", { mode: "workshop", teams: ${o.teams}, … }))`
        : "cannot create the room: teams are for workshops (mode workshop)",
    );
  const scenario = getScenario(o.scenario);
  if (!scenario) throw new Error(`cannot create the room: there is no scenario "${o.scenario}"`);
  const seats = scenarioSeats(scenario);
  if (o.seat !== undefined && !seats.includes(o.seat))
    throw new Error(`cannot create the room: ${o.scenario} has no seat ${o.seat}; its seats are ${seats.join(", ")}`);
  const seed = o.seed ?? Math.floor(Math.random() * 0xffffffff);
  const pin = await newPin(store);
  return new GameSession(
    { mode: o.mode, scenario: o.scenario, difficulty: o.difficulty as Difficulty, seed, questions: o.questions, noSpeedPoints: o.noSpeedPoints },
    undefined,
    pin,
  );
}

/** A PIN of its own: not a running game's or class's (on any process), nor a saved one's waiting in the store. */
export function newPin(store: ClusterStore | undefined): Promise<string> {
  return freePin(
    async (p) =>
      (await listRooms()).some((r) => (r.metadata as RoomMeta | undefined)?.pin === p) || (store ? (await store.revision(storeKeyOf(p))) > 0 : false),
  );
}
