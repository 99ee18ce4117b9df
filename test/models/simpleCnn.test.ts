import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf, useBackend } from '../helpers/tf.js';
import {
  SeededDropout,
  withDropoutDraw,
  buildSimpleCnn,
  buildTagDnn,
  simpleCnnMinFrames,
} from '../../src/models/index.js';
import { randn } from './tfUtil.js';
import { fillDropoutMask } from '../../src/models/layers/seededDropout.js';
import { thrownCode as errCode } from '../helpers/errors.js';

function weightsOf(m: tfl.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}

function sameArrays(a: Float32Array[], b: Float32Array[]): boolean {
  return a.length === b.length && a.every((x, i) => x.length === b[i].length && x.every((v, j) => Object.is(v, b[i][j])));
}

/** Adagrad training steps (lr 5e-3, the paper's) on one small batch; returns the last loss. */
function train(cnn: tfl.LayersModel, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor, steps: number): number {
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  let last = NaN;
  for (let i = 0; i < steps; i++) {
    const loss = opt.minimize(() => tf.losses.meanSquaredError(y, cnn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true, vars);
    last = (loss as tf.Scalar).dataSync()[0];
    loss?.dispose();
  }
  return last;
}

describe('buildSimpleCnn', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('has the authors\' layers and TF-layout weight shapes, and maps [B, 128, T] to [B, 1]', () => {
    const cnn = buildSimpleCnn();
    expect(cnn.getWeights().map((w) => w.shape)).toEqual([
      [128, 4, 1, 32], [32],
      [1, 4, 32, 64], [64],
      [1, 1, 64, 256], [256],
      [1, 1, 256, 256], [256],
      [1, 1, 256, 1], [1],
    ]);
    expect(cnn.countParams()).toBe(16384 + 32 + 8192 + 64 + 16384 + 256 + 65536 + 256 + 256 + 1);
    tf.tidy(() => {
      const y = cnn.predict(tf.zeros([2, 128, 323])) as tf.Tensor;
      expect(y.shape).toEqual([2, 1]);
      const emb = tfl.model({ inputs: cnn.inputs, outputs: cnn.getLayer('conv2d_4').output as tfl.SymbolicTensor });
      expect((emb.predict(tf.zeros([1, 128, 323])) as tf.Tensor).shape).toEqual([1, 78, 1]);
    });
    cnn.dispose();
  });

  it('initialises kernels Glorot-uniform (TF fan-in/out of the 4-D kernel) and biases at zero', () => {
    const cnn = buildSimpleCnn({ seed: 5 });
    const [k1, b1, k2] = weightsOf(cnn);
    const limit1 = Math.sqrt(6 / (128 * 4 * 1 + 128 * 4 * 32));
    const limit2 = Math.sqrt(6 / (4 * 32 + 4 * 64));
    expect(Math.max(...k1.map(Math.abs))).toBeLessThanOrEqual(limit1);
    expect(Math.max(...k1.map(Math.abs))).toBeGreaterThan(0.9 * limit1);
    expect(Math.max(...k2.map(Math.abs))).toBeLessThanOrEqual(limit2);
    expect(Math.max(...k2.map(Math.abs))).toBeGreaterThan(0.9 * limit2);
    expect(b1.every((v) => v === 0)).toBe(true);
    cnn.dispose();
  });

  it('accepts any frame count from the minimum (13 with kernels [4, 4]) and rejects fewer', () => {
    expect(simpleCnnMinFrames()).toBe(13);
    expect(simpleCnnMinFrames([1, 1])).toBe(4);
    const cnn = buildSimpleCnn();
    tf.tidy(() => {
      expect((cnn.predict(tf.zeros([1, 128, 13])) as tf.Tensor).shape).toEqual([1, 1]);
      expect((cnn.predict(tf.zeros([3, 128, 14])) as tf.Tensor).shape).toEqual([3, 1]);
    });
    expect(errCode(() => tf.tidy(() => cnn.predict(tf.zeros([1, 128, 12]))))).toBe('E_TOO_SHORT');
    expect(errCode(() => buildSimpleCnn({ frames: 12 }))).toBe('E_TOO_SHORT');
    const fixed = buildSimpleCnn({ frames: 40 });
    expect(fixed.outputs[0].shape).toEqual([null, 1]);
    cnn.dispose();
    fixed.dispose();
  });

  it('validates its options', () => {
    expect(errCode(() => buildSimpleCnn({ dropout: 1 }))).toBe('E_PARAM');
    expect(errCode(() => buildSimpleCnn({ leakyAlpha: -0.1 }))).toBe('E_PARAM');
    expect(errCode(() => buildSimpleCnn({ filters: [32, 64, 256] as unknown as [number, number, number, number] }))).toBe('E_PARAM');
    expect(errCode(() => buildSimpleCnn({ kernelSizes: [4, 0] }))).toBe('E_PARAM');
    expect(errCode(() => buildSimpleCnn({ nMels: 0 }))).toBe('E_PARAM');
    expect(errCode(() => buildSimpleCnn({ seed: 0.5 }))).toBe('E_PARAM');
  });

  it('honours nMels, filters and kernelSizes', () => {
    const cnn = buildSimpleCnn({ nMels: 40, filters: [8, 16, 12, 10], kernelSizes: [3, 2], name: 'small' });
    expect(cnn.name).toBe('small');
    expect(cnn.getWeights().filter((_, i) => i % 2 === 0).map((w) => w.shape)).toEqual([
      [40, 3, 1, 8],
      [1, 2, 8, 16],
      [1, 1, 16, 12],
      [1, 1, 12, 10],
      [1, 1, 10, 1],
    ]);
    tf.tidy(() => {
      expect((cnn.predict(tf.zeros([2, 40, 30])) as tf.Tensor).shape).toEqual([2, 1]);
    });
    cnn.dispose();
  });

  it('is deterministic: same seed → same initial weights and same weights after 5 Adagrad steps', () => {
    const x = tf.tensor3d(randn(2 * 128 * 24, 'det-x'), [2, 128, 24]);
    const y = tf.tensor2d([0.3, -0.2], [2, 1]);
    const a = buildSimpleCnn({ seed: 3 });
    const b = buildSimpleCnn({ seed: 3 });
    const c = buildSimpleCnn({ seed: 4 });
    expect(sameArrays(weightsOf(a), weightsOf(b))).toBe(true);
    expect(sameArrays(weightsOf(a), weightsOf(c))).toBe(false);
    const optA = tf.train.adagrad(5e-3);
    const optB = tf.train.adagrad(5e-3);
    train(a, optA, x, y, 5);
    train(b, optB, x, y, 5);
    const wa = weightsOf(a);
    expect(sameArrays(wa, weightsOf(b))).toBe(true);
    expect(sameArrays(wa, weightsOf(c))).toBe(false);
    tf.dispose([x, y]);
    optA.dispose();
    optB.dispose();
    [a, b, c].forEach((m) => m.dispose());
  });

  it.each(['cpu', 'wasm'] as const)('leaks no tensors on %s: same count after 1 and 50 Adagrad steps, and around predict', async (backend) => {
    await useBackend(backend);
    const cnn = buildSimpleCnn({ seed: 9 });
    const x = tf.tensor3d(randn(2 * 128 * 16, 'leak-x'), [2, 128, 16]);
    const y = tf.tensor2d([0.5, -0.5], [2, 1]);
    const opt = tf.train.adagrad(5e-3);
    const first = train(cnn, opt, x, y, 1);
    const afterOne = tf.memory().numTensors;
    const last = train(cnn, opt, x, y, 49);
    expect(tf.memory().numTensors).toBe(afterOne);
    expect(last).toBeLessThan(first); // it does train
    const before = tf.memory().numTensors;
    tf.dispose(cnn.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    opt.dispose();
    cnn.dispose();
    await useBackend('cpu');
  });

  it('trains with tfjs-layers compile/fit too', async () => {
    const cnn = buildSimpleCnn({ seed: 13 });
    cnn.compile({ optimizer: tf.train.adagrad(5e-3), loss: 'meanSquaredError' });
    const x = tf.tensor3d(randn(4 * 128 * 20, 'fit-x'), [4, 128, 20]);
    const y = tf.tensor2d([0.2, -0.1, 0.4, 0], [4, 1]);
    const before = weightsOf(cnn);
    const h = await cnn.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
    expect(h.history.loss).toHaveLength(2);
    expect(Number.isFinite(h.history.loss[1] as number)).toBe(true);
    const after = weightsOf(cnn);
    expect(after.every((w, i) => w.some((v, j) => v !== before[i][j]))).toBe(true); // every weight moved, conv1 included
    tf.dispose([x, y]);
    cnn.dispose();
  });

  it('round-trips through tf.io save/load with its custom layers', async () => {
    const cnn = buildSimpleCnn({ seed: 21 });
    let saved: tf.io.ModelArtifacts | null = null;
    await cnn.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(saved).not.toBeNull();
    const topology = JSON.stringify((saved as unknown as tf.io.ModelArtifacts).modelTopology);
    for (const cls of ['HitrankTimeConv', 'HitrankMaxPoolTime', 'HitrankDropout']) expect(topology).toContain(cls);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as unknown as tf.io.ModelArtifacts));
    expect(loaded.getWeights().map((w) => w.shape)).toEqual(cnn.getWeights().map((w) => w.shape));
    tf.tidy(() => {
      const x = tf.tensor3d(randn(2 * 128 * 30, 'io-x'), [2, 128, 30]);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((cnn.predict(x) as tf.Tensor).dataSync()));
    });
    cnn.dispose();
    loaded.dispose();
  });
});

