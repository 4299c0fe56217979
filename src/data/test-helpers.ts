/** Helpers shared by the src/data importer tests (not a test file itself: no `.test.ts`). */
import { expect } from "vitest";
import { InputError } from "../config/errors.ts";

/** Runs `f`, expects it to throw an InputError and returns the message. */
export function inputErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("did not throw");
}

/** A CSV text: the header, then the rows, each line ending in "\n". */
export function csvText(header: string, rows: readonly string[]): string {
  return [header, ...rows].join("\n") + "\n";
}
