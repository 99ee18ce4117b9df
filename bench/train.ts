// Training benchmark (issues 4 and 5): SiameseHitModel.fit on batches of 30-s
// clips ([128 × 323] log-mels) — in the calling thread, and data-parallel on
// worker threads (parallelTrainingExecutor of hitrank/node) with 1 worker and
// with one worker per available core — against a bare `optimizer.minimize`
// loop on the same network and loss (the trainer's overhead), on wasm and cpu,
// next to PyTorch on the same model (../shared/bench/torch_simple_cnn.py, run
// in this process tree before and after our rows when /usr/bin/python3 has
// torch, else the recorded figures of ../shared/bench/peers.md, labelled so).
// Then the estimate of training time for the paper's setting (12k songs).
//
//   npx tsx bench/train.ts            HITRANK_BENCH_QUICK=1 for fewer steps
//
// Steps are timed per epoch after a warm-up epoch (worker start-up and the
// first, slower steps are not counted). The machine is shared: the load
// average is printed; compare ratios measured in one run.
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { applySimpleCnnWasm, buildSimpleCnn, multiObjectiveLossParts, SiameseHitModel, type CnnKernels, type HitDataset, type WasmKernelFlavour } from '../src/index.js';
import { enableRelaxedSimd } from '../src/node/relaxedSimd.js';
import { parallelTrainingExecutor, type ParallelTrainingStats } from '../src/node/parallelTraining.js';
import { printTable } from './timing.js';

const QUICK = process.env.HITRANK_BENCH_QUICK === '1';
const PAIRS = 16;
const CLIPS = 2 * PAIRS;
const CORES = availableParallelism();
const here = dirname(fileURLToPath(import.meta.url));
const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');
const loadBefore = load();

/**
 * Cores free right now: a fixed scalar loop on 1 thread, then on CORES threads
 * at once; capacity = CORES × t(1) / t(CORES) (≈ CORES on an idle machine, ≈ 1
 * when other processes keep the other cores busy).
 */
async function freeCores(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads'); let x = 0; for (let i = 0; i < 1.5e8; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x);`;
  const run = async (n: number) => {
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: n }, () => new Promise<void>((done) => {
        const w = new Worker(code, { eval: true });
        w.once('message', () => void w.terminate().then(() => done()));
      })),
    );
    return performance.now() - t0;
  };
  const one = await run(1);
  return (CORES * one) / (await run(CORES));
}
const freeBefore = await freeCores();

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timed {
  /** Median over the timed epochs of ms per step. */
  ms: number;
  /** Cores kept busy over the timed epochs: process CPU time (all threads) / wall time. */
  busy: number;
  /** Fastest timed epoch, ms per step. */
  minMs: number;
  stats: ParallelTrainingStats | null;
}

/**
 * ms per step of SiameseHitModel.fit: one warm-up epoch, then `epochs` timed
 * epochs of `steps` batches of `pairs` pairs, optionally on `workers` worker threads.
 */
async function fitMs(ds: HitDataset, pairs: number, steps: number, epochs: number, workers: number | null, cnnKernels: CnnKernels = 'auto'): Promise<Timed> {
  const m = new SiameseHitModel({ seed: 1, cnnKernels });
  const executor = workers === null ? undefined : parallelTrainingExecutor({ workers });
  const marks: number[] = [];
  const cpu: number[] = [];
  await m.fit(ds, {
    sampler: 'naive',
    epochs: 1 + epochs,
    batchPairs: pairs,
    pairsPerEpoch: pairs * steps,
    learningRate: 1e-3,
    executor,
    onEpoch: () => {
      marks.push(performance.now());
      const c = process.cpuUsage();
      cpu.push((c.user + c.system) / 1000);
    },
  });
  m.dispose();
  const per = marks.slice(1).map((t, i) => (t - marks[i]) / steps);
  const busy = (cpu[cpu.length - 1] - cpu[0]) / (marks[marks.length - 1] - marks[0]);
  return { ms: median(per), minMs: Math.min(...per), busy, stats: executor?.stats ?? null };
}

/**
 * ms per step of a bare minimize loop: same network, same loss, inputs
 * already on the backend; the network on tfjs ops, or on hitrank's wasm
 * kernels of the given build.
 */