describe('buildTagDnn', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('is 50 → 100 → 100 → 30 → 1 with TF-layout dense kernels, any tagDim', () => {
    const m = buildTagDnn();
    expect(m.getWeights().map((w) => w.shape)).toEqual([[50, 100], [100], [100, 100], [100], [100, 30], [30], [30, 1], [1]]);
    const small = buildTagDnn({ tagDim: 12, hiddenUnits: [8, 4], seed: 1 });
    expect(small.getWeights().map((w) => w.shape)).toEqual([[12, 8], [8], [8, 4], [4], [4, 1], [1]]);
    tf.tidy(() => {
      expect((small.predict(tf.zeros([5, 12])) as tf.Tensor).shape).toEqual([5, 1]);
    });
    m.dispose();
    small.dispose();
  });

  it('applies the leaky ReLU after the output layer too (negative scores shrink by 0.1)', () => {
    const m = buildTagDnn({ tagDim: 2, hiddenUnits: [1] });
    m.getLayer('dense1').setWeights([tf.tensor2d([[1], [0]]), tf.tensor1d([0])]);
    m.getLayer('logits_tag').setWeights([tf.tensor2d([[1]]), tf.tensor1d([0])]);
    tf.tidy(() => {
      const y = (m.predict(tf.tensor2d([[2, 0], [-3, 0]])) as tf.Tensor).dataSync();
      expect(y[0]).toBeCloseTo(2, 6);
      expect(y[1]).toBeCloseTo(-3 * 0.1 * 0.1, 6);
    });
    m.dispose();
  });

  it('drops out after the first hidden layer only (or after each, on request), in training only', () => {
    const layerNames = (m: tfl.LayersModel) => m.layers.filter((l) => l instanceof SeededDropout).map((l) => l.name);
    const m = buildTagDnn();
    expect(layerNames(m)).toEqual(['dense1_dropout']);
    const all = buildTagDnn({ dropoutAfterEachHidden: true });
    expect(layerNames(all)).toEqual(['dense1_dropout', 'dense2_dropout', 'dense3_dropout']);
    tf.tidy(() => {
      const g = tf.tensor2d(randn(4 * 50, 'tag-g'), [4, 50]);
      const a = (m.predict(g) as tf.Tensor).dataSync();
      const b = (m.predict(g) as tf.Tensor).dataSync();
      expect(Array.from(a)).toEqual(Array.from(b));
      const t1 = (m.apply(g, { training: true }) as tf.Tensor).dataSync();
      const t2 = (m.apply(g, { training: true }) as tf.Tensor).dataSync();
      expect(Array.from(t1)).not.toEqual(Array.from(t2));
    });
    m.dispose();
    all.dispose();
  });

  it('validates its options', () => {
    expect(errCode(() => buildTagDnn({ tagDim: 0 }))).toBe('E_PARAM');
    expect(errCode(() => buildTagDnn({ hiddenUnits: [] }))).toBe('E_PARAM');
    expect(errCode(() => buildTagDnn({ dropout: -0.1 }))).toBe('E_PARAM');
  });
});

