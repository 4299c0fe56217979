/**
 * An error caused by something a person supplied (a file, a field, a flag).
 * The CLI prints `message` on one line and exits with code 2, never a stack trace.
 */
export class InputError extends Error {
  readonly file: string;
  readonly field: string;
  readonly expected: string;

  constructor(file: string, field: string, expected: string, detail?: string) {
    const where = field ? `${file}: ${field}` : file;
    super(`${where}: expected ${expected}${detail ? ` (${detail})` : ""}`);
    this.name = "InputError";
    this.file = file;
    this.field = field;
    this.expected = expected;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
