/**
 * The `hitrank` command-line runner: global flags, command dispatch, `--json`
 * output, error reporting and exit codes. `main.ts` calls {@link runCli}.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { VERSION } from '../version.js';
import { exitCodeFor, parseCommandArgs, UnavailableError, UsageError, type CliCommand, type CliIO } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, EXIT_CODES_HELP } from './exitCodes.js';

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `hitrank ${VERSION}: audio-based hit-song prediction (Yu et al., ICASSP 2018)

Usage: hitrank <command> [options]
       hitrank <command> --help
       hitrank --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Every command accepts --json (one JSON object on stdout), --quiet and --help.

${EXIT_CODES_HELP}
`;
}

function commandHelp(cmd: CliCommand): string {
  return `Usage: ${cmd.usage}\n\n${cmd.help}\n\n${EXIT_CODES_HELP}\n`;
}

function errorJson(e: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {
    code: e instanceof HitrankError ? e.code : e instanceof UnavailableError ? 'E_UNAVAILABLE' : e instanceof UsageError ? 'E_USAGE' : (e as Error)?.name === 'AbortError' ? 'E_INTERRUPTED' : 'E_INTERNAL',
    message: e instanceof Error ? e.message : String(e),
  };
  // A DataFileError (duck-typed, so that this module does not load the node layer for --help).
  const d = e as { problems?: unknown; file?: unknown; total?: unknown };
  if (e instanceof HitrankError && Array.isArray(d.problems)) {
    out.file = d.file;
    out.problems = d.problems;
    out.totalProblems = d.total;
  }
  return out;
}

function errorText(e: unknown, command: string | undefined, exitCode: number): string {
  const prefix = `hitrank${command ? ` ${command}` : ''}: `;
  if (e instanceof UnavailableError) return `${prefix}${e.message}\n`;
  if (exitCode === EXIT.USAGE) {
    return `${prefix}${(e as Error).message}\nRun 'hitrank ${command ? `${command} ` : ''}--help' for usage.\n`;
  }
  if (exitCode === EXIT.INTERRUPTED) {
    return `${prefix}interrupted; finished work is kept (rerun the same command to continue).\n`;
  }
  if (exitCode === EXIT.INTERNAL) {
    const detail = process.env.HITRANK_DEBUG ? `\n${(e as Error)?.stack ?? String(e)}` : '\n(set HITRANK_DEBUG=1 for the stack trace)';
    return `${prefix}internal error: ${(e as Error)?.message ?? String(e)}${detail}\n`;
  }
  return `${prefix}${(e as Error).message}\n`;
}

/**
 * Runs the `hitrank` command line.
 *
 * @param argv - the arguments after the program name (`process.argv.slice(2)`).
 * @param io - output streams and working directory (default: the process's).
 * @param signal - aborts the running command (the entry point wires SIGINT/SIGTERM to it).
 * @returns the exit code (see `EXIT`).
 */
export async function runCli(argv: string[], io?: Partial<CliIO>, signal?: AbortSignal): Promise<number> {
  const streams: CliIO = { stdout: io?.stdout ?? process.stdout, stderr: io?.stderr ?? process.stderr, cwd: io?.cwd ?? process.cwd() };
  const json = argv.includes('--json');
  const first = argv[0];
  const fail = (e: unknown, name?: string): number => {
    const code = exitCodeFor(e);
    streams.stderr.write(errorText(e, name, code));
    if (json) streams.stdout.write(JSON.stringify({ command: name ?? null, ok: false, exitCode: code, error: errorJson(e) }, null, 2) + '\n');
    return code;
  };
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? argv[1] : undefined;
    const entry = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    if (topic && !entry) return fail(new UsageError(`unknown command ${JSON.stringify(topic)}.`));
    streams.stdout.write(entry ? commandHelp(await entry.load()) : mainHelp());
    return first === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (first === '--version' || first === '-v' || first === '-V') {
    streams.stdout.write(json ? JSON.stringify({ version: VERSION }) + '\n' : `${VERSION}\n`);
    return EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === first);
  if (!entry) {
    const hint = first.startsWith('-') ? `unknown option ${JSON.stringify(first)} (options go after the command).` : `unknown command ${JSON.stringify(first)}.`;
    return fail(new UsageError(`${hint} Commands: ${COMMANDS.map((c) => c.name).join(', ')}.`));
  }
  const name = entry.name;
  try {
    const cmd = await entry.load();
    const { values, positionals } = parseCommandArgs(cmd, argv.slice(1));
    if (values.help) {
      streams.stdout.write(commandHelp(cmd));
      return EXIT.OK;
    }
    const res = await cmd.run({
      values,
      positionals,
      json: values.json === true,
      quiet: values.quiet === true,
      io: streams,
      signal: signal ?? new AbortController().signal,
    });
    if (json) streams.stdout.write(JSON.stringify({ command: name, ok: res.exitCode === EXIT.OK, exitCode: res.exitCode, ...res.json }, null, 2) + '\n');
    return res.exitCode;
  } catch (e) {
    return fail(e, name);
  }
}
