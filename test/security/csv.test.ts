/**
 * CSV downloads against formula injection: text a host typed (a chaos label) must reach the
 * spreadsheet as text, never as a formula, and every cell must survive RFC 4180 parsing intact.
 */
import { expect } from "chai";
import { csvCell } from "../../server/game/csv.ts";
import { timelineCsv, type Debrief } from "../../server/game/debrief.ts";
import { parseCsv } from "../support/csv.ts";

describe("CSV downloads", () => {
  // Text a spreadsheet would run → the text it must show instead (a leading quote makes it text).
  const FORMULAS: [string, string][] = [
    ["=1+1", "'=1+1"],
    ["+1", "'+1"],
    ["-1+2", "'-1+2"],
    ["@SUM(A1:A9)", "'@SUM(A1:A9)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ['  =HYPERLINK("http://x")', '\'  =HYPERLINK("http://x")'],
    ["＝1+1", "'＝1+1"],
    ['=cmd|"/c calc"!A1', `'=cmd|"/c calc"!A1`],
  ];

  for (const [typed, shown] of FORMULAS) {
    it(`turns ${JSON.stringify(typed)} into the text ${JSON.stringify(shown)}`, () => {
      const cell = csvCell(typed);
      expect(cell.startsWith('"'), cell).to.equal(true);
      expect(parseCsv(`${cell}\n`)).to.deep.equal([[shown]]);
    });
  }

  it("leaves plain text and numbers as they are, and quotes commas, quotes and line breaks", () => {
    expect(csvCell("node crash")).to.equal("node crash");
    expect(csvCell(-3)).to.equal("-3");
    expect(csvCell(0.25)).to.equal("0.25");
    expect(csvCell('a "b", c')).to.equal('"a ""b"", c"');
    expect(parseCsv(`${csvCell("two\nlines")}\n`)).to.deep.equal([["two\nlines"]]);
  });

  it("writes a chaos label =1+1 into the debrief timeline as text", () => {
    const debrief = {
      timeline: [
        { t: 1, availability: 1, served: 10, dropped: 0, timedOut: 0, pending: 0, serving: 2 },
        { t: 2, availability: 0.5, served: 5, dropped: 5, timedOut: 0, pending: 1, serving: 1 },
      ],
      incidents: [
        { at: 1_200, label: "=1+1" },
        { at: 1_500, label: "node-2, again" },
      ],
    } as unknown as Debrief;
    const rows = parseCsv(timelineCsv(debrief));
    expect(rows[0]).to.deep.equal(["second", "availability", "served", "dropped", "timed_out", "pending_pods", "serving_pods", "failure"]);
    expect(rows[2]).to.deep.equal(["2", "0.5", "5", "5", "0", "1", "1", "'=1+1; node-2, again"]);
    expect(rows.every((r) => r.length === 8)).to.equal(true);
  });
});
