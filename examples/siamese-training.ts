// Train the paper's Siamese CNN (A/B sampling, Eq. 3) on songs synthesised from a
// seed, then rank held-out songs and score them with the paper's @10 % metrics.
//
//   npx tsx examples/siamese-training.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { logMel, SiameseHitModel, type HitDataset } from '../src/index.js';

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const SR = 22050;
const SECONDS = 4;

/** A song whose "hit potential" is its brightness (upper harmonics) plus noise. */
function song(rng: () => number): { pcm: Float32Array; latent: number } {
  const bright = rng();
  const f0 = 110 * 2 ** Math.floor(rng() * 3) * (1 + 0.5 * rng());
  const pcm = new Float32Array(SR * SECONDS);
  for (let i = 0; i < pcm.length; i++) {
    const t = i / SR;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += (h <= 3 ? 0.2 : 0.15 * bright) * Math.sin(2 * Math.PI * f0 * h * t) / h;
    pcm[i] = v + 0.01 * (rng() * 2 - 1);
  }
  return { pcm, latent: 3 * bright + 0.3 * (rng() - 0.5) };
}

function dataset(n: number, seed: string): HitDataset {
  const rng = seedrandom(seed);
  const songs = Array.from({ length: n }, () => song(rng));
  const mels = songs.map((s) => logMel(s.pcm, { sampleRate: SR }));
  const e = songs.map((s) => Math.exp(s.latent));
  const total = e.reduce((a, b) => a + b, 0) * 4;
  return {
    ids: songs.map((_, i) => `${seed}-${i}`),
    hitScores: Float64Array.from(e, (v) => v / total), // long-tailed market shares
    mels: mels.map((m) => m.data),
    melShape: mels[0].shape,
  };
}

if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('wasm backend did not start');
const train = dataset(smoke ? 60 : 200, 'train');
const val = dataset(smoke ? 30 : 100, 'val');
const test = dataset(smoke ? 60 : 200, 'test');
console.log(`mels: [${train.melShape!.join(' × ')}] per song, ${train.ids.length} training songs, backend ${tf.getBackend()}`);

const model = new SiameseHitModel({ w: 0.5, margin: 1, seed: 7 });
const t0 = performance.now();
await model.fit(train, {
  sampler: 'ab',
  validation: val,
  epochs: smoke ? 3 : 15,
  learningRate: 0.02,
  onEpoch: (l) =>
    console.log(`epoch ${l.epoch}: loss ${l.loss.toFixed(3)} (rate ${l.rateLoss.toFixed(3)}, rank ${l.rankLoss.toFixed(3)}), ` +
      `val Spearman@10% ${l.val!.spearman.toFixed(3)}`),
});
console.log(`trained ${model.parameterCount} parameters in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const r = await model.evaluate(test);
console.log(`test: nDCG@10% ${r.ndcg.toFixed(3)}, Kendall@10% ${r.kendall.toFixed(3)}, Spearman@10% ${r.spearman.toFixed(3)} (k = ${r.k})`);
model.dispose();
