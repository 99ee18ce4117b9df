/**
 * Max pooling over time with a partial last window, as a tfjs-layers layer.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInteger } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from '../layers/layerArgs.js';
import { maxPoolCeil, maxPoolCeilFrames } from './maxPoolCeil.js';

/** Options of {@link MaxPoolCeilTime}. */
export interface MaxPoolCeilTimeArgs extends LayerArgs {
  /** Pool size and stride in frames. Default 4. */
  poolSize?: number;
}

/**
 * Layer form of {@link maxPoolCeil}: [B, T, C] → [B, ceil(T / poolSize), C],
 * the last window partial — Lasagne `MaxPool2DLayer((4, 1),
 * ignore_border=False)`, PyTorch `MaxPool1d(4, ceil_mode=True)`. Registered
 * for `tf.io` save/load as `HitrankMaxPoolCeilTime`.
 */
export class MaxPoolCeilTime extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankMaxPoolCeilTime';
  /** Pool size and stride. */
  readonly poolSize: number;

  /** @param args - see {@link MaxPoolCeilTimeArgs}. */
  constructor(args: MaxPoolCeilTimeArgs = {}) {
    super(args);
    this.poolSize = args.poolSize ?? 4;
    assertInteger(this.poolSize, 'MaxPoolCeilTime poolSize', 1);
  }

  /** [B, T, C] → [B, ceil(T / poolSize), C]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    if (shape.length !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [batch, frames, channels], got [${shape.join(', ')}].`);
    const t = shape[1];
    return [shape[0], t == null ? null : maxPoolCeilFrames(t, this.poolSize), shape[2]];
  }

  /** Applies the pooling. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => maxPoolCeil(onlyTensor(inputs, this.name) as tf.Tensor3D, { size: this.poolSize }));
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), poolSize: this.poolSize };
  }
}