async function bareMs(steps: number, kernels: 'tfjs' | WasmKernelFlavour = 'tfjs'): Promise<number> {
  const cnn = buildSimpleCnn({ seed: 1 });
  const opt = tf.train.adagrad(1e-3);
  const rng = seedrandom('bare');
  const x = tf.tensor3d(Float32Array.from({ length: CLIPS * 128 * 323 }, () => rng() - 0.5), [CLIPS, 128, 323]);
  const yi = Float32Array.from({ length: PAIRS }, () => rng());
  const yj = Float32Array.from({ length: PAIRS }, () => rng());
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const cost = opt.minimize(
      () => {
        const y = kernels === 'tfjs' ? (cnn.apply(x, { training: true }) as tf.Tensor) : applySimpleCnnWasm(cnn, x, { training: true, flavour: kernels });
        const f = tf.reshape(y, [-1]);
        return multiObjectiveLossParts(tf.slice(f, 0, PAIRS), tf.slice(f, PAIRS, PAIRS), yi, yj).loss;
      },
      true,
      vars,
    );
    cost!.dataSync();
    cost!.dispose();
  };
  for (let i = 0; i < 2; i++) step();
  const ts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    ts.push(performance.now() - t0);
  }
  x.dispose();
  opt.dispose();
  cnn.dispose();
  return median(ts);
}

function torch(threads: number): { ms: number; source: string } {
  const recorded = threads === 1 ? 19.6 : 9.9;
  const r = spawnSync('/usr/bin/python3', [resolve(here, '..', '..', 'shared', 'bench', 'torch_simple_cnn.py'), String(threads)], {
    encoding: 'utf8',
  });
  const m = /median ms ([\d.]+)/.exec(r.stdout ?? '');
  return m ? { ms: Number(m[1]), source: 'same run' } : { ms: recorded, source: 'recorded (peers.md)' };
}

const clipsPerS = (ms: number, clips = CLIPS) => (clips / ms) * 1000;
const ds = dataset(64);
const torchBefore = [torch(1), torch(2)];

// As the hitrank command and fitParallel do: hitrank's kernels use fused multiply-add.
const relaxed = enableRelaxedSimd();
await backend('wasm');
const wasmSteps = QUICK ? 8 : 12; // workers need a few steps to warm up: fewer makes the worker rows noisy
const wasmEpochs = QUICK ? 2 : 3;
const tfjsOps = await fitMs(ds, PAIRS, wasmSteps, wasmEpochs, null, 'tfjs');
const inProcess = await fitMs(ds, PAIRS, wasmSteps, wasmEpochs, null);
const oneWorker = await fitMs(ds, PAIRS, wasmSteps, wasmEpochs, 1);
const allWorkers = await fitMs(ds, PAIRS, wasmSteps, wasmEpochs, CORES);
// The paper's (and fit's default) batch: 10 pairs = 20 clips.
const inProcess10 = await fitMs(ds, 10, wasmSteps, wasmEpochs, null);
const allWorkers10 = await fitMs(ds, 10, wasmSteps, wasmEpochs, CORES);
const bareWasm = await bareMs(wasmSteps, relaxed ? 'relaxed-simd' : 'simd');
const bareSimd = await bareMs(wasmSteps, 'simd');
const bareTfjs = await bareMs(wasmSteps, 'tfjs');
await backend('cpu');
const cpuSteps = QUICK ? 1 : 2;
const cpuFit = await fitMs(ds, PAIRS, wasmSteps, wasmEpochs, null);
const bareCpu = await bareMs(cpuSteps, 'tfjs');
const torchAfter = [torch(1), torch(2)];
const loadAfter = load();
const freeAfter = await freeCores();

// Ratios against the mean of PyTorch's two measurements (before and after our rows).
const t1 = { ms: (torchBefore[0].ms + torchAfter[0].ms) / 2, source: torchBefore[0].source };
const t2 = { ms: (torchBefore[1].ms + torchAfter[1].ms) / 2, source: torchBefore[1].source };
const rows: string[][] = [['what (batch 16 pairs = 32 clips of 30 s unless noted)', 'ms/step', 'min', 'clips/s', '× PyTorch 1 thread', `× PyTorch ${CORES} threads`]];
const row = (label: string, ms: number, minMs: number | null, clips = CLIPS) => {
  const perClip = ms / clips;
  rows.push([
    label,
    ms.toFixed(1),
    minMs === null ? '' : minMs.toFixed(1),
    clipsPerS(ms, clips).toFixed(0),
    `${(perClip / (t1.ms / CLIPS)).toFixed(2)}×`,
    `${(perClip / (t2.ms / CLIPS)).toFixed(2)}×`,
  ]);
};
row('fit, wasm backend, tfjs ops (cnnKernels: tfjs), calling thread', tfjsOps.ms, tfjsOps.minMs);
row(`SiameseHitModel.fit, wasm kernels (${relaxed ? 'relaxed SIMD' : 'SIMD128'}), calling thread`, inProcess.ms, inProcess.minMs);
row('fit + parallelTrainingExecutor, wasm, 1 worker', oneWorker.ms, oneWorker.minMs);
row(`fit + parallelTrainingExecutor, wasm, ${CORES} workers`, allWorkers.ms, allWorkers.minMs);
row('fit, wasm, calling thread, 10 pairs (20 clips)', inProcess10.ms, inProcess10.minMs, 20);
row(`fit + executor, wasm, ${CORES} workers, 10 pairs (20 clips)`, allWorkers10.ms, allWorkers10.minMs, 20);
row(`bare optimizer.minimize, wasm kernels (${relaxed ? 'relaxed SIMD' : 'SIMD128'})`, bareWasm, null);
row('bare optimizer.minimize, wasm kernels (SIMD128, no FMA)', bareSimd, null);
row('bare optimizer.minimize, wasm backend, tfjs ops', bareTfjs, null);
row('SiameseHitModel.fit, cpu backend, wasm kernels, calling thread', cpuFit.ms, cpuFit.minMs);
row('bare optimizer.minimize, cpu backend, tfjs ops', bareCpu, null);
rows.push([`PyTorch 1 thread (${t1.source}, MSE+Adam; ${torchBefore[0].ms.toFixed(1)} / ${torchAfter[0].ms.toFixed(1)})`, t1.ms.toFixed(1), '', clipsPerS(t1.ms).toFixed(0), '1.00×', `${(t1.ms / t2.ms).toFixed(2)}×`]);
rows.push([`PyTorch 2 threads (${t2.source}; ${torchBefore[1].ms.toFixed(1)} / ${torchAfter[1].ms.toFixed(1)})`, t2.ms.toFixed(1), '', clipsPerS(t2.ms).toFixed(0), `${(t2.ms / t1.ms).toFixed(2)}×`, '1.00×']);
console.log(
  `\nTraining step, simple CNN, Node ${process.version}, tfjs ${tf.version_core}, ${CORES} cores; load average before ${loadBefore}, after ${loadAfter}; ` +
    `free cores (scalar-loop probe) before ${freeBefore.toFixed(2)}, after ${freeAfter.toFixed(2)}`,
);
printTable(rows);

