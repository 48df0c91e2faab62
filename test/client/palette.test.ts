/**
 * The palette, from its sources of truth (style.css's :root and the map's palette.ts): text in
 * every colour that carries meaning reads at WCAG's 4.5:1 on every surface it sits on, the map's
 * glyphs at 3:1 on the map, and colours that tell states apart stay apart for the most common
 * colour blindness (deuteranopia, protanopia; Machado et al. 2009, full severity) — by a colour
 * difference a reader notices, or else by the glyph's shape. Team mode's colours: each team's ink
 * reads on its colour, and each team's line in the class debrief's chart shows at 3:1 (a dark
 * colour through its light halo); a team is always named in words as well (the browser tests).
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { OI, OUTCOME, PHASE_STYLES, UI } from "../../client/src/map/palette.ts";
import { lightHalo } from "../../client/src/ui/classViews/timelineChart.ts";
import { TEAMS } from "../../shared/protocol/teams.ts";

type Rgb = [number, number, number];

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as Rgb;
const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const luminance = (l: Rgb) => 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
/** WCAG 2 contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(rgb(a).map(linear) as Rgb), luminance(rgb(b).map(linear) as Rgb)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB. */
const VISION: Record<string, number[][]> = {
  typical: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
};

/** CIELAB of a colour as seen with `vision`. */
function lab(hex: string, vision: string): Rgb {
  const l = rgb(hex).map(linear);
  const [r, g, b] = VISION[vision].map((row) => Math.min(1, Math.max(0, row[0] * l[0] + row[1] * l[1] + row[2] * l[2])));
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const [x, y, z] = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
/** CIE76 colour difference as seen with `vision` (about 2: just noticeable; 10+: plainly different). */
const deltaE = (a: string, b: string, vision: string) => Math.hypot(...lab(a, vision).map((v, i) => v - lab(b, vision)[i]));

/** Two colours that tell states apart must differ at least this much (CIE76) in every vision. */
const MIN_DELTA_E = 15;

const css = readFileSync(new URL("../../client/src/style.css", import.meta.url), "utf8");
const root = css.slice(css.indexOf(":root"), css.indexOf("}", css.indexOf(":root")));
const v = (name: string): string => {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{6})`).exec(root);
  if (!m) throw new Error(`style.css :root has no --${name}`);
  return m[1];
};
/** Where text sits: the page, a panel, a button or chip, a hovered log line, the map. */
const SURFACES: Record<string, string> = { page: v("bg"), panel: v("panel"), button: "#243040", hovered: "#202a36", map: UI.bg };

describe("the palette", () => {
  it("every text colour reads at 4.5:1 or more on every surface", () => {
    const failing: string[] = [];
    for (const name of ["text", "muted", "ok", "warn", "bad", "info", "accent", "purple"])
      for (const [surface, bg] of Object.entries(SURFACES)) {
        const c = contrast(v(name), bg);
        if (c < 4.5) failing.push(`--${name} on ${surface}: ${c.toFixed(2)}`);
      }
    expect(failing).to.deep.equal([]);
    // The primary button's dark text on its blue.
    expect(contrast("#08121c", v("info"))).to.be.at.least(4.5);
  });

  it("ok, warn and bad (and info) stay apart with deuteranopia and protanopia", () => {
    const meaning = ["ok", "warn", "bad", "info"];
    for (const vision of Object.keys(VISION))
      for (const [i, a] of meaning.entries())
        for (const b of meaning.slice(i + 1)) expect(deltaE(v(a), v(b), vision), `${a} / ${b}, ${vision}`).to.be.at.least(MIN_DELTA_E);
  });

  it("the map's pod phases differ by colour for every vision, or else by glyph; each shows at 3:1 on the map", () => {
    for (const p of PHASE_STYLES) expect(contrast(p.color, UI.bg), p.key).to.be.at.least(3);
    for (const [i, a] of PHASE_STYLES.entries())
      for (const b of PHASE_STYLES.slice(i + 1))
        for (const vision of Object.keys(VISION)) {
          const apart = deltaE(a.color, b.color, vision) >= MIN_DELTA_E;
          expect(apart || a.glyph !== b.glyph, `${a.key} / ${b.key}, ${vision}`).to.equal(true);
        }
    // Every phase has its own glyph, whatever the colours.
    expect(new Set(PHASE_STYLES.map((p) => p.glyph)).size).to.equal(PHASE_STYLES.length);
  });

  it("a request's outcomes (served, timed out, dropped) stay apart with deuteranopia and protanopia", () => {
    const outcomes = [OUTCOME.served, OUTCOME.timeout, OUTCOME.dropped];
    for (const vision of Object.keys(VISION))
      for (const [i, a] of outcomes.entries())
        for (const b of outcomes.slice(i + 1)) expect(deltaE(a, b, vision), `${a} / ${b}, ${vision}`).to.be.at.least(MIN_DELTA_E);
    expect(OI.vermillion).to.equal(OUTCOME.dropped);
  });

  it("team mode: each team's ink reads on its colour at 4.5:1, and each team's chart line shows at 3:1 on the panel", () => {
    const chartCss = readFileSync(new URL("../../client/src/classDebrief.css", import.meta.url), "utf8");
    const rule = /polyline\.halo\.light \{([^}]*)\}/.exec(chartCss)?.[1] ?? "";
    const opacity = Number(/stroke-opacity:\s*([\d.]+)/.exec(rule)?.[1]);
    expect(rule, "classDebrief.css draws the light halo in --text").to.include("var(--text)");
    // The light halo: --text at that opacity over the panel.
    const [t, p] = [rgb(v("text")), rgb(v("panel"))];
    const halo = `#${t
      .map((c, i) =>
        Math.round((c * opacity + p[i] * (1 - opacity)) * 255)
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")}`;
    expect(contrast(halo, v("panel")), "the light halo on the panel").to.be.at.least(3);
    const failing: string[] = [];
    for (const team of TEAMS) {
      if (contrast(team.ink, team.colour) < 4.5) failing.push(`${team.name}'s ink ${contrast(team.ink, team.colour).toFixed(2)}`);
      // A bright line sits on a dark halo (--bg) on the panel; a dark one on the light halo.
      const seen = lightHalo(team.colour) ? contrast(team.colour, halo) : Math.min(contrast(team.colour, v("panel")), contrast(team.colour, v("bg")));
      if (seen < 3) failing.push(`${team.name}'s line ${seen.toFixed(2)}${lightHalo(team.colour) ? " on its light halo" : ""}`);
    }
    expect(failing).to.deep.equal([]);
  });
});
