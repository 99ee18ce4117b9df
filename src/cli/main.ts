/**
 * Entry point of the `hitrank` executable (`bin` in package.json; run from
 * source with `npm run hitrank -- <args>` or `npx tsx src/cli/main.ts`).
 * SIGINT / SIGTERM abort the running command, which keeps its finished work
 * and exits with code 130; a second signal exits at once.
 *
 * @module
 */
import { isMainThread } from 'node:worker_threads';
import { EXIT } from './exitCodes.js';
import { runCli } from './run.js';

// Worker threads of the feature pool may load a bundle that contains this file: only the main thread runs the CLI.
if (isMainThread) {
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
