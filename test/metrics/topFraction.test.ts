import { describe, expect, it } from 'vitest';
import { evaluateRanking, kendallTauB, ndcgAtK, rankData, spearmanRho, topFractionK, topKIndices } from '../../src/metrics/index.js';
import { expectCode } from './metricCases.js';

describe('topFractionK (exact rounding of the @10 % cut-off)', () => {
  it('equals max(1, (n + 9) // 10) for every n up to 20 000 (the fixture rule)', () => {
    for (let n = 1; n <= 20000; n++) {
      const want = Math.max(1, Math.floor((n + 9) / 10));
      if (topFractionK(n, 0.1) !== want) expect(`n=${n}: ${topFractionK(n, 0.1)}`).toBe(`n=${n}: ${want}`);
    }
  });

  it('gets the cases where float ceil/floor go wrong', () => {
    // The trap: 0.07 · 100 = 7.000000000000001 in float64, so Math.ceil gives 8.
    // (For 0.1 the product happens to round right for n ≤ 10⁷, but not in general.)
    expect(Math.ceil(0.07 * 100)).toBe(8);
    expect(topFractionK(100, 0.07)).toBe(7);
    expect(topFractionK(30, 0.1)).toBe(3);
    expect(topFractionK(15, 0.1)).toBe(2);
    expect(topFractionK(25, 0.1)).toBe(3);
    expect(topFractionK(1500, 0.1)).toBe(150);
    expect(topFractionK(15000, 0.1)).toBe(1500);
    expect(topFractionK(10, 0.1)).toBe(1);
    expect(topFractionK(1, 0.1)).toBe(1);
  });

  it('is exact for other decimal fractions (integer reference)', () => {
    // fraction = p / q with small q; reference ceil(n·p/q) in integers.
    const fracs: [number, number, number][] = [[0.5, 1, 2], [0.2, 1, 5], [0.05, 1, 20], [0.15, 3, 20], [0.3, 3, 10],
      [0.7, 7, 10], [0.01, 1, 100], [0.25, 1, 4], [0.35, 7, 20], [0.07, 7, 100], [1, 1, 1], [0.001, 1, 1000], [1e-7, 1, 1e7]];
    for (const [f, p, q] of fracs) {
      for (let n = 1; n <= 3000; n++) {
        const want = Math.max(1, Math.floor((n * p + q - 1) / q));
        if (topFractionK(n, f) !== want) expect(`f=${f} n=${n}: ${topFractionK(n, f)}`).toBe(`f=${f} n=${n}: ${want}`);
      }
    }
  });

  it('handles fractions without a short decimal sensibly (1/3, 2/3)', () => {
    expect(topFractionK(3, 1 / 3)).toBe(1);
    expect(topFractionK(30, 1 / 3)).toBe(10);
    expect(topFractionK(3, 2 / 3)).toBe(2);
    expect(topFractionK(300, 2 / 3)).toBe(200);
  });

  it('rejects bad arguments', () => {
    expectCode(() => topFractionK(0, 0.1), 'E_PARAM');
    expectCode(() => topFractionK(10.5, 0.1), 'E_PARAM');
    expectCode(() => topFractionK(10, 0), 'E_PARAM');
    expectCode(() => topFractionK(10, 1.5), 'E_PARAM');
    expectCode(() => topFractionK(10, NaN), 'E_PARAM');
  });
});

describe('topKIndices', () => {
  it('is the stable argsort of −y_true: ties go to the lower index, in rank order', () => {
    expect(Array.from(topKIndices([1, 3, 3, 2, 3], 4))).toEqual([1, 2, 4, 3]);
    expect(Array.from(topKIndices([0, -0, 0], 2))).toEqual([0, 1]);
    expect(Array.from(topKIndices([5, 4], 10))).toEqual([0, 1]);
  });
});

describe('errors', () => {
  it('length mismatch → E_SHAPE, empty → E_EMPTY, NaN/Infinity → E_NAN, non-array → E_PARAM', () => {
    for (const f of [ndcgAtK, kendallTauB, spearmanRho, evaluateRanking] as ((a: ArrayLike<number>, b: ArrayLike<number>) => unknown)[]) {
      expectCode(() => f([1, 2, 3], [1, 2]), 'E_SHAPE');
      expectCode(() => f([], []), 'E_EMPTY');
      expectCode(() => f([1, NaN, 3], [1, 2, 3]), 'E_NAN');
      expectCode(() => f([1, 2, 3], [1, 2, Infinity]), 'E_NAN');
      expectCode(() => f(null as unknown as number[], [1]), 'E_PARAM');
    }
    expectCode(() => rankData([1, NaN]), 'E_NAN');
    expectCode(() => topKIndices([], 1), 'E_EMPTY');
    expectCode(() => topKIndices([1, NaN], 1), 'E_NAN');
  });

  it('nDCG: n < 2 → E_TOO_SHORT, negative truth or bad k → E_PARAM', () => {
    expectCode(() => ndcgAtK([1], [1]), 'E_TOO_SHORT');
    expectCode(() => ndcgAtK([1, -1], [1, 2]), 'E_PARAM');
    expectCode(() => ndcgAtK([1, 2], [1, 2], 0), 'E_PARAM');
    expectCode(() => ndcgAtK([1, 2], [1, 2], 1.5), 'E_PARAM');
    expectCode(() => evaluateRanking([1, 2], [1, 2], { topFraction: 2 }), 'E_PARAM');
    expectCode(() => evaluateRanking([1, 2], [1, 2], { k: 0 }), 'E_PARAM');
  });

  it('messages name the bad value', () => {
    expect(() => ndcgAtK([1, 2, 3], [1, 2])).toThrow(/trueScores has 3 values but predicted has 2/);
    expect(() => kendallTauB([1, NaN], [1, 2])).toThrow(/NaN at index 1/);
  });
});

describe('evaluateRanking', () => {
  it('returns NaN correlations (not an error) when k = 1 and the cut-off k', () => {
    const r = evaluateRanking([3, 1, 2, 5, 4], [1, 2, 3, 4, 5]);
    expect(r.k).toBe(1);
    expect(r.kendall).toBeNaN();
    expect(r.spearman).toBeNaN();
    expect(r.ndcg).toBe(4 / 5); // top prediction (index 4) has true score 4; the best is 5
  });

  it('accepts an explicit k, which overrides topFraction', () => {
    const yt = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const ys = [9, 8, 7, 6, 5, 4, 3, 2, 0, 1];
    const r = evaluateRanking(yt, ys, { k: 4, topFraction: 0.9 });
    expect(r.k).toBe(4);
    expect(r.ndcg).toBeCloseTo(1, 14);
    expect(r.kendall).toBeCloseTo(1, 14);
  });
});
