/**
 * Strided time convolution with TensorFlow's SAME padding, built on
 * {@link timeConv1d} so that it trains on every tfjs backend.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError, assertInteger } from '../../errors.js';
import { timeConv1d } from '../ops/timeConv1d.js';
import { padTime } from './padTime.js';

/** Options of {@link stridedTimeConv}. */
export interface StridedTimeConvOptions {
  /** Step in frames between output frames. Default 1. */
  stride?: number;
  /** `'same'` (default): TensorFlow's SAME padding, ⌈T / stride⌉ output frames; `'valid'`: no padding. */
  padding?: 'same' | 'valid';
  /** Differentiate with respect to `x` (default `true`; `false` for a first layer fed with data). */
  inputGradient?: boolean;
}

/** Output length and padding of a strided convolution (see {@link convPadding}). */
export interface ConvPadding {
  /** Output frames. */
  out: number;
  /** Zero frames added in front. */
  before: number;
  /** Zero frames added behind. */
  after: number;
}

/**
 * Output length and zero padding (before, after) of a strided convolution, as
 * TensorFlow computes them: SAME gives `⌈T / s⌉` frames with
 * `max((out − 1)·s + K − T, 0)` zeros split as evenly as possible, the odd
 * one after; VALID gives `⌊(T − K) / s⌋ + 1` frames.
 *
 * @param t - input frames.
 * @param k - kernel width.
 * @param stride - stride.
 * @param padding - `'same'` or `'valid'`.
 * @returns the {@link ConvPadding}.
 */
export function convPadding(t: number, k: number, stride: number, padding: 'same' | 'valid'): ConvPadding {
  if (padding === 'valid') return { out: t >= k ? Math.floor((t - k) / stride) + 1 : 0, before: 0, after: 0 };
  const out = Math.ceil(t / stride);
  const total = Math.max((out - 1) * stride + k - t, 0);
  const before = Math.floor(total / 2);
  return { out, before, after: total - before };
}

/**
 * `y[n, t, o] = bias[o] + Σ_{k, c} xp[n, s·t + k, c] · kernel[k, c, o]`, with
 * `xp` the input zero-padded as TensorFlow's `conv2d(..., strides=s,
 * padding='SAME')` pads it — the numbers of `tf.conv1d(x, kernel, s, 'same')`
 * (PyTorch: `Conv1d(stride=s)` on asymmetric padding). Stride `s > 1` is
 * computed without waste by folding `s` consecutive frames into the channel
 * axis (space-to-depth) and running a stride-1 {@link timeConv1d} with a
 * `⌈K/s⌉`-frame kernel; every step is a pad, reshape or timeConv1d, so the
 * gradient runs on tfjs-backend-wasm too.
 *
 * @param x - input [B, T, Cin].
 * @param kernel - weights [K, Cin, Cout].
 * @param bias - [Cout] (pass zeros for a bias-free layer).
 * @param options - see {@link StridedTimeConvOptions}.
 * @returns [B, T', Cout], `T' = ⌈T / s⌉` (SAME) or `⌊(T − K) / s⌋ + 1` (VALID).
 * @throws HitrankError `E_SHAPE` for mismatched shapes, `E_TOO_SHORT` when VALID leaves no frame.
 */
export function stridedTimeConv(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D, options: StridedTimeConvOptions = {}): tf.Tensor3D {
  const s = options.stride ?? 1;
  const padding = options.padding ?? 'same';
  assertInteger(s, 'stride', 1, 1024);
  if (padding !== 'same' && padding !== 'valid') {
    throw new HitrankError('E_PARAM', `padding must be 'same' or 'valid', got '${String(padding)}'.`);
  }
  if (x.rank !== 3 || kernel.rank !== 3) {
    throw new HitrankError('E_SHAPE', `stridedTimeConv: x must be [B, T, Cin] and kernel [K, Cin, Cout], got [${x.shape.join(', ')}] and [${kernel.shape.join(', ')}].`);
  }
  const [b, t, cin] = x.shape;
  const [k, kc, cout] = kernel.shape;
  if (kc !== cin) throw new HitrankError('E_SHAPE', `stridedTimeConv: kernel has ${kc} input channels, x has ${cin}.`);
  const { out, before } = convPadding(t, k, s, padding);
  if (out < 1) throw new HitrankError('E_TOO_SHORT', `stridedTimeConv: ${t} frames are fewer than the kernel width ${k}.`);
  const inputGradient = options.inputGradient ?? true;
  return tf.tidy(() => {
    const k2 = Math.ceil(k / s);
    const len = s * (out + k2 - 1); // frames the folded VALID conv needs
    const tail = len - (before + t); // zeros after (≥ TF's), or frames to cut (VALID)
    let xp: tf.Tensor3D = x;
    if (before > 0 || tail > 0) xp = padTime(x, before, Math.max(tail, 0), inputGradient);
    if (tail < 0) xp = tf.slice(xp, [0, 0, 0], [b, len, cin]);
    if (s === 1) return timeConv1d(xp, kernel, bias, { inputGradient });
    const folded = tf.reshape(xp, [b, len / s, s * cin]) as tf.Tensor3D;
    const kp = k2 * s > k ? tf.pad(kernel, [[0, k2 * s - k], [0, 0], [0, 0]]) : kernel;
    const kFolded = tf.reshape(kp, [k2, s * cin, cout]) as tf.Tensor3D;
    return timeConv1d(folded, kFolded, bias, { inputGradient });
  });
}
