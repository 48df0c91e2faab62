/**
 * Getting into a room, decided before any seat is reserved. Every room is private in matchmaking,
 * so Colyseus' `join` and `joinOrCreate` never pick one: a client names a game by its PIN. The
 * room's static `onAuth` runs on every matchmaker route (join, joinOrCreate, joinById, create)
 * before a seat is reserved; it calls `admit` here, which looks the PIN up (a guess counted
 * against the client's address, see PinGuard) and asks the room itself — on whichever process
 * holds it — whether it would take this player (mode, lock, player key, nickname). The room's seat
 * reservation then checks that the admission was for it (ClusterRoom.mayReserve), so a right PIN
 * for one room opens no other. Creating a room (its options name a mode) needs no PIN.
 */
import { matchMaker, Room, ServerError, type AuthContext } from "@colyseus/core";
import { stampedAddress } from "../limits/clientAddress.ts";
import { PinGuard } from "./PinGuard.ts";
import { NO_CLIENT_RESTORE, RESTORE_TICKET_OPTION } from "../room/restoreTickets.ts";

/** What onAuth hands the room's seat reservation (as the client's `auth`). */
export interface AdmissionPass {
  /** The room the PIN named and whose admission check passed; none for a creation. */
  admittedTo?: string;
  /** The client's network address (the key of per-address limits). */
  address: string;
}

/** A room's answer to "would you take this player?". */
export type AdmissionVerdict = { ok: true } | { ok: false; code: number; message: string };

/** The live room with a PIN, wherever it runs. */
export type FindRoom = (pin: string) => Promise<{ roomId: string } | undefined>;

/** Set by the server at start: the PIN guard shared with the HTTP routes, and how to find a room. */
export const admission: { guard: PinGuard; find?: FindRoom } = { guard: new PinGuard() };

const refuse = (code: number, message: string) => new ServerError(code, message);

/** Decides whether a matchmaker request may go on to reserve a seat; throws a ServerError (its HTTP status) if not. */
export async function admit(options: unknown, context: AuthContext): Promise<AdmissionPass> {
  const address = stampedAddress(context?.headers);
  const o = (options && typeof options === "object" ? options : {}) as Record<string, unknown>;
  // Rooms come back from the store when the server starts, never because a client asks.
  if ("restore" in o || RESTORE_TICKET_OPTION in o) throw refuse(400, NO_CLIENT_RESTORE);
  // A class's team room (team mode) is entered with the class's ticket, which names the room: no PIN.
  if (typeof o.ticket === "string") return { admittedTo: await ask(await teamRoomOf(o.ticket), options, TEAM_UNANSWERED), address };
  if (o.pin === undefined) {
    if (typeof o.mode === "string") return { address };
    throw refuse(403, "joining a game needs its PIN: type the PIN shown on the host's screen");
  }
  if (typeof o.pin !== "string" || !/^\d{6}$/.test(o.pin)) throw refuse(400, "the PIN has 6 digits");
  const pin = o.pin;
  if (!admission.find) throw refuse(503, "the server is starting: try again in a moment");
  const looked = await admission.guard.lookUp(address, pin, admission.find);
  if ("refused" in looked) throw refuse(429, looked.refused.message);
  if ("missing" in looked) throw refuse(404, `no game with PIN ${pin} is running: check the PIN on the host's screen`);
  return { admittedTo: await ask(looked.found.roomId, options, `the game with PIN ${pin} did not answer: try again in a moment`), address };
}

const TEAM_UNANSWERED = "the team's game did not answer: try again in a moment";

/** The live team room a class ticket (`<roomId>.<random>`) is for; a 403 when there is none. */
async function teamRoomOf(ticket: string): Promise<string> {
  const roomId = ticket.slice(0, Math.max(0, ticket.indexOf(".")));
  const [room] = roomId ? await matchMaker.query({ roomId }) : [];
  if (!(room?.metadata as { classOf?: string } | undefined)?.classOf)
    throw refuse(403, "this ticket opens no team: join the class with its PIN and pick a team again");
  return roomId;
}

/** Asks the room, wherever it runs, whether it takes this player; its room id, or a ServerError. */
async function ask(roomId: string, options: unknown, unanswered: string): Promise<string> {
  let verdict: AdmissionVerdict;
  try {
    verdict = (await matchMaker.remoteRoomCall(roomId, "admission", [options])) as AdmissionVerdict;
  } catch {
    throw refuse(503, unanswered);
  }
  if (!verdict.ok) throw refuse(verdict.code, verdict.message);
  return roomId;
}

/** A room that decides whether a seat may be reserved. */
interface Reserving {
  mayReserve(sessionId: string, pass: AdmissionPass | undefined): boolean;
}

type ReserveSeat = (
  this: Room,
  sessionId: string,
  joinOptions: unknown,
  authData: unknown,
  seconds?: number,
  allowReconnection?: boolean,
  ...rest: unknown[]
) => Promise<boolean>;

/**
 * A room's first seat reservation is its creator's (the create that made it); every other needs an
 * admission onAuth gave for this very room. Reconnections do not ask (guardSeatReservations).
 */
export class CreatorSeat {
  /** Whether the first reservation is still the creator's to take (false for a room no client created). */
  pending = true;
  private session?: string;

  mayReserve(roomId: string, sessionId: string, pass: AdmissionPass | undefined): boolean {
    if (this.pending) {
      this.pending = false;
      this.session = sessionId;
      return true;
    }
    return pass?.admittedTo === roomId;
  }

  /** Whether a joining client is the creator, answered once. */
  isCreator(sessionId: string): boolean {
    const creator = this.session === sessionId;
    if (creator) this.session = undefined;
    return creator;
  }
}

/**
 * Makes a room class's seat reservations ask `mayReserve` first. Colyseus reserves a seat in
 * `Room._reserveSeat` (private in its typings, so it is wrapped rather than overridden) before the
 * client connects, on whichever process holds the room; a refused reservation leaves no seat
 * behind. Reconnections (`allowReconnection`) pass untouched.
 */
export function guardSeatReservations(klass: { prototype: Reserving }): void {
  const reserveSeat = (Room.prototype as unknown as { _reserveSeat: ReserveSeat })._reserveSeat;
  const guarded: ReserveSeat = function (this: Room, sessionId, joinOptions, authData, seconds, allowReconnection, ...rest) {
    if (!allowReconnection && !(this as unknown as Reserving).mayReserve(sessionId, authData as AdmissionPass | undefined)) return Promise.resolve(false);
    return reserveSeat.call(this, sessionId, joinOptions, authData, seconds, allowReconnection, ...rest);
  };
  (klass.prototype as unknown as { _reserveSeat: ReserveSeat })._reserveSeat = guarded;
}
