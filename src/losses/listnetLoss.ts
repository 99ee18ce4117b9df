import * as tf from '@tensorflow/tfjs-core';
import { assertFinite, HitrankError } from '../errors.js';
import { isTensor } from './scoreVector.js';
import type { ListnetLossOptions, ListReduction, ScoreLists } from './types.js';

/** TF-Ranking's `_EPSILON`: padding probability for invalid items and empty lists. */
const EPSILON = 1e-10;

/** Shape of a list input as [nLists, listSize] (a 1-D input is one list). */
function listShape(x: ScoreLists, what: string): [number, number] {
  if (isTensor(x)) {
    const sh = x.shape as number[];
    if (sh.length === 1) return [1, sh[0]];
    if (sh.length === 2) return [sh[0], sh[1]];
    throw new HitrankError('E_SHAPE', `${what} has shape [${x.shape.join(', ')}]; expected [listSize] or [nLists, listSize].`);
  }
  if (x == null || typeof x.length !== 'number') {
    throw new HitrankError('E_SHAPE', `${what} is ${String(x)}; expected a tensor, an array of numbers or an array of arrays.`);
  }
  if (x.length > 0 && typeof x[0] === 'object' && x[0] !== null) {
    const rows = x as ArrayLike<ArrayLike<number>>;
    const n = rows[0].length;
    for (let l = 0; l < rows.length; l++) {
      if (rows[l] == null || rows[l].length !== n) {
        throw new HitrankError('E_SHAPE', `${what}[${l}] has length ${rows[l]?.length}; expected every list to have length ${n}.`);
      }
    }
    return [rows.length, n];
  }
  return [1, x.length];
}

/** Converts a list input to a float32 `[nLists, listSize]` tensor (inside tidy). */
function toLists(x: ScoreLists, shape: [number, number], what: string): tf.Tensor2D {
  if (isTensor(x)) return tf.cast(tf.reshape(x, shape), 'float32') as tf.Tensor2D;
  const flat = new Float32Array(shape[0] * shape[1]);
  if (shape[0] === 1 && !(x.length > 0 && typeof x[0] === 'object')) {
    assertFinite(x as ArrayLike<number>, what);
    flat.set(x as ArrayLike<number>);
  } else {
    const rows = x as ArrayLike<ArrayLike<number>>;
    for (let l = 0; l < shape[0]; l++) {
      assertFinite(rows[l], `${what}[${l}]`);
      flat.set(rows[l], l * shape[1]);
    }
  }
  return tf.tensor2d(flat, shape);
}

/**
 * Validates `weights` (before any tensor work) and returns their shape, or
 * `null` for a plain number: the labels' shape or per-list `[nLists, 1]`,
 * finite and ≥ 0 (array input; tensors are not read back).
 */
function checkWeights(weights: number | ScoreLists, shape: [number, number]): [number, number] | null {
  if (typeof weights === 'number') {
    if (!Number.isFinite(weights) || weights < 0) {
      throw new HitrankError('E_PARAM', `weights must be finite and ≥ 0, got ${weights}.`);
    }
    return null;
  }
  const ws = listShape(weights, 'weights');
  const ok = (ws[0] === shape[0] && ws[1] === shape[1]) || (ws[0] === shape[0] && ws[1] === 1);
  if (!ok) {
    throw new HitrankError(
      'E_SHAPE',
      `weights have shape [${ws.join(', ')}]; expected the labels' shape [${shape.join(', ')}] or per-list [${shape[0]}, 1].`,
    );
  }
  if (!isTensor(weights)) {
    const rows: ArrayLike<number>[] = ws[0] === 1 && !(weights.length > 0 && typeof weights[0] === 'object')
      ? [weights as ArrayLike<number>]
      : Array.from(weights as ArrayLike<ArrayLike<number>>);
    rows.forEach((r, l) => {
      assertFinite(r, `weights[${l}]`);
      for (let i = 0; i < r.length; i++) {
        if (r[i] < 0) throw new HitrankError('E_PARAM', `weights must be ≥ 0, got ${r[i]} at [${l}][${i}].`);
      }
    });
  }
  return ws;
}

