/**
 * The one error type for bad input in a user's file (netlist, problem file, MATPOWER case, MPS/LP).
 * Parsers take text plus the file's display name and throw this with the 1-based line; shells show
 * `file:line: message` and keep running.
 */
export class InputError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly detail: string;

  constructor(file: string, line: number | null, detail: string) {
    super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof Error && e.name === 'InputError' && 'file' in e;
}
