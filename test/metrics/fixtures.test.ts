// Every case of ../shared/fixtures/metrics/cases.json and large_n10000 (sklearn
// 1.2.1 ndcg_score, scipy 1.10.1 kendalltau/spearmanr) within the MANIFEST's
// tolerances: 1e-12·max(1,|b|) for nDCG, 1e-12 absolute for the correlations.
import { describe, expect, it } from 'vitest';
import { evaluateRanking, kendallTauB, ndcgAtK, spearmanRho, topFractionK, topKIndices } from '../../src/metrics/index.js';
import { expectCode, expectCorr, expectNdcg, inputArray, loadCases, loadLarge, type MetricCase } from './metricCases.js';

const cases = loadCases();

function checkComputable(c: MetricCase, yt: Float64Array, ys: Float64Array): void {
  const f = c.full;
  expectNdcg(ndcgAtK(yt, ys), f.ndcg_all, `${c.name} ndcg_all`);
  if (c.ignore_ties_value_well_defined) {
    expectNdcg(ndcgAtK(yt, ys, undefined, { ignoreTies: true }), f.ndcg_all_ignore_ties, `${c.name} ndcg_all_ignore_ties`);
  }
  for (const e of f.ndcg_at) {
    expectNdcg(ndcgAtK(yt, ys, e.k), e.ndcg, `${c.name} ndcg@${e.k}`);
    if (c.ignore_ties_value_well_defined) {
      expectNdcg(ndcgAtK(yt, ys, e.k, { ignoreTies: true }), e.ndcg_ignore_ties, `${c.name} ndcg_ignore_ties@${e.k}`);
    }
  }
  for (const [label, at, frac] of [['at10', c.at10, 0.1], ['at50', c.at50, 0.5]] as const) {
    const r = evaluateRanking(yt, ys, { topFraction: frac });
    expect(r.k, `${c.name} ${label}.k`).toBe(at.k);
    expect(topFractionK(c.n, frac)).toBe(at.k);
    expect(Array.from(topKIndices(yt, at.k)), `${c.name} ${label} subset`).toEqual(at.subset_indices);
    expectNdcg(r.ndcg, at.ndcg, `${c.name} ${label}.ndcg`);
    expectCorr(r.kendall, at.kendall_tau_b, `${c.name} ${label}.kendall`);
    expectCorr(r.spearman, at.spearman_rho, `${c.name} ${label}.spearman`);
  }
}

