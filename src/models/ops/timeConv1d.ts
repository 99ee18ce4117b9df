/**
 * 1-D convolution over time (VALID, stride 1, cross-correlation as in
 * TensorFlow), optionally fused with a leaky ReLU, with a hand-written
 * gradient that every tfjs backend can run.
 *
 * Why not `tf.conv1d`'s own gradient: its filter gradient needs the
 * `Conv2DBackpropFilter` kernel, which tfjs-backend-wasm does not have, and
 * the automatic gradients of matMul/slice formulations are dominated by
 * transposed matMuls that are ~10× slower on wasm (bench/peers.md). Here:
 *
 * - forward: `tf.fused.conv2d` with bias — the backends' own convolution,
 *   faster than im2col + one matMul on wasm (10 vs 15–31 ms for the first
 *   layer at batch 32) and on cpu; its gradient is never taken — then the
 *   leaky ReLU as `pre · step(pre, α)`;
 * - backward (see {@link convBackward}): `g = dy · step(pre, α)`, the K time
 *   shifts of g side by side (`dZ`, zero-pads and a concat), `dW = xᵀ·dZ` and
 *   `db = Σ g` from one plain matMul, `dx` as the "full" correlation of g with
 *   the flipped kernel. No matMul has a transposed operand
 *   (`tf.matMul(a, b, true)` runs tfjs-backend-wasm's scalar fallback, ~10×
 *   slower); only the small kernel and the narrower tall operand are
 *   transposed.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError, assertInRange } from '../../errors.js';
import { withCustomGradient } from './customGradient.js';
import { assertRank, transpose2d } from './shapes.js';

/** Options of {@link timeConv1d} and {@link timeConv1dChannelsFirst}. */
export interface TimeConv1dOptions {
  /**
   * Apply a leaky ReLU with this negative slope after the bias (fused with
   * the convolution; 0 gives a ReLU). Default: none (linear output).
   */
  leakyAlpha?: number;
  /**
   * Compute the gradient with respect to the input `x`. Default `true`. Set it
   * to `false` for a network's first layer, whose input is data: the backward
   * pass then skips the input-gradient matMul and `x` is not differentiable
   * through the op (`tf.grad` with respect to it throws).
   */
  inputGradient?: boolean;
}

function checkKernel(kernel: tf.Tensor, bias: tf.Tensor, cin: number, inAxis: number, k: number, what: string): void {
  if (kernel.shape[inAxis] !== cin) {
    throw new HitrankError(
      'E_SHAPE',
      `${what}: kernel shape [${kernel.shape.join(', ')}] has ${kernel.shape[inAxis]} input channels, but x has ${cin}.`,
    );
  }
  assertRank(bias, 1, `${what}: bias`, '[Cout]');
  const cout = kernel.shape[2];
  if (bias.shape[0] !== cout) {
    throw new HitrankError('E_SHAPE', `${what}: bias has ${bias.shape[0]} values, expected Cout = ${cout}.`);
  }
  if (k < 1) throw new HitrankError('E_SHAPE', `${what}: kernel size must be ≥ 1, got ${k}.`);
}

function checkFrames(t: number, k: number, what: string): void {
  if (t < k) {
    throw new HitrankError('E_TOO_SHORT', `${what}: input has ${t} frames, fewer than the kernel size ${k} (VALID padding needs T ≥ K).`);
  }
}

function readOptions(options: TimeConv1dOptions): { alpha: number | null; inputGradient: boolean } {
  const alpha = options.leakyAlpha ?? null;
  if (alpha !== null) assertInRange(alpha, 'leakyAlpha', 0, 1);
  return { alpha, inputGradient: options.inputGradient ?? true };
}

/** VALID conv of x [B, T, Cin] with kernel [K, Cin, Cout] (plus bias) → [B, T − K + 1, Cout]. */
function conv(x: tf.Tensor3D, kernel: tf.Tensor3D, bias: tf.Tensor1D | null): tf.Tensor3D {
  const [b, t, cin] = x.shape;
  const [k, , cout] = kernel.shape;
  const x4 = tf.reshape(x, [b, 1, t, cin]) as tf.Tensor4D;
  const f4 = tf.reshape(kernel, [1, k, cin, cout]) as tf.Tensor4D;
  const y = bias === null ? tf.conv2d(x4, f4, 1, 'valid') : tf.fused.conv2d({ x: x4, filter: f4, strides: 1, pad: 'valid', bias });
  return tf.reshape(y, [b, t - k + 1, cout]);
}

