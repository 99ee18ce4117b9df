/**
 * Starting a TensorFlow.js backend in a fresh thread (a feature worker that
 * runs a highlighter), loaded lazily so that modules importing this one do
 * not load TensorFlow.js.
 *
 * @module
 */
import { HitrankError } from '../errors.js';

/** The module that registers each well-known backend. */
export const TFJS_BACKEND_MODULES: Readonly<Record<string, string>> = Object.freeze({
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  tensorflow: '@tensorflow/tfjs-node',
});

async function importNamed(name: string, why: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new HitrankError('E_UNSUPPORTED', `${name} is not installed (${why}); install it (npm install ${name}).`);
    }
    throw e;
  }
}

/**
 * Loads tfjs-core and tfjs-layers (which registers the gradients and the
 * layers a saved model needs), registers `backend` by importing its module,
 * switches to it and checks that it really runs (tfjs falls back silently
 * when a backend fails to start). Production mode is turned on (no
 * "running in Node" banner). The Node equivalent of
 * `import '@tensorflow/tfjs-backend-wasm'; await tf.setBackend('wasm')`.
 *
 * @param backend - backend name, e.g. `'wasm'` or `'cpu'`.
 * @param backendModule - module that registers it (default: {@link TFJS_BACKEND_MODULES}`[backend]`).
 * @returns the name of the running backend (`backend`).
 * @throws HitrankError `E_UNSUPPORTED` when a package is missing or the backend does not start; `E_PARAM` for an unknown backend without a module.
 */
export async function startTfjsBackend(backend: string, backendModule?: string): Promise<string> {
  const mod = backendModule ?? TFJS_BACKEND_MODULES[backend];
  if (typeof backend !== 'string' || backend.length === 0 || mod === undefined) {
    throw new HitrankError('E_PARAM', `unknown tfjs backend ${JSON.stringify(backend)}; use ${Object.keys(TFJS_BACKEND_MODULES).join(', ')} or give its module.`);
  }
  const tf = (await importNamed('@tensorflow/tfjs-core', 'a peer dependency of hitrank')) as typeof import('@tensorflow/tfjs-core');
  await importNamed('@tensorflow/tfjs-layers', 'a peer dependency of hitrank');
  if (tf.getBackend() === backend) return backend;
  await importNamed(mod, `it provides the tfjs '${backend}' backend`);
  tf.enableProdMode();
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (e) {
    throw new HitrankError('E_UNSUPPORTED', `the tfjs '${backend}' backend failed to start: ${(e as Error).message}`);
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new HitrankError('E_UNSUPPORTED', `the tfjs '${backend}' backend failed to start (tfjs is running '${tf.getBackend()}').`);
  }
  return backend;
}

/**
 * The tfjs backend running in this thread, without loading TensorFlow.js
 * when nothing has loaded it yet.
 *
 * @returns the backend name, or `undefined` when tfjs-core is not installed or no backend has been chosen.
 */
export async function currentTfjsBackend(): Promise<string | undefined> {
  try {
    const tf = (await import('@tensorflow/tfjs-core')) as typeof import('@tensorflow/tfjs-core');
    // tf.getBackend() would pick (and start) the best registered backend; only report one already chosen.
    const engine = tf.engine() as unknown as { backendName?: string | null };
    return engine.backendName ?? undefined;
  } catch {
    return undefined;
  }
}
