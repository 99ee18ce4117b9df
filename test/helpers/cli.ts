// Running the `hitrank` CLI from source as a child process (tsx), the way the
// CLI tests drive it, and reading its --json output.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** The CLI's source entry. */
export const cliMain = join(repoRoot, 'src', 'cli', 'main.ts');
/** tsx's loader URL, for `node --import <tsxLoader> <cliMain> …`. */
export const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Exit code and output of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hitrank ...args` in `cwd` and waits for it (2 min at most). */
export function runHitrank(cwd: string, args: string[], timeoutMs = 120_000): CliRun {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, cliMain, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run's stdout as JSON, or an error that shows both streams. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed CLI output, checked field by field by the tests
export function cliJson(r: CliRun): Record<string, any> {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}