/**
 * VALID conv of x [B, T, Cin] with kernel [K, Cin, Cout], plus bias, then the
 * leaky ReLU as `pre · slope` with `slope = step(pre, α)` (1 where pre > 0,
 * else α; bit-identical to `tf.leakyRelu`). The slope is also the
 * activation's derivative (α at 0, as TensorFlow's `LeakyReluGrad`), so the
 * backward pass is one multiply. `Step` + `Multiply` are ≈ 2.5× faster than
 * tfjs-backend-wasm's `LeakyRelu` kernel, and tfjs never fuses a leaky ReLU
 * into a convolution while it records gradients.
 */
function convForward(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  bias: tf.Tensor1D,
  alpha: number | null,
): { y: tf.Tensor3D; slope: tf.Tensor3D | null } {
  const pre = conv(x, kernel, bias);
  if (alpha === null) return { y: pre, slope: null };
  const slope = tf.step(pre, alpha);
  return { y: tf.mul(pre, slope), slope };
}

/** Gradient through the activation: `dy · slope` (see {@link convForward}). */
function activationGrad(dy: tf.Tensor3D, slope: tf.Tensor3D | undefined): tf.Tensor3D {
  return slope === undefined ? dy : tf.mul(dy, slope);
}

/**
 * `dZ[n·T + s, k·C + c] = g[n, s − k, c]` (zero where `s − k` is outside
 * `[0, T')`): the K time shifts of the output gradient side by side — the
 * im2col of the zero-padded output gradient.
 */
export function shiftedStack(g: tf.Tensor3D, k: number): tf.Tensor2D {
  const [b, tp, c] = g.shape;
  const t = tp + k - 1;
  if (k === 1) return tf.reshape(g, [b * t, c]);
  const parts: tf.Tensor3D[] = [];
  for (let i = 0; i < k; i++) parts.push(tf.pad(g, [[0, 0], [i, k - 1 - i], [0, 0]]));
  return tf.reshape(tf.concat(parts, 2), [b * t, k * c]);
}

/** `shiftedStack(g, k)ᵀ` ([K·C, B·T]), built from the (K times smaller) transpose of g. */
export function shiftedStackT(g: tf.Tensor3D, k: number): tf.Tensor2D {
  const [b, tp, c] = g.shape;
  const t = tp + k - 1;
  if (k === 1) return transpose2d(tf.reshape(g, [b * t, c]) as tf.Tensor2D);
  const gT = tf.transpose(g, [2, 0, 1]); // [C, B, T']
  const parts: tf.Tensor3D[] = [];
  for (let i = 0; i < k; i++) parts.push(tf.pad(gT, [[0, 0], [0, 0], [i, k - 1 - i]]));
  return tf.reshape(tf.concat(parts, 0), [k * c, b * t]);
}

/** Ways to get the layer input as rows for {@link convBackward}, with their cost per value. */
export interface InputRows {
  /** x as [B·T, Cin] rows. */
  rows: () => tf.Tensor2D;
  /** xᵀ as [Cin, B·T]. */
  columns: () => tf.Tensor2D;
  /** Relative cost per value of `rows()` (0 when it is a reshape). */
  rowsCost: number;
  /** Relative cost per value of `columns()`. */
  columnsCost: number;
}

/**
 * Gradients of a VALID time convolution from `g`, the gradient at its
 * pre-activation output [B, T', Cout]: `dW = xᵀ·dZ` as [Cin, K·Cout] and
 * `db = Σ g` from one plain matMul (a ones column or row appended to x), and
 * `dx` [B, T, Cin] when asked.
 *
 * The weight-gradient product has two tall operands; XNNPACK repacks the
 * right-hand one on every call (≈ 5 units per value on tfjs-backend-wasm,
 * against ≈ 2 for a transpose, 1 for pads/concat, 2 for a ones column and
 * 0.5 for a ones row), so the narrower of x and dZ goes right:
 * - x right: dZᵀ is built from gᵀ and dx is a convolution of the padded g
 *   with the flipped kernel ("full" correlation);
 * - dZ right: dx = dZ·Wᵀ reuses dZ.
 * Other backends are not sensitive to the choice.
 */
