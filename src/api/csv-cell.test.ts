import { describe, expect, it } from "vitest";
import { auditCsv, csvCell } from "./views.ts";

/**
 * The audit CSV against spreadsheet formula injection: opened with ',' (the file's separator), ';' (French
 * Excel's default) or tab, no field may begin (past spaces) with = + - @. A reader is simulated the way
 * spreadsheets split a line: a quote opens a quoted field only at the start of a field.
 */
function spreadsheetFields(text: string, sep: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let value = "";
    if (text[i] === '"') {
      i++;
      for (; i < text.length; i++) {
        if (text[i] === '"' && text[i + 1] === '"') (value += '"'), i++;
        else if (text[i] === '"') {
          i++;
          break;
        } else value += text[i];
      }
    }
    while (i < text.length && text[i] !== sep && text[i] !== "\n" && text[i] !== "\r") value += text[i++];
    fields.push(value);
    i++; // the separator or the line end
  }
  return fields;
}

const formula = (field: string) => /^[ \t\r\n]*[=+\-@]/.test(field);

const PAYLOADS = [
  "ok;=1+1", // the example
  "ok;=1+1;",
  "ok\t=1+1",
  "ok\t=1+1\t",
  "a,=1+1",
  " =1+1",
  "\n=1+1",
  "\r\n@SUM(A1)",
  "x;  +cmd|' /C calc'!A0;",
  'x; "=1+1;',
  "-5",
  '=HYPERLINK("http://evil.example","x")',
  "note\n- first\n- second",
  "\t=1",
];

const entry = (reason: string, id = 7) => ({ id, timeMs: Date.UTC(2026, 0, 5, 12), actor: "ana", action: "override.set", target: "hp1", oldValue: null, newValue: "off", reason });

describe("csvCell", () => {
  it.each(PAYLOADS)("%j opens as text with ',', ';' and tab as the separator", (payload) => {
    const csv = auditCsv([entry(payload), entry(`${payload}`, 8)]);
    for (const sep of [",", ";", "\t"]) {
      const bad = spreadsheetFields(csv, sep).filter(formula);
      expect([sep, bad]).toEqual([sep, []]);
    }
  });

  it("neutralises with a ' in front of the character, quotes the cell, and leaves plain text alone", () => {
    expect(csvCell("ok;=1+1")).toBe(`"ok;'=1+1"`);
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell(" =1+1")).toBe(" '=1+1");
    expect(csvCell("a, -5 kW")).toBe(`"a, '-5 kW"`);
    expect(csvCell("\t=1")).toBe(`"'\t'=1"`);
    expect(csvCell("hp1 fixed 400 kW until 14:00")).toBe("hp1 fixed 400 kW until 14:00");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe("");
    expect(csvCell(42)).toBe("42");
  });

  it("the file read back with ',' holds each cell whole: the same text, a ' before each neutralised character", () => {
    const csv = auditCsv([entry("ok;=1+1")]);
    const fields = spreadsheetFields(csv, ",");
    expect(fields.slice(0, 8)).toEqual(["id", "time", "actor", "action", "target", "old_value", "new_value", "reason"]);
    expect(fields.slice(8)).toEqual(["7", "2026-01-05T12:00:00.000Z", "ana", "override.set", "hp1", "", "off", "ok;'=1+1"]);
  });
});

describe("a study's cases.csv", () => {
  it("keeps numbers as numbers (a negative KPI is a value) and neutralises text the same way", async () => {
    const { casesCsv } = await import("../study/outputs.ts");
    const csv = casesCsv({ name: "s", description: "", scenario: "x.yaml", controllers: ["rule"], axes: [{ path: "model.storage.height_m", values: [8] }], totalCases: 1, missing: [], kpis: ["value_eur"], rows: [{ index: 0, key: "k".repeat(64), controller: "rule", values: [8], status: "failed: bad;=1+1", kpis: { value_eur: -125959.66 } }] } as never);
    const row = csv.split("\n")[1]!;
    expect(row.endsWith(",-125959.66")).toBe(true);
    expect(row).toContain(`"failed: bad;'=1+1"`);
  });
});
