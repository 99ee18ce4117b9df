// Types and small helpers shared by hitrank's custom tfjs-layers layers.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../../errors.js';

/** The base options of every tfjs-layers layer (`name`, `inputShape`, `trainable`, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tfl.layers.Layer>[0]>;

/** A symbolic or concrete shape, `null` for an unknown size (tfjs-layers' `Shape`). */
export type Shape = tfl.Shape;

/** The one tensor of a single-input layer call. */
export function onlyTensor(inputs: tf.Tensor | tf.Tensor[], layer: string): tf.Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new HitrankError('E_SHAPE', `layer '${layer}' takes one input, got ${inputs.length}.`);
    return inputs[0];
  }
  return inputs;
}

/** The one shape of a single-input layer. */
export function onlyShape(shape: Shape | Shape[], layer: string): Shape {
  if (shape.length > 0 && Array.isArray(shape[0])) {
    const shapes = shape as Shape[];
    if (shapes.length !== 1) throw new HitrankError('E_SHAPE', `layer '${layer}' takes one input, got ${shapes.length}.`);
    return shapes[0];
  }
  return shape as Shape;
}

/**
 * The channel count of a `[batch, frames, channels]` input of a layer's
 * `build`.
 *
 * @param inputShape - the shape(s) `build` got.
 * @param layer - the layer's name, for the message.
 * @returns the number of channels.
 * @throws HitrankError `E_SHAPE` for another rank or an unknown channel count.
 */
export function timeInputChannels(inputShape: Shape | Shape[], layer: string): number {
  const shape = onlyShape(inputShape, layer);
  const c = shape[2];
  if (shape.length !== 3 || c == null) {
    throw new HitrankError('E_SHAPE', `layer '${layer}' needs input [batch, frames, channels] with a known channel count, got [${shape.join(', ')}].`);
  }
  return c;
}
