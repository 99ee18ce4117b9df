/**
 * The convolution layer of the simple CNN: a time convolution whose kernel
 * spans the whole channel (or mel) axis, with weights kept in TensorFlow's
 * Conv2D layout so the HSP_CNN checkpoint loads unchanged.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInRange, assertInteger } from '../../errors.js';
import { timeConv1d, timeConv1dChannelsFirst } from '../ops/timeConv1d.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from './layerArgs.js';

/** Options of {@link TimeConv}. */
export interface TimeConvArgs extends LayerArgs {
  /** Output channels (TF `filters`). */
  filters: number;
  /** Kernel width in frames (TF `kernel_size` along time). */
  kernelSize: number;
  /**
   * `'channelsLast'` (default): input [B, T, C], kernel [1, K, C, filters].
   * `'channelsFirst'`: input [B, C, T] (e.g. mel-major log-mels), kernel
   * [C, K, 1, filters] — TF's Conv2D over an [B, C, T, 1] image with a kernel
   * as tall as the image.
   */
  inputLayout?: 'channelsLast' | 'channelsFirst';
  /** Fused leaky ReLU slope after the bias (0 = ReLU), or `null`/absent for a linear output. */
  leakyAlpha?: number | null;
  /** Differentiate with respect to the input (default true; false for a first layer fed with data). */
  inputGradient?: boolean;
  /** Seed of the Glorot-uniform kernel initialiser (biases start at zero, as in TF 1). Default 0. */
  seed?: number;
  /** Fewest input frames accepted; a network sets its own minimum here for a clear error. Default `kernelSize`. */
  minFrames?: number;
}

/**
 * Time convolution layer (VALID, stride 1, bias, optional fused leaky ReLU) built on
 * {@link timeConv1d} / {@link timeConv1dChannelsFirst}, so it trains on every
 * tfjs backend. Output [B, T − K + 1, filters] (channels last).
 *
 * Its `kernel` weight keeps TensorFlow's Conv2D layout [kh, kw, in, out]
 * (`[C, K, 1, filters]` channels-first, `[1, K, C, filters]` channels-last),
 * so `getWeights()`/`setWeights()` exchange TF checkpoints' arrays as they are
 * and the Glorot fan-in/fan-out equal TF's. Registered for `tf.io`
 * save/load as `HitrankTimeConv`.
 */
export class TimeConv extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankTimeConv';
  /** Output channels. */
  readonly filters: number;
  /** Kernel width in frames. */
  readonly kernelSize: number;
  /** Input layout. */
  readonly inputLayout: 'channelsLast' | 'channelsFirst';
  /** Fused leaky ReLU slope, or `null` for none. */
  readonly leakyAlpha: number | null;
  /** Whether the input gradient is computed. */
  readonly inputGradient: boolean;
  /** Initialiser seed. */
  readonly seed: number;
  /** Fewest input frames accepted. */
  readonly minFrames: number;
  private kernel: tfl.LayerVariable | null = null;
  private bias: tfl.LayerVariable | null = null;
  private channels = 0;

  /** @param args - see {@link TimeConvArgs}. */
  constructor(args: TimeConvArgs) {
    super(args);
    assertInteger(args.filters, 'TimeConv filters', 1);
    assertInteger(args.kernelSize, 'TimeConv kernelSize', 1);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.inputLayout = args.inputLayout ?? 'channelsLast';
    if (this.inputLayout !== 'channelsLast' && this.inputLayout !== 'channelsFirst') {
      throw new HitrankError('E_PARAM', `TimeConv inputLayout must be 'channelsLast' or 'channelsFirst', got '${String(this.inputLayout)}'.`);
    }
    this.leakyAlpha = args.leakyAlpha ?? null;
    if (this.leakyAlpha !== null) assertInRange(this.leakyAlpha, 'TimeConv leakyAlpha', 0, 1);
    this.inputGradient = args.inputGradient ?? true;
    this.seed = args.seed ?? 0;
    this.minFrames = args.minFrames ?? args.kernelSize;
    assertInteger(this.minFrames, 'TimeConv minFrames', args.kernelSize);
  }

  private axes(): { channelAxis: number; timeAxis: number } {
    return this.inputLayout === 'channelsFirst' ? { channelAxis: 1, timeAxis: 2 } : { channelAxis: 2, timeAxis: 1 };
  }

  /** Creates `kernel` and `bias` for the input's channel count. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = onlyShape(inputShape, this.name);
    const c = shape[this.axes().channelAxis];
    if (shape.length !== 3 || c == null) {
      throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [batch, ${this.inputLayout === 'channelsFirst' ? 'channels, frames' : 'frames, channels'}] with a known channel count, got [${shape.join(', ')}].`);
    }
    this.channels = c;
    const kShape = this.inputLayout === 'channelsFirst' ? [c, this.kernelSize, 1, this.filters] : [1, this.kernelSize, c, this.filters];
    this.kernel = this.addWeight('kernel', kShape, 'float32', tfl.initializers.glorotUniform({ seed: this.seed }));
    this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros());
    this.built = true;
  }

  /** [B, T, C] or [B, C, T] → [B, T − K + 1, filters]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    const t = shape[this.axes().timeAxis];
    if (t != null && t < this.minFrames) {
      throw new HitrankError('E_TOO_SHORT', `layer '${this.name}' needs at least ${this.minFrames} frames, got ${t}.`);
    }
    return [shape[0], t == null ? null : t - this.kernelSize + 1, this.filters];
  }

  /** Applies the convolution. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor3D;
      if (x.rank !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs a rank-3 input, got shape [${x.shape.join(', ')}].`);
      const t = x.shape[this.axes().timeAxis];
      if (t < this.minFrames) {
        throw new HitrankError('E_TOO_SHORT', `layer '${this.name}' needs at least ${this.minFrames} frames, got ${t}.`);
      }
      const k4 = (this.kernel as tfl.LayerVariable).read();
      const b = (this.bias as tfl.LayerVariable).read() as tf.Tensor1D;
      const opts = { inputGradient: this.inputGradient, ...(this.leakyAlpha === null ? {} : { leakyAlpha: this.leakyAlpha }) };
      if (this.inputLayout === 'channelsFirst') {
        return timeConv1dChannelsFirst(x, tf.reshape(k4, [this.channels, this.kernelSize, this.filters]), b, opts);
      }
      return timeConv1d(x, tf.reshape(k4, [this.kernelSize, this.channels, this.filters]), b, opts);
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      inputLayout: this.inputLayout,
      leakyAlpha: this.leakyAlpha,
      inputGradient: this.inputGradient,
      seed: this.seed,
      minFrames: this.minFrames,
    };
  }
}
