// The CLI's (row, fold) task runner reproduces crossValidate: same folds,
// seeds and A/B + artist fusion, so evaluate / demo report the library's numbers.
import { describe, expect, it } from 'vitest';
import { assembleRows, compareRows, runTask, type ExperimentSettings } from '../../src/cli/experiment.js';
import { trainedRows } from '../../src/cli/table1.js';
import { crossValidationFolds, subsetDataset } from '../../src/data/index.js';
import { evaluateRanking } from '../../src/metrics/index.js';
import { crossValidate, SiameseHitModel, type CrossValidationResult } from '../../src/training/index.js';
import { useBackend } from '../helpers/tf.js';
import { plantedMelDataset } from '../training/planted.js';

describe('CLI experiments = crossValidate', () => {
  it('row a = a plain per-fold rating fit; rows i and the fused k = crossValidate, fold by fold', async () => {
    await useBackend('wasm');
    const ds = plantedMelDataset(60, 'cli-exp', 16, 20);
    // Three artists with many songs each, so artist pairs exist in every fold.
    ds.artists = ds.ids.map((_, i) => [`artist${i % 3}`]);
    const settings: ExperimentSettings = {
      folds: 3,
      seed: 5,
      epochs: 2,
      learningRate: 0.01,
      batchPairs: 6,
      patience: 20,
      w: 0.5,
      margin: 1,
      mu: 0.5,
      audio: true,
      featurePreset: 'paper',
      topFraction: 0.5, // a larger top fraction so that the fusion weight is not a tie at 0.5
      monitor: 'loss',
    };
    const rows = ['a', 'i', 'k'];
    expect(trainedRows(rows)).toEqual(['a', 'g', 'i']);
    const results = [];
    for (const fold of [0, 1, 2]) for (const row of trainedRows(rows)) results.push(await runTask(ds, settings, { row, fold }));
    const table = assembleRows(rows, results, ds, settings, [0, 1, 2], 'audio');
    const fit = { epochs: 2, learningRate: 0.01, batchPairs: 6, patience: 20 };
    const model = { seed: 5, margin: 1, mu: 0.5 };
    // Rating only (rows a, b) trains on shuffled songs, without pair sampling. crossValidate
    // cannot express that (it passes sampler 'ab' even for w = 0), so row a's reference is
    // the same per-fold fit written out.
    const ratingRef = async (): Promise<Pick<CrossValidationResult, 'folds' | 'ndcg'>> => {
      const folds = [];
      for (const f of crossValidationFolds(ds.ids.length, { folds: 3, seed: 5 })) {
        const m = new SiameseHitModel({ ...model, w: 0 });
        const test = subsetDataset(ds, f.test);
        await m.fit(subsetDataset(ds, f.train), { ...fit, validation: subsetDataset(ds, f.validation) });
        folds.push({ fold: f.fold, test: evaluateRanking(test.hitScores, await m.predict(test), { topFraction: 0.5 }), validation: null, sizes: [0, 0, 0] as [number, number, number] });
        m.dispose();
      }
      const mean = folds.reduce((s, f) => s + f.test.ndcg, 0) / folds.length;
      return { folds, ndcg: { mean, std: 0, n: 3 } };
    };
    const ref = {
      a: await ratingRef(),
      i: await crossValidate(ds, { folds: 3, topFraction: 0.5, model: { ...model, w: 0.5 }, fit: { ...fit, sampler: 'ab' } }),
      k: await crossValidate(ds, { folds: 3, topFraction: 0.5, model: { ...model, w: 0.5 }, fit: { ...fit, sampler: 'ab+artist' } }),
    };
    for (const r of table) {
      const cv = ref[r.row as 'a' | 'i' | 'k'];
      expect(r.folds.map((f) => f.fold)).toEqual([0, 1, 2]);
      r.folds.forEach((f, i) => {
        expect(f.test.ndcg, `row ${r.row} fold ${i}`).toBeCloseTo(cv.folds[i].test.ndcg, 10);
        expect(f.test.k).toBe(cv.folds[i].test.k);
        expect(Number.isNaN(f.test.spearman) ? NaN : f.test.spearman).toEqual(cv.folds[i].test.spearman);
      });
      expect(r.summary.ndcg.mean).toBeCloseTo(cv.ndcg.mean, 10);
      if (r.row === 'k') {
        expect(r.folds.map((f) => f.fusionWeight)).toEqual(cv.folds.map((f) => f.fusionWeight));
        expect(r.folds.some((f) => f.fusionWeight !== 0.5)).toBe(true); // the weight was really tuned
      }
    }
    // Training curves and predictions for the report.
    const a = table[0];
    expect(a.folds[0].epochs).toHaveLength(2);
    expect(a.folds[0].predictions!.ids).toHaveLength(a.folds[0].predictions!.predicted.length);
    const c = compareRows(table, 'i', 'a')!;
    expect(c.folds).toBe(3);
    expect(c.meanDiff.ndcg).toBeCloseTo(table[1].summary.ndcg.mean - a.summary.ndcg.mean, 12);
  }, 60_000);
});
