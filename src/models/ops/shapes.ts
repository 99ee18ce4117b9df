// Small shape helpers shared by the differentiable ops of this folder.
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../../errors.js';

/** Throws `E_SHAPE` unless `t` has rank `rank`. */
export function assertRank(t: tf.Tensor, rank: number, what: string, layout: string): void {
  if (t.rank !== rank) {
    throw new HitrankError('E_SHAPE', `${what} must be a rank-${rank} tensor ${layout}, got shape [${t.shape.join(', ')}].`);
  }
}

/**
 * 2-D transpose that is a free reshape when one side is 1 (a row or column
 * vector); tfjs copies on `transpose` even then.
 */
export function transpose2d(m: tf.Tensor2D): tf.Tensor2D {
  const [r, c] = m.shape;
  return r === 1 || c === 1 ? tf.reshape(m, [c, r]) : tf.transpose(m);
}

/**
 * `x[:, 0:len, :]` of a [B, T, C] tensor. The cpu backend copies a strided
 * slice element by element through index arithmetic (≈ 0.4 µs per value);
 * moving time to the front makes it a contiguous (free) slice and costs two
 * transposes (≈ 0.04 µs per value) instead. Other backends slice directly.
 */
export function cropTime(x: tf.Tensor3D, len: number): tf.Tensor3D {
  const [b, t, c] = x.shape;
  if (len === t) return x;
  if (tf.getBackend() === 'cpu') {
    const tFirst = tf.transpose(x, [1, 0, 2]);
    return tf.transpose(tf.slice(tFirst, [0, 0, 0], [len, b, c]), [1, 0, 2]);
  }
  return tf.slice(x, [0, 0, 0], [b, len, c]);
}
