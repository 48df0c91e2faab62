/**
 * CSV for the downloads a host opens in a spreadsheet: RFC 4180 quoting, and cells that cannot
 * run as formulas (CSV or formula injection, OWASP). A text cell that a spreadsheet would take
 * for a formula — one starting with = + - @, a tab, a carriage return, a line feed or NUL,
 * after any spaces, or with the full-width = + - @ some spreadsheets also accept — gets a single
 * quote in front and is quoted, so a chaos label "=1+1" shows as the text '=1+1.
 */

/** What a spreadsheet may take for the start of a formula (after leading spaces). */
const FORMULA_START = /^[ ]*[=+\-@\t\r\n\0＝＋－＠]/;

/** One cell: numbers as they are, text made inert and quoted when it has to be. */
export function csvCell(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const inert = FORMULA_START.test(value);
  const text = inert ? `'${value}` : value;
  return inert || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: a header line, then one line per row (each ending in \n). */
export function csvFile(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\n")}\n`;
}
