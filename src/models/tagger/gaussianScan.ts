/**
 * JYnet's Gaussian scan (Liu & Yang 2016, `GaussianScan1DLayer`): a
 * depthwise smoothing over time with one trainable width per tag.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError, assertInteger } from '../../errors.js';
import { assertRank } from '../ops/shapes.js';

/**
 * Frame offset `d` such that output frame t weights input frame u by
 * `φ(t − u − d)`, and the padding before the sequence, for a filter of `size`
 * taps applied as Theano applies it (true convolution, 'strictsame' padding
 * `size − 1 − ⌊(size − 1)/2⌋` before, `⌊(size − 1)/2⌋` after, Gaussian grid
 * `x = ⌊−(size − 1)/2⌋ … ⌊−(size − 1)/2⌋ + size − 1`).
 */
function scanGeometry(size: number): { before: number; x0: number; offset: number } {
  const kk = size - 1;
  const before = kk - Math.floor(kk / 2);
  const x0 = Math.floor(-kk / 2);
  // weight of h[u] in out[t] = g[m] with m = size − 1 − (u − t + before), x = m + x0
  return { before, x0, offset: -(size - 1 - before + x0) };
}

/**
 * The scan as a matrix per tag: `G[c, t, u] = φ_c(t − u − d)` where
 * `φ_c(x) = exp(−x² / 2σ_c²) / (√(2π) σ_c)` (**not** normalised to sum 1, as
 * the original) and `σ_c = exp(logSigma[c])`; entries whose tap lies outside
 * the `size`-tap filter are 0. With the default 256 taps, `d = 1`: output
 * frame t is centred on input frame t − 1 — Theano's `conv2d` flips the
 * kernel, and the grid −128 … 127 is one sample off centre. For T ≤ 128
 * every entry is inside the filter.
 *
 * Differentiable with respect to `logSigma` (plain tfjs ops).
 *
 * @param logSigma - [C] natural log of each tag's standard deviation in frames.
 * @param frames - sequence length T.
 * @param size - filter taps. Default 256 (JYnet).
 * @returns G [C, T, T].
 */
export function gaussianScanMatrix(logSigma: tf.Tensor1D, frames: number, size = 256): tf.Tensor3D {
  assertInteger(frames, 'Gaussian scan frames', 1);
  assertInteger(size, 'Gaussian scan size', 1);
  assertRank(logSigma, 1, 'gaussianScanMatrix: logSigma', '[C]');
  const { before, offset } = scanGeometry(size);
  const x2 = new Float32Array(frames * frames);
  const inside = new Float32Array(frames * frames);
  for (let t = 0; t < frames; t++) {
    for (let u = 0; u < frames; u++) {
      const j = u - t + before; // tap index before the flip
      const x = t - u - offset;
      x2[t * frames + u] = x * x;
      inside[t * frames + u] = j >= 0 && j < size ? 1 : 0;
    }
  }
  return tf.tidy(() => {
    const c = logSigma.shape[0];
    const sigma = tf.reshape(tf.exp(logSigma), [c, 1, 1]);
    const invVar = tf.reciprocal(tf.mul(tf.square(sigma), 2)); // 1 / 2σ²
    const g = tf.exp(tf.neg(tf.mul(tf.tensor(x2, [1, frames, frames]), invVar)));
    const scaled = tf.div(g, tf.mul(sigma, Math.sqrt(2 * Math.PI)));
    return tf.mul(scaled, tf.tensor(inside, [1, frames, frames])) as tf.Tensor3D;
  });
}

/**
 * JYnet's Gaussian scan on a time-major sequence: `y[b, t, c] = Σ_u
 * x[b, u, c] · φ_c(t − u − d)` (see {@link gaussianScanMatrix}) — Lasagne
 * `clip2frame.layers.GaussianScan1DLayer(filter_size=256, init_std=256/16,
 * pad='strictsame')`: a depthwise true convolution over time with zero
 * padding, one Gaussian per channel. Computed as a batched matMul of the
 * [C, T, T] scan matrices (cheap for JYnet's T = 57).
 *
 * @param x - [B, T, C] (e.g. frame-level tag probabilities).
 * @param logSigma - [C] log standard deviations (trainable).
 * @param size - filter taps. Default 256.
 * @returns [B, T, C].
 * @throws HitrankError `E_SHAPE` when `logSigma` does not have C entries.
 */
export function gaussianScan(x: tf.Tensor3D, logSigma: tf.Tensor1D, size = 256): tf.Tensor3D {
  assertRank(x, 3, 'gaussianScan: x', '[B, T, C]');
  const [, t, c] = x.shape;
  if (logSigma.shape[0] !== c) {
    throw new HitrankError('E_SHAPE', `gaussianScan: logSigma has ${logSigma.shape[0]} values, expected one per channel (${c}).`);
  }
  return tf.tidy(() => {
    const g = gaussianScanMatrix(logSigma, t, size); // [C, T, T]
    const xc = tf.transpose(x, [2, 1, 0]) as tf.Tensor3D; // [C, T, B]
    return tf.transpose(tf.matMul(g, xc), [2, 1, 0]) as tf.Tensor3D;
  });
}
