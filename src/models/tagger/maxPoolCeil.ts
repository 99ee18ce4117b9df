/**
 * Non-overlapping max pooling over time that keeps a partial last window
 * (Lasagne's `MaxPool2DLayer(ignore_border=False)`), with a hand-written
 * gradient.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError, assertInteger } from '../../errors.js';
import { withCustomGradient } from '../ops/customGradient.js';
import { assertRank, cropTime } from '../ops/shapes.js';

/** Options of {@link maxPoolCeil}. */
export interface MaxPoolCeilOptions {
  /** Pool size and stride in frames. Default 4 (JYnet). */
  size?: number;
}

/** Number of output frames of {@link maxPoolCeil}: `ceil(frames / size)`. */
export function maxPoolCeilFrames(frames: number, size: number): number {
  return Math.ceil(frames / size);
}

/**
 * Max pooling over time with window = stride = `size` and a **partial last
 * window**: `y[n, j, c] = max(x[n, size·j … min(size·j + size, T) − 1, c])`,
 * `ceil(T / size)` outputs — Lasagne/Theano `MaxPool2DLayer((size, 1),
 * ignore_border=False)` on JYnet's [N, C, T, 1] maps, PyTorch's
 * `max_pool1d(x, size, ceil_mode=True)`. (TensorFlow's `'same'` padding
 * centres the padding and differs when `T mod size` is 1 or 2 below a
 * multiple of `size`.)
 *
 * Forward: `tf.maxPool` on the input padded at the end with −∞. Backward:
 * the gradient of each window goes to its first maximum (TensorFlow's and
 * tfjs-backend-cpu's tie rule), computed with concat, compare, multiply and
 * pooling only, so it runs on every backend — tfjs-backend-wasm's own `MaxPoolGrad`
 * loses windows whose maximum is ≤ 0, which is every all-zero window after a
 * ReLU.
 *
 * @param x - input [B, T, C], T ≥ 1.
 * @param options - see {@link MaxPoolCeilOptions}.
 * @returns [B, ceil(T / size), C].
 * @throws HitrankError `E_SHAPE` for a non-rank-3 input, `E_PARAM` for a bad size.
 * @example
 * ```ts
 * const y = maxPoolCeil(x, { size: 4 }); // [1, 911, 32] → [1, 228, 32]
 * ```
 */
export function maxPoolCeil(x: tf.Tensor3D, options: MaxPoolCeilOptions = {}): tf.Tensor3D {
  const size = options.size ?? 4;
  assertInteger(size, 'maxPoolCeil size', 1);
  assertRank(x, 3, 'maxPoolCeil: x', '[B, T, C]');
  const [b, t, c] = x.shape;
  if (t < 1) throw new HitrankError('E_SHAPE', `maxPoolCeil: input has ${t} frames; expected at least 1.`);
  const out = maxPoolCeilFrames(t, size);
  const padded = out * size;
  if (size === 1) return tf.clone(x);

  return withCustomGradient([x], (save) => {
    const xp = padded === t ? x : tf.pad(x, [[0, 0], [0, padded - t], [0, 0]], -Infinity);
    const y = tf.reshape(tf.maxPool(tf.reshape(xp, [b, 1, padded, c]) as tf.Tensor4D, [1, size], [1, size], 'valid'), [b, out, c]) as tf.Tensor3D;
    save([xp, y]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, ys] = saved;
        // Everything at the full [B, out, size, C] shape: per-window values are
        // repeated with concat (broadcasting binary ops and 4-D transposes are
        // 10–20× slower on tfjs-backend-cpu and -wasm at these shapes).
        const up = (v: tf.Tensor) => tf.concat(Array<tf.Tensor>(size).fill(tf.reshape(v, [b, out, 1, c])), 2);
        const windows = tf.reshape(xs, [b, out, size, c]);
        const isMax = tf.cast(tf.equal(windows, up(ys)), 'float32');
        // First maximum of each window: weight position i by size − i; the
        // largest weight among the maxima is the first one's, and it is unique.
        const rank = tf.concat(Array.from({ length: size }, (_, i) => tf.fill([b, out, 1, c], size - i)), 2);
        const weighted = tf.mul(isMax, rank);
        const best = tf.maxPool(tf.reshape(weighted, [b, 1, padded, c]) as tf.Tensor4D, [1, size], [1, size], 'valid');
        const first = tf.cast(tf.equal(weighted, up(best)), 'float32');
        const dx = tf.reshape(tf.mul(first, up(dy)), [b, padded, c]) as tf.Tensor3D;
        return [cropTime(dx, t)];
      },
    };
  });
}
