import type * as tf from '@tensorflow/tfjs-core';

/**
 * A vector of scores or labels: a `tf.Tensor1D` (or a `[B, 1]` column tensor,
 * as a tfjs-layers model outputs), or a plain array / typed array of numbers.
 * Arrays are converted to float32 tensors inside the loss (and disposed).
 */
export type ScoreVector = tf.Tensor | ArrayLike<number>;

/**
 * How a pair with tied labels (yi = yj) enters a pairwise loss (Eq. 2 of the
 * paper and its variants). δ(yi, yj) = +1 if yi > yj and −1 if yi < yj for all
 * three; they differ only on ties.
 *
 * - `'skip'` (default, as TensorFlow Ranking, which forms pairs only for
 *   l_i > l_j): a tied pair is left out of both the sum and the count P. When
 *   every pair is tied the loss is 0 with zero gradient (no 0/0).
 * - `'paper'`: the paper's literal text, "δ = 1 if yi ≥ yj": a tied pair counts
 *   with δ = +1 and P = B (the number of pairs).
 * - `'delta0'`: δ = sign(yi − yj) = 0 on ties, P = B, so a tied pair adds the
 *   constant hinge `m` (or log 2 for {@link ranknetLoss}) with zero gradient —
 *   `torch.nn.MarginRankingLoss(margin)(fi, fj, torch.sign(yi - yj))`.
 */
export type TieConvention = 'skip' | 'paper' | 'delta0';

/** Options of {@link rankHingeLoss} (paper Eq. 2). */
export interface RankHingeLossOptions {
  /** Margin m of Eq. 2 (≥ 0, finite); default 1 (DESIGN §2, on the transformed-target scale). */
  margin?: number;
  /** Tie convention, default `'skip'`; see {@link TieConvention}. */
  ties?: TieConvention;
}

/** Options of {@link ranknetLoss} (pairwise logistic loss). */
export interface RanknetLossOptions {
  /** Tie convention, default `'skip'` (as TF-Ranking); see {@link TieConvention}. */
  ties?: TieConvention;
}

/** Names of the pairwise ranking terms that {@link multiObjectiveLoss} can combine with the rate term. */
export type RankTermName = 'rankHinge' | 'ranknet';

/** Options of {@link multiObjectiveLoss} and {@link multiObjectiveLossParts} (paper Eq. 3). */
export interface MultiObjectiveLossOptions {
  /** Margin m of the hinge term (Eq. 2), default 1; ignored by `rank: 'ranknet'`. */
  margin?: number;
  /** Weight w ∈ [0, 1] of the ranking term; default 0.5 (DESIGN §2). `w = 0` is the rating-only loss. */
  w?: number;
  /** Tie convention of the ranking term, default `'skip'`; see {@link TieConvention}. */
  ties?: TieConvention;
  /** Which pairwise term to use: `'rankHinge'` (Eq. 2, default, the paper) or `'ranknet'` (logistic). */
  rank?: RankTermName;
}

/** The two terms of Eq. 3 and their weighted sum, as returned by {@link multiObjectiveLossParts}. */
export interface MultiObjectiveLossParts {
  /** (1 − w)·rate + w·rank — the differentiable training loss. */
  loss: tf.Scalar;
  /** Eq. 1 over both songs of every pair (MSE of concat(fi, fj) vs concat(yi, yj)). */
  rate: tf.Scalar;
  /** The pairwise ranking term (Eq. 2 hinge, or RankNet). */
  rank: tf.Scalar;
}

/** How {@link fuseScores} combines the audio branch a and the tag branch b. */
export type FusionMode = 'convex' | 'additive';

/** Options of {@link fuseScores} (paper Eq. 4). */
export interface FuseScoresOptions {
  /** Weight μ ∈ [0, 1] of the tag branch; default 0.5 (DESIGN §2 and the authors' code). */
  mu?: number;
  /**
   * `'convex'` (default, Eq. 4 and the authors' training path): (1 − μ)·a + μ·b;
   * `'additive'`: a + μ·b — the authors' released scoring path (`pt + 0.5·tag`,
   * HSP_CNN `-ps`), needed to reproduce their released outputs.
   */
  mode?: FusionMode;
}

/** Reductions of {@link listnetLoss} over a batch of lists, named as in TensorFlow. */
export type ListReduction = 'sumOverBatchSize' | 'sumByNonzeroWeights';

/** Options of {@link listnetLoss} (TF-Ranking `SoftmaxLoss`). */
export interface ListnetLossOptions {
  /**
   * Per-item weights (same shape as `labels`), per-list weights (`[nLists, 1]`
   * for a 2-D batch) or one number; multiplied into the labels before they are
   * normalised, exactly as TF-Ranking's `SoftmaxLoss.precompute`
   * (`labels *= weights`). Must be ≥ 0. Default: no weights.
   */
  weights?: number | ScoreLists;
  /**
   * `'sumOverBatchSize'` (default; `tfr.keras.losses.SoftmaxLoss()` with Keras'
   * `AUTO` reduction): Σ_l w_l·CE_l / nLists. `'sumByNonzeroWeights'`
   * (`tfr.losses.make_loss_fn('softmax_loss')`, the estimator default):
   * Σ_l w_l·CE_l / #{l : w_l ≠ 0}, 0 if no list has a positive label sum.
   * Both equal w·CE for a single list.
   */
  reduction?: ListReduction;
  /** Scores are divided by this before the softmax (TF-Ranking `temperature`); default 1. */
  temperature?: number;
}

/**
 * One list of scores or labels (`Tensor1D`, array) or a batch of lists
 * (`Tensor2D` `[nLists, listSize]`, array of equal-length arrays), as taken by
 * {@link listnetLoss}.
 */
export type ScoreLists = tf.Tensor | ArrayLike<number> | ArrayLike<number>[];
