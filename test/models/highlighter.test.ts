import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf, useBackend } from '../helpers/tf.js';
import {
  ChunkBatchNorm,
  Highlighter,
  buildHighlighter,
  convPadding,
  positionalEncoding,
  resolveHighlighterOptions,
  stridedTimeConv,
  type HighlighterOptions,
} from '../../src/models/highlighter/index.js';
import { padTime } from '../../src/models/highlighter/padTime.js';
import { randn, relErr } from './tfUtil.js';
import { thrownCode as code } from '../helpers/errors.js';

const TINY: HighlighterOptions = { nMels: 8, filters: [4, 6, 8], attentionUnits: [8, 8, 8], classifierUnits: 8, numClasses: 3, seed: 5 };
const TINY_RNN: HighlighterOptions = { ...TINY, variant: 'recurrent', filters: [4, 6, 6, 8], kernelSizes: [3, 4, 4, 4], strides: [2, 2, 1, 1], attentionUnits: [8], lstmUnits: 5 };

/** Forward values and input/kernel gradients of a conv, given a loss weighting r. */
function convGrads(f: (x: tf.Tensor3D, k: tf.Tensor3D) => tf.Tensor3D, x: tf.Tensor3D, k: tf.Tensor3D, r: tf.Tensor) {
  return tf.tidy(() => {
    const y = f(x, k);
    const [dx, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor3D, b as tf.Tensor3D), r)))([x, k]);
    return { y: y.dataSync().slice(), dx: dx.dataSync().slice(), dk: dk.dataSync().slice(), shape: y.shape };
  });
}

describe('stridedTimeConv and padTime', () => {
  it('computes TF SAME padding sizes', () => {
    expect(convPadding(129, 3, 2, 'same')).toEqual({ out: 65, before: 1, after: 1 });
    expect(convPadding(65, 4, 2, 'same')).toEqual({ out: 33, before: 1, after: 2 });
    expect(convPadding(33, 4, 2, 'same')).toEqual({ out: 17, before: 1, after: 2 });
    expect(convPadding(17, 4, 1, 'same')).toEqual({ out: 17, before: 1, after: 2 });
    expect(convPadding(10, 4, 3, 'valid')).toEqual({ out: 3, before: 0, after: 0 });
  });

  // [B, T, Cin, Cout, K, stride, padding]
  const CASES: Array<[number, number, number, number, number, number, 'same' | 'valid']> = [
    [2, 129, 8, 5, 3, 2, 'same'],
    [3, 65, 4, 6, 4, 2, 'same'],
    [1, 33, 6, 3, 4, 2, 'same'],
    [2, 17, 5, 4, 4, 1, 'same'],
    [2, 10, 3, 2, 1, 2, 'same'],
    [1, 7, 3, 2, 5, 3, 'same'],
    [2, 12, 3, 4, 4, 2, 'valid'],
    [1, 11, 2, 3, 3, 3, 'valid'],
  ];

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`equals tf.conv1d (forward and gradients) on ${backend}`, async () => {
      for (const [b, t, cin, cout, k, s, pad] of CASES) {
        const tag = `${b}-${t}-${cin}-${cout}-${k}-${s}-${pad}`;
        const xv = randn(b * t * cin, `x${tag}`);
        const kv = randn(k * cin * cout, `k${tag}`, 0.3);
        await useBackend('cpu');
        const ref = (() => {
          const x = tf.tensor3d(xv, [b, t, cin]);
          const kk = tf.tensor3d(kv, [k, cin, cout]);
          const out = convPadding(t, k, s, pad).out;
          const r = tf.tensor3d(randn(b * out * cout, `r${tag}`), [b, out, cout]);
          const g = convGrads((a, w) => tf.conv1d(a, w, s, pad), x, kk, r);
          tf.dispose([x, kk, r]);
          return g;
        })();
        await useBackend(backend);
        const x = tf.tensor3d(xv, [b, t, cin]);
        const kk = tf.tensor3d(kv, [k, cin, cout]);
        const r = tf.tensor3d(randn(b * ref.shape[1] * cout, `r${tag}`), [b, ref.shape[1], cout]);
        const zero = tf.zeros([cout]) as tf.Tensor1D;
        const ours = convGrads((a, w) => stridedTimeConv(a, w, zero, { stride: s, padding: pad }), x, kk, r);
        tf.dispose([x, kk, r, zero]);
        expect(ours.shape, tag).toEqual(ref.shape);
        expect(relErr(ours.y, ref.y), tag).toBeLessThan(1e-5);
        expect(relErr(ours.dx, ref.dx), tag).toBeLessThan(1e-5);
        expect(relErr(ours.dk, ref.dk), tag).toBeLessThan(1e-5);
      }
    });
  }

  it('padTime equals tf.pad, with the crop as gradient, on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const x = tf.tensor3d(randn(2 * 5 * 3, 'p'), [2, 5, 3]);
      const r = tf.tensor3d(randn(2 * 8 * 3, 'pr'), [2, 8, 3]);
      const y = padTime(x, 1, 2);
      const yr = tf.pad(x, [[0, 0], [1, 2], [0, 0]]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(yr.dataSync()));
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(padTime(a as tf.Tensor3D, 1, 2), r)))(x);
      const gr = tf.slice(r, [0, 1, 0], [2, 5, 3]);
      expect(Array.from(g.dataSync())).toEqual(Array.from(gr.dataSync()));
      tf.dispose([x, r, y, yr, g, gr]);
    }
  });
});

