/**
 * TensorFlow.js set-up for the commands that train or score (`train`, `rank`,
 * `evaluate`, `demo`). The library never picks a backend; the CLI is an
 * application, so it registers one itself: `@tensorflow/tfjs-backend-wasm` by
 * default (SIMD, and hitrank's convolutions have their own gradients, so the
 * simple CNN trains there ≈ 10× faster than on `cpu`), or `cpu`. On both,
 * the simple CNN itself runs on hitrank's WebAssembly kernels
 * (`cnnKernels: 'auto'`), with relaxed SIMD turned on.
 *
 * Everything is imported lazily, so `hitrank --help` and `features` never load
 * TensorFlow.js.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { enableRelaxedSimd } from '../node/relaxedSimd.js';
import { startTfjsBackend } from '../node/tfjsBackend.js';
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
  // hitrank's simple-CNN kernels use fused multiply-add where relaxed SIMD validates (Node 20: behind a flag).
  enableRelaxedSimd();
  try {
    await startTfjsBackend(backend);
  } catch (e) {
    if (e instanceof HitrankError && e.code === 'E_UNSUPPORTED') {
      const why = e.detail.replace(/\.$/, '');
      throw new UnavailableError(/not installed/.test(why) ? `${why}.` : `${why}; try --backend cpu.`);
    }
    throw e;
  }
  started = backend;
  return backend;
}
