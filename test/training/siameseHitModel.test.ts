import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRanking, spearmanRho } from '../../src/metrics/index.js';
import { SiameseHitModel } from '../../src/training/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { plantedFeatureDataset, plantedMelDataset } from './planted.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('SiameseHitModel learns a planted signal (cpu)', () => {
  it('A/B Siamese ranks held-out songs far better than random, and the rank loss decreases', async () => {
    const train = plantedMelDataset(240, 'train');
    const val = plantedMelDataset(80, 'val');
    const test = plantedMelDataset(300, 'test');
    const model = new SiameseHitModel({ seed: 3 });
    const logs: number[] = [];
    const hist = await model.fit(train, {
      sampler: 'ab',
      validation: val,
      epochs: 12,
      batchPairs: 10,
      learningRate: 0.05,
      onEpoch: (l) => {
        logs.push(l.rankLoss);
      },
    });
    const ev = await model.evaluate(test);
    const pred = await model.predict(test);
    const rhoAll = spearmanRho(test.latent, pred);
    console.info(
      `planted mel: test nDCG@10% ${ev.ndcg.toFixed(3)}, Kendall@10% ${ev.kendall.toFixed(3)}, ` +
        `Spearman@10% ${ev.spearman.toFixed(3)}, Spearman(all, latent) ${rhoAll.toFixed(3)}, ` +
        `rank loss ${logs[0].toFixed(3)} → ${logs[logs.length - 1].toFixed(3)}, best epoch ${hist.bestEpoch}`,
    );
    expect(rhoAll).toBeGreaterThan(0.7);
    expect(ev.spearman).toBeGreaterThan(0.3);
    expect(ev.ndcg).toBeGreaterThan(0.5);
    expect(logs[logs.length - 1]).toBeLessThan(0.6 * logs[0]);
    model.dispose();
  });
});

/** Ordinary least squares with an intercept (normal equations, Gauss–Jordan). */
function linearRanker(X: Float32Array[], y: ArrayLike<number>): (x: Float32Array) => number {
  const d = X[0].length + 1;
  const A = Array.from({ length: d }, () => new Float64Array(d + 1));
  X.forEach((x, i) => {
    const r = [1, ...x];
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) A[a][b] += r[a] * r[b];
      A[a][d] += r[a] * y[i];
    }
  });
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      for (let k = c; k <= d; k++) A[r][k] -= f * A[c][k];
    }
  }
  const beta = A.map((row, i) => row[d] / row[i]);
  return (x) => beta[0] + x.reduce((s, v, i) => s + v * beta[i + 1], 0);
}

describe('feature-only ranking (audio: false)', () => {
  it('beats a linear least-squares ranker on a nonlinear 12-feature signal', async () => {
    const train = plantedFeatureDataset(600, 'ftrain');
    const val = plantedFeatureDataset(150, 'fval');
    const test = plantedFeatureDataset(600, 'ftest');
    const model = new SiameseHitModel({ audio: false, tags: true, seed: 1 });
    await model.fit(train, { sampler: 'ab', validation: val, epochs: 40, learningRate: 0.05, batchPairs: 16 });
    const ours = await model.evaluate(test);
    const yT = Array.from(train.hitScores, (v) => -1 / Math.log10(v));
    const lin = linearRanker(train.tags!, yT);
    const linPred = Float64Array.from(test.tags!, (x) => lin(x));
    const base = evaluateRanking(test.hitScores, linPred);
    console.info(
      `feature-only: Siamese nDCG@10% ${ours.ndcg.toFixed(3)} (Spearman@10% ${ours.spearman.toFixed(3)}) vs ` +
        `linear least squares ${base.ndcg.toFixed(3)} (${base.spearman.toFixed(3)})`,
    );
    expect(ours.ndcg).toBeGreaterThan(base.ndcg + 0.05);
    model.dispose();
  });
});

