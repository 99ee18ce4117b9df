// A typed wrapper over tf.customGrad: the forward closes over its inputs and
// returns the output with a gradient function that gives one gradient per
// input, in order. Nothing global is registered.
import * as tf from '@tensorflow/tfjs-core';

/** What a forward pass hands to {@link withCustomGradient}. */
export interface ForwardResult<T extends tf.Tensor> {
  value: T;
  gradFunc: (dy: T, saved: tf.Tensor[]) => tf.Tensor[];
}

/**
 * Runs `forward` as one tape node whose inputs are `inputs`: tfjs records
 * `gradFunc` as the node's gradient instead of differentiating the ops inside
 * `forward`. Tensors the forward reads but does not list in `inputs` get no
 * gradient from this node.
 */
export function withCustomGradient<T extends tf.Tensor>(
  inputs: tf.Tensor[],
  forward: (save: tf.GradSaveFunc) => ForwardResult<T>,
): T {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const { value, gradFunc } = forward(save);
    return {
      value,
      gradFunc: (dy: T, saved: tf.Tensor[]) => tf.tidy(() => gradFunc(dy, saved)),
    };
  });
  return f(...inputs) as T;
}
