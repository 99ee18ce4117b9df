// The random-ranking baseline of ../shared/fixtures/metrics/random_baseline.json
// reproduced by a seeded Monte Carlo of our own. numpy's lognormal draw cannot be
// reproduced, so (1) for each of our draws the MC mean of nDCG@10% over random
// permutations must match the closed form E[DCG@k] / IDCG@k = mean(y)·Σ_{r≤k}
// 1/log2(r+1) / IDCG@k within 4 MC standard errors, and (2) the numbers across
// draws must agree with the fixture's within the sampling error of both sides
// (3–4 standard errors computed from the draws, never a hand-picked band).
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../../src/metrics/index.js';
import { readJson } from '../helpers/fixtures.js';

interface BaselineRow {
  seed: number;
  n: number;
  k: number;
  sigma: number;
  permutations: number;
  ndcg_at10_mean: number;
  ndcg_at10_std: number;
  ndcg_at10_mc_stderr: number;
  ndcg_at10_analytic_expectation: number;
  kendall_at10_mean: number;
  kendall_at10_std: number;
  spearman_at10_mean: number;
  spearman_at10_std: number;
}
const baseline = readJson<{ main: BaselineRow[]; sigma_sensitivity: BaselineRow[] }>('metrics', 'random_baseline.json');

function lognormal(n: number, sigma: number, rng: () => number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    // Box–Muller
    const u = 1 - rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    y[i] = Math.exp(sigma * r * Math.cos(2 * Math.PI * v));
    if (i + 1 < n) y[i + 1] = Math.exp(sigma * r * Math.sin(2 * Math.PI * v));
  }
  return y;
}

function closedForm(y: Float64Array, k: number): number {
  let mean = 0;
  for (const v of y) mean += v;
  mean /= y.length;
  const sorted = Float64Array.from(y).sort().reverse();
  let sumDisc = 0;
  let idcg = 0;
  for (let r = 0; r < k; r++) {
    const d = 1 / Math.log2(r + 2);
    sumDisc += d;
    idcg += sorted[r] * d;
  }
  return (mean * sumDisc) / idcg;
}

