/**
 * Entry point of the `hitrank` executable (`bin` in package.json; run from
 * source with `npm run hitrank -- <args>` or `npx tsx src/cli/main.ts`).
 * SIGINT / SIGTERM abort the running command, which keeps its finished work
 * and exits with code 130; a second signal exits at once.
 *
 * Started with the hidden argument `__hitrank-task-worker` (by `taskPool.ts`,
 * over an IPC channel), the process is a training worker instead.
 *
 * @module
 */
import { isMainThread } from 'node:worker_threads';
import { setCliEntry, WORKER_ARG } from './entry.js';
import { EXIT } from './exitCodes.js';
import { runCli } from './run.js';

// Worker threads of the feature pool may load a bundle that contains this file: only the main thread runs the CLI.
if (isMainThread && process.argv[2] === WORKER_ARG && typeof process.send === 'function') {
  void import('./taskWorker.js').then((m) => m.runTaskWorker());
} else if (isMainThread) {
  setCliEntry(process.argv[1] ?? null);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(EXIT.INTERRUPTED);
    const err = new Error(`received ${sig}`);
    err.name = 'AbortError';
    controller.abort(err);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  runCli(process.argv.slice(2), undefined, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`hitrank: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = EXIT.INTERNAL;
    },
  );
}
