/**
 * Max pooling by 2 over time as a tfjs-layers layer.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../../errors.js';
import { maxPool1d } from '../ops/maxPool1d.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from './layerArgs.js';

/**
 * Layer form of {@link maxPool1d}: [B, T, C] → [B, ⌊T/2⌋, C], VALID, ties to
 * the first frame — TF's `max_pooling2d` with a 1×2 window and stride on the
 * simple CNN's [B, 1, T, C] maps, or Keras `MaxPooling1D(2)`. Registered for
 * `tf.io` save/load as `HitrankMaxPoolTime`.
 */
export class MaxPoolTime extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankMaxPoolTime';

  /** @param args - the usual layer options (`name`, …); the pool size is 2. */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** [B, T, C] → [B, ⌊T/2⌋, C]. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    if (shape.length !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [batch, frames, channels], got [${shape.join(', ')}].`);
    const t = shape[1];
    if (t != null && t < 2) throw new HitrankError('E_TOO_SHORT', `layer '${this.name}' needs at least 2 frames, got ${t}.`);
    return [shape[0], t == null ? null : Math.floor(t / 2), shape[2]];
  }

  /** Applies the pooling. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => maxPool1d(onlyTensor(inputs, this.name) as tf.Tensor3D));
  }
}
