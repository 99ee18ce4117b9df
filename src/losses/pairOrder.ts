// δ(yi, yj), the counted-pair mask and the denominator P of a pairwise loss
// under a tie convention (internal). Depends on the labels only; no gradient
// flows back into yi, yj through these tensors.
import * as tf from '@tensorflow/tfjs-core';
import { assertFinite } from '../errors.js';
import { isTensor, toVector } from './scoreVector.js';
import type { ScoreVector, TieConvention } from './types.js';

/** δ per pair, the 0/1 mask of pairs that enter the mean, and P = max(#counted, 1). */
export interface PairOrder {
  /** δ(yi, yj) ∈ {−1, 0, +1} per pair. */
  delta: tf.Tensor1D;
  /** 1 for a pair that counts in the mean, 0 for a skipped (tied) pair. */
  counted: tf.Tensor1D;
  /** Denominator P (never 0: when no pair counts the numerator is 0 too). */
  denom: tf.Scalar;
}

/**
 * Computes {@link PairOrder} (call inside `tf.tidy`). When both label vectors
 * are plain arrays, ties and signs are decided in float64 before conversion, so
 * labels that differ only beyond float32 precision are still ordered; tensor
 * labels are compared in their own (float32) precision.
 */
export function pairOrder(yi: ScoreVector, yj: ScoreVector, ties: TieConvention, b: number): PairOrder {
  if (!isTensor(yi) && !isTensor(yj)) {
    assertFinite(yi, 'yi');
    assertFinite(yj, 'yj');
    const delta = new Float32Array(b);
    const counted = new Float32Array(b);
    let n = 0;
    for (let p = 0; p < b; p++) {
      const d = Math.sign(yi[p] - yj[p]);
      delta[p] = ties === 'paper' && d === 0 ? 1 : d;
      counted[p] = ties === 'skip' && d === 0 ? 0 : 1;
      n += counted[p];
    }
    return { delta: tf.tensor1d(delta), counted: tf.tensor1d(counted), denom: tf.scalar(Math.max(n, 1)) };
  }
  // Tensor path: only ops whose registered gradients are zero (Sign, GreaterEqual,
  // Select, Abs∘Sign), so a caller may even list yi/yj among tf.grads' xs.
  const a = toVector(yi, 'yi');
  const c = toVector(yj, 'yj');
  const sign = tf.sign(tf.sub(a, c)) as tf.Tensor1D;
  if (ties === 'skip') {
    const counted = tf.abs(sign) as tf.Tensor1D;
    return { delta: sign, counted, denom: tf.maximum(tf.sum(counted), 1) as tf.Scalar };
  }
  const ones = tf.onesLike(a) as tf.Tensor1D;
  const delta = ties === 'paper' ? (tf.where(tf.greaterEqual(a, c), ones, tf.neg(ones)) as tf.Tensor1D) : sign;
  return { delta, counted: ones, denom: tf.scalar(b) };
}