export function convBackward(
  g: tf.Tensor3D,
  k: number,
  kernel: () => tf.Tensor3D,
  x: InputRows,
  cin: number,
  inputGradient: boolean,
): { dW: tf.Tensor2D; db: tf.Tensor1D; dx: tf.Tensor3D | null } {
  const [b, tp, cout] = g.shape;
  const t = tp + k - 1;
  const n = b * t;
  const p = cin;
  const q = k * cout;
  const stackCost = k > 1 ? q : 0;
  const packX = x.rowsCost * p + (q === 1 ? 0 : 2 * cout + stackCost) + 2 * p + 5 * (p + 1);
  const packZ = stackCost + x.columnsCost * p + 0.5 * p + 5 * q;
  if (packX < packZ) {
    const xo = tf.concat([x.rows(), tf.ones([n, 1])], 1);
    const gm = tf.matMul(shiftedStackT(g, k), xo); // [Q, P + 1]
    const dW = transpose2d(tf.slice(gm, [0, 0], [q, p]) as tf.Tensor2D);
    const db = tf.reshape(tf.slice(gm, [0, p], [cout, 1]), [cout]) as tf.Tensor1D;
    if (!inputGradient) return { dW, db, dx: null };
    const w = kernel();
    let dx: tf.Tensor3D;
    if (k === 1) {
      const wT = transpose2d(tf.reshape(w, [cin, cout]) as tf.Tensor2D); // [Cout, Cin]
      dx = tf.reshape(tf.matMul(tf.reshape(g, [n, cout]) as tf.Tensor2D, wT), [b, t, cin]);
    } else {
      const flipped = tf.transpose(tf.reverse(w, 0), [0, 2, 1]) as tf.Tensor3D; // [K, Cout, Cin]
      dx = conv(tf.pad(g, [[0, 0], [k - 1, k - 1], [0, 0]]), flipped, null);
    }
    return { dW, db, dx };
  }
  const dZ = shiftedStack(g, k); // [B·T, K·Cout]
  const xoT = tf.concat([x.columns(), tf.ones([1, n])], 0); // [P + 1, N]
  const gm = tf.matMul(xoT, dZ); // [P + 1, Q]
  const dW = tf.slice(gm, [0, 0], [p, q]) as tf.Tensor2D;
  const db = tf.reshape(tf.slice(gm, [p, 0], [1, cout]), [cout]) as tf.Tensor1D;
  if (!inputGradient) return { dW, db, dx: null };
  const wAllT = tf.reshape(tf.transpose(kernel(), [0, 2, 1]), [q, cin]) as tf.Tensor2D; // rows (k, o)
  return { dW, db, dx: tf.reshape(tf.matMul(dZ, wAllT), [b, t, cin]) };
}

/**
 * Time convolution of a batch of feature sequences: `y[n, t, o] = act(bias[o]
 * + Σ_{k, c} x[n, t + k, c] · kernel[k, c, o])`, VALID padding, stride 1 — the
 * numbers of `tf.conv1d(x, kernel, 1, 'valid')` plus bias (TensorFlow's
 * cross-correlation convention; PyTorch's `Conv1d` on [B, C, T]), optionally
 * followed by `tf.leakyRelu` — with a hand-written gradient that runs on every
 * tfjs backend, including tfjs-backend-wasm, which has no
 * `Conv2DBackpropFilter` kernel and cannot train `tf.conv1d`.
 *
 * @param x - input [B, T, Cin] (time-major per example, channels last).
 * @param kernel - weights [K, Cin, Cout] (`tf.conv1d`'s filter layout).
 * @param bias - [Cout].
 * @param options - see {@link TimeConv1dOptions}.
 * @returns [B, T − K + 1, Cout].
 * @throws HitrankError `E_SHAPE` for mismatched shapes, `E_TOO_SHORT` when T < K,
 *   `E_PARAM` for a slope outside [0, 1].
 *
 * @example
 * ```ts
 * const y = timeConv1d(x, kernel, bias, { leakyAlpha: 0.1 }); // x [8, 160, 32], kernel [4, 32, 64] → [8, 157, 64]
 * const [dK, dB] = tf.grads((k, b) => tf.sum(timeConv1d(x, k, b)))([kernel, bias]);
 * ```
 */
