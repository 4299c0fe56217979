/**
 * What the drop-file parsers share: the quantities a drop file may carry, their physical ranges, and the problem
 * list a rejected file is reported with. Pure: no file access, no clock.
 */
import { InputError } from "../config/errors.ts";
import type { ImportIssue } from "../data/series.ts";
import { parisUtcOffsetMinutes } from "../physics/paris-time.ts";

export const DROP_QUANTITIES = ["price_el_eur_mwh", "outdoor_temp_c", "solar_w_m2"] as const;
export type DropQuantity = (typeof DROP_QUANTITIES)[number];

/** A regular UTC series: values[i] is the mean over [startMs + i·stepS·1000, +stepS). */
export interface DropSeries {
  startMs: number;
  stepS: number;
  values: number[];
}

/** One reason a file was rejected; `message` is a complete one-line text naming the file (and the line, if any). */
export interface DropProblem {
  file: string;
  line?: number;
  message: string;
}

/**
 * Physical ranges, the same as `chaleur plan`'s inputs (src/cli/plan.ts) so a value one refuses the other refuses
 * too. Wide on purpose: they catch unit mix-ups and corrupt cells, not unusual weather or a price spike.
 */
export const DROP_RANGES: Record<DropQuantity, { min: number; max: number; unit: string }> = {
  price_el_eur_mwh: { min: -10_000, max: 10_000, unit: "EUR/MWh" },
  outdoor_temp_c: { min: -50, max: 60, unit: "°C" },
  solar_w_m2: { min: 0, max: 1500, unit: "W/m²" },
};

/** Problems listed one by one before the rest is summarised: a log line per problem, not thousands of them. */
export const PROBLEMS_LISTED = 5;

/** Importer issue kinds that describe a flaw of the data; kinds not listed here are reported under their own name. */
const KIND_LABEL: Record<string, string> = {
  gap: "hole",
  "missing-hour": "hole",
  "missing-value": "missing value",
  "nonexistent-local-time": "daylight-saving flaw",
  "duplicate-row": "repeated time",
  "conflicting-duplicate": "repeated time",
  "off-grid": "off the time grid",
  "out-of-order": "time goes backwards",
};
/** Kinds that, next to a Paris clock change, are what a writer's daylight-saving mistake looks like in UTC. */
const DST_SYMPTOMS = new Set(["gap", "duplicate-row", "conflicting-duplicate", "off-grid"]);
const HOUR_MS = 3_600_000;
// The importers say how they repaired a flaw; a rejected file is not repaired, so that clause would mislead.
const REPAIR_CLAUSE = /;\s*(filled by linear interpolation|dropped|row dropped.*|kept line \d+|placed by their time|the first was kept)$/;

function nearClockChange(timeMs: number): boolean {
  return parisUtcOffsetMinutes(timeMs - 3 * HOUR_MS) !== parisUtcOffsetMinutes(timeMs + 3 * HOUR_MS);
}

/** The problems of one file as they are found; `result()` sorts them by line and keeps the first few. */
export class ProblemLog {
  private readonly list: DropProblem[] = [];
  constructor(readonly file: string) {}

  get count(): number {
    return this.list.length;
  }

  /** A problem at `line` (1-based, as an editor shows it) or of the whole file. */
  add(line: number | undefined, text: string): void {
    const where = line === undefined ? this.file : `${this.file}: line ${line}`;
    this.list.push({ file: this.file, ...(line === undefined ? {} : { line }), message: `${where}: ${text}` });
  }

  /** An error thrown by an importer: its message already names the file and, in its field, the line. */
  addThrown(e: unknown): void {
    if (e instanceof InputError) {
      const m = /(?:^|\s)line (\d+)/.exec(e.field);
      const line = m ? Number(m[1]) : undefined;
      this.list.push({ file: this.file, ...(line === undefined ? {} : { line }), message: e.message });
    } else {
      // Not a flaw the importer knows how to name (a bug, most likely): the message only, never the stack.
      this.add(undefined, `could not be read as a forecast file (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  /**
   * An importer's issue, reworded as a reason to reject; issues of kinds in `tolerated` are conventions, not flaws.
   * `localTime`: the file's times are Paris wall-clock readings, so a flaw at a clock change is most likely the writer's.
   */
  addIssue(issue: ImportIssue, tolerated: ReadonlySet<string> = new Set(), localTime = false): void {
    if (tolerated.has(issue.kind)) return;
    let label = KIND_LABEL[issue.kind] ?? issue.kind;
    if (localTime && DST_SYMPTOMS.has(issue.kind) && issue.timeMs !== undefined && nearClockChange(issue.timeMs)) label = `daylight-saving flaw (${label})`;
    const text = issue.message.replace(REPAIR_CLAUSE, "").replace(/^line \d+: /, "");
    this.add(issue.line ?? undefined, `${label}: ${text}`);
  }

  /** A value outside its quantity's physical range. */
  checkRange(q: DropQuantity, value: number, line: number): void {
    const r = DROP_RANGES[q];
    if (value < r.min || value > r.max) this.add(line, `${q} ${value} is out of range: expected ${r.min} to ${r.max} ${r.unit}`);
  }

  /** Sorted by line (whole-file problems first), repeats removed, the first PROBLEMS_LISTED and a count of the rest. */
  result(): DropProblem[] {
    const seen = new Set<string>();
    const unique = this.list.filter((p) => !seen.has(p.message) && seen.add(p.message));
    unique.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    if (unique.length <= PROBLEMS_LISTED) return unique;
    const more = unique.length - PROBLEMS_LISTED;
    return [...unique.slice(0, PROBLEMS_LISTED), { file: this.file, message: `${this.file}: … and ${more} more problem${more === 1 ? "" : "s"}` }];
  }
}
