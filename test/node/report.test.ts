// The HTML report: self-contained (no scripts, no URLs), the table, and charts
// drawn from the numbers given (checked through the SVG they produce).
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/node/report.js';
import { esc, groupedBarChart, niceTicks, scatterChart, sortedCurveChart } from '../../src/node/reportCharts.js';
import type { FoldOutcome, RowResult, RunResults, TrainRun } from '../../src/node/reportTypes.js';

function fold(f: number, ndcg: number, spearman: number): FoldOutcome {
  return {
    fold: f,
    test: { ndcg, kendall: spearman / 2, spearman, k: 8 },
    testAll: { ndcg, kendall: 0.3, spearman: 0.5 },
    validation: { ndcg, kendall: 0.1, spearman: 0.2 },
    bestEpoch: 1,
    epochs: [0, 1, 2].map((e) => ({ epoch: e, loss: 1 / (e + 1), rateLoss: 0.5, rankLoss: 0.5, valLoss: 0.9 - 0.1 * e, valNdcg: 0.3 + 0.1 * e, valKendall: null, valSpearman: 0.1 * e, learningRate: 0.02 })),
    predictions: { ids: ['s1', 's2', 's3'], trueScores: [1e-3, 1e-4, 1e-5], predicted: [5e-4, 2e-4, 1e-200] },
  };
}

function row(letter: string, network: 'rating' | 'siamese', sampler: RowResult['sampler'], ndcgs: number[]): RowResult {
  const folds = ndcgs.map((v, i) => fold(i, v, v - 0.3));
  const mean = ndcgs.reduce((a, b) => a + b, 0) / ndcgs.length;
  return {
    row: letter,
    network,
    sampler,
    tags: false,
    feature: 'audio (mid 4 s)',
    paper: { ndcg: 0.0725, kendall: -0.0421, spearman: -0.0696 },
    paperSegment: 'Mid-30',
    summary: { ndcg: { mean, std: 0.01, n: 3 }, kendall: { mean: NaN, std: NaN, n: 0 }, spearman: { mean: mean - 0.3, std: 0.02, n: 3 } },
    spearmanAll: { mean: 0.5, std: 0, n: 3 },
    folds,
  };
}

const results: RunResults = {
  format: 'hitrank/results',
  formatVersion: 1,
  library: '0.0.0',
  command: 'demo',
  createdAt: '2026-01-01T00:00:00Z',
  title: 'demo <b>&</b>',
  dataset: {
    manifest: '/x/manifest.csv',
    songs: 10,
    artists: 3,
    hitScores: [9e-3, 1e-3, 5e-4, 1e-4, 1e-4, 5e-5, 1e-5, 1e-5, 1e-6, 1e-6],
    belowMean: 0.9,
    segment: 'mid 4 s',
    melShape: [128, 44],
    preset: 'paper',
    tagNames: null,
  },
  settings: { epochs: 10, 'learning rate': 0.02 },
  folds: 3,
  foldsRun: [0, 1, 2],
  rows: [row('a', 'rating', null, [0.4, 0.5, 0.6]), row('i', 'siamese', 'ab', [0.5, 0.6, 0.7])],
  comparison: { row: 'i', baseline: 'a', wins: { ndcg: 3, kendall: 0, spearman: 2 }, winsAll: 3, folds: 3, meanDiff: { ndcg: 0.1, kendall: NaN, spearman: 0.1 }, meanDiffAll: 0.05 },
  paperCitation: 'Yu et al. 2018, Table 1',
  timing: { seconds: 12, stages: { training: 10 }, loadAverageStart: [1, 1, 1], loadAverageEnd: [2, 2, 2], cpus: 2, jobs: 2, backend: 'wasm' },
  notes: ['a note'],
};

