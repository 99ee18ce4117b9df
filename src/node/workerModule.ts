/**
 * Starting a worker thread on the module that asks for it — the feature
 * extraction pool and data-parallel training both run their workers on their
 * own module file, in every form the package runs as: a dist chunk, the
 * CommonJS bundle, or the `.ts` sources under tsx / vitest.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HitrankError } from '../errors.js';

/**
 * The file of the module whose function called this one. Deliberately not
 * `import.meta.url`: that syntax is a SyntaxError in the CommonJS build (tsup
 * keeps it verbatim there), so the file is read from V8's structured stack
 * trace (the caller's frame). Where the caller's module has a `__filename` of
 * its own (the CommonJS bundle; vitest), it passes it and that wins — it must
 * be the caller's, which is why this function cannot read it itself.
 *
 * @param fallbackHint - what to tell the user when the file cannot be found (e.g. "use jobs: 1").
 * @param ownFilename - the caller's `__filename` when its module has one.
 * @returns the absolute path of the caller's module file.
 * @throws HitrankError `E_UNSUPPORTED` when the runtime gives no file name.
 */
export function callerModuleFile(fallbackHint: string, ownFilename?: string): string {
  if (typeof ownFilename === 'string' && ownFilename.length > 0) return ownFilename;
  const original = Error.prepareStackTrace;
  let file: string | null | undefined;
  try {
    Error.prepareStackTrace = (_e, frames) => frames;
    const frames = new Error().stack as unknown as NodeJS.CallSite[];
    file = Array.isArray(frames) ? frames[1]?.getFileName() : undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
  if (typeof file !== 'string' || file.length === 0) {
    throw new HitrankError('E_UNSUPPORTED', `cannot locate the hitrank module file to start worker threads; ${fallbackHint}.`);
  }
  return file.startsWith('file:') ? fileURLToPath(file) : file;
}

/**
 * How to start a worker on `entry`. Compiled JavaScript: the file itself. From
 * TypeScript sources (tsx, vitest) a worker cannot start on a `.ts` file, even
 * with `--import tsx` in its execArgv (Node 20): a tiny bootstrap registers
 * tsx's loader in the worker with `tsx/esm/api`, then imports the source module.
 *
 * @param entry - the module file ({@link callerModuleFile}).
 * @returns the `Worker` constructor's first argument and its `eval` option.
 */
export function workerEntry(entry: string): { spec: string | URL; eval: boolean } {
  if (!/\.[cm]?tsx?$/.test(entry)) return { spec: pathToFileURL(entry), eval: false };
  // tsx's `--import` entry registers itself only on the main thread under Node 20, so use its API.
  // require.resolve picks the CommonJS build of 'tsx/esm/api'; the ESM build sits next to it.
  const api = pathToFileURL(createRequire(entry).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const self = pathToFileURL(entry).href;
  return {
    spec: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(self)}); });`,
    eval: true,
  };
}
