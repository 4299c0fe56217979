import type { DropFileResult, DropProblem } from "./drop-file.ts";

/** Helpers of the drop-file tests (the unit tests here and the real-data ones under test/). */
export const HOUR = 3_600_000;

export const file = (header: string, rows: string[]) => [header, ...rows].join("\n") + "\n";

/** The number in column `col` of each row, read from the file's text (not from the parser). */
export const cellsOf = (rows: string[], col = 1) => rows.map((r) => Number(r.split(",")[col]));

export function accepted(r: DropFileResult) {
  if (!r.ok) throw new Error(`rejected: ${r.problems.map((p) => p.message).join(" | ")}`);
  return r;
}

export function problems(r: DropFileResult): DropProblem[] {
  if (r.ok) throw new Error("accepted, expected a rejection");
  return r.problems;
}
