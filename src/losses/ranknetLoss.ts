import * as tf from '@tensorflow/tfjs-core';
import { pairOrder } from './pairOrder.js';
import { checkTies, pairLength, toVector } from './scoreVector.js';
import type { RanknetLossOptions, ScoreVector, TieConvention } from './types.js';

/** The RankNet term on prepared tensors (inside tidy). */
export function ranknetTerm(
  fi: tf.Tensor1D,
  fj: tf.Tensor1D,
  yi: ScoreVector,
  yj: ScoreVector,
  b: number,
  ties: TieConvention,
): tf.Scalar {
  const { delta, counted, denom } = pairOrder(yi, yj, ties, b);
  const perPair = tf.softplus(tf.neg(tf.mul(delta, tf.sub(fi, fj))));
  return tf.div(tf.sum(tf.mul(perPair, counted)), denom) as tf.Scalar;
}

/**
 * Pairwise logistic (RankNet) loss — beyond the paper, a smooth alternative to
 * the hinge of Eq. 2:
 *
 *     loss = (1/P) · Σ_p log(1 + exp(−δ(yi_p, yj_p) · (fi_p − fj_p)))
 *
 * computed stably as `softplus(−δ·Δf)` (no overflow for |Δf| in the hundreds),
 * with the same δ and tie rules as {@link rankHingeLoss} (P = counted pairs).
 *
 * Matches TensorFlow Ranking's `PairwiseLogisticLoss`
 * (`tensorflow_ranking/python/losses_impl.py`: per pair
 * `relu(−x) + log1p(exp(−|x|))` with x = s_i − s_j for l_i > l_j, ties and
 * invalid pairs excluded) reduced by `SUM_BY_NONZERO_WEIGHTS` (the default of
 * `tfr.losses.make_loss_fn`), i.e. the mean over the untied pairs, here on B
 * two-item lists. Two documented differences: (1) `tfr.keras.losses`' `AUTO`
 * reduction divides by the list size instead (its docstring example
 * `[[1, 0]], [[0.6, 0.8]] → 0.39906943` is half of our `0.7981389` for that
 * one pair); (2) the gradient at Δf = 0 is the true derivative −δ/2 per pair,
 * whereas TF-Ranking's `relu`/`abs` formulation backpropagates 0 there (both
 * subgradients are 0 at 0), which stalls training from equal scores.
 * PyTorch has no built-in; it is `F.softplus(-δ·(fi − fj)).mean()` over the
 * counted pairs. Negative labels are ordinary values here (no TF-Ranking
 * "invalid label" masking), so z-scored targets work.
 *
 * @param fi - scores of the first song of each pair.
 * @param fj - scores of the second song of each pair, same length B.
 * @param yi - true (transformed) hit scores of the first songs.
 * @param yj - true (transformed) hit scores of the second songs.
 * @param opts - {@link RanknetLossOptions}: `ties` (`'skip'`).
 * @returns a scalar tensor (the caller disposes it); 0 with zero gradient when no pair counts.
 * @throws `E_SHAPE` on unequal lengths, `E_EMPTY` for B = 0, `E_PARAM` for a bad option, `E_NAN` for non-finite arrays.
 * @example
 * ```ts
 * ranknetLoss([0.6], [0.8], [1], [0]); // log(1 + e^0.2) = 0.7981389
 * ```
 */
export function ranknetLoss(
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts: RanknetLossOptions = {},
): tf.Scalar {
  const ties = checkTies(opts.ties ?? 'skip');
  const b = pairLength(fi, fj, yi, yj);
  return tf.tidy(() => ranknetTerm(toVector(fi, 'fi'), toVector(fj, 'fj'), yi, yj, b, ties));
}
