import { beforeAll, describe, expect, it } from 'vitest';
import { multiObjectiveLossParts } from '../../src/losses/index.js';
import { combineShardLosses, planShards, shardGradients } from '../../src/training/dataParallel.js';
import { Scorer } from '../../src/training/scorer.js';
import { tf, useBackend } from '../helpers/tf.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('planShards', () => {
  it('splits pairs into even consecutive runs with Eq. 3 weights that sum to the whole', () => {
    // 7 pairs, pairs 1, 2 and 5 tied.
    const yi = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    const yj = Float32Array.from([0, 2, 3, 1, 1, 6.5, 2]);
    const plans = planShards(yi, yj, 0.3, 'skip', 3);
    expect(plans.map((p) => [p.start, p.pairs])).toEqual([
      [0, 3],
      [3, 2],
      [5, 2],
    ]);
    // counted: shard 0 has 1 of its 3 pairs, shard 1 both, shard 2 both → P = 5.
    expect(plans.map((p) => p.rankShare)).toEqual([1 / 5, 2 / 5, 2 / 5]);
    expect(plans.map((p) => p.rateShare)).toEqual([3 / 7, 2 / 7, 2 / 7]);
    expect(plans[0].rateWeight).toBeCloseTo(0.7 * (3 / 7), 15);
    expect(plans[2].rankWeight).toBeCloseTo(0.3 * (2 / 5), 15);
    // 'paper' counts every pair.
    expect(planShards(yi, yj, 0.3, 'paper', 3).map((p) => p.rankShare)).toEqual([3 / 7, 2 / 7, 2 / 7]);
    // Never an empty shard; all tied → rank weights 0.
    const tied = planShards([1, 1], [1, 1], 0.5, 'skip', 4);
    expect(tied.map((p) => [p.pairs, p.rankWeight])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(() => planShards([], [], 0.5, 'skip', 2)).toThrow(/at least one pair/);
    expect(() => planShards([1], [2], 0.5, 'skip', 0)).toThrow(/shards must be an integer/);
  });
});

describe('shardGradients', () => {
  it('shard gradients sum to the batch gradient of Eq. 3, also with tied pairs and unequal shards', () => {
    const scorer = new Scorer({ audio: true, tags: true, nMels: 6, tagDim: 3, mu: 0.4, fusion: 'convex', dropout: 0, seed: 5 });
    const vars = scorer.variables();
    const B = 7;
    const x = tf.randomNormal([2 * B, 6, 20], 0, 1, 'float32', 1) as tf.Tensor3D;
    const g = tf.randomNormal([2 * B, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const yi = Float32Array.from([0.5, 1, 2, 2, -1, 0.25, 3]);
    const yj = Float32Array.from([0.1, 1, 2, 0, -1, 0.5, 1]); // pairs 1, 2, 4 tied
    const spec = { margin: 1, w: 0.6, ties: 'skip' as const, rank: 'rankHinge' as const };

    const full = tf.variableGrads(() => {
      const f = scorer.score(x, g, true);
      return multiObjectiveLossParts(tf.slice(f, 0, B), tf.slice(f, B, B), yi, yj, spec).loss;
    }, vars);
    const fullLoss = full.value.dataSync()[0];

    const plans = planShards(yi, yj, spec.w, spec.ties, 3);
    const sums = vars.map((v) => new Float64Array(v.size));
    const parts = plans.map((p) => {
      // The shard's songs: its first songs, then its second songs.
      const rows = [...Array.from({ length: p.pairs }, (_, k) => p.start + k), ...Array.from({ length: p.pairs }, (_, k) => B + p.start + k)];
      const idx = tf.tensor1d(rows, 'int32');
      const xs = tf.gather(x, idx) as tf.Tensor3D;
      const gs = tf.gather(g, idx) as tf.Tensor2D;
      const r = shardGradients(scorer, vars, xs, gs, yi.slice(p.start, p.start + p.pairs), yj.slice(p.start, p.start + p.pairs), spec, p.rateWeight, p.rankWeight);
      r.grads.forEach((t, i) => t.dataSync().forEach((v, j) => (sums[i][j] += v)));
      tf.dispose([idx, xs, gs, ...r.grads]);
      return r;
    });
    let maxErr = 0;
    let maxAbs = 0;
    vars.forEach((v, i) => {
      const ref = full.grads[v.name].dataSync();
      ref.forEach((val, j) => {
        maxErr = Math.max(maxErr, Math.abs(val - sums[i][j]));
        maxAbs = Math.max(maxAbs, Math.abs(val));
      });
    });
    expect(maxAbs).toBeGreaterThan(1e-3);
    expect(maxErr).toBeLessThan(1e-6);
    expect(combineShardLosses(plans, parts).loss).toBeCloseTo(fullLoss, 5);

    // A naive equal-weight average of the shards' own Eq. 3 gradients is NOT the batch gradient.
    const naive = vars.map((v) => new Float64Array(v.size));
    for (const p of plans) {
      const rows = [...Array.from({ length: p.pairs }, (_, k) => p.start + k), ...Array.from({ length: p.pairs }, (_, k) => B + p.start + k)];
      const idx = tf.tensor1d(rows, 'int32');
      const xs = tf.gather(x, idx) as tf.Tensor3D;
      const gs = tf.gather(g, idx) as tf.Tensor2D;
      const r = shardGradients(scorer, vars, xs, gs, yi.slice(p.start, p.start + p.pairs), yj.slice(p.start, p.start + p.pairs), spec, 1 - spec.w, spec.w);
      r.grads.forEach((t, i) => t.dataSync().forEach((v, j) => (naive[i][j] += v / plans.length)));
      tf.dispose([idx, xs, gs, ...r.grads]);
    }
    let naiveErr = 0;
    vars.forEach((v, i) => full.grads[v.name].dataSync().forEach((val, j) => (naiveErr = Math.max(naiveErr, Math.abs(val - naive[i][j])))));
    expect(naiveErr).toBeGreaterThan(100 * maxErr);

    tf.dispose([x, g, full.value, ...Object.values(full.grads)]);
    scorer.dispose();
  });
});