export function timeConv1d(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  bias: tf.Tensor1D,
  options: TimeConv1dOptions = {},
): tf.Tensor3D {
  assertRank(x, 3, 'timeConv1d: x', '[B, T, Cin]');
  assertRank(kernel, 3, 'timeConv1d: kernel', '[K, Cin, Cout]');
  const [b, t, cin] = x.shape;
  const [k, , cout] = kernel.shape;
  checkKernel(kernel, bias, cin, 1, k, 'timeConv1d');
  checkFrames(t, k, 'timeConv1d');
  const { alpha, inputGradient } = readOptions(options);

  const grads = (dy: tf.Tensor3D, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, ks, slope] = saved as tf.Tensor3D[];
    const rows = () => tf.reshape(xs, [b * t, cin]) as tf.Tensor2D;
    const x: InputRows = { rows, columns: () => transpose2d(rows()), rowsCost: 0, columnsCost: cin === 1 ? 0 : 2 };
    const { dW, db, dx } = convBackward(activationGrad(dy, slope), k, () => ks, x, cin, inputGradient);
    const dKernel = tf.transpose(tf.reshape(dW, [cin, k, cout]), [1, 0, 2]);
    return dx === null ? [dKernel, db] : [dx, dKernel, db];
  };

  return withCustomGradient(inputGradient ? [x, kernel, bias] : [kernel, bias], (save) => {
    const { y, slope } = convForward(x, kernel, bias, alpha);
    save(slope === null ? [x, kernel] : [x, kernel, slope]);
    return { value: y, gradFunc: (dy, saved) => grads(dy, saved) };
  });
}

/**
 * {@link timeConv1d} for channels-first input: `x` is [B, Cin, T] — e.g. a
 * batch of mel spectrograms [B, nMels, frames] in the mel-major layout
 * `logMel` returns — and `kernel` is [Cin, K, Cout]. The output is
 * channels-last [B, T − K + 1, Cout], ready for {@link timeConv1d}.
 *
 * This is TensorFlow's `conv2d` of an NHWC image [B, Cin, T, 1] with a kernel
 * [Cin, K, 1, Cout] as tall as the image (the first layer of the simple CNN
 * of Yang et al. 2017, 128 mels × 4 frames), and PyTorch's
 * `Conv1d(Cin, Cout, K)` on [B, Cin, T].
 *
 * @param x - input [B, Cin, T].
 * @param kernel - weights [Cin, K, Cout] (TensorFlow's [kh, kw, 1, out] without the unit axis).
 * @param bias - [Cout].
 * @param options - see {@link TimeConv1dOptions}; a first layer usually sets `inputGradient: false`.
 * @returns [B, T − K + 1, Cout].
 * @throws HitrankError `E_SHAPE` for mismatched shapes, `E_TOO_SHORT` when T < K,
 *   `E_PARAM` for a slope outside [0, 1].
 */
export function timeConv1dChannelsFirst(
  x: tf.Tensor3D,
  kernel: tf.Tensor3D,
  bias: tf.Tensor1D,
  options: TimeConv1dOptions = {},
): tf.Tensor3D {
  assertRank(x, 3, 'timeConv1dChannelsFirst: x', '[B, Cin, T]');
  assertRank(kernel, 3, 'timeConv1dChannelsFirst: kernel', '[Cin, K, Cout]');
  const [b, cin, t] = x.shape;
  const [, k, cout] = kernel.shape;
  checkKernel(kernel, bias, cin, 0, k, 'timeConv1dChannelsFirst');
  checkFrames(t, k, 'timeConv1dChannelsFirst');
  const { alpha, inputGradient } = readOptions(options);

  const grads = (dy: tf.Tensor3D, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, ks, slope] = saved as tf.Tensor3D[];
    // xᵀ as [Cin, B·T] is a transpose that keeps each example's time rows
    // contiguous (cheap); x as [B·T, Cin] is a full transpose.
    const x: InputRows = {
      rows: () => tf.reshape(tf.transpose(xs, [0, 2, 1]), [b * t, cin]) as tf.Tensor2D,
      columns: () => tf.reshape(tf.transpose(xs, [1, 0, 2]), [cin, b * t]) as tf.Tensor2D,
      rowsCost: 2,
      columnsCost: 1,
    };
    const kernelKCC = () => tf.transpose(ks, [1, 0, 2]) as tf.Tensor3D;
    const { dW, db, dx } = convBackward(activationGrad(dy, slope), k, kernelKCC, x, cin, inputGradient);
    const dKernel = tf.reshape(dW, [cin, k, cout]);
    return dx === null ? [dKernel, db] : [tf.transpose(dx, [0, 2, 1]), dKernel, db];
  };

  return withCustomGradient(inputGradient ? [x, kernel, bias] : [kernel, bias], (save) => {
    const { y, slope } = convForward(tf.transpose(x, [0, 2, 1]), tf.transpose(kernel, [1, 0, 2]), bias, alpha);
    save(slope === null ? [x, kernel] : [x, kernel, slope]);
    return { value: y, gradFunc: (dy, saved) => grads(dy, saved) };
  });
}