describe('ChunkBatchNorm', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  function manual(x: Float32Array, n: number, c: number, beta: number[]): Float32Array {
    const out = new Float32Array(x.length);
    for (let j = 0; j < c; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i * c + j];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[i * c + j] - m) ** 2;
      v /= n;
      for (let i = 0; i < n; i++) out[i * c + j] = (x[i * c + j] - m) / Math.sqrt(v + 1e-3) + beta[j];
    }
    return out;
  }

  it("normalises with the batch's statistics ('batch', the default) and updates moving averages only in training", () => {
    const bn = new ChunkBatchNorm({ momentum: 0.9 });
    const xv = randn(5 * 2 * 3, 'bn', 2);
    const x = tf.tensor3d(xv, [5, 2, 3]);
    const y = bn.apply(x) as tf.Tensor;
    expect(relErr(y.dataSync(), manual(xv, 10, 3, [0, 0, 0]))).toBeLessThan(1e-5);
    const [, mm0] = bn.getWeights().map((w) => w.dataSync().slice()); // beta, moving_mean, moving_variance
    expect(Array.from(mm0)).toEqual([0, 0, 0]);
    const yt = bn.apply(x, { training: true }) as tf.Tensor;
    expect(relErr(yt.dataSync(), manual(xv, 10, 3, [0, 0, 0]))).toBeLessThan(1e-5);
    const mean = [0, 1, 2].map((j) => Array.from({ length: 10 }, (_, i) => xv[i * 3 + j]).reduce((a, b) => a + b, 0) / 10);
    const [, mm1] = bn.getWeights().map((w) => w.dataSync().slice());
    expect(relErr(mm1, mean.map((m) => 0.1 * m))).toBeLessThan(1e-5);
    tf.dispose([x, y, yt]);
  });

  it("uses the moving averages with inference: 'moving' or the bnStats call argument", () => {
    const bn = new ChunkBatchNorm({ inference: 'moving' });
    const x = tf.tensor2d(randn(4 * 3, 'mv'), [4, 3]);
    bn.apply(x); // build
    bn.setWeights([tf.tensor1d([1, 2, 3]), tf.tensor1d([0.5, -1, 0]), tf.tensor1d([4, 1, 0.25])]);
    const expectMoving = (y: tf.Tensor) => {
      const xv = x.dataSync();
      const want = Float32Array.from(xv, (v, i) => {
        const j = i % 3;
        return (v - [0.5, -1, 0][j]) / Math.sqrt([4, 1, 0.25][j] + 1e-3) + [1, 2, 3][j];
      });
      expect(relErr(y.dataSync(), want)).toBeLessThan(1e-5);
    };
    expectMoving(bn.apply(x) as tf.Tensor);
    const bnBatch = new ChunkBatchNorm();
    bnBatch.apply(x);
    bnBatch.setWeights([tf.tensor1d([1, 2, 3]), tf.tensor1d([0.5, -1, 0]), tf.tensor1d([4, 1, 0.25])]);
    expectMoving(bnBatch.apply(x, { bnStats: 'moving' }) as tf.Tensor);
    expect(code(() => bnBatch.apply(x, { bnStats: 'running' }))).toBe('E_PARAM');
  });
});

describe('positionalEncoding', () => {
  it('is the Transformer sinusoid with a zero first row', () => {
    const d = 6;
    const pe = positionalEncoding(3, d);
    expect(Array.from(pe.subarray(0, d))).toEqual([0, 0, 0, 0, 0, 0]);
    const want = (p: number, j: number) => {
      const a = p / Math.pow(10000, (2 * Math.floor(j / 2)) / d);
      return j % 2 === 0 ? Math.sin(a) : Math.cos(a);
    };
    for (let p = 1; p < 3; p++) for (let j = 0; j < d; j++) expect(pe[p * d + j]).toBeCloseTo(want(p, j), 6);
    expect(pe[d]).toBeCloseTo(Math.sin(1), 6);
    expect(pe[d + 1]).toBeCloseTo(Math.cos(1), 6);
  });
});

