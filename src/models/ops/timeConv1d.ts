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
 * - backward (see {@link convBackward}): `g = dy · step(pre, α)`; the K time
 *   shifts of gᵀ stacked (`dZᵀ`, zero-pads and a concat along the outermost
 *   axis), `dW = (dZᵀ·x)ᵀ` as one plain matMul with the input rows on the
 *   right, `db` as row sums of gᵀ, `dx` as the "full" correlation of g with
 *   the flipped kernel. No matMul has a transposed operand
 *   (`tf.matMul(a, b, true)` runs tfjs-backend-wasm's scalar fallback, ~10×
 *   slower) and the layer input is never transposed in the backward pass:
 *   the channels-first op keeps the channels-last copy its forward made.
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
 * `dZᵀ[k·C + c, n·T + s] = g[n, s − k, c]` (zero where `s − k` is outside
 * `[0, T')`), as [K·C, B·T]: the K time shifts of the output gradient stacked
 * — the transposed im2col of the zero-padded output gradient — together with
 * gᵀ ([C, B·T']), from which the bias gradient is a contiguous row sum.
 * Built from one (K times smaller) transpose of g, pads along the innermost
 * axis and a concat along the outermost one: all contiguous copies.
 */
function shiftedStackT(g: tf.Tensor3D, k: number): { dZT: tf.Tensor2D; gT: tf.Tensor2D } {
  const [b, tp, c] = g.shape;
  const t = tp + k - 1;
  if (k === 1) {
    const gT = transpose2d(tf.reshape(g, [b * t, c]) as tf.Tensor2D);
    return { dZT: gT, gT };
  }
  const g3 = tf.transpose(g, [2, 0, 1]); // [C, B, T']
  const parts: tf.Tensor3D[] = [];
  for (let i = 0; i < k; i++) parts.push(tf.pad(g3, [[0, 0], [0, 0], [i, k - 1 - i]]));
  return { dZT: tf.reshape(tf.concat(parts, 0), [k * c, b * t]) as tf.Tensor2D, gT: tf.reshape(g3, [c, b * tp]) as tf.Tensor2D };
}

/**
 * Gradients of a VALID time convolution from `g`, the gradient at its
 * pre-activation output [B, T', Cout], and `xRows`, the layer input as
 * [B·T, Cin] rows: `dW = (dZᵀ·x)ᵀ` as [Cin, K·Cout] (columns ordered
 * (k, o)), `db` as row sums of gᵀ, and `dx` [B, T, Cin] when asked — for
 * K > 1 as the "full" correlation of the zero-padded g with the flipped
 * kernel, for K = 1 as `g·Wᵀ`.
 *
 * Orientation: the weight-gradient product is `dZᵀ·x` with the input on the
 * right (the operand XNNPACK repacks). On tfjs-backend-wasm at the simple
 * CNN's batch-32 shapes this beats `xᵀ·dZ` by 1.8–4× for K = 4 and for
 * Cout = 1 and ties for the 1×1 layers (bench/train-step.ts), because dZ as
 * rows would need a concat along the innermost axis (a strided copy) and xᵀ
 * a full transpose of the largest operand, while dZᵀ needs only the small
 * transpose of g. No matMul has a transposed operand (`tf.matMul(a, b,
 * true)` runs tfjs-backend-wasm's scalar fallback, ~10× slower). Other
 * backends are not sensitive to the choice.
 */
function convBackward(
  g: tf.Tensor3D,
  k: number,
  kernel: () => tf.Tensor3D,
  xRows: tf.Tensor2D,
  inputGradient: boolean,
): { dW: tf.Tensor2D; db: tf.Tensor1D; dx: tf.Tensor3D | null } {
  const [b, tp, cout] = g.shape;
  const [n, cin] = xRows.shape;
  const t = n / b;
  const { dZT, gT } = shiftedStackT(g, k);
  const dW = transpose2d(tf.matMul(dZT, xRows)); // [Cin, K·Cout]
  const db = tf.sum(gT, 1) as tf.Tensor1D;
  if (!inputGradient) return { dW, db, dx: null };
  const w = kernel();
  if (k === 1) {
    const wT = transpose2d(tf.reshape(w, [cin, cout]) as tf.Tensor2D); // [Cout, Cin]
    return { dW, db, dx: tf.reshape(tf.matMul(tf.reshape(g, [b * tp, cout]) as tf.Tensor2D, wT), [b, t, cin]) };
  }
  const flipped = tf.transpose(tf.reverse(w, 0), [0, 2, 1]) as tf.Tensor3D; // [K, Cout, Cin]
  return { dW, db, dx: conv(tf.pad(g, [[0, 0], [k - 1, k - 1], [0, 0]]), flipped, null) };
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
    const xRows = tf.reshape(xs, [b * t, cin]) as tf.Tensor2D;
    const { dW, db, dx } = convBackward(activationGrad(dy, slope), k, () => ks, xRows, inputGradient);
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
    // The forward pass's channels-last copy of x: [B, T, Cin], i.e. the rows.
    const [xt, ks, slope] = saved as tf.Tensor3D[];
    const xRows = tf.reshape(xt, [b * t, cin]) as tf.Tensor2D;
    const kernelKCC = () => tf.transpose(ks, [1, 0, 2]) as tf.Tensor3D;
    const { dW, db, dx } = convBackward(activationGrad(dy, slope), k, kernelKCC, xRows, inputGradient);
    const dKernel = tf.reshape(dW, [cin, k, cout]);
    return dx === null ? [dKernel, db] : [tf.transpose(dx, [0, 2, 1]), dKernel, db];
  };

  return withCustomGradient(inputGradient ? [x, kernel, bias] : [kernel, bias], (save) => {
    const xt = tf.transpose(x, [0, 2, 1]); // [B, T, Cin]
    const { y, slope } = convForward(xt, tf.transpose(kernel, [1, 0, 2]), bias, alpha);
    save(slope === null ? [xt, kernel] : [xt, kernel, slope]);
    return { value: y, gradFunc: (dy, saved) => grads(dy, saved) };
  });
}
