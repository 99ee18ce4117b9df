/**
 * Kendall's τ-b in O(n log n) (Knight 1966), as `scipy.stats.kendalltau`.
 *
 * @module
 */
import { type SortedKeys, sortKeys } from './argsort.js';
import { checkPairedScores } from './validate.js';

/**
 * Kendall's rank correlation τ-b (ties in either input handled), equal to
 * `scipy.stats.kendalltau(a, b).correlation` with scipy's defaults
 * (`variant='b'`): `τ_b = (n_c − n_d) / √((n₀ − n₁)(n₀ − n₂))`, where
 * n₀ = n(n−1)/2, n₁ / n₂ = pairs tied in `a` / in `b`.
 *
 * Knight's algorithm, as scipy: sort by (a, b) with two stable radix
 * argsorts, then count the discordant pairs as the inversions of the b-ranks —
 * with a Fenwick tree over the ranks (as scipy's `_kendall_dis`), or an
 * iterative merge sort when there are more than 4·10⁶ distinct b values.
 * O(n log n) time, O(n) memory, typed arrays throughout (10⁶ pairs of values
 * in about the time scipy takes, see `bench/metrics.ts`). All counts are exact
 * integers (below 2^53 for n < 1.3·10⁸); the final expression is evaluated in
 * scipy's order (`(n_c − n_d) / √(n₀ − n₁) / √(n₀ − n₂)`) and clipped to
 * [−1, 1].
 *
 * @param a - first sample (finite numbers, float64).
 * @param b - second sample, same length.
 * @returns τ-b in [−1, 1], or **NaN when it is undefined**: fewer than 2
 *   values, or either input constant (scipy returns NaN there too).
 * @throws HitrankError `E_SHAPE` (lengths differ), `E_EMPTY`, `E_NAN` (NaN or
 *   ±Infinity — scipy would propagate NaN; hitrank never returns a silent NaN
 *   for bad input).
 *
 * @example
 * ```ts
 * kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]); // 0.6666666666666669 (4/√6/√6, as scipy)
 * ```
 */
export function kendallTauB(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkPairedScores(a, b, 'a', 'b');
  return kendallCore(a, b);
}

/**
 * τ-b on validated input.
 *
 * @param x - first sample.
 * @param y - second sample.
 * @returns τ-b or NaN.
 * @internal
 */
export function kendallCore(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;

  // Sort by y: dense y-ranks along the y order, and the number of pairs tied in y.
  const sy = sortKeys(y);
  const yEq = equalToPrevious(sy, y);
  const rankAlongY = new Int32Array(n);
  let ytie = 0;
  let r = 0;
  let run = 1;
  for (let i = 1; i < n; i++) {
    if (!yEq(i)) {
      r++;
      ytie += (run * (run - 1)) / 2;
      run = 1;
    } else {
      run++;
    }
    rankAlongY[i] = r;
  }
  ytie += (run * (run - 1)) / 2;

  // Stable sort by x starting from the y order — lexicographic (x, y) — carrying the
  // y-ranks along: seq = y-ranks in (x, y) order.
  const sx = sortKeys(x, false, sy.order, rankAlongY);
  const seq = sx.order;
  const xEq = equalToPrevious(sx, x);

  // Pairs tied in x, and tied in both.
  let xtie = 0;
  let ntie = 0;
  let xrun = 1;
  let jrun = 1;
  for (let i = 1; i < n; i++) {
    if (xEq(i)) {
      xrun++;
      if (seq[i] === seq[i - 1]) jrun++;
      else {
        ntie += (jrun * (jrun - 1)) / 2;
        jrun = 1;
      }
    } else {
      xtie += (xrun * (xrun - 1)) / 2;
      ntie += (jrun * (jrun - 1)) / 2;
      xrun = 1;
      jrun = 1;
    }
  }
  xtie += (xrun * (xrun - 1)) / 2;
  ntie += (jrun * (jrun - 1)) / 2;

  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return NaN;
  const dis = r + 1 <= FENWICK_MAX ? countInversionsFenwick(seq, r + 1) : countInversions(seq);
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  const tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  return Math.min(1, Math.max(-1, tau));
}

/** `eq(i)`: is the i-th sorted value equal to the (i−1)-th? From the sorted keys when available. */
function equalToPrevious(s: SortedKeys, v: ArrayLike<number>): (i: number) => boolean {
  const { hi, lo, items } = s;
  if (hi && lo) return (i) => hi[i] === hi[i - 1] && lo[i] === lo[i - 1];
  const it = items as Int32Array;
  return (i) => v[it[i]] === v[it[i - 1]];
}

const BLOCK = 16;
/** Largest number of distinct ranks for which the Fenwick count is used (tree ≤ 16 MB). */
const FENWICK_MAX = 1 << 22;

/**
 * Number of pairs i < j with seq[i] > seq[j] (strict) for values in [0, r), with
 * a Fenwick tree over the values — O(n log r); faster than merging for
 * r ≤ 4·10⁶ (the tree stays in cache), and much faster with many ties.
 *
 * @param seq - integer sequence with values in [0, r) (not modified).
 * @param r - number of distinct values (upper bound).
 * @returns the inversion count (exact, as a double).
 * @internal
 */
export function countInversionsFenwick(seq: Int32Array, r: number): number {
  const tree = new Int32Array(r + 1);
  let inv = 0;
  for (let i = 0; i < seq.length; i++) {
    const v = seq[i] + 1;
    let notGreater = 0;
    for (let k = v; k > 0; k -= k & -k) notGreater += tree[k];
    inv += i - notGreater;
    for (let k = v; k <= r; k += k & -k) tree[k]++;
  }
  return inv;
}

/**
 * Number of pairs i < j with seq[i] > seq[j] (strict), by insertion sort on
 * blocks of 16 and an iterative bottom-up merge sort. Sorts `seq` in place.
 *
 * @param seq - integer sequence (modified).
 * @returns the inversion count (exact, as a double).
 * @internal
 */
export function countInversions(seq: Int32Array): number {
  const n = seq.length;
  let inv = 0;
  for (let lo = 0; lo < n; lo += BLOCK) {
    const hi = Math.min(lo + BLOCK, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = seq[i];
      let j = i - 1;
      while (j >= lo && seq[j] > v) {
        seq[j + 1] = seq[j];
        j--;
      }
      inv += i - 1 - j;
      seq[j + 1] = v;
    }
  }
  let src: Int32Array = seq;
  let dst: Int32Array = new Int32Array(n);
  for (let width = BLOCK; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let o = lo;
      if (mid >= hi || src[mid - 1] <= src[mid]) {
        // Already ordered (or no right run): copy.
        for (; i < hi; i++) dst[o++] = src[i];
        continue;
      }
      let a = src[i];
      let b = src[j];
      while (true) {
        if (a <= b) {
          dst[o++] = a;
          if (++i === mid) break;
          a = src[i];
        } else {
          dst[o++] = b;
          inv += mid - i;
          if (++j === hi) break;
          b = src[j];
        }
      }
      while (i < mid) dst[o++] = src[i++];
      while (j < hi) dst[o++] = src[j++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== seq) seq.set(src);
  return inv;
}
