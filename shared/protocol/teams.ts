/**
 * The teams of a class (team mode, issue #12): ids t1…t12, each with a name, a colour from one
 * fixed colour-blind-safe list (Okabe–Ito's eight, then four from Paul Tol's palettes), a pattern
 * and the ink that reads on the colour. A team is always named in text, never told by colour
 * alone: the pattern marks it for anyone who cannot tell two colours apart.
 */

/** Fewest teams a class has (one team is today's single-cluster workshop). */
export const MIN_TEAMS = 2;
/** Most teams a class has: each is its own cluster (room, state, store prefix). */
export const MAX_TEAMS = 12;

export interface Team {
  /** "t1" … "t12". */
  id: string;
  /** The team's name, as every screen shows it ("Orange"). */
  name: string;
  /** Its colour, #RRGGBB. */
  colour: string;
  /** Text colour that reads on `colour` (WCAG contrast ≥ 4.5 for normal text). */
  ink: string;
  /** A pattern drawn with the colour, so the team is told apart without colour ("stripes"). */
  pattern: "solid" | "stripes" | "dots" | "checks" | "cross" | "waves";
}

/** Every team a class can have, in order: a class of N teams uses the first N. */
export const TEAMS: readonly Team[] = [
  { id: "t1", name: "Orange", colour: "#E69F00", ink: "#000000", pattern: "solid" },
  { id: "t2", name: "Sky", colour: "#56B4E9", ink: "#000000", pattern: "stripes" },
  { id: "t3", name: "Green", colour: "#009E73", ink: "#000000", pattern: "dots" },
  { id: "t4", name: "Yellow", colour: "#F0E442", ink: "#000000", pattern: "checks" },
  { id: "t5", name: "Blue", colour: "#0072B2", ink: "#FFFFFF", pattern: "cross" },
  { id: "t6", name: "Vermilion", colour: "#D55E00", ink: "#000000", pattern: "waves" },
  { id: "t7", name: "Purple", colour: "#CC79A7", ink: "#000000", pattern: "solid" },
  { id: "t8", name: "Black", colour: "#000000", ink: "#FFFFFF", pattern: "stripes" },
  { id: "t9", name: "Indigo", colour: "#332288", ink: "#FFFFFF", pattern: "dots" },
  { id: "t10", name: "Olive", colour: "#999933", ink: "#000000", pattern: "checks" },
  { id: "t11", name: "Wine", colour: "#882255", ink: "#FFFFFF", pattern: "cross" },
  { id: "t12", name: "Grey", colour: "#BBBBBB", ink: "#000000", pattern: "waves" },
];

/** The ids a team may have ("t1" … "t12"). */
export const TEAM_IDS = TEAMS.map((t) => t.id);

/** The first `n` teams (a class of n teams). */
export function teamsOf(n: number): Team[] {
  return TEAMS.slice(0, Math.max(0, Math.min(MAX_TEAMS, n)));
}

/** A team by id, or undefined. */
export function teamById(id: string): Team | undefined {
  return TEAMS.find((t) => t.id === id);
}
