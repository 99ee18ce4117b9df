/**
 * Batch normalisation whose inference statistics are a choice: the moving
 * averages (Keras) or the statistics of the batch at hand (what the released
 * highlighter did).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInRange } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from '../layers/layerArgs.js';

/**
 * Which statistics batch normalisation uses outside training:
 * - `'batch'` — the mean and variance of the batch being processed, as in
 *   training. A highlighter's batch is the chunks of one song, so each song is
 *   normalised by its own statistics. This is what both released highlighter
 *   models do (`is_training=True` at inference), and what their weights need.
 * - `'moving'` — the moving averages gathered during training (Keras and
 *   `tf.layers.batch_normalization(training=False)`): a chunk's output then
 *   does not depend on the rest of the song.
 */
export type BnStatistics = 'batch' | 'moving';

/** Options of {@link ChunkBatchNorm}. */
export interface ChunkBatchNormArgs extends LayerArgs {
  /** Statistics used outside training. Default `'batch'`. */
  inference?: BnStatistics;
  /** Decay of the moving averages. Default 0.99 (Keras; TF-contrib's `batch_norm` uses 0.999). */
  momentum?: number;
  /** Added to the variance. Default 0.001 (TF-contrib and Keras). */
  epsilon?: number;
  /** Learn an offset β. Default `true`. */
  center?: boolean;
  /** Learn a scale γ. Default `false` (TF-contrib's `batch_norm` default, which the highlighter used). */
  scale?: boolean;
}

/**
 * Batch normalisation over every axis but the last (`tf.contrib.layers.batch_norm`,
 * Keras `BatchNormalization(axis=-1)`): `y = (x − μ) / √(σ² + ε) · γ + β` with
 * the biased batch variance. During training (`training: true`) it uses the
 * batch statistics and updates the moving averages; otherwise it uses the
 * statistics named by the layer's `inference` option, or by a `bnStats` call
 * argument (`model.apply(x, { bnStats: 'moving' })`) that overrides it.
 * Registered for `tf.io` save/load as `HitrankBatchNorm`.
 */
export class ChunkBatchNorm extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankBatchNorm';
  /** Statistics used outside training. */
  inference: BnStatistics;
  /** Moving-average decay. */
  readonly momentum: number;
  /** Variance offset. */
  readonly epsilon: number;
  /** Whether β is learnt. */
  readonly center: boolean;
  /** Whether γ is learnt. */
  readonly scale: boolean;
  private gamma: tfl.LayerVariable | null = null;
  private beta: tfl.LayerVariable | null = null;
  private movingMean: tfl.LayerVariable | null = null;
  private movingVariance: tfl.LayerVariable | null = null;

  /** @param args - see {@link ChunkBatchNormArgs}. */
  constructor(args: ChunkBatchNormArgs = {}) {
    super(args);
    this.inference = checkStatistics(args.inference ?? 'batch', 'ChunkBatchNorm inference');
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    assertInRange(this.momentum, 'batch-norm momentum', 0, 1);
    assertInRange(this.epsilon, 'batch-norm epsilon', 0, 1);
    this.center = args.center ?? true;
    this.scale = args.scale ?? false;
  }

  /** Creates β, γ and the moving statistics for the last axis. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = onlyShape(inputShape, this.name);
    const c = shape[shape.length - 1];
    if (shape.length < 2 || c == null) {
      throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [batch, …, channels] with a known channel count, got [${shape.join(', ')}].`);
    }
    if (this.scale) this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tfl.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tfl.initializers.ones(), undefined, false);
    this.built = true;
  }

  /** Normalises; see the class description for which statistics. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    const training = kwargs['training'] === true;
    const override = kwargs['bnStats'];
    const stats = training ? 'batch' : override === undefined ? this.inference : checkStatistics(override as BnStatistics, 'bnStats');
    return tf.tidy(() => {
      // Statistics over all rows of x as [N, C] with sums (2× faster than
      // tf.moments over several axes on cpu and wasm); x − μ is reused.
      const c = x.shape[x.rank - 1];
      const x2 = tf.reshape(x, [-1, c]);
      const n = x2.shape[0];
      let d: tf.Tensor;
      let variance: tf.Tensor;
      if (stats === 'batch') {
        const mean = tf.div(tf.sum(x2, 0), n);
        d = tf.sub(x2, mean);
        variance = tf.div(tf.sum(tf.square(d), 0), n);
        if (training) {
          this.updateMoving(this.movingMean as tfl.LayerVariable, mean);
          this.updateMoving(this.movingVariance as tfl.LayerVariable, variance);
        }
      } else {
        d = tf.sub(x2, (this.movingMean as tfl.LayerVariable).read());
        variance = (this.movingVariance as tfl.LayerVariable).read();
      }
      let y = tf.mul(d, tf.rsqrt(tf.add(variance, this.epsilon)));
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return tf.reshape(y, x.shape);
    });
  }

  private updateMoving(v: tfl.LayerVariable, value: tf.Tensor): void {
    tf.tidy(() => {
      const old = v.read();
      v.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - this.momentum)));
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      inference: this.inference,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
    };
  }
}

/** Throws `E_PARAM` unless `v` is `'batch'` or `'moving'`. */
export function checkStatistics(v: BnStatistics, what: string): BnStatistics {
  if (v !== 'batch' && v !== 'moving') throw new HitrankError('E_PARAM', `${what} must be 'batch' or 'moving', got '${String(v)}'.`);
  return v;
}
