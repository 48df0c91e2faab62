/**
 * Comparing a secret someone sent (a host token, a metrics token) with the real one in constant
 * time: both are hashed first, so neither their contents nor their lengths leak through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether `given` is `secret`; false for a missing or empty one. */
export function sameSecret(given: string | undefined, secret: string): boolean {
  return typeof given === "string" && given.length > 0 && timingSafeEqual(digest(given), digest(secret));
}
