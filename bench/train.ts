// Issue 4's training benchmark: SiameseHitModel.fit on batches of 16 pairs of
// 30-s clips ([128 × 323] log-mels, 32 clips a step) against a bare
// `optimizer.minimize` loop on the same network and loss (the trainer's
// overhead: batch assembly, standardisation, loss bookkeeping), on wasm and cpu,
// next to PyTorch on the same model (../shared/bench/torch_simple_cnn.py, run
// in this process tree when /usr/bin/python3 has torch, else the recorded
// figures of ../shared/bench/peers.md, labelled so).
//
//   npx tsx bench/train.ts            HITRANK_BENCH_QUICK=1 for fewer steps
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { buildSimpleCnn, multiObjectiveLossParts, SiameseHitModel, type HitDataset } from '../src/index.js';
import { printTable } from './timing.js';

const QUICK = process.env.HITRANK_BENCH_QUICK === '1';
const PAIRS = 16;
const CLIPS = 2 * PAIRS;
const here = dirname(fileURLToPath(import.meta.url));

function dataset(n: number): HitDataset {
  const rng = seedrandom('bench-train');
  return {
    ids: Array.from({ length: n }, (_, i) => `s${i}`),
    hitScores: Float64Array.from({ length: n }, () => 1e-4 + 0.01 * rng() ** 4),
    mels: Array.from({ length: n }, () => Float32Array.from({ length: 128 * 323 }, () => -40 + 20 * rng())),
    melShape: [128, 323],
  };
}

async function backend(name: 'cpu' | 'wasm') {
  tf.enableProdMode();
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) throw new Error(`backend ${name} failed`);
}

/** ms per step of SiameseHitModel.fit (one epoch of `steps` batches, after a warm-up epoch). */
async function trainerMs(ds: HitDataset, steps: number): Promise<number> {
  const m = new SiameseHitModel({ seed: 1 });
  const opts = { sampler: 'naive' as const, epochs: 1, batchPairs: PAIRS, pairsPerEpoch: PAIRS * 2, learningRate: 1e-3 };
  await m.fit(ds, opts); // build + warm up
  const t0 = performance.now();
  await m.fit(ds, { ...opts, pairsPerEpoch: PAIRS * steps });
  const ms = (performance.now() - t0) / steps;
  m.dispose();
  return ms;
}

/** ms per step of a bare minimize loop: same network, same loss, inputs already on the backend. */
async function bareMs(steps: number): Promise<number> {
  const cnn = buildSimpleCnn({ seed: 1 });
  const opt = tf.train.adagrad(1e-3);
  const rng = seedrandom('bare');
  const x = tf.tensor3d(Float32Array.from({ length: CLIPS * 128 * 323 }, () => rng() - 0.5), [CLIPS, 128, 323]);
  const yi = Float32Array.from({ length: PAIRS }, () => rng());
  const yj = Float32Array.from({ length: PAIRS }, () => rng());
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const cost = opt.minimize(() => {
      const f = tf.reshape(cnn.apply(x, { training: true }) as tf.Tensor, [-1]);
      return multiObjectiveLossParts(tf.slice(f, 0, PAIRS), tf.slice(f, PAIRS, PAIRS), yi, yj).loss;
    }, true, vars);
    cost!.dataSync();
    cost!.dispose();
  };
  for (let i = 0; i < 2; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / steps;
  x.dispose();
  opt.dispose();
  cnn.dispose();
  return ms;
}

function torch(threads: number): { ms: number; source: string } {
  const recorded = threads === 1 ? 19.6 : 9.9;
  const r = spawnSync('/usr/bin/python3', [resolve(here, '..', '..', 'shared', 'bench', 'torch_simple_cnn.py'), String(threads)], {
    encoding: 'utf8',
  });
  const m = /median ms ([\d.]+)/.exec(r.stdout ?? '');
  return m ? { ms: Number(m[1]), source: 'same run' } : { ms: recorded, source: 'recorded (peers.md)' };
}

const ds = dataset(64);
const rows: string[][] = [['what (batch 16 pairs = 32 clips of 30 s)', 'ms/step', 'clips/s', 'vs PyTorch 1 thread']];
const t1 = torch(1);
const t2 = torch(2);
const results: Record<string, { trainer: number; bare: number }> = {};
for (const b of ['wasm', 'cpu'] as const) {
  await backend(b);
  const steps = b === 'cpu' ? (QUICK ? 1 : 2) : QUICK ? 4 : 12;
  const bare = await bareMs(steps);
  const trainer = await trainerMs(ds, steps);
  results[b] = { trainer, bare };
  rows.push([`SiameseHitModel.fit on ${b}`, trainer.toFixed(1), (CLIPS / (trainer / 1000)).toFixed(0), `${(trainer / t1.ms).toFixed(1)}×`]);
  rows.push([`bare optimizer.minimize on ${b}`, bare.toFixed(1), (CLIPS / (bare / 1000)).toFixed(0), `${(bare / t1.ms).toFixed(1)}×`]);
}
rows.push([`PyTorch 1 thread (${t1.source}, MSE+Adam)`, t1.ms.toFixed(1), (CLIPS / (t1.ms / 1000)).toFixed(0), '1.0×']);
rows.push([`PyTorch 2 threads (${t2.source})`, t2.ms.toFixed(1), (CLIPS / (t2.ms / 1000)).toFixed(0), `${(t2.ms / t1.ms).toFixed(2)}×`]);
printTable(rows);
for (const [b, r] of Object.entries(results)) {
  console.log(`trainer overhead on ${b}: ${(((r.trainer - r.bare) / r.bare) * 100).toFixed(1)} % (target ≤ 5 %)`);
}
