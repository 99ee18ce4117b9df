/**
 * Score fusion of two models (paper §2.3 / Table 1 rows k–l: "A/B + artist"),
 * with the weight chosen on the validation set.
 *
 * @module
 */
import { HitrankError, assertFinite, assertInRange } from '../errors.js';
import { evaluateRanking, rankData, topFractionK } from '../metrics/index.js';

/** How the two score vectors are put on a common scale before averaging. */
export type FusionNormalization = 'none' | 'zscore' | 'rank';

/** Options of {@link fuseRankings}. */
export interface FuseOptions {
  /**
   * `'none'` (default): average the predicted hit scores as they are — the
   * paper's "taking the average of the hit scores they estimate"; right when
   * both models were trained on the same target scale. `'zscore'`: standardise
   * each vector first (mean 0, population sd 1; a constant vector becomes 0).
   * `'rank'`: replace each vector by its average ranks / n (scale-free).
   */
  normalize?: FusionNormalization;
}

/**
 * Fused scores `(1 − weight) · a + weight · b`, element-wise (after the
 * optional normalisation of each vector). `weight = 0.5` is the paper's plain
 * average of the A/B and artist models' estimates.
 *
 * @param a - scores of the first model (e.g. A/B sampling), finite.
 * @param b - scores of the second model (e.g. artist sampling), same length.
 * @param weight - weight of `b` in [0, 1] (default 0.5).
 * @param options - see {@link FuseOptions}.
 * @returns a new Float64Array.
 * @throws HitrankError `E_SHAPE`, `E_EMPTY`, `E_NAN`, `E_PARAM`.
 *
 * @example
 * ```ts
 * const fused = fuseRankings(abModelScores, artistModelScores, 0.5);
 * ```
 */
export function fuseRankings(a: ArrayLike<number>, b: ArrayLike<number>, weight = 0.5, options: FuseOptions = {}): Float64Array {
  checkTwo(a, b);
  assertInRange(weight, 'weight', 0, 1);
  const normalize = checkNormalize(options.normalize);
  return fuseChecked(normalized(a, normalize), normalized(b, normalize), weight);
}

function fuseChecked(a: ArrayLike<number>, b: ArrayLike<number>, w: number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (1 - w) * a[i] + w * b[i];
  return out;
}

function checkTwo(a: ArrayLike<number>, b: ArrayLike<number>, names = ['a', 'b']): void {
  for (const [x, name] of [[a, names[0]], [b, names[1]]] as const) {
    if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
      throw new HitrankError('E_PARAM', `${name} must be an array or typed array of numbers.`);
    }
  }
  if (a.length !== b.length) {
    throw new HitrankError('E_SHAPE', `${names[0]} has ${a.length} scores but ${names[1]} has ${b.length}; expected one per song.`);
  }
  if (a.length === 0) throw new HitrankError('E_EMPTY', `${names[0]} and ${names[1]} are empty.`);
  assertFinite(a, names[0]);
  assertFinite(b, names[1]);
}

function checkNormalize(v: FusionNormalization | undefined): FusionNormalization {
  const m = v ?? 'none';
  if (m !== 'none' && m !== 'zscore' && m !== 'rank') {
    throw new HitrankError('E_PARAM', `normalize must be 'none', 'zscore' or 'rank', got ${String(v)}.`);
  }
  return m;
}

