/**
 * JYnet's Gaussian scan as a tfjs-layers layer with trainable widths.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { assertInRange, assertInteger } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor, timeInputChannels } from '../layers/layerArgs.js';
import { gaussianScan } from './gaussianScan.js';

/** Options of {@link GaussianScan}. */
export interface GaussianScanArgs extends LayerArgs {
  /** Filter taps. Default 256 (JYnet). */
  filterSize?: number;
  /** Initial standard deviation in frames, for every channel. Default `filterSize / 16` (16). */
  initialSigma?: number;
}

/**
 * Depthwise Gaussian smoothing over time with one trainable width per
 * channel, [B, T, C] → [B, T, C] (see {@link gaussianScan}); the weight
 * `log_sigma` [C] holds ln σ (Lasagne's `W_logstd`). Registered for `tf.io`
 * save/load as `HitrankGaussianScan`.
 */
export class GaussianScan extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankGaussianScan';
  /** Filter taps. */
  readonly filterSize: number;
  /** Initial σ in frames. */
  readonly initialSigma: number;
  private logSigma: tfl.LayerVariable | null = null;

  /** @param args - see {@link GaussianScanArgs}. */
  constructor(args: GaussianScanArgs = {}) {
    super(args);
    this.filterSize = args.filterSize ?? 256;
    assertInteger(this.filterSize, 'GaussianScan filterSize', 1);
    this.initialSigma = args.initialSigma ?? this.filterSize / 16;
    assertInRange(this.initialSigma, 'GaussianScan initialSigma', 1e-6, 1e6);
  }

  /** Creates `log_sigma` [C]. */
  override build(inputShape: Shape | Shape[]): void {
    const c = timeInputChannels(inputShape, this.name);
    this.logSigma = this.addWeight('log_sigma', [c], 'float32', tfl.initializers.constant({ value: Math.log(this.initialSigma) }));
    this.built = true;
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return onlyShape(inputShape, this.name);
  }

  /** Applies the scan. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyTensor(inputs, this.name) as tf.Tensor3D;
      return gaussianScan(x, (this.logSigma as tfl.LayerVariable).read() as tf.Tensor1D, this.filterSize);
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), filterSize: this.filterSize, initialSigma: this.initialSigma };
  }
}