describe('renderReport', () => {
  it('a results page: the table beside the paper, the comparison, charts, escaped text, nothing external', () => {
    const html = renderReport(results);
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<title>demo &lt;b&gt;&amp;&lt;/b&gt;</title>');
    expect(html).not.toContain('<b>&</b>');
    expect(html).toContain('<td>(a)</td><td>CNN, rating only</td><td>—</td><td>audio (mid 4 s)</td><td class="num">0.500 ± 0.010</td><td class="num">—</td>');
    expect(html).toContain('<td class="paper">0.0725</td><td class="paper">-0.0421</td>');
    expect(html).toContain('higher nDCG@10% in 3/3');
    // 3 per-fold bar charts, 4 curves, 1 scatter, 2 sorted curves.
    expect((html.match(/<svg /g) ?? []).length).toBe(10);
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(12); // 2 rows × 3 folds × ≥ 2 metrics
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/https?:/);
    expect(html).toContain('90.0 % of the songs are below the mean');
  });

  it('a train page: curves, validation metrics, tuning table', () => {
    const t: TrainRun = {
      format: 'hitrank/train',
      formatVersion: 1,
      library: '0.0.0',
      createdAt: 'now',
      manifest: 'm.csv',
      row: 'i',
      settings: { sampler: 'ab' },
      features: { preset: 'paper', segment: { kind: 'mid', seconds: 30 }, melShape: [128, 323] },
      fusion: null,
      sizes: { train: 8, validation: 2 },
      epochs: fold(0, 0.5, 0.2).epochs!,
      bestEpoch: 2,
      validation: { ndcg: 0.7, kendall: NaN, spearman: 0.4 },
      predictions: { ids: ['a', 'b'], trueScores: [1e-3, 1e-4], predicted: [2e-3, 1e-5] },
      tuning: [{ params: { margin: 1, w: 0.5, mu: 0.5 }, validation: { ndcg: 0.7, kendall: 0.1, spearman: 0.4 } }],
      hitScores: [1e-3, 1e-4],
      seconds: 3,
    };
    const html = renderReport(t);
    expect(html).toContain('<h1>hitrank train: row (i), Siamese, A/B sampling</h1>');
    expect(html).toContain('Hyper-parameter search');
    expect(html).toContain('<td class="num">0.700</td><td class="num">—</td><td class="num">0.400</td>');
    expect((html.match(/<svg /g) ?? []).length).toBe(5);
    expect(html).not.toMatch(/https?:/);
  });
});

describe('report charts', () => {
  it('niceTicks: 1-2-5 steps covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.35, 0.8, 5)).toEqual([-0.25, 0, 0.25, 0.5, 0.75]);
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('grouped bars: negative values hang below the zero line; NaN draws no bar', () => {
    const s = groupedBarChart({ title: 't', groups: ['x'], values: [[0.5, -0.5, NaN]], barLabels: ['f0', 'f1', 'f2'], colors: ['#000'], markers: [0], yLabel: 'y' });
    const rects = [...s.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(rects).toHaveLength(2);
    const [pos, neg] = rects;
    expect(pos[0] + pos[1]).toBeCloseTo(neg[0], 1); // the positive bar ends where the negative one starts (y = 0)
    expect(pos[1]).toBeCloseTo(neg[1], 1); // same length
  });

  it('sorted curve: the mean marker sits at the rank of the average and the share below it is printed', () => {
    const s = sortedCurveChart({ title: 't', values: [1, 0, 0, 0], yLabel: 'y' });
    expect(s).toContain('mean at rank 1 of 4: 75.0 % below');
    expect(s).toContain('<title>mean 2.50e-1 at rank 1</title>');
  });

  it('scatter on log axes: points far outside the true range are clamped to the border, non-positive true values dropped', () => {
    const s = scatterChart({ title: 't', series: [{ name: 'a', color: '#000', points: [[1e-3, 1e-3], [1e-4, 1e-300], [0, 1]] }], xLabel: 'x', yLabel: 'y', log: true });
    const cy = [...s.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(cy).toHaveLength(2);
    expect(Math.max(...cy)).toBeLessThanOrEqual(360);
    expect(esc('<a href="x">')).toBe('&lt;a href=&quot;x&quot;&gt;');
  });
});
