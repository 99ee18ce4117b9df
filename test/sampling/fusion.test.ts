import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../../src/metrics/index.js';
import { fuseRankings, tuneFusionWeight } from '../../src/sampling/index.js';
import { thrownCode as code } from '../helpers/errors.js';

describe('fuseRankings', () => {
  it('is (1 − w)·a + w·b; w = 0.5 is the plain average of the two estimates', () => {
    expect(Array.from(fuseRankings([1, 2, 3], [3, 2, 1]))).toEqual([2, 2, 2]);
    expect(Array.from(fuseRankings([1, 2], [5, 10], 0))).toEqual([1, 2]);
    expect(Array.from(fuseRankings([1, 2], [5, 10], 1))).toEqual([5, 10]);
    expect(Array.from(fuseRankings([0, 4], [8, 0], 0.25))).toEqual([2, 3]);
  });

  it('normalises when asked: zscore and rank', () => {
    const z = fuseRankings([1, 2, 3], [100, 200, 300], 0.5, { normalize: 'zscore' });
    const s = Math.sqrt(2 / 3);
    expect(Array.from(z).map((v) => v * s)).toEqual([-1, 0, 1].map((v) => expect.closeTo(v, 12)));
    expect(Array.from(fuseRankings([5, 5], [1, 2], 0.5, { normalize: 'zscore' }))).toEqual([-0.5, 0.5]);
    expect(Array.from(fuseRankings([10, 30, 20], [0.1, 0.2, 0.3], 0.5, { normalize: 'rank' }))).toEqual(
      [1 / 3, 2.5 / 3, 2.5 / 3].map((v) => expect.closeTo(v, 14)),
    );
  });

  it('rejects bad input', () => {
    expect(code(() => fuseRankings([1, 2], [1]))).toBe('E_SHAPE');
    expect(code(() => fuseRankings([], []))).toBe('E_EMPTY');
    expect(code(() => fuseRankings([1, NaN], [1, 2]))).toBe('E_NAN');
    expect(code(() => fuseRankings([1, 2], [1, 2], 1.5))).toBe('E_PARAM');
    expect(code(() => fuseRankings([1, 2], [1, 2], 0.5, { normalize: 'minmax' as never }))).toBe('E_PARAM');
  });
});

describe('tuneFusionWeight', () => {
  // Truth = g + l; model A sees g (global) plus noise, model B sees l (local) plus noise.
  const rng = seedrandom('fusion');
  const n = 2000;
  const g = Float64Array.from({ length: n }, () => Math.exp(2 * rng()));
  const l = Float64Array.from({ length: n }, () => Math.exp(2 * rng()));
  const truth = Float64Array.from(g, (v, i) => v + l[i]);
  const a = Float64Array.from(g, (v) => v + 0.3 * rng());
  const b = Float64Array.from(l, (v) => v + 0.3 * rng());

  it('picks the best grid weight by the chosen metric (default Spearman@10%)', () => {
    const t = tuneFusionWeight(truth, a, b);
    expect(t.grid).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(t.values.length).toBe(11);
    const manual = t.grid.map((w) => evaluateRanking(truth, fuseRankings(a, b, w)).spearman);
    expect(t.values).toEqual(manual);
    expect(t.value).toBe(Math.max(...manual));
    expect(t.weight).toBe(t.grid[manual.indexOf(t.value)]);
    // Both halves matter, so an interior weight near 0.5 wins over either model alone.
    expect(t.weight).toBeGreaterThan(0.2);
    expect(t.weight).toBeLessThan(0.8);
    expect(t.value).toBeGreaterThan(Math.max(manual[0], manual[10]));
  });

  it('supports nDCG and Kendall and a custom grid; ties go to the weight nearest 0.5', () => {
    const t = tuneFusionWeight(truth, a, b, { metric: 'ndcg', grid: [0, 0.25, 0.5, 0.75, 1] });
    expect(t.values).toEqual([0, 0.25, 0.5, 0.75, 1].map((w) => evaluateRanking(truth, fuseRankings(a, b, w)).ndcg));
    // Identical models → every weight ties → 0.5.
    expect(tuneFusionWeight(truth, a, a, { metric: 'kendall' }).weight).toBe(0.5);
    expect(tuneFusionWeight(truth, a, a, { grid: [0.2, 0.8, 0.1] }).weight).toBe(0.2);
  });

  it('throws when the metric cannot be computed', () => {
    expect(code(() => tuneFusionWeight([1, 2, 3], [1, 2, 3], [3, 2, 1]))).toBe('E_TOO_SHORT');
    const flat = new Float64Array(40).fill(1);
    expect(code(() => tuneFusionWeight(flat, a.subarray(0, 40), b.subarray(0, 40)))).toBe('E_MISSING_DATA');
    expect(code(() => tuneFusionWeight(truth, a, b, { grid: [] }))).toBe('E_PARAM');
    expect(code(() => tuneFusionWeight(truth, a, b, { grid: [1.2] }))).toBe('E_PARAM');
    expect(code(() => tuneFusionWeight(truth, a, b.subarray(1)))).toBe('E_SHAPE');
  });
});
