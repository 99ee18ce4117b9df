import * as tf from '@tensorflow/tfjs-core';
import { pairOrder } from './pairOrder.js';
import { checkMargin, checkTies, pairLength, toVector } from './scoreVector.js';
import type { RankHingeLossOptions, ScoreVector, TieConvention } from './types.js';

/**
 * max(0, x) with the subgradient of `torch.clamp(x, min=0)`: 1 at x = 0, so a
 * pair exactly at the kink counts as active. (`tf.relu` backpropagates 0 at 0,
 * like `torch.relu`; written as x·[x ≥ 0] so the convention does not depend on
 * how a tfjs version differentiates `relu`/`maximum`.)
 */
export function clampMin0(x: tf.Tensor1D): tf.Tensor1D {
  return tf.mul(x, tf.cast(tf.greaterEqual(x, 0), 'float32')) as tf.Tensor1D;
}

/** The Eq. 2 term on prepared tensors (inside tidy). */
export function rankHingeTerm(
  fi: tf.Tensor1D,
  fj: tf.Tensor1D,
  yi: ScoreVector,
  yj: ScoreVector,
  b: number,
  margin: number,
  ties: TieConvention,
): tf.Scalar {
  const { delta, counted, denom } = pairOrder(yi, yj, ties, b);
  const arg = tf.sub(tf.scalar(margin), tf.mul(delta, tf.sub(fi, fj))) as tf.Tensor1D;
  return tf.div(tf.sum(tf.mul(clampMin0(arg), counted)), denom) as tf.Scalar;
}

/**
 * The pairwise ranking (hinge) loss of the paper, Eq. 2:
 *
 *     loss_rank = (1/P) · Σ_p max(0, m − δ(yi_p, yj_p) · (fi_p − fj_p))
 *
 * over B pairs (fi_p, fj_p) = (f(x_i), f(x_j)) of a Siamese batch, with
 * δ = +1 if yi > yj, −1 if yi < yj, and the tie rule of `ties`
 * ({@link TieConvention}; P = number of counted pairs).
 *
 * PyTorch equivalent: `torch.nn.MarginRankingLoss(margin=m)(fi, fj, δ)` over
 * the counted pairs (`'delta0'`: over all pairs with δ = sign(yi − yj)) —
 * including its subgradient 1 at the kink m − δ·Δf = 0 (`clamp_min(0)`): a pair
 * exactly on the margin is active. TF-Ranking: `PairwiseHingeLoss`
 * (`relu(1 − (s_i − s_j))` for l_i > l_j) equals it in value for m = 1 and the
 * `'skip'` rule, on B two-item lists with the estimator reduction
 * `SUM_BY_NONZERO_WEIGHTS`; only at the kink does it differ, since `tf.nn.relu`
 * (like `torch.relu`) backpropagates 0 there. δ and the tie mask depend on the
 * labels only; no gradient flows into yi, yj.
 *
 * @param fi - scores of the first song of each pair (`Tensor1D`, `[B, 1]` or array).
 * @param fj - scores of the second song of each pair, same length B.
 * @param yi - true (transformed) hit scores of the first songs; arrays are ordered in float64.
 * @param yj - true (transformed) hit scores of the second songs.
 * @param opts - {@link RankHingeLossOptions}: `margin` (1), `ties` (`'skip'`).
 * @returns a scalar tensor (the caller disposes it); 0 with zero gradient when no pair counts.
 * @throws `E_SHAPE` on unequal lengths, `E_EMPTY` for B = 0, `E_PARAM` for a bad option, `E_NAN` for non-finite arrays.
 * @example
 * ```ts
 * // pair 0 ordered right but inside the margin, pair 1 mis-ranked:
 * rankHingeLoss([0.8, 0.1], [0.2, 0.9], [3, 3], [1, 1]); // ((1 − 0.6) + (1 + 0.8)) / 2 = 1.1
 * ```
 */
export function rankHingeLoss(
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts: RankHingeLossOptions = {},
): tf.Scalar {
  const margin = checkMargin(opts.margin ?? 1);
  const ties = checkTies(opts.ties ?? 'skip');
  const b = pairLength(fi, fj, yi, yj);
  return tf.tidy(() => rankHingeTerm(toVector(fi, 'fi'), toVector(fj, 'fj'), yi, yj, b, margin, ties));
}