describe('metric fixtures (cases.json)', () => {
  it('has the 37 cases the MANIFEST lists', () => {
    expect(cases.length).toBe(37);
  });

  for (const c of cases) {
    it(c.name, () => {
      const yt = inputArray(c.y_true as (number | null)[]);
      const ys = inputArray(c.y_score as (number | null)[]);
      expect(yt.length).toBe(c.n);

      if (c.input_has_nan) {
        // sklearn raises "Input contains NaN", scipy propagates NaN: hitrank throws E_NAN everywhere.
        expect(Object.keys(c.library_errors).length).toBeGreaterThan(0);
        expectCode(() => ndcgAtK(yt, ys), 'E_NAN');
        expectCode(() => kendallTauB(yt, ys), 'E_NAN');
        expectCode(() => spearmanRho(yt, ys), 'E_NAN');
        expectCode(() => evaluateRanking(yt, ys), 'E_NAN');
        return;
      }

      // Correlations over the whole list are computed for every finite case.
      expectCorr(kendallTauB(yt, ys), c.full.kendall_tau_b, `${c.name} kendall`);
      expectCorr(spearmanRho(yt, ys), c.full.spearman_rho, `${c.name} spearman`);

      if (c.n < 2) {
        // sklearn refuses a single document (ValueError); hitrank throws E_TOO_SHORT.
        expect(c.full.ndcg_all).toBeNull();
        expect(c.library_errors['full.ndcg_all']).toMatch(/ValueError/);
        expectCode(() => ndcgAtK(yt, ys), 'E_TOO_SHORT');
        expectCode(() => evaluateRanking(yt, ys), 'E_TOO_SHORT');
        return;
      }
      if (Array.from(yt).some((v) => v < 0)) {
        // sklearn 1.2.1 warns (FutureWarning), sklearn ≥ 1.4 raises: hitrank throws E_PARAM.
        expectCode(() => ndcgAtK(yt, ys), 'E_PARAM');
        expectCode(() => evaluateRanking(yt, ys), 'E_PARAM');
        return;
      }
      checkComputable(c, yt, ys);
    });
  }

  it('covers the edge cases the issue names', () => {
    const names = new Set(cases.map((c) => c.name));
    for (const n of ['n1', 'n2_agree', 'n2_score_tie', 'k_larger_than_n_n5', 'all_equal_true_n10', 'all_equal_score_n10',
      'ties_in_score_straddle_k10_n20', 'n15_k10_ceil_2', 'n25_k10_ceil_3', 'near_ties_score_n10']) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('does not clamp nDCG at 1 (sklearn gives 1.0000000000000002 for constant true scores)', () => {
    const c = cases.find((x) => x.name === 'all_equal_true_n10')!;
    const v = ndcgAtK(inputArray(c.y_true as number[]), inputArray(c.y_score as number[]));
    expect(v).toBeGreaterThan(1);
  });

  it('keeps inputs in float64 (near_ties_score_n10 changes completely through float32)', () => {
    const c = cases.find((x) => x.name === 'near_ties_score_n10')!;
    const yt = inputArray(c.y_true as number[]);
    const ys = inputArray(c.y_score as number[]);
    const v64 = ndcgAtK(yt, ys, 1);
    const v32 = ndcgAtK(yt, Float32Array.from(ys), 1);
    expectNdcg(v64, c.full.ndcg_at.find((e) => e.k === 1)!.ndcg, 'near ties @1');
    expect(Math.abs(v64 - v32)).toBeGreaterThan(1e-3);
  });
});

describe('metric fixtures (large_n10000)', () => {
  const { c, yTrue, yScore } = loadLarge();

  it('reproduces the full-list metrics and nDCG@k for every k', () => {
    expect(yTrue.length).toBe(10000);
    expectNdcg(ndcgAtK(yTrue, yScore), c.full.ndcg_all, 'ndcg_all');
    expectNdcg(ndcgAtK(yTrue, yScore, undefined, { ignoreTies: true }), c.full.ndcg_all_ignore_ties, 'ndcg_all_ignore_ties');
    for (const e of c.full.ndcg_at) {
      expectNdcg(ndcgAtK(yTrue, yScore, e.k), e.ndcg, `ndcg@${e.k}`);
      expectNdcg(ndcgAtK(yTrue, yScore, e.k, { ignoreTies: true }), e.ndcg_ignore_ties, `ndcg_ignore_ties@${e.k}`);
    }
    expectCorr(kendallTauB(yTrue, yScore), c.full.kendall_tau_b, 'kendall');
    expectCorr(spearmanRho(yTrue, yScore), c.full.spearman_rho, 'spearman');
  });

  it('reproduces the @10 % and @50 % protocol', () => {
    for (const [at, frac] of [[c.at10, 0.1], [c.at50, 0.5]] as const) {
      const r = evaluateRanking(yTrue, yScore, { topFraction: frac });
      expect(r.k).toBe(at.k);
      expect(Array.from(topKIndices(yTrue, at.k))).toEqual(at.subset_indices);
      expectNdcg(r.ndcg, at.ndcg, `ndcg@${frac}`);
      expectCorr(r.kendall, at.kendall_tau_b, `kendall@${frac}`);
      expectCorr(r.spearman, at.spearman_rho, `spearman@${frac}`);
    }
  });

  it('reproduces the float32-rounded comparison (rounding creates score ties)', () => {
    const ref = (c as unknown as { float32_rounded_inputs_for_comparison: Record<string, number | boolean> })
      .float32_rounded_inputs_for_comparison;
    const r = evaluateRanking(Float32Array.from(yTrue), Float32Array.from(yScore));
    expectNdcg(r.ndcg, ref.at10_ndcg as number, 'f32 ndcg@10%');
    expectCorr(r.kendall, ref.at10_kendall_tau_b as number, 'f32 kendall@10%');
    expectCorr(r.spearman, ref.at10_spearman_rho as number, 'f32 spearman@10%');
    // float64 and float32 inputs differ in nDCG (4e-10 per the MANIFEST): inputs are not rounded inside.
    expect(Math.abs(r.ndcg - c.at10.ndcg!)).toBeGreaterThan(1e-11);
  });
});
