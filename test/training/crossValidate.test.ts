import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidate, tune } from '../../src/training/index.js';
import { subsetDataset } from '../../src/data/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { plantedFeatureDataset } from './planted.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('crossValidate and tune', () => {
  const ds = plantedFeatureDataset(300, 'cv');
  ds.artists = ds.ids.map((_, i) => [`a${i % 40}`]);
  const fast = { epochs: 8, learningRate: 0.05, batchPairs: 16 };

  it('runs folds with (k−2):1:1 splits, reports per-fold and mean metrics, no leaks', async () => {
    const before = tf.memory().numTensors;
    const r = await crossValidate(ds, { folds: 5, onlyFolds: [0, 3], model: { audio: false, tags: true, seed: 4 }, fit: fast });
    expect(r.folds.map((f) => f.fold)).toEqual([0, 3]);
    for (const f of r.folds) {
      expect(f.sizes).toEqual([180, 60, 60]);
      expect(f.test.k).toBe(6);
      expect(f.test.spearman).toBeGreaterThan(-1);
    }
    expect(r.ndcg.n).toBe(2);
    expect(r.ndcg.mean).toBeCloseTo((r.folds[0].test.ndcg + r.folds[1].test.ndcg) / 2, 12);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'ab+artist' fuses two models with a weight chosen on validation", async () => {
    const r = await crossValidate(ds, {
      folds: 5,
      onlyFolds: [1],
      model: { audio: false, tags: true, seed: 4 },
      fit: { ...fast, sampler: 'ab+artist' },
    });
    const w = r.folds[0].fusionWeight;
    expect(w).toBeGreaterThanOrEqual(0);
    expect(w).toBeLessThanOrEqual(1);
  });

  it('tune tries every grid point and returns the best by validation Spearman', async () => {
    const train = subsetDataset(ds, Int32Array.from({ length: 200 }, (_, i) => i));
    const val = subsetDataset(ds, Int32Array.from({ length: 100 }, (_, i) => 200 + i));
    const r = await tune(train, val, { model: { audio: false, tags: true, seed: 1 }, fit: fast, grid: { w: [0, 0.5, 1], margin: [1] } });
    expect(r.trials.length).toBe(3);
    const bestTrial = r.trials.reduce((a, b) => (b.validation.spearman > a.validation.spearman ? b : a));
    expect(r.best).toEqual(bestTrial.params);
  });

  it('rating-only rows (w = 0) train on shuffled songs, not on A/B pairs', async () => {
    // constant scores: A/B sampling has no group A and would throw E_NO_PAIRS
    const flat = { ...ds, hitScores: new Float64Array(ds.ids.length).fill(0.01) };
    const r = await crossValidate(flat, { folds: 5, onlyFolds: [0], model: { audio: false, tags: true, w: 0, seed: 1 }, fit: { epochs: 1 } });
    expect(r.folds.length).toBe(1);
    await expect(
      crossValidate(flat, { folds: 5, onlyFolds: [0], model: { audio: false, tags: true, w: 0, seed: 1 }, fit: { epochs: 1, sampler: 'ab' } }),
    ).rejects.toThrow(/E_NO_PAIRS/);
  });
});

