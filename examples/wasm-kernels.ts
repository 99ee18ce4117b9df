// Train the simple CNN on hitrank's own WebAssembly kernels: one training
// step written by hand against tfjs ops and against `applySimpleCnnWasm`
// (same function, same gradients within float32 rounding, ≈ 1.5× faster on
// tfjs-backend-wasm and ≈ 30× on -cpu), and the `cnnKernels` option of
// SiameseHitModel that picks them ('auto', the default, uses them on the cpu
// and wasm backends). `enableRelaxedSimd()` turns on fused multiply-add in
// Node 20 (Node ≥ 22 and Chromium have it already).
//   npx tsx examples/wasm-kernels.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { applySimpleCnnWasm, buildSimpleCnn, wasmKernelSupport, withDropoutDraw } from '../src/models/index.js';
import { enableRelaxedSimd } from '../src/node/index.js';

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('wasm backend did not start');
console.log('before:', wasmKernelSupport(), '→ enableRelaxedSimd():', enableRelaxedSimd());

const clips = smoke ? 8 : 32;
const cnn = buildSimpleCnn({ seed: 1 });
const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
const x = tf.randomNormal([clips, 128, 323], 0, 1, 'float32', 2) as tf.Tensor3D;
const y = tf.randomNormal([clips, 1], 0, 1, 'float32', 3);
// The same dropout masks for both runs: both draw them from the model's own layers.
const draw = { key: 42, rows: Array.from({ length: clips }, (_, i) => i) };

function gradients(run: () => tf.Tensor): { loss: number; grads: Float32Array[]; ms: number } {
  const t0 = performance.now();
  const { value, grads } = withDropoutDraw(draw, () => tf.variableGrads(() => tf.losses.meanSquaredError(y, run()) as tf.Scalar, vars));
  const out = { loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync().slice() as Float32Array), ms: performance.now() - t0 };
  value.dispose();
  tf.dispose(Object.values(grads));
  return out;
}

gradients(() => cnn.apply(x, { training: true }) as tf.Tensor); // warm-up
gradients(() => applySimpleCnnWasm(cnn, x, { training: true }));
const ops = gradients(() => cnn.apply(x, { training: true }) as tf.Tensor);
const own = gradients(() => applySimpleCnnWasm(cnn, x, { training: true }));
let worst = 0;
own.grads.forEach((g, i) => {
  const ref = ops.grads[i];
  const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  g.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - ref[j]) / scale)));
});
console.log(`loss ${ops.loss.toFixed(6)} (tfjs ops) vs ${own.loss.toFixed(6)} (wasm kernels); worst gradient difference ${worst.toExponential(1)} (relative)`);
console.log(`forward + backward of ${clips} clips: tfjs ops ${ops.ms.toFixed(0)} ms, wasm kernels ${own.ms.toFixed(0)} ms`);
if (!(worst < 1e-5)) throw new Error('the wasm kernels disagree with the tfjs ops');

// In a SiameseHitModel: new SiameseHitModel({ cnnKernels: 'auto' | 'wasm' | 'tfjs' }).
tf.dispose([x, y]);
cnn.dispose();
