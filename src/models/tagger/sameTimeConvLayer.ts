/**
 * JYnet's branch convolution as a tfjs-layers layer: a time convolution with
 * Lasagne's 'strictsamex' padding and a ReLU.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInteger } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor, timeInputChannels } from '../layers/layerArgs.js';
import { timeConv1d } from '../ops/timeConv1d.js';

/** Options of {@link SameTimeConv}. */
export interface SameTimeConvArgs extends LayerArgs {
  /** Output channels. */
  filters: number;
  /** Kernel length in frames. */
  kernelSize: number;
  /** `'relu'` (default, JYnet) or `'linear'`. */
  activation?: 'relu' | 'linear';
  /** Differentiate with respect to the input (default true; false for a first layer fed with data). */
  inputGradient?: boolean;
  /** Seed of the Glorot-uniform kernel initialiser (biases start at zero). Default 0. */
  seed?: number;
}

/**
 * Zero frames before and after a sequence for Lasagne's 'strictsamex'
 * padding of a kernel of `k` frames: `k − 1 − ⌊(k − 1)/2⌋` before,
 * `⌊(k − 1)/2⌋` after (4 and 3 for k = 8) — the output keeps the input's
 * length. (TensorFlow's `'same'` puts the larger half after.)
 *
 * @param k - kernel length in frames.
 * @returns `[before, after]`.
 */
export function strictSamePadding(k: number): [number, number] {
  const kk = k - 1;
  return [kk - Math.floor(kk / 2), Math.floor(kk / 2)];
}

/**
 * Time convolution that keeps the sequence length: [B, T, Cin] → zero-pad
 * the time axis by {@link strictSamePadding} → {@link timeConv1d} (VALID
 * cross-correlation, bias, optional fused ReLU) → [B, T, filters]. JYnet's
 * `Conv2DXLayer(pad='strictsamex')` with its kernel flipped into
 * cross-correlation order (see `loadJynetWeights`); Keras `Conv1D` on the
 * padded input. Trains on every tfjs backend (hitrank's own gradients).
 *
 * The `kernel` weight is [K, Cin, filters], `tf.conv1d`'s filter layout:
 * `y[n, t, o] = relu(bias[o] + Σ_{k, c} xpad[n, t + k, c] · kernel[k, c, o])`.
 * Registered for `tf.io` save/load as `HitrankSameTimeConv`.
 */
export class SameTimeConv extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankSameTimeConv';
  /** Output channels. */
  readonly filters: number;
  /** Kernel length in frames. */
  readonly kernelSize: number;
  /** Activation after the bias. */
  readonly activation: 'relu' | 'linear';
  /** Whether the input gradient is computed. */
  readonly inputGradient: boolean;
  /** Initialiser seed. */
  readonly seed: number;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  /** @param args - see {@link SameTimeConvArgs}. */
  constructor(args: SameTimeConvArgs) {
    super(args);
    assertInteger(args.filters, 'SameTimeConv filters', 1);
    assertInteger(args.kernelSize, 'SameTimeConv kernelSize', 1);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.activation = args.activation ?? 'relu';
    if (this.activation !== 'relu' && this.activation !== 'linear') {
      throw new HitrankError('E_PARAM', `SameTimeConv activation must be 'relu' or 'linear', got '${String(this.activation)}'.`);
    }
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
  }

  /** Creates `kernel` [K, Cin, filters] and `bias` [filters]. */
  override build(inputShape: Shape | Shape[]): void {
    const c = timeInputChannels(inputShape, this.name);
    this.kernel = this.addWeight('kernel', [this.kernelSize, c, this.filters], 'float32', tfl.initializers.glorotUniform({ seed: this.seed }));
    this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** [B, T, C] → [B, T, filters]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    return [shape[0], shape[1], this.filters];
  }

  /** Applies padding, convolution and activation. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor3D;
      if (x.rank !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs a rank-3 input, got shape [${x.shape.join(', ')}].`);
      const [before, after] = strictSamePadding(this.kernelSize);
      const xp = before + after === 0 ? x : tf.pad(x, [[0, 0], [before, after], [0, 0]]);
      const kernel = (this.kernel as tfl.LayerVariable).read() as tf.Tensor3D;
      const bias = (this.bias as tfl.LayerVariable).read() as tf.Tensor1D;
      return timeConv1d(xp, kernel, bias, { inputGradient: this.inputGradient, ...(this.activation === 'relu' ? { leakyAlpha: 0 } : {}) });
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      activation: this.activation,
      inputGradient: this.inputGradient,
      seed: this.seed,
    };
  }
}