console.log('\nWorker steps (calling thread\'s view, ms per step):');
for (const [label, t] of [
  ['1 worker, 16 pairs', oneWorker],
  [`${CORES} workers, 16 pairs`, allWorkers],
  [`${CORES} workers, 10 pairs`, allWorkers10],
] as const) {
  const s = t.stats!;
  console.log(
    `  ${label.padEnd(20)} step ${s.stepMs.toFixed(1)}, slowest shard ${s.workerMs.toFixed(1)}, ` +
      `sum + Adagrad + publish weights ${s.reduceMs.toFixed(2)}, input standardisation ${s.inputMs.toFixed(1)} (overlapped), ` +
      `cores busy ${t.busy.toFixed(2)} of ${CORES}`,
  );
}
console.log(`trainer overhead (fit vs bare minimize, wasm kernels): ${(((inProcess.ms - bareWasm) / bareWasm) * 100).toFixed(1)} % (target ≤ 5 %)`);
console.log(`wasm kernels vs tfjs ops on the wasm backend (fit, calling thread): ${(tfjsOps.ms / inProcess.ms).toFixed(2)}× faster; fused multiply-add vs SIMD128 (bare): ${(bareSimd / bareWasm).toFixed(2)}×`);
const speedup = inProcess.ms / allWorkers.ms;
console.log(`${CORES} workers vs calling thread: ${speedup.toFixed(2)}× (16 pairs), ${(inProcess10.ms / allWorkers10.ms).toFixed(2)}× (10 pairs)`);
const oneCore = inProcess.ms / CLIPS / (t1.ms / CLIPS);
const allCores = allWorkers.ms / CLIPS / (t2.ms / CLIPS);
console.log(`issue-5 targets: wasm 1 core ≤ 3× PyTorch 1 thread (≥ ${clipsPerS(3 * t1.ms).toFixed(0)} clips/s): ${oneCore.toFixed(2)}× ${oneCore <= 3 ? 'met' : 'NOT met'}; ` +
  `all cores ≤ 3× PyTorch ${CORES} threads: ${allCores.toFixed(2)}× ${allCores <= 3 ? 'met' : 'NOT met'}.`);

// The paper's setting: ~12k songs, Mid-30 clips; an epoch of the default sampler is
// pairsPerEpoch = number of training songs pairs, i.e. 2 × 12,000 clips through the CNN
// (forward + backward), at the default batch of 10 pairs.
const SONGS = 12000;
const clipsPerEpoch = 2 * SONGS;
const epochsPerHour = (ms: number) => (clipsPerS(ms, 20) * 3600) / clipsPerEpoch;
const range = (t: Timed) => `${epochsPerHour(t.ms).toFixed(1)} (median epoch) – ${epochsPerHour(t.minMs).toFixed(1)} (fastest epoch)`;
console.log(
  `\n12k songs × 30 s, 1 epoch = 12,000 pairs = 24,000 clips (batch 10 pairs), epochs/hour: ` +
    `${range(inProcess10)} in the calling thread, ${range(allWorkers10)} on ${CORES} workers ` +
    `(150 epochs on ${CORES} workers: ${(150 / epochsPerHour(allWorkers10.ms)).toFixed(1)} h; validation passes not included).`,
);
