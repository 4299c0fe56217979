/** CSV cells for files people open in a spreadsheet (the audit log, a study's cases.csv). */

/**
 * A formula character (= + - @) at the start of a cell, or after a character a spreadsheet may split a cell on
 * (, ; tab CR LF: French Excel opens a .csv with ';'), past any spaces or quotes: `ok;=1+1` is text with ',' but
 * a formula with ';'. Quoting the cell cannot help there: a reader splitting on ';' takes a quote in the middle of
 * its field as a plain character. So a ' goes in front of each such character, where a field would begin.
 */
const FORMULA_START = /(^|[,;\t\r\n])([ \t\r\n"]*)([=+\-@])/g;

/** One CSV cell (RFC 4180), neutralised for spreadsheets (FORMULA_START). */
export function csvCell(v: unknown): string {
  // A number is written as itself: -5 is a value, not a formula, and a study's negative KPIs must stay numbers.
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v === null || v === undefined ? "" : String(v);
  s = s.replace(FORMULA_START, "$1$2'$3");
  // Some readers drop a leading tab or CR and then read what follows: the cell starts with ' instead.
  if (/^[\t\r]/.test(s)) s = `'${s}`;
  return /[",;\t\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
