/**
 * Runs a model built by `buildSimpleCnn` on hitrank's WebAssembly kernels
 * as one TensorFlow.js op with its own gradient.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../../errors.js';
import { SeededDropout } from '../layers/seededDropout.js';
import { TimeConv } from '../layers/timeConvLayer.js';
import { withCustomGradient } from '../ops/customGradient.js';
import { SimpleCnnWasm, stages, type SimpleCnnGeometry } from './simpleCnnWasm.js';
import { wasmKernelSupport, type WasmKernelFlavour } from './wasmKernels.js';

/** Options of {@link applySimpleCnnWasm}. */
export interface ApplySimpleCnnWasmOptions {
  /** Training mode: dropout on (masks drawn by the model's dropout layers). Default false. */
  training?: boolean;
  /** Force a kernel build; default relaxed SIMD where the runtime validates it, else SIMD128. */
  flavour?: WasmKernelFlavour;
  /**
   * The values of `x` when the caller has them (e.g. the buffer `x` was made
   * from): the kernels read them instead of reading `x` back from the
   * backend (a copy of ≈ 5 MB per 32 clips on tfjs-backend-wasm). Must equal `x`.
   */
  xData?: Float32Array;
}

const CONV_NAMES = ['conv2d', 'conv2d_1', 'conv2d_2', 'conv2d_3', 'conv2d_4'] as const;
const DROPOUT_NAMES = ['dropout1', 'dropout2', 'dropout3'] as const;

interface PooledEngine {
  engine: SimpleCnnWasm;
  /** A training-mode forward pass awaits its backward pass. */
  pending: boolean;
  /** When it was last picked. */
  used: number;
}

interface Plan {
  geometry: SimpleCnnGeometry;
  dropouts: SeededDropout[];
  engines: Map<string, PooledEngine[]>;
  clock: number;
}

const plans = new WeakMap<tfl.LayersModel, Plan>();

function planOf(cnn: tfl.LayersModel): Plan {
  const known = plans.get(cnn);
  if (known) return known;
  const fail = (why: string): never => {
    throw new HitrankError('E_UNSUPPORTED', `the wasm kernels run only networks built by buildSimpleCnn: ${why}.`);
  };
  const layerOf = <T extends tfl.layers.Layer>(name: string, kind: abstract new (...args: never[]) => T, kindName: string): T => {
    let layer: tfl.layers.Layer;
    try {
      layer = cnn.getLayer(name);
    } catch {
      return fail(`no layer '${name}'`);
    }
    return layer instanceof kind ? layer : fail(`layer '${name}' is not a ${kindName}`);
  };
  const convs = CONV_NAMES.map((name) => layerOf(name, TimeConv, 'TimeConv'));
  const dropouts = DROPOUT_NAMES.map((name) => layerOf(name, SeededDropout, 'SeededDropout'));
  const alpha = convs[0].leakyAlpha;
  if (alpha === null || convs.some((c) => c.leakyAlpha !== alpha)) fail('every convolution must carry the same leaky ReLU');
  if (convs[0].inputLayout !== 'channelsFirst' || convs.slice(1).some((c) => c.inputLayout !== 'channelsLast')) fail('unexpected input layouts');
  if (convs[2].kernelSize !== 1 || convs[3].kernelSize !== 1 || convs[4].kernelSize !== 1 || convs[4].filters !== 1) {
    fail('the last three layers must be 1×1, the last with one filter');
  }
  if (cnn.trainableWeights.length !== 10) fail(`expected 10 trainable weights, got ${cnn.trainableWeights.length}`);
  const nMels = cnn.inputs[0].shape[1];
  if (typeof nMels !== 'number') fail('the input has no mel count');
  const geometry: SimpleCnnGeometry = {
    nMels: nMels as number,
    kernelSizes: [convs[0].kernelSize, convs[1].kernelSize],
    filters: [convs[0].filters, convs[1].filters, convs[2].filters, convs[3].filters],
    leakyAlpha: alpha as number,
  };
  const plan: Plan = { geometry, dropouts, engines: new Map(), clock: 0 };
  plans.set(cnn, plan);
  return plan;
}

