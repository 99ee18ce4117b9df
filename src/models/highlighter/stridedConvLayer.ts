/**
 * The highlighter's convolution layer: a strided time convolution with SAME
 * padding whose kernel spans the whole channel (or mel) axis.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInteger } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor, timeInputChannels } from '../layers/layerArgs.js';
import { convPadding, stridedTimeConv } from './stridedTimeConv.js';

/** Options of {@link StridedTimeConv}. */
export interface StridedTimeConvArgs extends LayerArgs {
  /** Output channels. */
  filters: number;
  /** Kernel width in frames. */
  kernelSize: number;
  /** Stride in frames. Default 1. */
  stride?: number;
  /** `'same'` (default, TensorFlow's) or `'valid'`. */
  padding?: 'same' | 'valid';
  /** Add a learnt bias. Default `true`; `false` when batch normalisation follows (as TF-contrib's `conv2d` with a normaliser). */
  useBias?: boolean;
  /** Differentiate with respect to the input (default `true`; `false` for a first layer fed with data). */
  inputGradient?: boolean;
  /** Seed of the Glorot-uniform kernel initialiser. Default 0. */
  seed?: number;
}

/**
 * Layer form of {@link stridedTimeConv}: `[B, T, C]` → `[B, T', filters]`, a
 * 2-D convolution of a `[B, T, C, 1]` image with a kernel `[K, C]` as wide as
 * the image and stride `[s, C]` (TF's `conv2d(kernel_size=[K, C], stride=[s,
 * C], padding='SAME')` in the highlighter; Keras `Conv1D(filters, K,
 * strides=s, padding='same')`). Kernel `[K, C, filters]`, Glorot-uniform
 * (seeded), bias zero. Trains on every tfjs backend. Registered as
 * `HitrankStridedConv`.
 */
export class StridedTimeConv extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankStridedConv';
  /** Output channels. */
  readonly filters: number;
  /** Kernel width. */
  readonly kernelSize: number;
  /** Stride. */
  readonly stride: number;
  /** Padding mode. */
  readonly padding: 'same' | 'valid';
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** Whether the input gradient is computed. */
  readonly inputGradient: boolean;
  /** Initialiser seed. */
  readonly seed: number;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;

  /** @param args - see {@link StridedTimeConvArgs}. */
  constructor(args: StridedTimeConvArgs) {
    super(args);
    assertInteger(args.filters, 'filters', 1, 1 << 16);
    assertInteger(args.kernelSize, 'kernelSize', 1, 1 << 16);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.stride = args.stride ?? 1;
    assertInteger(this.stride, 'stride', 1, 1024);
    this.padding = args.padding ?? 'same';
    if (this.padding !== 'same' && this.padding !== 'valid') {
      throw new HitrankError('E_PARAM', `padding must be 'same' or 'valid', got '${String(this.padding)}'.`);
    }
    this.useBias = args.useBias ?? true;
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
  }

  /** Creates `kernel` [K, C, filters] and, if used, `bias`. */
  override build(inputShape: Shape | Shape[]): void {
    const c = timeInputChannels(inputShape, this.name);
    this.kernel = this.addWeight('kernel', [this.kernelSize, c, this.filters], 'float32', tfl.initializers.glorotUniform({ seed: this.seed }));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** `[B, T', filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    const t = shape[1];
    return [shape[0], t == null ? null : convPadding(t, this.kernelSize, this.stride, this.padding).out, this.filters];
  }

  /** Applies the convolution. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name) as tf.Tensor3D;
    if (x.rank !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs a rank-3 input [batch, frames, channels], got [${x.shape.join(', ')}].`);
    return tf.tidy(() => {
      const b = this.bias ? (this.bias.read() as tf.Tensor1D) : tf.zeros([this.filters], 'float32');
      const kernel = (this.kernel as tfl.LayerVariable).read() as tf.Tensor3D;
      return stridedTimeConv(x, kernel, b as tf.Tensor1D, { stride: this.stride, padding: this.padding, inputGradient: this.inputGradient });
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      useBias: this.useBias,
      inputGradient: this.inputGradient,
      seed: this.seed,
    };
  }
}
