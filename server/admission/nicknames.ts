/**
 * Nicknames are labels, not identities — but a label that looks like another player's, or like
 * the host's, misleads a class. A nickname is normalised (NFKC, spaces collapsed); its letters
 * come from one script (Japanese, Chinese and Korean may mix theirs with Latin, as Unicode's
 * "highly restrictive" profile allows); and it may not look like a name already in the room or
 * like "host". Two names look alike when their skeletons are equal: each character replaced by its
 * prototype from Unicode's confusables table (UTS #39, through `unhomoglyph`: Cyrillic `е` → `e`,
 * `0` → `O`, `I` and `1` → `l`, `m` → `rn`), case, accents, spaces and `_ . ' -` ignored.
 */
import unhomoglyph from "unhomoglyph";

/** Names only the host may wear (compared by skeleton, so `H0st` and `Ноst` are refused too). */
export const RESERVED_NICKNAMES = ["host", "the host", "admin"];

/** The scripts a letter is told apart by; a letter of any other script counts as "another alphabet". */
const SCRIPTS = [
  "Latin",
  "Cyrillic",
  "Greek",
  "Armenian",
  "Georgian",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Bengali",
  "Tamil",
  "Telugu",
  "Thai",
  "Ethiopic",
  "Cherokee",
  "Han",
  "Hiragana",
  "Katakana",
  "Hangul",
  "Bopomofo",
] as const;
const SCRIPT_RE = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, "u")] as const);

/** Scripts that may share a name (besides any script alone): UTS #39's highly restrictive sets. */
const MIXES: readonly (readonly string[])[] = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

export function normaliseNickname(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/gu, " ").trim();
}

/** The scripts of a name's letters, in order of first appearance. */
export function scriptsOf(name: string): string[] {
  const found = new Set<string>();
  for (const ch of name) {
    if (!/\p{L}/u.test(ch)) continue;
    found.add(SCRIPT_RE.find(([, re]) => re.test(ch))?.[0] ?? "another alphabet's");
  }
  return [...found];
}

function oneScript(scripts: string[]): boolean {
  return scripts.length <= 1 || MIXES.some((mix) => scripts.every((s) => mix.includes(s)));
}

/** What a name looks like with every look-alike difference taken out. */
function skeleton(name: string): string {
  const bare = unhomoglyph(name.normalize("NFD").replace(/\p{M}/gu, "")).toLowerCase();
  return bare.replace(/[\s_.'-]/gu, "");
}

/** Names whose skeletons are remembered (a room checks a newcomer against everyone it knows). */
const SKELETON_CACHE_SIZE = 5_000;
const cache = new Map<string, Set<string>>();

/** A name's skeletons as written and in lower case (`I` looks like `l`, but `Ian` is also `ian`). */
function skeletons(name: string): Set<string> {
  let known = cache.get(name);
  if (!known) {
    const n = normaliseNickname(name);
    known = new Set([skeleton(n), skeleton(n.toLowerCase())]);
    if (cache.size >= SKELETON_CACHE_SIZE) cache.clear();
    cache.set(name, known);
  }
  return known;
}

export function looksAlike(a: string, b: string): boolean {
  const sa = skeletons(a);
  for (const s of skeletons(b)) if (sa.has(s)) return true;
  return false;
}

/**
 * Why `nickname` (normalised) may not join a room whose players are called `taken`; undefined when
 * it may. The host may wear a reserved name, nobody a look-alike of another player's.
 */
export function nicknameProblem(nickname: string, taken: Iterable<string>, opts: { host: boolean }): string | undefined {
  const scripts = scriptsOf(nickname);
  if (!oneScript(scripts)) {
    const [last, ...rest] = [...scripts].reverse();
    return `"${nickname}" mixes ${rest.reverse().join(", ")} and ${last} letters, which can make it look like someone else's: write your nickname in one alphabet`;
  }
  if (!opts.host) {
    const reserved = RESERVED_NICKNAMES.find((r) => looksAlike(nickname, r));
    if (reserved) return `"${nickname}" looks like "${reserved}", a name only the host may use: pick another nickname`;
  }
  for (const other of taken) {
    if (looksAlike(nickname, other)) {
      return other === nickname
        ? `someone in this room is already called ${other}: pick another nickname`
        : `someone in this room is already called ${other}, which looks the same as "${nickname}": pick another nickname`;
    }
  }
  return undefined;
}