function permutationScores(n: number, rng: () => number): Float64Array {
  const p = Float64Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

const meanOf = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const sdOf = (a: number[]) => {
  const m = meanOf(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / (a.length - 1));
};
const quantile = (a: number[], q: number) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

describe('random-ranking baseline (random_baseline.json)', () => {
  const N = 1500;
  const SIGMA = 1.5;
  const DRAWS = 5;
  const PERMS = 1000;
  const main = baseline.main;

  // Our own Monte Carlo: 5 lognormal draws × 1000 random permutations.
  const draws = Array.from({ length: DRAWS }, (_, d) => {
    const rng = seedrandom(`hitrank-random-baseline-${d}`);
    const y = lognormal(N, SIGMA, rng);
    const nd: number[] = [];
    const kt: number[] = [];
    const sp: number[] = [];
    let k = 0;
    for (let p = 0; p < PERMS; p++) {
      const r = evaluateRanking(y, permutationScores(N, rng));
      k = r.k;
      nd.push(r.ndcg);
      kt.push(r.kendall);
      sp.push(r.spearman);
    }
    return { y, k, nd, kt, sp, closed: closedForm(y, 150) };
  });

  it('uses the fixture setup (n = 1500, k = 150, sigma 1.5)', () => {
    for (const row of main) {
      expect([row.n, row.k, row.sigma]).toEqual([N, 150, SIGMA]);
    }
    for (const d of draws) expect(d.k).toBe(150);
  });

  it('MC mean nDCG@10% of each draw matches its closed form within 4 MC standard errors', () => {
    for (const d of draws) {
      const se = sdOf(d.nd) / Math.sqrt(PERMS);
      expect(Math.abs(meanOf(d.nd) - d.closed), `draw mean ${meanOf(d.nd)} vs closed ${d.closed} (se ${se})`)
        .toBeLessThanOrEqual(4 * se);
    }
  });

  it('the fixture itself satisfies the same closed-form check (its MC s.e., 4 s.e.)', () => {
    for (const row of main) {
      expect(Math.abs(row.ndcg_at10_mean - row.ndcg_at10_analytic_expectation)).toBeLessThanOrEqual(4 * row.ndcg_at10_mc_stderr);
    }
  });

  // Draw-to-draw spread of the expectation, from many cheap closed-form draws of our own.
  const closedDraws = (sigma: number, count: number) =>
    Array.from({ length: count }, (_, d) => closedForm(lognormal(N, sigma, seedrandom(`hitrank-closed-${sigma}-${d}`)), 150));
  const closed15 = closedDraws(SIGMA, 300);

  it('mean over draws lands on the fixture mean within 3 combined standard errors', () => {
    const ours = meanOf(draws.map((d) => meanOf(d.nd)));
    const theirs = meanOf(main.map((r) => r.ndcg_at10_mean)); // ≈ 0.115
    const between = sdOf(closed15); // draw-to-draw sd of the expectation
    const se = between * Math.sqrt(1 / DRAWS + 1 / main.length);
    expect(Math.abs(ours - theirs), `ours ${ours}, fixture ${theirs}, se ${se}`).toBeLessThanOrEqual(3 * se);
    // Same for the closed-form expectation itself, with 300 draws on our side.
    const theirsClosed = meanOf(main.map((r) => r.ndcg_at10_analytic_expectation));
    const se2 = Math.sqrt(between ** 2 / 300 + sdOf(main.map((r) => r.ndcg_at10_analytic_expectation)) ** 2 / main.length);
    expect(Math.abs(meanOf(closed15) - theirsClosed)).toBeLessThanOrEqual(3 * se2);
    // Every fixture draw lies inside the central 99.8 % of our draw-to-draw distribution.
    for (const row of main) {
      expect(row.ndcg_at10_analytic_expectation).toBeGreaterThanOrEqual(quantile(closed15, 0.001));
      expect(row.ndcg_at10_analytic_expectation).toBeLessThanOrEqual(quantile(closed15, 0.999));
    }
  });

  it('spread over permutations matches the fixture sd (pooled, 4 standard errors of an sd)', () => {
    const pooledSd = meanOf(draws.map((d) => sdOf(d.nd)));
    const theirSd = meanOf(main.map((r) => r.ndcg_at10_std));
    // sd depends on the draw too; allow the between-draw spread of sds seen in the fixture.
    const sdSpread = sdOf(main.map((r) => r.ndcg_at10_std));
    expect(Math.abs(pooledSd - theirSd)).toBeLessThanOrEqual(4 * sdSpread * Math.sqrt(1 / DRAWS + 1 / main.length));
  });

  it('Kendall and Spearman @10% of random rankings average 0 with the fixture spread', () => {
    const kt = draws.flatMap((d) => d.kt);
    const sp = draws.flatMap((d) => d.sp);
    const total = kt.length;
    expect(Math.abs(meanOf(kt))).toBeLessThanOrEqual(4 * sdOf(kt) / Math.sqrt(total));
    expect(Math.abs(meanOf(sp))).toBeLessThanOrEqual(4 * sdOf(sp) / Math.sqrt(total));
    // The sd of a sample sd is ≈ sd / sqrt(2(N−1)); 4 s.e. on both sides.
    const kSd = meanOf(main.map((r) => r.kendall_at10_std));
    const sSd = meanOf(main.map((r) => r.spearman_at10_std));
    const rel = 4 * Math.sqrt(1 / (2 * total) + 1 / (2 * main.length * 2000));
    expect(Math.abs(sdOf(kt) / kSd - 1)).toBeLessThanOrEqual(rel);
    expect(Math.abs(sdOf(sp) / sSd - 1)).toBeLessThanOrEqual(rel);
  });

  it('reproduces the tail-heaviness sensitivity (sigma 0.5 / 1.0 / 2.0) within our draw-to-draw band', () => {
    for (const row of baseline.sigma_sensitivity) {
      const ours = closedDraws(row.sigma, 200);
      expect(row.ndcg_at10_analytic_expectation, `sigma ${row.sigma}`).toBeGreaterThanOrEqual(quantile(ours, 0.001));
      expect(row.ndcg_at10_analytic_expectation, `sigma ${row.sigma}`).toBeLessThanOrEqual(quantile(ours, 0.999));
      // And the MC mean of one of our draws at this sigma agrees with its closed form.
      const rng = seedrandom(`hitrank-sigma-${row.sigma}`);
      const y = lognormal(N, row.sigma, rng);
      const nd = Array.from({ length: 300 }, () => evaluateRanking(y, permutationScores(N, rng)).ndcg);
      expect(Math.abs(meanOf(nd) - closedForm(y, 150))).toBeLessThanOrEqual(4 * sdOf(nd) / Math.sqrt(nd.length));
    }
  });
});
