/**
 * The team's score, 0–1,000, as a sum of parts the debrief shows:
 *
 *   score = outcome + availability + recovery + penalties
 *   outcome      = 510 if the scenario's goal was met, else 0
 *   availability = 340 × (served / all ended requests over the game)
 *   recovery     = 150 × the mean over incidents of max(0, 1 − recovery time / 120 s)
 *                  (an incident not recovered counts 0; a game without incidents gets the full 150);
 *                  with *no points for speed* (`noSpeedPoints`), 150 × the share of incidents
 *                  recovered before the game ended, however long each took
 *   penalties    = −15 per OOM-killed container, −3 per binding a kubelet rejected,
 *                  −1 per 50 requests dropped on stale proxy rules; never below −(availability + recovery)
 *
 * A lost game scores at most 490 and a won one at least 510, so a lost game never outscores a
 * won one of the same scenario.
 */
import type { Incident } from "./incidents.ts";

/** Points for meeting the scenario's goal. */
export const WIN_POINTS = 510;
/** Points for serving every request over the game. */
export const AVAILABILITY_POINTS = 340;
/** Points for recovering from every incident at once. */
export const RECOVERY_POINTS = 150;
/** A recovery this slow (or slower) earns nothing, seconds. */
export const RECOVERY_HORIZON_SEC = 120;
/** Points taken per container the kernel OOM-killed. */
export const OOM_KILL_PENALTY = 15;
/** Points taken per binding a kubelet rejected. */
export const REJECTED_BINDING_PENALTY = 3;
/** Requests dropped on stale kube-proxy rules that cost one point. */
export const STALE_DROPS_PER_POINT = 50;

export interface ScoreParts {
  /** WIN_POINTS when the goal was met, else 0. */
  outcome: number;
  availability: number;
  recovery: number;
  /** Zero or negative. */
  penalties: number;
}

/** The host's scoring choices, inputs of the simulation like its seed. */
export interface ScoringOptions {
  /**
   * No points for speed (for classes where racing excludes people): recovering from an incident
   * scores the same however long it took, as long as it was before the game ended.
   */
  noSpeedPoints?: boolean;
}

export interface ScoreInputs extends ScoringOptions {
  won: boolean;
  /** Served / all ended requests over the game, 0..1. */
  availability: number;
  incidents: readonly Incident[];
  oomKills: number;
  rejectedBindings: number;
  staleDrops: number;
}

/** How fast the team recovered, 0..1 (1 without incidents); without speed points, the share of incidents recovered. */
export function recoveryQuality(incidents: readonly Incident[], opts: ScoringOptions = {}): number {
  if (incidents.length === 0) return 1;
  let sum = 0;
  for (const i of incidents) {
    if (i.recoveredAt === undefined) continue;
    if (opts.noSpeedPoints) {
      sum += 1;
      continue;
    }
    // Clamped to 0..1: a recovery stamped before its incident (a clock skew in saved data) is instant, never a bonus.
    sum += Math.min(1, Math.max(0, 1 - (i.recoveredAt - i.at) / 1000 / RECOVERY_HORIZON_SEC));
  }
  return sum / incidents.length;
}

export function scoreParts(x: ScoreInputs): ScoreParts {
  const availability = Math.round(AVAILABILITY_POINTS * Math.min(1, Math.max(0, x.availability)));
  const recovery = Math.round(RECOVERY_POINTS * recoveryQuality(x.incidents, x));
  const lost = x.oomKills * OOM_KILL_PENALTY + x.rejectedBindings * REJECTED_BINDING_PENALTY + Math.floor(x.staleDrops / STALE_DROPS_PER_POINT);
  return { outcome: x.won ? WIN_POINTS : 0, availability, recovery, penalties: lost > 0 ? -Math.min(lost, availability + recovery) : 0 };
}

export const totalScore = (p: ScoreParts): number => p.outcome + p.availability + p.recovery + p.penalties;