describe('tensor hygiene, determinism, persistence', () => {
  const small = () => plantedMelDataset(40, 'small', 16, 20);

  it('keeps tf.memory().numTensors flat across training, predict, evaluate, save and load', async () => {
    const ds = small();
    const model = new SiameseHitModel({ seed: 5, tags: false });
    await model.fit(ds, { epochs: 1, learningRate: 0.01 });
    const after1 = tf.memory().numTensors;
    await model.fit(ds, { epochs: 5, validation: small(), learningRate: 0.01 });
    expect(tf.memory().numTensors).toBe(after1);
    await model.predict(ds);
    await model.evaluate(ds);
    expect(tf.memory().numTensors).toBe(after1);
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    expect(tf.memory().numTensors).toBe(after1);
    const loaded = await SiameseHitModel.load(tf.io.fromMemory(saved!));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(after1);
    model.dispose();
  });

  it('same seed → identical weights and predictions after training; another seed differs', async () => {
    const ds = small();
    const run = async (seed: number) => {
      const m = new SiameseHitModel({ seed });
      await m.fit(ds, { epochs: 2, learningRate: 0.02 });
      const p = await m.predict(ds);
      m.dispose();
      return p;
    };
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('save → load round trip gives identical predictions; bad artefacts fail clearly', async () => {
    const ds = small();
    const model = new SiameseHitModel({ seed: 2 });
    await model.fit(ds, { epochs: 2, learningRate: 0.02 });
    let art: tf.io.ModelArtifacts | null = null;
    await model.save(tf.io.withSaveHandler(async (a) => {
      art = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await SiameseHitModel.load(tf.io.fromMemory(art!));
    expect(Array.from(await loaded.predict(ds))).toEqual(Array.from(await model.predict(ds)));
    loaded.dispose();

    // a handler that throws mid-save rejects, and what was saved before stays loadable
    await expect(model.save(tf.io.withSaveHandler(async () => {
      throw new Error('disk full');
    }))).rejects.toThrow(/disk full/);
    const again = await SiameseHitModel.load(tf.io.fromMemory(art!));
    again.dispose();

    const a = art! as tf.io.ModelArtifacts;
    const card = (a.userDefinedMetadata as { hitrank: Record<string, unknown> }).hitrank;
    const newer = { ...a, userDefinedMetadata: { hitrank: { ...card, formatVersion: 99 } } };
    await expect(SiameseHitModel.load(tf.io.fromMemory(newer))).rejects.toThrow(/E_VERSION/);
    const noWeights = { ...a, weightData: undefined, weightSpecs: undefined };
    await expect(SiameseHitModel.load(tf.io.fromMemory(noWeights))).rejects.toThrow(/E_MISSING_DATA/);
    const specs = a.weightSpecs!.map((s, i) => (i === 0 ? { ...s, shape: [...s.shape.slice(0, -1), s.shape[s.shape.length - 1] + 1] } : s));
    const wrongShape = { ...a, weightSpecs: specs };
    await expect(SiameseHitModel.load(tf.io.fromMemory(wrongShape))).rejects.toThrow(/E_SHAPE|E_CORRUPT_FILE/);
    const notOurs = { ...a, userDefinedMetadata: {}, modelTopology: { format: 'layers-model' } };
    await expect(SiameseHitModel.load(tf.io.fromMemory(notOurs))).rejects.toThrow(/E_CORRUPT_FILE/);
    model.dispose();
  });

  it('bad input fails with codes: missing branch data, mismatched shapes, bad scores', async () => {
    const ds = small();
    const m = new SiameseHitModel({ tags: true });
    await expect(m.fit(ds, { epochs: 1 })).rejects.toThrow(/E_MISSING_DATA/);
    const audio = new SiameseHitModel();
    await expect(audio.predict(ds)).rejects.toThrow(/E_MISSING_DATA/);
    await audio.fit(ds, { epochs: 1 });
    const other = plantedMelDataset(10, 'x', 16, 22);
    await expect(audio.predict(other)).rejects.toThrow(/E_SHAPE/);
    const zeros = { ...ds, hitScores: new Float64Array(ds.ids.length) };
    await expect(new SiameseHitModel().fit(zeros, { epochs: 1 })).rejects.toThrow(/zscore/);
    expect(() => new SiameseHitModel({ w: 2 })).toThrow(/E_PARAM/);
    audio.dispose();
  });
});

describe('SiameseHitModel cnnKernels', () => {
  it('trains the same model on the wasm kernels and on the tfjs ops (losses and scores within 1e-4), by different code', async () => {
    const train = plantedMelDataset(40, 'train');
    const test = plantedMelDataset(30, 'test');
    const out: Record<string, { losses: number[]; scores: Float32Array }> = {};
    for (const cnnKernels of ['wasm', 'tfjs'] as const) {
      const model = new SiameseHitModel({ seed: 5, cnnKernels });
      const losses: number[] = [];
      await model.fit(train, { sampler: 'ab', epochs: 3, batchPairs: 8, learningRate: 0.05, onEpoch: (l) => void losses.push(l.loss) });
      out[cnnKernels] = { losses, scores: Float32Array.from(await model.predict(test)) };
      model.dispose();
    }
    out.wasm.losses.forEach((l, i) => expect(Math.abs(l - out.tfjs.losses[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(l))));
    let maxDiff = 0;
    let scale = 0;
    out.wasm.scores.forEach((s, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(s - out.tfjs.scores[i]));
      scale = Math.max(scale, Math.abs(out.tfjs.scores[i]));
    });
    expect(maxDiff).toBeLessThan(1e-4 * Math.max(1, scale));
    // Float32 rounding differs between the two paths: equal scores would mean one path ran twice.
    expect(maxDiff).toBeGreaterThan(0);
  });

  it('refuses an unknown cnnKernels', () => {
    expect(() => new SiameseHitModel({ cnnKernels: 'gpu' as never })).toThrow(/cnnKernels/);
  });
});
