/**
 * Argument handling shared by the workbench verbs: strict option parsing with the usage on error,
 * numeric options with ranges, and an early parse of the user's file so that a bad file gets its
 * one-line `file:line: message` before any job starts. Exit codes: 2 for bad usage (options),
 * 1 for a bad input file.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isInputError } from '../../simulators/errors.ts';
import type { CliIO } from './types.ts';

export const EXIT_USAGE = 2;
export const EXIT_BAD_INPUT = 1;

export function fail(io: CliIO, msg: string, code = EXIT_USAGE): number {
  io.err(`error: ${msg}`);
  return code;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a verb's argv (options strict, positionals allowed). Returns an exit code instead when
 * the verb is done: 2 after an error, 0 after printing the usage for --help.
 */
export function parseVerbArgs<O extends Options>(argv: string[], options: O, usage: string, io: CliIO) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options });
  } catch (e) {
    return fail(io, `${(e as Error).message}\n\n${usage}`);
  }
  if ((parsed.values as Record<string, unknown>).help === true) {
    io.out(usage);
    return 0;
  }
  return parsed;
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** The minimum itself is not allowed (e.g. a time limit > 0). */
  exclusiveMin?: boolean;
}

/**
 * A numeric option: undefined when absent, null (after printing the error) when invalid.
 */
export function numberOption(io: CliIO, name: string, raw: string | undefined, rule: NumberRule = {}): number | null | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  const lo = rule.min ?? -Infinity;
  const hi = rule.max ?? Infinity;
  const ok = raw.trim() !== '' && Number.isFinite(x) && (!rule.integer || Number.isInteger(x)) && (rule.exclusiveMin ? x > lo : x >= lo) && x <= hi;
  if (!ok) {
    const kind = rule.integer ? 'an integer' : 'a number';
    const range =
      Number.isFinite(lo) && Number.isFinite(hi)
        ? ` in ${rule.exclusiveMin ? '(' : '['}${lo}, ${hi}]`
        : Number.isFinite(lo)
          ? ` ${rule.exclusiveMin ? '>' : '>='} ${lo}`
          : Number.isFinite(hi)
            ? ` <= ${hi}`
            : '';
    fail(io, `--${name} ${raw}: expected ${kind}${range}`);
    return null;
  }
  return x;
}

/** Runs a parse of the user's file; on bad input prints `error: file:line: message`, returns 1. */
export function checkInput(io: CliIO, parse: () => unknown): number | null {
  try {
    parse();
    return null;
  } catch (e) {
    if (isInputError(e)) return fail(io, e.message, EXIT_BAD_INPUT);
    throw e;
  }
}

/** The options every run verb takes (CONTRACTS.md): spread into a verb's own option table. */
export const RUN_OPTIONS = {
  seed: { type: 'string' },
  out: { type: 'string' },
  'export-dir': { type: 'string' },
  'runs-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/**
 * The verb's one input file: a path that exists (or what `find` resolves, e.g. a bundled example's
 * name); an exit code after a clear error otherwise.
 */
export function inputFile(
  io: CliIO,
  positionals: string[],
  what: string,
  usage: string,
  find: (arg: string) => string | null = existingPath,
  notFound = 'no such file',
): string | number {
  if (positionals.length !== 1) return fail(io, `expected one ${what}, got ${positionals.length}\n\n${usage}`);
  return find(positionals[0]) ?? fail(io, `${positionals[0]}: ${notFound}`);
}

function existingPath(arg: string): string | null {
  const p = resolve(arg);
  return existsSync(p) ? p : null;
}

/** A choice among fixed values: the value (or the default), or null after a clear error. */
export function choiceOption<T extends string>(io: CliIO, name: string, raw: string | undefined, allowed: readonly T[], fallback: T): T | null {
  const v = raw ?? fallback;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  fail(io, `--${name} ${v}: expected one of ${allowed.join(', ')}`);
  return null;
}