describe('SeededDropout', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('zeros about `rate` of the units, scales the rest by 1/(1 − rate), and draws a new mask per call', () => {
    const layer = new SeededDropout({ rate: 0.25, seed: 4 });
    tf.tidy(() => {
      const x = tf.ones([200, 100]);
      const a = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      const b = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
      const zeros = a.filter((v) => v === 0).length / a.length;
      expect(zeros).toBeGreaterThan(0.23);
      expect(zeros).toBeLessThan(0.27);
      expect(a.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
      expect(Array.from(a)).not.toEqual(Array.from(b));
      expect(Array.from((layer.apply(x) as tf.Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    });
    const again = new SeededDropout({ rate: 0.25, seed: 4 });
    tf.tidy(() => {
      const x = tf.ones([10, 10]);
      const fresh = new SeededDropout({ rate: 0.25, seed: 4 });
      expect(Array.from((again.apply(x, { training: true }) as tf.Tensor).dataSync())).toEqual(
        Array.from((fresh.apply(x, { training: true }) as tf.Tensor).dataSync()),
      );
    });
  });

  it('fillDropoutMask is the plain mulberry32 threshold rule, value for value (masks, hence training, unchanged by its speed-ups)', () => {
    const reference = (n: number, rate: number, seed: number): Float32Array => {
      const out = new Float32Array(n);
      const threshold = Math.min(Math.floor(rate * 4294967296), 4294967295);
      let s = seed | 0;
      for (let i = 0; i < n; i++) {
        s = (s + 0x6d2b79f5) | 0;
        let z = Math.imul(s ^ (s >>> 15), 1 | s);
        z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
        out[i] = ((z ^ (z >>> 14)) >>> 0) >= threshold ? 1 / (1 - rate) : 0;
      }
      return out;
    };
    for (const rate of [0.25, 0.5, 0.1, 0.999]) {
      for (const seed of [0, 1, -7, 123456789]) {
        const got = new Float32Array(5001);
        fillDropoutMask(got, rate, seed);
        expect(Array.from(got), `rate ${rate}, seed ${seed}`).toEqual(Array.from(reference(5001, rate, seed)));
      }
    }
  });

  it('inside withDropoutDraw, a row mask depends on its global row and the key only (batch-split invariant)', () => {
    const layer = new SeededDropout({ rate: 0.5, seed: 9 });
    tf.tidy(() => {
      const rowsOf = (rows: number[], key: number) =>
        withDropoutDraw({ key, rows }, () => (layer.apply(tf.ones([rows.length, 7, 3]), { training: true }) as tf.Tensor).arraySync() as number[][][]);
      const whole = rowsOf([0, 1, 2, 3, 4, 5], 11);
      const shardA = rowsOf([0, 1, 3, 4], 11); // first songs 0, 1 and second songs 3, 4 of a 3-pair batch
      const shardB = rowsOf([2, 5], 11);
      expect(shardA).toEqual([whole[0], whole[1], whole[3], whole[4]]);
      expect(shardB).toEqual([whole[2], whole[5]]);
      // Same rows again: the same masks (no hidden stream); another key or row: others.
      expect(rowsOf([0, 1, 2, 3, 4, 5], 11)).toEqual(whole);
      expect(rowsOf([0, 1, 2, 3, 4, 5], 12)).not.toEqual(whole);
      expect(whole[0]).not.toEqual(whole[1]);
      expect(() => withDropoutDraw({ key: 1, rows: [0, 1] }, () => layer.apply(tf.ones([3, 2]), { training: true }))).toThrow(/names 2 rows/);
    });
  });
});