/**
 * Whether {@link applySimpleCnnWasm} can run here (WebAssembly SIMD128 is
 * available). Relaxed SIMD is a speed-up on top, not a requirement.
 *
 * @returns true when the kernels load.
 */
export function simpleCnnWasmAvailable(): boolean {
  return wasmKernelSupport().simd;
}

/**
 * `cnn.apply(x, { training })` for a network built by `buildSimpleCnn`,
 * computed by hitrank's WebAssembly kernels instead of tfjs ops: the same
 * function (scores within float32 rounding, ≈ 1e-7 relative, of the tfjs
 * path; dropout masks drawn by the model's own layers, so they are the
 * masks the tfjs path would use), with a gradient with respect to the
 * model's trainable weights (not `x`) for `tf.variableGrads`. The kernels
 * work in their own WebAssembly memory whatever the active tfjs backend is;
 * the tensors cross at the op's edges.
 *
 * In a backward pass, the forward pass it differentiates must be the last
 * one run on the same model in training mode (which is what one
 * `tf.variableGrads` / `optimizer.minimize` call does).
 *
 * @param cnn - a model from `buildSimpleCnn` (any sizes).
 * @param x - log-mels `[B, nMels, frames]`.
 * @param options - see {@link ApplySimpleCnnWasmOptions}.
 * @returns scores `[B, 1]`.
 * @throws HitrankError `E_UNSUPPORTED` for another network or without WebAssembly SIMD,
 *   `E_SHAPE` for a mismatched input, `E_TOO_SHORT` for too few frames.
 *
 * @example
 * ```ts
 * const cnn = buildSimpleCnn({ seed: 1 });
 * const scores = applySimpleCnnWasm(cnn, tf.zeros([2, 128, 323]) as tf.Tensor3D); // [2, 1]
 * ```
 */
export function applySimpleCnnWasm(cnn: tfl.LayersModel, x: tf.Tensor3D, options: ApplySimpleCnnWasmOptions = {}): tf.Tensor2D {
  const plan = planOf(cnn);
  const training = options.training ?? false;
  if (x.rank !== 3 || x.shape[1] !== plan.geometry.nMels) {
    throw new HitrankError('E_SHAPE', `simple CNN: x must be [B, ${plan.geometry.nMels}, frames], got [${x.shape.join(', ')}].`);
  }
  const [n, , frames] = x.shape;
  const { kernelSizes: [k1, k2], filters: [, f2, f3, f4] } = plan.geometry;
  const { p2 } = stages(frames, plan.geometry);
  if (p2 < 1) throw new HitrankError('E_TOO_SHORT', `simple CNN: ${frames} frames are too few for kernel widths [${k1}, ${k2}].`);
  if (!training && n > INFERENCE_CHUNK) {
    // Inference in chunks keeps the kernels' memory (which never shrinks) at a training batch's size.
    return tf.tidy(() => {
      const parts: tf.Tensor2D[] = [];
      for (let s = 0; s < n; s += INFERENCE_CHUNK) {
        const m = Math.min(INFERENCE_CHUNK, n - s);
        const per = x.size / n;
        const data = options.xData?.subarray(s * per, (s + m) * per);
        parts.push(applySimpleCnnWasm(cnn, tf.slice(x, [s, 0, 0], [m, -1, -1]), { ...options, xData: data }));
      }
      return tf.concat(parts, 0);
    });
  }
  const masks = training
    ? [f2, f3, f4].map((c, i) => {
        const seeds = plan.dropouts[i].maskSeeds([n, p2, c]);
        return seeds && { seeds, rate: plan.dropouts[i].rate };
      })
    : null;
  const xData = options.xData;
  if (xData && xData.length !== x.size) throw new HitrankError('E_SHAPE', `xData has ${xData.length} values, x has ${x.size}.`);
  const weights = cnn.trainableWeights.map((w) => w.read());
  const eng = pickEngine(plan, options.flavour);
  eng.pending = training;
  return withCustomGradient(weights, () => {
    const scores = eng.engine.forward(xData ?? (x.dataSync() as Float32Array), n, frames, weights.map((w) => w.dataSync() as Float32Array), masks);
    const tape = eng.engine.tapeId;
    return {
      value: tf.tensor2d(scores, [n, 1]),
      gradFunc: (dy) => {
        const grads = eng.engine.backward(dy.dataSync() as Float32Array, tape);
        eng.pending = false;
        return grads.map((g, i) => tf.tensor(g, weights[i].shape, 'float32'));
      },
    };
  });
}