/**
 * ListNet-style listwise loss, defined exactly as TensorFlow Ranking's
 * `SoftmaxLoss` (`tensorflow_ranking/python/losses_impl.py`, classes
 * `SoftmaxLoss` and `_ListwiseLoss`; `tfr.keras.losses.SoftmaxLoss`) — beyond
 * the paper. For each list l with scores s and labels y:
 *
 *     valid_i  = y_i ≥ 0                      (TF-Ranking `is_label_valid`)
 *     y_i      ← valid_i ? y_i·weight_i : 0     (`precompute`: masked, then `labels *= weights`)
 *     s_i      ← valid_i ? s_i / T : ln(1e−10)  (invalid items ≈ drop out of the softmax)
 *     w_l      = Σ_i y_i                        (the list weight)
 *     p_i      = y_i / w_l   if w_l > 0, else uniform (labels padded to 1e−10)
 *     CE_l     = −Σ_i p_i · log softmax(s)_i   (`softmax_cross_entropy_with_logits_v2`)
 *     loss     = Σ_l w_l · CE_l / D
 *
 * with D = nLists for `reduction: 'sumOverBatchSize'` (default, Keras `AUTO`)
 * or D = #{l : w_l ≠ 0} for `'sumByNonzeroWeights'` (the estimator default;
 * 0 when no list counts). So for one list with a positive label sum the loss
 * is −Σ_i y_i · log softmax(s)_i — the Keras docstring's definition.
 *
 * Non-positive label sums: a list whose valid, weighted labels sum to ≤ 0
 * (all zero, or all negative = "invalid" in TF-Ranking) gets the uniform
 * distribution and weight w_l = 0, so it adds 0 with zero gradient; it still
 * counts in D under `'sumOverBatchSize'`. Negative labels mark padding, as in
 * TF-Ranking: use this loss with non-negative targets (raw market shares or
 * `negInvLog10`-transformed scores), not z-scores.
 *
 * @param scores - predicted scores: one list (`Tensor1D`, array) or a batch `[nLists, listSize]`.
 * @param labels - true relevance (hit scores) of the same shape; negative = invalid/padding.
 * @param opts - {@link ListnetLossOptions}: `weights`, `reduction` (`'sumOverBatchSize'`), `temperature` (1).
 * @returns a scalar tensor (the caller disposes it), differentiable w.r.t. `scores`.
 * @throws `E_SHAPE` for mismatched shapes, `E_EMPTY` for empty lists, `E_PARAM` for bad options, `E_NAN` for non-finite arrays.
 * @example
 * ```ts
 * listnetLoss([0.6, 0.8], [1, 0]);                               // 0.7981389 (TF-Ranking docstring)
 * listnetLoss([[0.6, 0.8, 0], [0.5, 0.8, 0.4]], [[1, 0, -1], [0, 1, 0]]); // 0.83911896 (padded ragged batch)
 * ```
 */
export function listnetLoss(scores: ScoreLists, labels: ScoreLists, opts: ListnetLossOptions = {}): tf.Scalar {
  const reduction: ListReduction = opts.reduction ?? 'sumOverBatchSize';
  if (reduction !== 'sumOverBatchSize' && reduction !== 'sumByNonzeroWeights') {
    throw new HitrankError('E_PARAM', `reduction must be 'sumOverBatchSize' or 'sumByNonzeroWeights', got ${String(reduction)}.`);
  }
  const temperature = opts.temperature ?? 1;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new HitrankError('E_PARAM', `temperature must be a finite number > 0, got ${String(temperature)}.`);
  }
  const shape = listShape(scores, 'scores');
  const ls = listShape(labels, 'labels');
  if (ls[0] !== shape[0] || ls[1] !== shape[1]) {
    throw new HitrankError('E_SHAPE', `scores have shape [${shape.join(', ')}] but labels [${ls.join(', ')}]; expected equal shapes.`);
  }
  if (shape[0] === 0 || shape[1] === 0) {
    throw new HitrankError('E_EMPTY', `the lists are empty (shape [${shape.join(', ')}]); expected at least one item.`);
  }
  const weights = opts.weights;
  const weightShape = weights === undefined ? null : checkWeights(weights, shape);
  return tf.tidy(() => {
    const s = toLists(scores, shape, 'scores');
    const y = toLists(labels, shape, 'labels');
    const valid = tf.greaterEqual(y, 0);
    let lab: tf.Tensor2D = tf.where(valid, y, tf.zerosLike(y));
    const logits = tf.where(valid, tf.div(s, temperature), tf.fill(shape, Math.log(EPSILON)));
    if (typeof weights === 'number') lab = tf.mul(lab, weights);
    else if (weights !== undefined && weightShape) lab = tf.mul(lab, toLists(weights, weightShape, 'weights'));
    const labelSum = tf.sum(lab, 1, true); // [L, 1] — the list weights w_l
    // 1 where w_l > 0 (written with GreaterEqual, whose gradient is registered).
    const positive = tf.sub(1, tf.cast(tf.greaterEqual(0, labelSum), 'float32'));
    const padded = tf.add(tf.mul(lab, positive), tf.mul(tf.sub(1, positive), EPSILON));
    const p = tf.div(padded, tf.sum(padded, 1, true));
    const ce = tf.neg(tf.sum(tf.mul(p, tf.logSoftmax(logits)), 1)); // [L]
    const total = tf.sum(tf.mul(ce, tf.reshape(labelSum, [shape[0]])));
    const denom = reduction === 'sumOverBatchSize' ? tf.scalar(shape[0]) : tf.maximum(tf.sum(positive), 1);
    return tf.div(total, denom) as tf.Scalar;
  });
}
