/**
 * What a CLI command is: its options, help text and `run`. Adding a command =
 * one module in `commands/` exporting a {@link CliCommand} + one line in the
 * registry (`commands/index.ts`).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HitrankError } from '../errors.js';
import { EXIT } from './exitCodes.js';

/** Output streams and environment of a CLI run (injectable for tests). */
export interface CliIO {
  /** Results (human text, or one JSON document with `--json`). */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Progress bars, warnings and error messages. */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Working directory for relative paths. */
  cwd: string;
}

/** What a command's `run` receives. */
export interface CliContext {
  /** Parsed option values (after defaults). */
  values: Record<string, string | boolean | undefined>;
  /** Positional arguments. */
  positionals: string[];
  /** `--json`: print one JSON object on stdout, progress as plain lines on stderr. */
  json: boolean;
  /** `--quiet`: no progress output. */
  quiet: boolean;
  /** Streams. */
  io: CliIO;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
}

/** The outcome of a command: an exit code and the JSON document for `--json`. */
export interface CliResult {
  /** Process exit code (see `EXIT`). */
  exitCode: number;
  /** What `--json` prints (the runner adds `command` and `ok`). */
  json: Record<string, unknown>;
}

/** One CLI command. */
export interface CliCommand {
  /** Name as typed (`features`). */
  name: string;
  /** One-line summary for `hitrank --help`. */
  summary: string;
  /** Usage line(s), e.g. `hitrank features <manifest> [options]`. */
  usage: string;
  /** Longer help: options and examples. */
  help: string;
  /** `util.parseArgs` options (`--json`, `--quiet`, `--help` are added for every command). */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Allowed number of positional arguments. */
  positionals: { min: number; max: number; names: string };
  /**
   * Runs the command.
   *
   * @param ctx - parsed arguments, streams, abort signal.
   * @returns the exit code and JSON output.
   */
  run(ctx: CliContext): Promise<CliResult>;
}

/** A command-line mistake: exit code 2 with the message and a hint to `--help`. */
export class UsageError extends Error {
  /** @param message - what is wrong with the arguments. */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * A feature this build or installation cannot provide (a missing optional
 * package, a module not shipped yet): exit code 2 with the message, like a
 * usage error, since a different choice of options is the way out.
 */
export class UnavailableError extends UsageError {
  /** @param message - what is unavailable and what to do instead. */
  constructor(message: string) {
    super(message);
    this.name = 'UnavailableError';
  }
}

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Help lines of the common options. */
export const COMMON_HELP = `  --json         print one JSON object on stdout (progress goes to stderr as plain lines)
  -q, --quiet    no progress output
  -h, --help     this help`;

/**
 * Parses a command's arguments.
 *
 * @param cmd - the command.
 * @param argv - arguments after the command name.
 * @returns values and positionals.
 * @throws UsageError for unknown options, missing values or a wrong number of positionals.
 */
export function parseCommandArgs(cmd: CliCommand, argv: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options, ...COMMON_OPTIONS }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { values, positionals: parsed.positionals };
  const n = parsed.positionals.length;
  if (n < cmd.positionals.min) throw new UsageError(`missing ${cmd.positionals.names}.`);
  if (n > cmd.positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[cmd.positionals.max])}.`);
  return { values, positionals: parsed.positionals };
}

/**
 * Reads an integer option.
 *
 * @param values - parsed values.
 * @param name - option name.
 * @param min - smallest allowed.
 * @param max - largest allowed.
 * @returns the integer, or `undefined` when not given.
 * @throws UsageError when it is not an integer in range.
 */
export function intOption(values: CliContext['values'], name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return v;
}

/**
 * Exit code for an error thrown by a command.
 *
 * @param e - the error.
 * @returns 2 for usage errors, 130 for interruptions, 3 for bad input
 *   (`HitrankError`s about data and files), 4 otherwise.
 */
export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT.USAGE;
  if ((e as Error)?.name === 'AbortError') return EXIT.INTERRUPTED;
  if (e instanceof HitrankError) return EXIT.BAD_INPUT;
  return EXIT.INTERNAL;
}

/**
 * Reads a number option.
 *
 * @param values - parsed values.
 * @param name - option name.
 * @param min - smallest allowed.
 * @param max - largest allowed.
 * @returns the number, or `undefined` when not given.
 * @throws UsageError when it is not a finite number in range.
 */
export function numberOption(values: CliContext['values'], name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return v;
}

/**
 * Reads a comma-separated list option (`--rows a,b,i`).
 *
 * @param values - parsed values.
 * @param name - option name.
 * @returns the trimmed, non-empty items, or `undefined` when not given.
 * @throws UsageError for an empty list.
 */
export function listOption(values: CliContext['values'], name: string): string[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const items = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [];
  if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list, got ${JSON.stringify(raw)}.`);
  return items;
}

/**
 * Reads `--seed` (an integer, as every hitrank seed; default `0`).
 *
 * @param values - parsed values.
 * @param fallback - the default.
 * @returns the seed.
 * @throws UsageError when it is not an integer in [0, 2³¹ − 1].
 */
export function seedOption(values: CliContext['values'], fallback = 0): number {
  return intOption(values, 'seed', 0, 2 ** 31 - 1) ?? fallback;
}