describe('buildHighlighter', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('has the published layer sizes at the defaults', () => {
    const hl = buildHighlighter({ numClasses: 4, seed: 1 });
    const names = ['conv1_relu', 'conv2_relu', 'conv3_relu', 'chunk_max', 'attention', 'chunk_probs', 'song_probs'];
    const probe = tfl.model({ inputs: hl.net.inputs, outputs: names.map((n) => hl.net.getLayer(n).output as tfl.SymbolicTensor) });
    const outs = probe.apply(tf.zeros([3, 129, 128]), { training: false }) as tf.Tensor[];
    expect(outs.map((o) => o.shape)).toEqual([[3, 65, 64], [3, 33, 128], [3, 17, 256], [3, 256], [3, 1], [3, 4], [1, 4]]);
    const kernel = (n: string) => hl.net.getLayer(n).getWeights()[0].shape;
    expect(kernel('conv1')).toEqual([3, 128, 64]);
    expect(kernel('att_fc1')).toEqual([256, 256]);
    expect(kernel('att_fc3')).toEqual([256, 256]);
    expect(kernel('att_logit')).toEqual([256, 1]);
    expect(kernel('cls_fc1')).toEqual([256, 1024]);
    expect(hl.net.getLayer('conv1').getWeights().length).toBe(1); // no bias before batch norm
    expect(hl.config).toMatchObject({ bnAtInference: 'batch', chunkSeconds: 3, scales: [3], positionalEncoding: true, features: { sampleRate: 22050, nFft: 2048, hopLength: 512 } });
    tf.dispose(outs);
    hl.dispose();
  });

  it('recurrent variant: the APSIPA-2017 conv stack and a 256-unit BiLSTM', () => {
    const c = resolveHighlighterOptions({ variant: 'recurrent' });
    expect(c).toMatchObject({ filters: [64, 128, 128, 256], kernelSizes: [3, 4, 4, 4], strides: [2, 2, 1, 1], attentionUnits: [512], lstmUnits: 256, scales: [1, 2, 3, 4], positionalEncoding: false });
    const hl = buildHighlighter({ ...TINY_RNN });
    const a = hl.attention(tf.randomNormal([7, 20, 8], 0, 1, 'float32', 1) as tf.Tensor3D);
    expect(a.shape).toEqual([7]);
    expect(tf.sum(a).dataSync()[0]).toBeCloseTo(1, 5);
    a.dispose();
    hl.dispose();
  });

  it('gives attention weights summing to 1 per song, and is seeded', () => {
    const x = tf.randomNormal([6, 17, 8], 0, 1, 'float32', 3) as tf.Tensor3D;
    const a1 = buildHighlighter(TINY);
    const a2 = buildHighlighter(TINY);
    const a3 = buildHighlighter({ ...TINY, seed: 6 });
    const w1 = Array.from(a1.attention(x).dataSync());
    const w2 = Array.from(a2.attention(x).dataSync());
    const w3 = Array.from(a3.attention(x).dataSync());
    expect(w1.reduce((p, q) => p + q, 0)).toBeCloseTo(1, 5);
    expect(Array.from(w1)).toEqual(Array.from(w2));
    expect(relErr(w3, w1)).toBeGreaterThan(1e-3);
    [a1, a2, a3].forEach((h) => h.dispose());
    x.dispose();
  });

  for (const [name, opts] of [['attention', TINY], ['recurrent', TINY_RNN]] as const) {
    it(`${name}: forwardBatch of several songs equals song-by-song forward (moving statistics)`, () => {
      const hl = buildHighlighter({ ...opts, bnAtInference: 'moving' });
      // small random weights everywhere (zero LSTM biases would hide padding — zero input keeps a zero
      // state — and large ones saturate the LSTM so that its initial state does not matter)
      hl.net.setWeights(
        hl.net.weights.map((w, i) => {
          const v = randn((w.shape as number[]).reduce((a, b) => a * b, 1), `w${i}`, 0.2);
          return tf.tensor(w.name.includes('moving_variance') ? v.map((x) => Math.abs(x) + 1) : v, w.shape as number[]);
        }),
      );
      const lengths = [4, 7, 2];
      const songs = lengths.map((n, i) => tf.randomNormal([n, 17, 8], 0, 1, 'float32', 10 + i) as tf.Tensor3D);
      const batch = tf.concat(songs, 0) as tf.Tensor3D;
      const { attention, songProbs } = hl.forwardBatch(batch, lengths);
      expect(songProbs.shape).toEqual([3, 3]);
      songs.forEach((s, i) => {
        const single = hl.forward(s);
        expect(relErr(attention[i].dataSync(), single.attention.dataSync()), `song ${i} attention`).toBeLessThan(1e-5);
        expect(relErr(tf.slice(songProbs, [i, 0], [1, 3]).dataSync(), single.songProbs.dataSync()), `song ${i} probs`).toBeLessThan(1e-5);
        tf.dispose([single.attention, single.songProbs]);
      });
      expect(code(() => hl.forwardBatch(batch, [4, 7]))).toBe('E_SHAPE');
      tf.dispose([...songs, batch, ...attention, songProbs]);
      hl.dispose();
    });
  }

  it("bnAtInference: 'batch' makes a chunk's weight depend on the rest of the song, 'moving' does not", () => {
    const hl = buildHighlighter(TINY);
    const song = tf.randomNormal([5, 17, 8], 0, 1, 'float32', 21) as tf.Tensor3D;
    const other = tf.concat([tf.slice(song, [0, 0, 0], [4, 17, 8]), tf.randomNormal([1, 17, 8], 0, 3, 'float32', 22)], 0) as tf.Tensor3D;
    // logits of the first 4 chunks are compared through attention ratios a0 / a1
    const ratio = (x: tf.Tensor3D, mode: 'batch' | 'moving') => {
      const a = hl.attention(x, { bnAtInference: mode }).dataSync();
      return a[0] / a[1];
    };
    expect(Math.abs(ratio(song, 'moving') - ratio(other, 'moving'))).toBeLessThan(1e-4);
    expect(Math.abs(ratio(song, 'batch') - ratio(other, 'batch'))).toBeGreaterThan(1e-4);
    hl.setBnAtInference('moving');
    expect(hl.config.bnAtInference).toBe('moving');
    expect(Math.abs(hl.attention(song).dataSync()[0] - hl.attention(song, { bnAtInference: 'moving' }).dataSync()[0])).toBe(0);
    tf.dispose([song, other]);
    hl.dispose();
  });

  it('saves and loads weights and configuration through tf.io', async () => {
    const hl = buildHighlighter({ ...TINY, classNames: ['a', 'b', 'c'] });
    let saved: tf.io.ModelArtifacts | null = null;
    await hl.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await Highlighter.load(tf.io.fromMemory(saved as unknown as tf.io.ModelArtifacts));
    expect(loaded.config).toEqual(hl.config);
    const x = tf.randomNormal([4, 17, 8], 0, 1, 'float32', 9) as tf.Tensor3D;
    expect(Array.from(loaded.attention(x).dataSync())).toEqual(Array.from(hl.attention(x).dataSync()));
    // a plain tfjs-layers model is not a highlighter
    const plain = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
    let plainArtifacts: tf.io.ModelArtifacts | null = null;
    await plain.save(tf.io.withSaveHandler(async (a) => ((plainArtifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    await expect(Highlighter.load(tf.io.fromMemory(plainArtifacts as unknown as tf.io.ModelArtifacts))).rejects.toMatchObject({ code: 'E_CORRUPT_FILE' });
    [hl, loaded].forEach((h) => h.dispose());
    plain.dispose();
    x.dispose();
  });

  it('rejects bad options and inputs', () => {
    expect(code(() => buildHighlighter({ variant: 'gru' as 'attention' }))).toBe('E_PARAM');
    expect(code(() => buildHighlighter({ filters: [4, 4], kernelSizes: [3, 4, 4] }))).toBe('E_PARAM');
    expect(code(() => buildHighlighter({ numClasses: 3, classNames: ['a', 'b'] }))).toBe('E_PARAM');
    expect(code(() => buildHighlighter({ bnAtInference: 'running' as 'batch' }))).toBe('E_PARAM');
    const hl = buildHighlighter(TINY);
    expect(code(() => hl.attention(tf.zeros([3, 17, 9]) as tf.Tensor3D))).toBe('E_SHAPE');
    expect(code(() => hl.attention(tf.zeros([0, 17, 8]) as tf.Tensor3D))).toBe('E_SHAPE');
    hl.dispose();
  });
});

describe('training on wasm', () => {
  it('every trainable weight of both variants gets a gradient (no Conv2D backprop kernels needed)', async () => {
    await useBackend('wasm');
    for (const opts of [TINY, TINY_RNN]) {
      const hl = buildHighlighter(opts);
      const vars = hl.trainableVariables();
      const before = vars.map((v) => v.dataSync().slice());
      const x = tf.randomNormal([9, 17, 8], 0, 1, 'float32', 4) as tf.Tensor3D;
      const opt = tf.train.sgd(0.1);
      const cost = opt.minimize(() => {
        const { songProbs } = hl.forwardBatch(x, [5, 4], true);
        return tf.neg(tf.sum(tf.log(tf.slice(songProbs, [0, 1], [2, 1])))) as tf.Scalar;
      }, true, vars);
      expect(Number.isFinite(cost!.dataSync()[0])).toBe(true);
      vars.forEach((v, i) => expect(relErr(v.dataSync(), before[i]), v.name).toBeGreaterThan(0));
      tf.dispose([x, cost!]);
      opt.dispose();
      hl.dispose();
    }
  });
});
