/**
 * Normalised discounted cumulative gain, as scikit-learn's `ndcg_score`.
 *
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import { argsortStable } from './argsort.js';
import { checkPairedScores } from './validate.js';

/** Options of {@link ndcgAtK}. */
export interface NdcgOptions {
  /**
   * `false` (default, as sklearn): tied predicted scores share their gain —
   * every position of a group of equal predictions gets the group's mean true
   * score (McSherry & Najork 2008), also when the group straddles the cut-off.
   * `true`: ignore ties; items are ranked by predicted score, and ties take the
   * lower index first. sklearn's `ignore_ties=True` uses an unstable sort, so
   * with tied predictions its value is implementation-defined; without ties
   * the two settings agree to about 1 ulp.
   */
  ignoreTies?: boolean;
}

/**
 * nDCG@k with linear gains (the true scores themselves) and the discount
 * `1 / log2(rank + 1)`, rank starting at 1 — the same number as
 * scikit-learn's `ndcg_score([trueScores], [predicted], k=k,
 * ignore_ties=...)` (checked against sklearn 1.2.1 to 1e-12 relative).
 *
 * - The whole list is ranked by `predicted`; the top `k` positions count.
 * - The ideal DCG (the normaliser) comes from the `k` largest true scores,
 *   summed with the ignore-ties rule as sklearn does; so with tied true
 *   scores the result can exceed 1 by an ulp (sklearn gives
 *   `1.0000000000000002` for constant true scores). It is not clamped.
 * - All-zero true scores (ideal DCG = 0) give 0, as sklearn.
 * - `k` larger than the list is treated as the list length, as sklearn.
 *
 * Inputs are read as float64 (keep them in `number[]` or `Float64Array`:
 * rounding predictions through float32 can create ties and change the value).
 * Runs in O(n) for the ranking (radix argsort) plus O(k).
 *
 * @param trueScores - true relevance (hit scores): finite and ≥ 0.
 * @param predicted - predicted scores, one per song (any finite numbers).
 * @param k - cut-off (integer ≥ 1); omit for the whole list (sklearn `k=None`).
 * @param options - see {@link NdcgOptions}.
 * @returns the nDCG in [0, 1] (up to 1 ulp above 1).
 * @throws HitrankError `E_SHAPE` (lengths differ), `E_EMPTY`, `E_NAN` (NaN or
 *   ±Infinity), `E_TOO_SHORT` (fewer than 2 songs — sklearn refuses a single
 *   document too), `E_PARAM` (negative true score — sklearn ≥ 1.4 raises as
 *   well — or a bad `k`).
 *
 * @example
 * ```ts
 * ndcgAtK([10, 0, 0, 1, 5], [0.1, 0.2, 0.3, 4, 70], 4); // ≈ 0.41238 (sklearn: 0.4123818817534531)
ndcgAtK([10, 0, 0, 1, 5], [1, 0, 0, 0, 1], 1);           // 0.75: the tied top pair shares its gain
 * ```
 */
export function ndcgAtK(
  trueScores: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k?: number,
  options: NdcgOptions = {},
): number {
  const n = checkPairedScores(trueScores, predicted, 'trueScores', 'predicted');
  checkNdcgInputs(trueScores, n);
  let kk = n;
  if (k !== undefined) {
    assertInteger(k, 'k', 1);
    kk = Math.min(k, n);
  }
  return ndcgCore(trueScores, predicted, kk, options.ignoreTies === true);
}

/**
 * Throws `E_TOO_SHORT` for n < 2 and `E_PARAM` for negative true scores.
 *
 * @param trueScores - true scores (already checked finite).
 * @param n - their count.
 * @internal
 */
export function checkNdcgInputs(trueScores: ArrayLike<number>, n: number): void {
  if (n < 2) {
    throw new HitrankError(
      'E_TOO_SHORT',
      `nDCG needs at least 2 songs, got ${n} (sklearn's ndcg_score refuses a single document too).`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (trueScores[i] < 0) {
      throw new HitrankError(
        'E_PARAM',
        `trueScores[${i}] = ${trueScores[i]} is negative; nDCG gains must be ≥ 0 (hit scores are market shares).`,
      );
    }
  }
}

/** sklearn's discount `1 / (log(r + 2) / log(2))` for 0-based rank r < k. */
function discounts(k: number): Float64Array {
  const d = new Float64Array(k);
  for (let r = 0; r < k; r++) d[r] = 1 / (Math.log(r + 2) / Math.LN2);
  return d;
}

/**
 * nDCG on validated input with 1 ≤ k ≤ n. `trueOrder`, when given, must be the
 * stable descending argsort of `trueScores` (reused by `evaluateRanking`).
 *
 * @param trueScores - validated true scores (≥ 0).
 * @param predicted - validated predictions.
 * @param k - cut-off, 1 ≤ k ≤ n.
 * @param ignoreTies - sklearn's `ignore_ties`.
 * @param trueOrder - optional precomputed descending order of `trueScores`.
 * @returns the nDCG.
 * @internal
 */
export function ndcgCore(
  trueScores: ArrayLike<number>,
  predicted: ArrayLike<number>,
  k: number,
  ignoreTies: boolean,
  trueOrder?: Int32Array,
): number {
  const n = trueScores.length;
  const disc = discounts(k);

  // Ideal DCG: the k largest true scores, in order (sklearn: ignore-ties path on y_true).
  const order = trueOrder ?? argsortStable(trueScores, true);
  let idcg = 0;
  for (let r = 0; r < k; r++) idcg += trueScores[order[r]] * disc[r];

  const byPred = argsortStable(predicted, true);
  let dcg = 0;
  if (ignoreTies) {
    for (let r = 0; r < k; r++) dcg += trueScores[byPred[r]] * disc[r];
  } else {
    // Tie-averaged DCG (sklearn `_tie_averaged_dcg`): groups of equal predictions,
    // each contributes mean(gain) × (sum of its discounts), the latter taken as a
    // difference of the running discount sum, which stays constant after rank k.
    let cumPrev = 0; // discount cumsum up to the previous group's last rank
    let cum = 0;
    let r = 0;
    let pos = 0;
    while (pos < n && pos < k) {
      const v = predicted[byPred[pos]];
      let end = pos + 1;
      while (end < n && predicted[byPred[end]] === v) end++;
      let gain = 0;
      // np.add.at accumulates in index order; a stable sort keeps the group in index order.
      for (let i = pos; i < end; i++) gain += trueScores[byPred[i]];
      const mean = gain / (end - pos);
      const last = Math.min(end, k);
      for (; r < last; r++) cum += disc[r];
      dcg += mean * (cum - cumPrev);
      cumPrev = cum;
      pos = end;
    }
  }
  if (idcg === 0) return 0;
  return dcg / idcg;
}
