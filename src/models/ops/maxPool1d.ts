/**
 * Max pooling over time with a hand-written gradient.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../../errors.js';
import { withCustomGradient } from './customGradient.js';
import { assertRank, cropTime } from './shapes.js';

/** Options of {@link maxPool1d}. */
export interface MaxPool1dOptions {
  /** Pool size and stride in frames. Default 2 (the only size supported). */
  size?: number;
}

/**
 * Non-overlapping max pooling over time: `y[n, j, c] = max(x[n, 2j, c],
 * x[n, 2j+1, c])`, VALID padding, so an odd last frame is dropped — like
 * `tf.maxPool` with a 1×2 window and stride (TensorFlow's `max_pool` in the
 * simple CNN of Yang et al. 2017) and PyTorch's `max_pool1d(x, 2)`.
 *
 * The gradient goes to the first maximum of each window when both frames are
 * equal, as TensorFlow's `MaxPoolGrad` and tfjs-backend-cpu do (ties are
 * common on zero-padded clips, where whole regions are constant). It is
 * computed with pooling, compare, multiply and concat only, so it runs on every
 * backend — tfjs-backend-wasm 4.22's own `MaxPoolGrad` loses the gradient of
 * windows whose maximum is ≤ 0 and sends ties to the last frame.
 *
 * @param x - input [B, T, C], T ≥ 2.
 * @param options - see {@link MaxPool1dOptions}.
 * @returns [B, ⌊T/2⌋, C].
 * @throws HitrankError `E_SHAPE` for a non-rank-3 input, `E_TOO_SHORT` when T < 2,
 *   `E_UNSUPPORTED` for a size other than 2.
 */
export function maxPool1d(x: tf.Tensor3D, options: MaxPool1dOptions = {}): tf.Tensor3D {
  const size = options.size ?? 2;
  if (size !== 2) {
    throw new HitrankError('E_UNSUPPORTED', `maxPool1d: size must be 2 (the only pool size implemented), got ${size}.`);
  }
  assertRank(x, 3, 'maxPool1d: x', '[B, T, C]');
  const [b, t, c] = x.shape;
  if (t < 2) throw new HitrankError('E_TOO_SHORT', `maxPool1d: input has ${t} frames; pooling by 2 needs at least 2.`);
  const half = Math.floor(t / 2);
  const windows = Math.ceil(t / 2); // with the extra 1-frame window of an odd T

  return withCustomGradient([x], (save) => {
    save([x]);
    const y = tf.maxPool(tf.reshape(x, [b, 1, t, c]) as tf.Tensor4D, [1, 2], [1, 2], 'valid');
    return {
      value: tf.reshape(y, [b, half, c]),
      gradFunc: (dy, saved) => {
        const x4 = tf.reshape(saved[0], [b, 1, t, c]) as tf.Tensor4D;
        // Window maxima (plus the lone last frame for odd T) and the first
        // frame of each window; where they agree the first frame wins.
        const peak = tf.maxPool(x4, [1, 2], [1, 2], 'same');
        const first = tf.maxPool(x4, [1, 1], [1, 2], 'valid');
        const toFirst = tf.reshape(tf.cast(tf.equal(first, peak), 'float32'), [b, windows, 1, c]);
        const g = tf.reshape(windows === half ? dy : tf.pad(dy, [[0, 0], [0, 1], [0, 0]]), [b, windows, 1, c]);
        const gFirst = tf.mul(g, toFirst);
        const gSecond = tf.sub(g, gFirst);
        const dx = tf.reshape(tf.concat([gFirst, gSecond], 2), [b, 2 * windows, c]) as tf.Tensor3D;
        return [cropTime(dx, t)];
      },
    };
  });
}
