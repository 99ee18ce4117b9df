/**
 * The paper's evaluation protocol (§4): nDCG@10 %, Kendall@10 %, Spearman@10 %.
 *
 * @module
 */
import { assertInteger } from '../errors.js';
import { argsortStable } from './argsort.js';
import { kendallCore } from './kendall.js';
import { checkNdcgInputs, ndcgCore } from './ndcg.js';
import { spearmanCore } from './spearman.js';
import { topFractionK } from './topFraction.js';
import { checkPairedScores } from './validate.js';

/** Options of {@link evaluateRanking}. */
export interface EvaluateRankingOptions {
  /**
   * Fraction of the test set that forms "the top" (default 0.1, the paper's
   * 10 %). k = max(1, ceil(n · topFraction)) computed exactly, see
   * {@link topFractionK}; for n = 1500 this is 150, as in the paper.
   */
  topFraction?: number;
  /** Explicit cut-off k (integer ≥ 1, clipped to n); overrides `topFraction`. */
  k?: number;
  /** Tie rule of the nDCG part (default `false`, sklearn's tie averaging); see {@link NdcgOptions}. */
  ignoreTies?: boolean;
}

/** The three numbers of the paper's Table 1 for one test set. */
export interface RankingEvaluation {
  /**
   * nDCG@k over the **whole** test ranking (everything ranked by prediction,
   * linear gains = true hit scores, log2 discount, ideal DCG from the k best
   * true scores) — sklearn `ndcg_score([trueScores], [predicted], k=k)`.
   */
  ndcg: number;
  /**
   * Kendall τ-b between true and predicted scores of the k songs with the
   * highest **true** score (ties at the boundary: lower index first). NaN when
   * undefined: k = 1 (any n ≤ 10 at 10 %) or a constant subset (scipy gives
   * NaN there too).
   */
  kendall: number;
  /** Spearman ρ on the same top-k subset; NaN in the same cases as `kendall`. */
  spearman: number;
  /** The cut-off k used (number of songs in the top subset). */
  k: number;
}

/**
 * Evaluates a predicted ranking the way the paper's Table 1 does (§4):
 *
 * 1. `k = max(1, ceil(n · topFraction))` (exact integer rounding — k = 150 for
 *    the paper's 1500-song test sets; see {@link topFractionK}).
 * 2. `ndcg` = nDCG@k of the whole test set ranked by `predicted`
 *    ({@link ndcgAtK}, sklearn's tie-averaged `ndcg_score` with `k`).
 * 3. The top-k subset by **true** score =
 *    `numpy.argsort(-trueScores, kind='stable')[:k]`.
 * 4. `kendall` = {@link kendallTauB} and `spearman` = {@link spearmanRho} of
 *    (trueScores, predicted) restricted to that subset.
 *
 * Undefined correlations are returned as **NaN**, never thrown: when k = 1
 * (n ≤ 10 at the default 10 %) or when the true or predicted scores of the
 * subset are all equal — scipy's `kendalltau`/`spearmanr` return NaN there.
 * Reproduces the metric fixtures (sklearn 1.2.1 / scipy 1.10.1) to 1e-12.
 *
 * @param trueScores - true hit scores of the test songs (finite, ≥ 0; keep
 *   them in float64).
 * @param predicted - predicted scores in the same order.
 * @param options - see {@link EvaluateRankingOptions}.
 * @returns `{ ndcg, kendall, spearman, k }`.
 * @throws HitrankError `E_SHAPE`, `E_EMPTY`, `E_NAN` (NaN/±Infinity),
 *   `E_TOO_SHORT` (n < 2: nDCG is undefined), `E_PARAM` (negative true score,
 *   bad `topFraction` or `k`).
 *
 * @example
 * ```ts
 * const { ndcg, kendall, spearman, k } = evaluateRanking(test.hitScores, scores);
 * ```
 */
export function evaluateRanking(
  trueScores: ArrayLike<number>,
  predicted: ArrayLike<number>,
  options: EvaluateRankingOptions = {},
): RankingEvaluation {
  const n = checkPairedScores(trueScores, predicted, 'trueScores', 'predicted');
  checkNdcgInputs(trueScores, n);
  let k: number;
  if (options.k !== undefined) {
    assertInteger(options.k, 'k', 1);
    k = Math.min(options.k, n);
  } else {
    k = topFractionK(n, options.topFraction ?? 0.1);
  }
  const trueOrder = argsortStable(trueScores, true);
  const ndcg = ndcgCore(trueScores, predicted, k, options.ignoreTies === true, trueOrder);
  const subTrue = new Float64Array(k);
  const subPred = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    subTrue[i] = trueScores[trueOrder[i]];
    subPred[i] = predicted[trueOrder[i]];
  }
  return { ndcg, kendall: kendallCore(subTrue, subPred), spearman: spearmanCore(subTrue, subPred), k };
}
