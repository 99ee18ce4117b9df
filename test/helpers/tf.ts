// Registers a tfjs backend for tests. Importing tfjs-layers registers the
// gradients (bare tfjs-core has none, see ../shared/TOOLCHAIN.md).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

let prodSet = false;

/** Switches to `backend` ('cpu' or 'wasm') and asserts that it really started. */
export async function useBackend(backend: 'cpu' | 'wasm' = 'cpu'): Promise<typeof tf> {
  if (!prodSet) {
    tf.enableProdMode();
    prodSet = true;
  }
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) {
    throw new Error(`tfjs backend '${backend}' failed to start (got '${tf.getBackend()}').`);
  }
  return tf;
}

export { tf };
