/**
 * The "simple CNN" of Yang et al. (2017), the base network of Yu et al.'s
 * hit-song model (ICASSP 2018, Fig. 1): 2 convolutions + 3 fully
 * convolutional layers over a log-mel, then a global average.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInRange, assertInteger } from '../errors.js';
import { layerSeeds } from './layerSeeds.js';
import { MaxPoolTime } from './layers/maxPoolTimeLayer.js';
import { registerHitrankLayers } from './layers/register.js';
import { SeededDropout } from './layers/seededDropout.js';
import { TimeConv } from './layers/timeConvLayer.js';

/** Options of {@link buildSimpleCnn}; defaults are the authors' (HSP_CNN `cnn.ret30.fc.py`). */
export interface SimpleCnnOptions {
  /** Mel bands of the input (the first kernel's height). Default 128. */
  nMels?: number;
  /** Frames per example, or `null` (default) to accept any count ≥ {@link simpleCnnMinFrames}. */
  frames?: number | null;
  /** Output channels of conv1, conv2 and the two 1×1 layers. Default `[32, 64, 256, 256]`. */
  filters?: [number, number, number, number];
  /** Kernel widths in frames of conv1 and conv2. Default `[4, 4]`. */
  kernelSizes?: [number, number];
  /** Dropout rate before each 1×1 layer, during training only. Default 0.25. */
  dropout?: number;
  /** Slope of the leaky ReLU after every layer, the last included. Default 0.1. */
  leakyAlpha?: number;
  /** Seed of every initialiser and dropout mask. Default 0. */
  seed?: number;
  /** Model name. Default `'simple_cnn'`. */
  name?: string;
}

const DEFAULT_FILTERS: [number, number, number, number] = [32, 64, 256, 256];
const DEFAULT_KERNELS: [number, number] = [4, 4];

/** Frames left after conv(k1) → pool 2 → conv(k2) → pool 2, or ≤ 0 when too short. */
function framesOut(t: number, k1: number, k2: number): number {
  const a = t - k1 + 1;
  if (a < 2) return 0;
  const b = Math.floor(a / 2) - k2 + 1;
  if (b < 2) return 0;
  return Math.floor(b / 2);
}

/**
 * The fewest input frames the simple CNN accepts (at least one frame must
 * reach the global average): 13 with the default kernel widths.
 *
 * @param kernelSizes - kernel widths of conv1 and conv2. Default `[4, 4]`.
 * @returns the minimum frame count.
 */
export function simpleCnnMinFrames(kernelSizes: [number, number] = DEFAULT_KERNELS): number {
  let t = 1;
  while (framesOut(t, kernelSizes[0], kernelSizes[1]) < 1) t++;
  return t;
}

/**
 * Builds the simple CNN of Yang et al. (2017) as used by Yu et al. (2018) and
 * released as HSP_CNN: input a batch of mel spectrograms `[B, nMels, frames]`
 * (mel-major, the layout `logMel` returns), output one score per example
 * `[B, 1]`:
 *
 * | layer | TF variable | kernel (TF layout) | output |
 * |---|---|---|---|
 * | conv 128×4 + leaky 0.1 | `conv2d` | [128, 4, 1, 32] | [B, T−3, 32] |
 * | max-pool 2 | | | [B, ⌊(T−3)/2⌋, 32] |
 * | conv 1×4 + leaky | `conv2d_1` | [1, 4, 32, 64] | |
 * | max-pool 2, dropout 0.25 | | | [B, T″, 64] |
 * | conv 1×1 + leaky, dropout | `conv2d_2` | [1, 1, 64, 256] | |
 * | conv 1×1 + leaky, dropout | `conv2d_3` | [1, 1, 256, 256] | |
 * | conv 1×1 + leaky (`emb`) | `conv2d_4` | [1, 1, 256, 1] | [B, T″, 1] |
 * | global average over time | | | [B, 1] |
 *
 * Each convolution layer includes its leaky ReLU (fused). Layers are named
 * after the TF variables (`conv2d`, `conv2d_1`, …; the per-frame scores
 * "emb" are layer `conv2d_4`'s output), and kernels keep the TF layout, so
 * {@link loadHspCnnWeights} loads the authors' checkpoint as is. Kernels
 * start Glorot-uniform, biases zero (TF 1 defaults), all seeded. The
 * convolutions and pooling use hitrank's own gradients ({@link timeConv1d},
 * {@link maxPool1d}) and train on every backend, tfjs-backend-wasm included.
 * The PyTorch equivalent is `Conv1d(128, 32, 4)` … `Conv1d(256, 1, 1)` on
 * [B, 128, T] (bench/torch_simple_cnn.py).
 *
 * @param options - see {@link SimpleCnnOptions}.
 * @returns a `tfl.LayersModel` with initialised weights.
 * @throws HitrankError `E_PARAM` for bad options, `E_TOO_SHORT` when `frames` is below the minimum.
 *
 * @example
 * ```ts
 * const cnn = buildSimpleCnn({ seed: 7 });
 * const score = cnn.predict(tf.zeros([1, 128, 323])) as tf.Tensor; // [1, 1]
 * ```
 */
