/**
 * Where the running `hitrank` executable lives, so that long commands can
 * start more copies of it as training processes (`taskPool.ts`). Set by
 * `main.ts`; unset when the CLI runs inside another program (`runCli` in
 * tests), which then trains in-process.
 *
 * @module
 */

/** The hidden first argument that turns a `hitrank` process into a training worker. */
export const WORKER_ARG = '__hitrank-task-worker';

let entry: string | null = null;

/**
 * Records the executable's script path (`process.argv[1]` of `main.ts`).
 *
 * @param file - absolute path of the entry script.
 */
export function setCliEntry(file: string | null): void {
  entry = file;
}

/**
 * The executable's script path, or null when the CLI was not started from `main.ts`.
 *
 * @returns the path or null.
 */
export function cliEntry(): string | null {
  return entry;
}
