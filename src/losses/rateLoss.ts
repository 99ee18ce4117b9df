import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../errors.js';
import { toVector, vectorLength } from './scoreVector.js';
import type { ScoreVector } from './types.js';

/**
 * The rating loss of the paper, Eq. 1: the mean squared error between predicted
 * and true (transformed) hit scores,
 *
 *     loss_rate = (1/N) · Σ_n (y_n − f(x_n))²
 *
 * Equivalent to PyTorch `F.mse_loss(pred, target)` (reduction `'mean'`),
 * `tf.keras.losses.MeanSquaredError()` and sklearn
 * `mean_squared_error(target, pred)`. For the Siamese model, where every pair
 * brings two songs, see {@link multiObjectiveLoss} (rate over both songs).
 *
 * @param pred - predicted scores f(x_n), a `Tensor1D`/`[N, 1]` tensor or an array.
 * @param target - true scores y_n on the same (transformed) scale, same length.
 * @returns a scalar tensor (the caller disposes it); differentiable w.r.t. `pred`.
 * @throws `E_SHAPE` if the lengths differ, `E_EMPTY` if N = 0, `E_NAN` for non-finite array input.
 * @example
 * ```ts
 * const l = rateLoss([0.5, 1], [1, 1]); // (0.25 + 0) / 2 = 0.125
 * ```
 */
export function rateLoss(pred: ScoreVector, target: ScoreVector): tf.Scalar {
  const n = vectorLength(pred, 'pred');
  const m = vectorLength(target, 'target');
  if (n !== m) throw new HitrankError('E_SHAPE', `pred has ${n} scores but target has ${m}; expected equal lengths.`);
  if (n === 0) throw new HitrankError('E_EMPTY', 'pred and target are empty; expected at least one song.');
  return tf.tidy(() => tf.mean(tf.squaredDifference(toVector(pred, 'pred'), toVector(target, 'target'))) as tf.Scalar);
}

/** Eq. 1 over both songs of every pair: MSE of concat(fi, fj) against concat(yi, yj). Inside tidy. */
export function pairRateTerm(fi: tf.Tensor1D, fj: tf.Tensor1D, yi: tf.Tensor1D, yj: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.squaredDifference(tf.concat([fi, fj]), tf.concat([yi, yj]))) as tf.Scalar;
}