export function buildSimpleCnn(options: SimpleCnnOptions = {}): tfl.LayersModel {
  registerHitrankLayers();
  const nMels = options.nMels ?? 128;
  const frames = options.frames ?? null;
  const filters = options.filters ?? DEFAULT_FILTERS;
  const kernels = options.kernelSizes ?? DEFAULT_KERNELS;
  const rate = options.dropout ?? 0.25;
  const alpha = options.leakyAlpha ?? 0.1;
  const seed = options.seed ?? 0;
  assertInteger(nMels, 'nMels', 1);
  if (!Array.isArray(filters) || filters.length !== 4) {
    throw new HitrankError('E_PARAM', `filters must list 4 channel counts (conv1, conv2, two 1×1 layers), got ${JSON.stringify(filters)}.`);
  }
  filters.forEach((f, i) => assertInteger(f, `filters[${i}]`, 1));
  if (!Array.isArray(kernels) || kernels.length !== 2) {
    throw new HitrankError('E_PARAM', `kernelSizes must list 2 widths (conv1, conv2), got ${JSON.stringify(kernels)}.`);
  }
  kernels.forEach((k, i) => assertInteger(k, `kernelSizes[${i}]`, 1));
  assertInRange(rate, 'dropout', 0, 0.999999);
  assertInRange(alpha, 'leakyAlpha', 0, 1);
  assertInteger(seed, 'seed', -2147483648, 2147483647);
  const minFrames = simpleCnnMinFrames(kernels);
  if (frames !== null) {
    assertInteger(frames, 'frames', 1);
    if (frames < minFrames) {
      throw new HitrankError('E_TOO_SHORT', `the simple CNN needs at least ${minFrames} frames with kernel widths [${kernels.join(', ')}], got frames = ${frames}.`);
    }
  }

  const next = layerSeeds(seed, 'simple_cnn');
  const input = tfl.input({ shape: [nMels, frames], name: 'mel' });
  const conv = (name: string, f: number, k: number, extra: Partial<ConstructorParameters<typeof TimeConv>[0]> = {}) =>
    new TimeConv({ name, filters: f, kernelSize: k, leakyAlpha: alpha, seed: next(), ...extra });
  const drop = (name: string) => new SeededDropout({ name, rate, seed: next() });

  let h = conv('conv2d', filters[0], kernels[0], { inputLayout: 'channelsFirst', inputGradient: false, minFrames }).apply(input) as tfl.SymbolicTensor;
  h = new MaxPoolTime({ name: 'pool1' }).apply(h) as tfl.SymbolicTensor;
  h = conv('conv2d_1', filters[1], kernels[1]).apply(h) as tfl.SymbolicTensor;
  h = new MaxPoolTime({ name: 'pool2' }).apply(h) as tfl.SymbolicTensor;
  h = drop('dropout1').apply(h) as tfl.SymbolicTensor;
  h = conv('conv2d_2', filters[2], 1).apply(h) as tfl.SymbolicTensor;
  h = drop('dropout2').apply(h) as tfl.SymbolicTensor;
  h = conv('conv2d_3', filters[3], 1).apply(h) as tfl.SymbolicTensor;
  h = drop('dropout3').apply(h) as tfl.SymbolicTensor;
  h = conv('conv2d_4', 1, 1).apply(h) as tfl.SymbolicTensor; // per-frame scores ("emb")
  const out = tfl.layers.globalAveragePooling1d({ name: 'score' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: options.name ?? 'simple_cnn' });
}
