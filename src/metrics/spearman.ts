/**
 * Spearman's ρ, as `scipy.stats.spearmanr`, and average ranks, as
 * `scipy.stats.rankdata`.
 *
 * @module
 */
import { argsortStable } from './argsort.js';
import { checkArrayLike, checkPairedScores } from './validate.js';
import { assertFinite } from '../errors.js';

/**
 * Ranks with ties averaged, 1-based — `scipy.stats.rankdata(x)` (its default
 * `method='average'`): the smallest value gets rank 1, a group of equal values
 * shares the mean of the ranks it spans.
 *
 * @param x - finite numbers.
 * @returns a Float64Array of ranks (half-integers where ties are averaged).
 * @throws HitrankError `E_PARAM` (not an array), `E_NAN`.
 *
 * @example
 * ```ts
 * rankData([10, 20, 10, 5]); // Float64Array [2.5, 4, 2.5, 1]
 * ```
 */
export function rankData(x: ArrayLike<number>): Float64Array {
  checkArrayLike(x, 'x');
  assertFinite(x, 'x');
  return rankCore(x);
}

/**
 * Average ranks on validated input.
 *
 * @param x - finite numbers.
 * @returns 1-based average ranks.
 * @internal
 */
export function rankCore(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = argsortStable(x);
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    const v = x[order[start]];
    let end = start + 1;
    while (end < n && x[order[end]] === v) end++;
    const avg = (start + 1 + end) / 2; // mean of 1-based ranks start+1 .. end
    for (let i = start; i < end; i++) ranks[order[i]] = avg;
    start = end;
  }
  return ranks;
}

/**
 * Spearman's rank correlation ρ — the Pearson correlation of the average
 * ranks, equal to `scipy.stats.spearmanr(a, b).correlation` (checked against
 * scipy 1.10.1 to 1e-12). O(n) ranking (radix argsort) plus compensated sums,
 * so it stays accurate for 10⁶ values.
 *
 * @param a - first sample (finite numbers, float64).
 * @param b - second sample, same length.
 * @returns ρ in [−1, 1], or **NaN when it is undefined**: fewer than 2
 *   values, or either input constant (scipy returns NaN with a
 *   `ConstantInputWarning` there).
 * @throws HitrankError `E_SHAPE` (lengths differ), `E_EMPTY`, `E_NAN` (NaN or
 *   ±Infinity — scipy would propagate NaN; hitrank throws instead).
 *
 * @example
 * ```ts
 * spearmanRho([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]); // ≈ 0.82078 (scipy: 0.8207826816681233)
 * ```
 */
export function spearmanRho(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPairedScores(a, b, 'a', 'b');
  return spearmanCore(a, b);
}

/**
 * ρ on validated input.
 *
 * @param a - first sample.
 * @param b - second sample.
 * @returns ρ or NaN.
 * @internal
 */
export function spearmanCore(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  if (isConstant(a) || isConstant(b)) return NaN;
  const ra = rankCore(a);
  const rb = rankCore(b);
  return pearsonOfRanks(ra, rb);
}

function isConstant(x: ArrayLike<number>): boolean {
  const v = x[0];
  for (let i = 1; i < x.length; i++) if (x[i] !== v) return false;
  return true;
}

/**
 * Pearson correlation of two rank vectors, in numpy.corrcoef's order of
 * operations (cov / n−1, then divided by each standard deviation), with
 * Neumaier-compensated sums. The mean of 1-based average ranks is exactly
 * (n + 1) / 2.
 */
function pearsonOfRanks(ra: Float64Array, rb: Float64Array): number {
  const n = ra.length;
  const m = (n + 1) / 2;
  let sxy = 0;
  let cxy = 0;
  let sxx = 0;
  let cxx = 0;
  let syy = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    const dx = ra[i] - m;
    const dy = rb[i] - m;
    let t = dx * dy;
    let s = sxy + t;
    cxy += Math.abs(sxy) >= Math.abs(t) ? sxy - s + t : t - s + sxy;
    sxy = s;
    t = dx * dx;
    s = sxx + t;
    cxx += sxx >= t ? sxx - s + t : t - s + sxx;
    sxx = s;
    t = dy * dy;
    s = syy + t;
    cyy += syy >= t ? syy - s + t : t - s + syy;
    syy = s;
  }
  const fact = n - 1;
  const covXY = (sxy + cxy) / fact;
  const varX = (sxx + cxx) / fact;
  const varY = (syy + cyy) / fact;
  const r = covXY / Math.sqrt(varX) / Math.sqrt(varY);
  return Math.min(1, Math.max(-1, r));
}
