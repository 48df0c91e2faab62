/**
 * A new game's PIN: six random digits that no running game (on any process) and no saved game
 * in the store already uses. A new room clears what the store holds under its PIN, so a PIN
 * taken twice would wipe the other game; with a few hundred games among a million PINs a clash
 * is rare, and then another PIN is drawn.
 */
import { randomInt } from "node:crypto";

/** PINs drawn at most before giving up (only with the PIN space nearly full). */
export const PIN_ATTEMPTS = 50;

export const randomPin = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

/** A PIN for which `taken` answers false; throws when none was found in PIN_ATTEMPTS draws. */
export async function freePin(taken: (pin: string) => Promise<boolean>, draw: () => string = randomPin): Promise<string> {
  for (let i = 0; i < PIN_ATTEMPTS; i++) {
    const pin = draw();
    if (!(await taken(pin))) return pin;
  }
  throw new Error("cannot create the room: no free PIN was found (the server holds too many games); try again later");
}
