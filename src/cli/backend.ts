/**
 * TensorFlow.js set-up for the commands that train or score (`train`, `rank`,
 * `evaluate`, `demo`). The library never picks a backend; the CLI is an
 * application, so it registers one itself: `@tensorflow/tfjs-backend-wasm` by
 * default (SIMD, and hitrank's convolutions have their own gradients, so the
 * simple CNN trains there ≈ 10× faster than on `cpu`), or `cpu`.
 *
 * Everything is imported lazily, so `hitrank --help` and `features` never load
 * TensorFlow.js.
 *
 * @module
 */
import { UnavailableError, UsageError } from './command.js';

/** Backends the CLI can start. */
export const CLI_BACKENDS = ['wasm', 'cpu'] as const;

/** A backend name of {@link CLI_BACKENDS}. */
export type CliBackend = (typeof CLI_BACKENDS)[number];


/**
 * Parses `--backend`.
 *
 * @param raw - the option value (undefined = default `wasm`).
 * @returns the backend name.
 * @throws UsageError for anything else.
 */
export function parseBackend(raw: string | boolean | undefined): CliBackend {
  if (raw === undefined) return 'wasm';
  if (raw === 'wasm' || raw === 'cpu') return raw;
  throw new UsageError(`--backend must be wasm or cpu, got ${JSON.stringify(raw)}.`);
}

const PACKAGES: Record<CliBackend, string> = {
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

async function importOrExplain(name: string, why: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new UnavailableError(`${name} is not installed (${why}). Install it: npm install ${name}@^4.22.0`);
    }
    throw e;
  }
}

let started: CliBackend | null = null;

/**
 * Loads tfjs-core, tfjs-layers (it registers the gradients) and the backend,
 * starts the backend and checks that it really runs: tfjs falls back silently
 * when a backend fails, so `await tf.setBackend(b) === true && tf.getBackend()
 * === b` is asserted. Production mode is on (no "running in Node" banner).
 *
 * @param backend - `'wasm'` or `'cpu'`.
 * @returns the backend name that is running.
 * @throws UnavailableError (exit code 2) when a package is missing or the backend does not start.
 */
export async function startBackend(backend: CliBackend): Promise<CliBackend> {
  if (started === backend) return backend;
  const tf = (await importOrExplain('@tensorflow/tfjs-core', 'a peer dependency of hitrank')) as typeof import('@tensorflow/tfjs-core');
  await importOrExplain('@tensorflow/tfjs-layers', 'a peer dependency of hitrank');
  await importOrExplain(PACKAGES[backend], `the --backend ${backend} of the hitrank CLI`);
  tf.enableProdMode();
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    throw new UnavailableError(`the tfjs ${backend} backend failed to start: ${(e as Error).message}`);
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new UnavailableError(`the tfjs ${backend} backend failed to start (tfjs is running '${tf.getBackend()}'); try --backend cpu.`);
  }
  started = backend;
  return backend;
}