/** Clips per kernel call at inference. */
const INFERENCE_CHUNK = 64;
/** Most engines (each with its own memory) per model and kernel build. */
const MAX_ENGINES = 4;

/**
 * An engine whose last forward pass awaits no backward pass; a new one while
 * fewer than {@link MAX_ENGINES} exist; else the longest-waiting one (whose
 * pending backward pass will then fail with a clear error).
 */
function pickEngine(plan: Plan, flavour: WasmKernelFlavour | undefined): PooledEngine {
  const key = flavour ?? 'auto';
  let pool = plan.engines.get(key);
  if (!pool) {
    pool = [];
    plan.engines.set(key, pool);
  }
  let pick = pool.find((e) => !e.pending);
  if (!pick && pool.length < MAX_ENGINES) {
    pick = { engine: new SimpleCnnWasm(plan.geometry, flavour), pending: false, used: 0 };
    pool.push(pick);
  }
  if (!pick) pick = pool.reduce((a, b) => (a.used <= b.used ? a : b));
  pick.used = ++plan.clock;
  return pick;
}

/**
 * Which code runs the simple CNN: `'wasm'` — hitrank's WebAssembly kernels
 * ({@link applySimpleCnnWasm}), whatever the tfjs backend; `'tfjs'` — tfjs
 * ops with hitrank's gradients on the active backend; `'auto'` — `'wasm'`
 * when the active backend is `cpu` or `wasm` and WebAssembly SIMD is
 * available, else `'tfjs'` (a GPU or tfjs-node backend runs its own kernels).
 */
export type CnnKernels = 'auto' | 'wasm' | 'tfjs';

/**
 * Checks a {@link CnnKernels} value (for option parsing).
 *
 * @param choice - the value given.
 * @returns it, typed.
 * @throws HitrankError `E_PARAM` for anything else.
 */
export function checkCnnKernels(choice: unknown): CnnKernels {
  if (choice === 'auto' || choice === 'wasm' || choice === 'tfjs') return choice;
  throw new HitrankError('E_PARAM', `cnnKernels must be 'auto', 'wasm' or 'tfjs', got '${String(choice)}'.`);
}

/**
 * What {@link CnnKernels} choice applies now, on the active backend.
 *
 * @param choice - the requested kernels.
 * @returns `'wasm'` or `'tfjs'`.
 * @throws HitrankError `E_PARAM` for an unknown choice, `E_UNSUPPORTED` for `'wasm'` without WebAssembly SIMD.
 */
export function resolveCnnKernels(choice: CnnKernels): 'wasm' | 'tfjs' {
  checkCnnKernels(choice);
  if (choice === 'tfjs') return 'tfjs';
  if (choice === 'wasm') {
    if (!simpleCnnWasmAvailable()) throw new HitrankError('E_UNSUPPORTED', 'cnnKernels: "wasm" needs WebAssembly SIMD128, which this runtime lacks.');
    return 'wasm';
  }
  const backend = tf.getBackend();
  return (backend === 'cpu' || backend === 'wasm') && simpleCnnWasmAvailable() ? 'wasm' : 'tfjs';
}
