/**
 * The paper's "@10 %" cut-off: how many songs make up the top fraction of a
 * test set, and which songs they are.
 *
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import { argsortStable } from './argsort.js';
import { checkArrayLike } from './validate.js';

/**
 * Number of songs in the top `topFraction` of a set of `n` songs:
 * `k = max(1, ceil(n · topFraction))`, computed **exactly** — never as a
 * floating-point product: `0.07 * 100` is `7.000000000000001` in binary
 * floating point, so `Math.ceil(0.07 * 100)` gives 8 instead of 7 (and any
 * "subtract an epsilon first" fix misrounds other inputs).
 *
 * How: `topFraction` is read as the shortest decimal that round-trips to the
 * same double (`String(0.1)` is `"0.1"`, `String(0.15)` is `"0.15"`), i.e.
 * as the decimal the user typed, written `num / 10^d`; then
 * `k = max(1, ⌊(n·num + 10^d − 1) / 10^d⌋)` in BigInt integer arithmetic.
 * For the paper's `0.1` this is `max(1, ⌊(n + 9) / 10⌋)` — the rule of the
 * metric fixtures (`n = 15 → 2`, `25 → 3`, `30 → 3`, `1500 → 150`, the
 * paper's test set). A fraction with no short decimal (e.g. `1/3`) is taken
 * as its 17-digit decimal, which is within 1e-16 of the intended value.
 *
 * @param n - number of songs (integer ≥ 1).
 * @param topFraction - fraction in (0, 1]; the paper uses 0.1.
 * @returns k, an integer in [1, n].
 * @throws HitrankError `E_PARAM` for a non-integer `n` < 1 or a fraction
 *   outside (0, 1].
 *
 * @example
 * ```ts
 * topFractionK(1500, 0.1); // 150
 * topFractionK(30, 0.1);   // 3
 * topFractionK(100, 0.07);  // 7 (Math.ceil(0.07 * 100) would say 8)
 * ```
 */
export function topFractionK(n: number, topFraction = 0.1): number {
  assertInteger(n, 'n', 1);
  if (typeof topFraction !== 'number' || !(topFraction > 0 && topFraction <= 1)) {
    throw new HitrankError('E_PARAM', `topFraction must be a number in (0, 1], got ${String(topFraction)}.`);
  }
  const { num, den } = shortestDecimal(topFraction);
  const k = (BigInt(n) * num + den - 1n) / den;
  return Math.max(1, Number(k));
}

/** num / den = the shortest round-trip decimal of a positive finite double. */
function shortestDecimal(x: number): { num: bigint; den: bigint } {
  const s = String(x); // shortest round-trip form, e.g. "0.1", "1e-7", "2.5e-8"
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new HitrankError('E_PARAM', `topFraction ${s} is not a plain positive number.`);
  const intPart = m[1];
  const frac = m[2] ?? '';
  const exp = m[3] ? Number(m[3]) : 0;
  let num = BigInt(intPart + frac);
  let scale = frac.length - exp; // value = num · 10^(−scale)
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { num, den: 10n ** BigInt(scale) };
}

/**
 * Indices of the `k` songs with the highest **true** score, best first; ties
 * go to the lower original index — exactly
 * `numpy.argsort(-trueScores, kind='stable')[:k]`, the subset the paper's
 * Kendall@10 % and Spearman@10 % are computed on.
 *
 * @param trueScores - true hit scores (finite numbers; kept in float64).
 * @param k - how many to return (integer ≥ 1; clipped to the length).
 * @returns an Int32Array of `min(k, n)` indices in rank order.
 * @throws HitrankError `E_EMPTY`, `E_NAN`, `E_PARAM`.
 */
export function topKIndices(trueScores: ArrayLike<number>, k: number): Int32Array {
  checkArrayLike(trueScores, 'trueScores');
  if (trueScores.length === 0) throw new HitrankError('E_EMPTY', 'trueScores is empty; expected at least one song.');
  assertInteger(k, 'k', 1);
  for (let i = 0; i < trueScores.length; i++) {
    if (!Number.isFinite(trueScores[i])) {
      throw new HitrankError('E_NAN', `trueScores contain ${trueScores[i]} at index ${i}; expected finite numbers.`);
    }
  }
  return argsortStable(trueScores, true).slice(0, Math.min(k, trueScores.length));
}