function normalized(x: ArrayLike<number>, how: FusionNormalization): ArrayLike<number> {
  if (how === 'none') return x;
  const n = x.length;
  if (how === 'rank') {
    const r = rankData(x);
    for (let i = 0; i < n; i++) r[i] /= n;
    return r;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  const out = new Float64Array(n);
  if (sd > 0) for (let i = 0; i < n; i++) out[i] = (x[i] - mean) / sd;
  return out;
}

/** The validation metric {@link tuneFusionWeight} maximises (the paper's @10 % protocol). */
export type FusionMetric = 'spearman' | 'kendall' | 'ndcg';

/** Options of {@link tuneFusionWeight}. */
export interface TuneFusionOptions extends FuseOptions {
  /** Candidate weights in [0, 1] (default 0, 0.1, …, 1). */
  grid?: readonly number[];
  /**
   * Metric to maximise on the validation set (default `'spearman'`,
   * Spearman@10 %, the correlation on which the paper reports fusion's gain in
   * Table 1; `'ndcg'` = nDCG@10 %, `'kendall'` = Kendall@10 %).
   */
  metric?: FusionMetric;
  /** Top fraction of the protocol (default 0.1), see `evaluateRanking`. */
  topFraction?: number;
}

/** Result of {@link tuneFusionWeight}. */
export interface FusionTuning {
  /** The chosen weight of the second model. */
  weight: number;
  /** The metric at the chosen weight. */
  value: number;
  /** The candidate weights, in the order tried. */
  grid: number[];
  /** The metric at every candidate (NaN where undefined). */
  values: number[];
}

/**
 * Chooses the fusion weight on the validation set (paper §4: "with weights
 * also empirically determined from the validation set"): evaluates
 * `fuseRankings(valA, valB, w)` for every `w` in the grid with
 * `evaluateRanking(valTrue, ·)` and keeps the best `metric`. Ties (equal
 * values) go to the weight closest to 0.5 (the paper's plain average), then to
 * the smaller weight; NaN values are never chosen.
 *
 * @param valTrue - true hit scores of the validation songs (finite, ≥ 0).
 * @param valA - the first model's validation predictions.
 * @param valB - the second model's validation predictions.
 * @param options - see {@link TuneFusionOptions}.
 * @returns the chosen weight, its metric value and the whole grid.
 * @throws HitrankError `E_TOO_SHORT` (a correlation metric with a top-k of 1
 *   song, i.e. ≤ 10 validation songs at 10 %), `E_MISSING_DATA` (the metric is
 *   undefined at every weight, e.g. constant true scores in the top-k), plus
 *   the errors of `evaluateRanking` and {@link fuseRankings}.
 *
 * @example
 * ```ts
 * const { weight } = tuneFusionWeight(val.hitScores, abVal, artistVal);
 * const testScores = fuseRankings(abTest, artistTest, weight);
 * ```
 */
export function tuneFusionWeight(
  valTrue: ArrayLike<number>,
  valA: ArrayLike<number>,
  valB: ArrayLike<number>,
  options: TuneFusionOptions = {},
): FusionTuning {
  checkTwo(valA, valB, ['valA', 'valB']);
  checkTwo(valTrue, valA, ['valTrue', 'valA']);
  const metric = options.metric ?? 'spearman';
  if (metric !== 'spearman' && metric !== 'kendall' && metric !== 'ndcg') {
    throw new HitrankError('E_PARAM', `metric must be 'spearman', 'kendall' or 'ndcg', got ${String(metric)}.`);
  }
  const topFraction = options.topFraction ?? 0.1;
  const grid = options.grid ? [...options.grid] : Array.from({ length: 11 }, (_, i) => i / 10);
  if (grid.length === 0) throw new HitrankError('E_PARAM', 'grid is empty; expected candidate weights in [0, 1].');
  grid.forEach((w, i) => assertInRange(w, `grid[${i}]`, 0, 1));
  if (metric !== 'ndcg' && valTrue.length >= 1 && topFractionK(valTrue.length, topFraction) < 2) {
    throw new HitrankError(
      'E_TOO_SHORT',
      `${metric}@${topFraction} needs at least 2 songs in the top fraction; ${valTrue.length} validation songs give 1. ` +
        `Use metric 'ndcg' or a larger validation set.`,
    );
  }
  const normalize = checkNormalize(options.normalize);
  const a = normalized(valA, normalize);
  const b = normalized(valB, normalize);
  const values = grid.map((w) => evaluateRanking(valTrue, fuseChecked(a, b, w), { topFraction })[metric]);
  let best = -1;
  for (let i = 0; i < grid.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (best < 0 || v > values[best]) best = i;
    else if (v === values[best]) {
      const d = Math.abs(grid[i] - 0.5);
      const db = Math.abs(grid[best] - 0.5);
      if (d < db || (d === db && grid[i] < grid[best])) best = i;
    }
  }
  if (best < 0) {
    throw new HitrankError(
      'E_MISSING_DATA',
      `${metric}@${topFraction} is undefined (NaN) for every fusion weight — constant true or predicted scores in the top fraction.`,
    );
  }
  return { weight: grid[best], value: values[best], grid, values };
}
