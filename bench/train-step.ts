// Training-step benchmark of the simple CNN (Yang et al. 2017 / HSP_CNN) built
// by buildSimpleCnn: median and min ms per step and clips/s for a batch of 32
// clips of [128 × 323] (MSE + Adam, as ../shared/bench/torch_simple_cnn.py)
// and for 16 pairs (32 clips through two Siamese branches, pairwise hinge),
// on tfjs-backend-wasm and -cpu with hitrank's ops; tfjs-layers' own
// Conv2D formulation on cpu for 2 steps (it is very slow); PyTorch with 1 and
// 2 threads measured in the same run (or peers.md's recorded figures,
// labelled "recorded", when /usr/bin/python3 has no torch). Then per-op
// times on wasm and the kernel-time split of one wasm step.
//
// hitrank's own WebAssembly kernels (applySimpleCnnWasm, relaxed SIMD turned
// on as the hitrank command does) are measured first, then the tfjs ops.
//
//   npx tsx bench/train-step.ts                          # everything (~5 min)
//   HITRANK_BENCH_QUICK=1 npx tsx bench/train-step.ts    # fewer steps, no Conv2D baseline
//   HITRANK_BENCH_SKIP_CONV2D=1 npx tsx bench/train-step.ts
//
// The machine is shared: compare ratios from one run, and prefer the min/min
// ratio when the medians are disturbed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { applySimpleCnnWasm, buildSimpleCnn, maxPool1d, timeConv1d, timeConv1dChannelsFirst, type WasmKernelFlavour } from '../src/models/index.js';
import { SimpleCnnWasm } from '../src/models/engine/simpleCnnWasm.js';
import { wasmKernels } from '../src/models/engine/wasmKernels.js';
import { enableRelaxedSimd } from '../src/node/relaxedSimd.js';

const QUICK = process.env.HITRANK_BENCH_QUICK === '1';
const B = 32;
const MELS = 128;
const FRAMES = 323;
const here = dirname(fileURLToPath(import.meta.url));
const torchScript = resolve(here, '..', '..', 'shared', 'bench', 'torch_simple_cnn.py');
const RECORDED_TORCH = { 1: 19.6, 2: 9.9 } as const; // ms/step, ../shared/bench/peers.md

async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  tf.enableProdMode();
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) throw new Error(`backend ${name} failed to start`);
  await tf.ready();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Timing {
  label: string;
  medianMs: number;
  minMs: number;
  steps: number;
}

/** Times `step` (which must leave no tensors behind) after `warmup` steps. */
async function timeSteps(label: string, step: () => void, sync: () => Promise<unknown>, warmup: number, steps: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) step();
  await sync();
  const ts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    await sync();
    ts.push(performance.now() - t0);
  }
  return { label, medianMs: median(ts), minMs: Math.min(...ts), steps };
}

function randomBatch(seed: number): { x: tf.Tensor3D; y: tf.Tensor2D } {
  return {
    x: tf.randomNormal([B, MELS, FRAMES], 0, 1, 'float32', seed) as tf.Tensor3D,
    y: tf.randomNormal([B, 1], 0, 1, 'float32', seed + 1) as tf.Tensor2D,
  };
}

type Kernels = 'tfjs' | WasmKernelFlavour;
const forward = (cnn: tfl.LayersModel, x: tf.Tensor3D, kernels: Kernels): tf.Tensor =>
  kernels === 'tfjs' ? (cnn.apply(x, { training: true }) as tf.Tensor) : applySimpleCnnWasm(cnn, x, { training: true, flavour: kernels });
const kernelsLabel = (k: Kernels) => (k === 'tfjs' ? 'hitrank ops' : `hitrank wasm kernels (${k === 'simd' ? 'SIMD128' : 'relaxed SIMD'})`);

/** One MSE + Adam step of buildSimpleCnn on a fixed random batch of 32 clips, on the current backend. */
function mseAdamStep(kernels: Kernels = 'tfjs'): { step: () => void; vars: tf.Variable[]; dispose: () => void } {
  const cnn = buildSimpleCnn({ seed: 1 });
  const { x, y } = randomBatch(1);
  const opt = tf.train.adam(1e-3);
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () =>
    tf.tidy(() => {
      opt.minimize(() => tf.losses.meanSquaredError(y, forward(cnn, x, kernels)) as tf.Scalar, false, vars);
    });
  const dispose = () => {
    tf.dispose([x, y]);
    opt.dispose();
    cnn.dispose();
  };
  return { step, vars, dispose };
}

/** Times {@link mseAdamStep} on `backend`. */
async function benchOurs(backend: 'cpu' | 'wasm', warmup: number, steps: number, kernels: Kernels = 'tfjs'): Promise<Timing> {
  await useBackend(backend);
  const { step, vars, dispose } = mseAdamStep(kernels);
  const r = await timeSteps(`${kernelsLabel(kernels)}, ${backend}, 32 clips`, step, () => vars[0].data(), warmup, steps);
  dispose();
  return r;
}

/** One Siamese step: 16 pairs through two branches of the same CNN, hinge rank loss, Adam. */
async function benchPairs(backend: 'cpu' | 'wasm', warmup: number, steps: number, kernels: Kernels = 'tfjs'): Promise<Timing> {
  await useBackend(backend);
  const cnn = buildSimpleCnn({ seed: 2 });
  const xa = tf.randomNormal([B / 2, MELS, FRAMES], 0, 1, 'float32', 3);
  const xb = tf.randomNormal([B / 2, MELS, FRAMES], 0, 1, 'float32', 4);
  const sign = tf.sign(tf.randomNormal([B / 2, 1], 0, 1, 'float32', 5));
  const opt = tf.train.adam(1e-3);
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () =>
    tf.tidy(() => {
      opt.minimize(
        () => {
          // Both songs of a pair in one pass (as SiameseHitModel does).
          const f = forward(cnn, tf.concat([xa, xb], 0) as tf.Tensor3D, kernels);
          const d = tf.sub(tf.slice(f, 0, B / 2), tf.slice(f, B / 2, B / 2));
          return tf.mean(tf.relu(tf.sub(1, tf.mul(sign, d)))) as tf.Scalar;
        },
        false,
        vars,
      );
    });
  const r = await timeSteps(`${kernelsLabel(kernels)}, ${backend}, 16 pairs (32 clips)`, step, () => vars[0].data(), warmup, steps);
  tf.dispose([xa, xb, sign]);
  opt.dispose();
  cnn.dispose();
  return r;
}

/** The same network written with tfjs-layers' Conv2D/MaxPooling2D on [B, 128, T, 1] (its autodiff gradients). */
async function benchLayersConv2d(steps: number): Promise<Timing> {
  await useBackend('cpu');
  const lrelu = () => tfl.layers.leakyReLU({ alpha: 0.1 });
  const m = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [MELS, FRAMES, 1], filters: 32, kernelSize: [128, 4] }),
      lrelu(),
      tfl.layers.maxPooling2d({ poolSize: [1, 2], strides: [1, 2] }),
      tfl.layers.conv2d({ filters: 64, kernelSize: [1, 4] }),
      lrelu(),
      tfl.layers.maxPooling2d({ poolSize: [1, 2], strides: [1, 2] }),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.conv2d({ filters: 256, kernelSize: 1 }),
      lrelu(),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.conv2d({ filters: 256, kernelSize: 1 }),
      lrelu(),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.conv2d({ filters: 1, kernelSize: 1 }),
      lrelu(),
      tfl.layers.globalAveragePooling2d({}),
    ],
  });
  const x = tf.randomNormal([B, MELS, FRAMES, 1], 0, 1, 'float32', 1);
  const y = tf.randomNormal([B, 1], 0, 1, 'float32', 2);
  const opt = tf.train.adam(1e-3);
  const vars = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () =>
    tf.tidy(() => {
      opt.minimize(() => tf.losses.meanSquaredError(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, false, vars);
    });
  const r = await timeSteps('tfjs-layers Conv2D, cpu, 32 clips', step, () => vars[0].data(), 0, steps);
  tf.dispose([x, y]);
  m.dispose();
  return r;
}

interface TorchFigure {
  threads: 1 | 2;
  /** Median ms per step. */
  ms: number;
  /** Fastest step (ms); the recorded figures have only the median. */
  minMs: number;
  source: 'measured' | 'recorded';
}

function torchFigures(): TorchFigure[] {
  const py = '/usr/bin/python3';
  const hasTorch = existsSync(py) && existsSync(torchScript) && spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  return ([1, 2] as const).map((threads) => {
    if (hasTorch) {
      const r = spawnSync(py, [torchScript, String(threads)], { encoding: 'utf8' });
      const m = /median ms ([\d.]+) min ([\d.]+)/.exec(r.stdout ?? '');
      if (r.status === 0 && m) return { threads, ms: Number(m[1]), minMs: Number(m[2]), source: 'measured' as const };
    }
    return { threads, ms: RECORDED_TORCH[threads], minMs: RECORDED_TORCH[threads], source: 'recorded' as const };
  });
}

/** Median ms of `f` (sync'd) over `n` runs after 2 warm-ups. */
async function timeOp(f: () => tf.Tensor | tf.Tensor[], n: number): Promise<number> {
  const run = async () => {
    const t0 = performance.now();
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    await Promise.all(list.map((t) => t.data()));
    const ms = performance.now() - t0;
    tf.dispose(list);
    return ms;
  };
  await run();
  await run();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) ts.push(await run());
  return median(ts);
}

/** Per-op forward/backward times on wasm at the network's batch-32 shapes. */
async function opProfile(): Promise<Array<[string, number]>> {
  await useBackend('wasm');
  const n = QUICK ? 5 : 11;
  const x1 = tf.randomNormal([B, MELS, FRAMES]) as tf.Tensor3D;
  const k1 = tf.randomNormal([MELS, 4, 32], 0, 0.05) as tf.Tensor3D;
  const b1 = tf.zeros([32]) as tf.Tensor1D;
  const x2 = tf.randomNormal([B, 160, 32]) as tf.Tensor3D;
  const k2 = tf.randomNormal([4, 32, 64], 0, 0.1) as tf.Tensor3D;
  const b2 = tf.zeros([64]) as tf.Tensor1D;
  const x4 = tf.randomNormal([B, 78, 256]) as tf.Tensor3D;
  const k4 = tf.randomNormal([1, 256, 256], 0, 0.05) as tf.Tensor3D;
  const b4 = tf.zeros([256]) as tf.Tensor1D;
  const xp = tf.randomNormal([B, 320, 32]) as tf.Tensor3D;
  const o = { leakyAlpha: 0.1 };
  const conv1F = await timeOp(() => timeConv1dChannelsFirst(x1, k1, b1, { ...o, inputGradient: false }), n);
  const conv1FB = await timeOp(() => tf.grads((k, b) => tf.sum(timeConv1dChannelsFirst(x1, k as tf.Tensor3D, b as tf.Tensor1D, { ...o, inputGradient: false })))([k1, b1]), n);
  const conv2F = await timeOp(() => timeConv1d(x2, k2, b2, o), n);
  const conv2W = await timeOp(() => tf.grads((k, b) => tf.sum(timeConv1d(x2, k as tf.Tensor3D, b as tf.Tensor1D, { ...o, inputGradient: false })))([k2, b2]), n);
  const conv2WX = await timeOp(() => tf.grads((x, k, b) => tf.sum(timeConv1d(x as tf.Tensor3D, k as tf.Tensor3D, b as tf.Tensor1D, o)))([x2, k2, b2]), n);
  const conv4F = await timeOp(() => timeConv1d(x4, k4, b4, o), n);
  const conv4WX = await timeOp(() => tf.grads((x, k, b) => tf.sum(timeConv1d(x as tf.Tensor3D, k as tf.Tensor3D, b as tf.Tensor1D, o)))([x4, k4, b4]), n);
  const poolF = await timeOp(() => maxPool1d(xp), n);
  const poolFB = await timeOp(() => tf.grad((x) => tf.sum(maxPool1d(x as tf.Tensor3D)))(xp), n);
  tf.dispose([x1, k1, b1, x2, k2, b2, x4, k4, b4, xp]);
  return [
    ['conv1 128×4→32 forward (incl. input transpose)', conv1F],
    ['conv1 backward dW + db', conv1FB - conv1F],
    ['conv2 4×32→64 forward', conv2F],
    ['conv2 backward dW + db', conv2W - conv2F],
    ['conv2 backward dX', conv2WX - conv2W],
    ['conv4 1×1 256→256 forward', conv4F],
    ['conv4 backward dW + db + dX', conv4WX - conv4F],
    ['pool1 [32,320,32] forward', poolF],
    ['pool1 backward', poolFB - poolF],
  ];
}

/** Kernel-time totals of one wasm training step (tf.profile), largest first. */
async function kernelProfile(): Promise<Array<[string, number]>> {
  await useBackend('wasm');
  const { step, dispose } = mseAdamStep();
  step();
  step();
  const p = await tf.profile(step);
  const agg = new Map<string, number>();
  for (const k of p.kernels) {
    // Scopes (names with __op or custom ops) nest kernels; count kernels only.
    if (/__op$|scope/i.test(k.name)) continue;
    agg.set(k.name, (agg.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  }
  dispose();
  return [...agg].sort((a, b) => b[1] - a[1]).slice(0, 12);
}

/**
 * The floor the wasm backend sets: every matrix product of one training step
 * (forward, weight and input gradients of the five convolutions, as GEMM
 * shapes [M × K]·[K × N]) timed alone with `tf.matMul` on fresh operands —
 * XNNPACK's f32 GEMM, which has no FMA in WebAssembly SIMD 128. PyTorch runs
 * the same products. A step cannot be faster than their sum.
 */
async function gemmFloor(): Promise<{ ms: number; gflop: number }> {
  await useBackend('wasm');
  const t1 = FRAMES - 3; // conv1 output frames
  const p1 = Math.floor(t1 / 2);
  const t2 = p1 - 3;
  const p2 = Math.floor(t2 / 2);
  // The products the step runs (src/models/ops/timeConv1d.ts): dWᵀ = dZᵀ·x
  // with the input rows on the right, db as row sums (not a product).
  const shapes: Array<[number, number, number]> = [
    [B * t1, MELS * 4, 32], // conv1 forward
    [4 * 32, B * FRAMES, MELS], // conv1 dW
    [B * t2, 32 * 4, 64], // conv2 forward
    [4 * 64, B * p1, 32], // conv2 dW
    [B * p1, 4 * 64, 32], // conv2 dX
    [B * p2, 64, 256], // conv3 forward
    [256, B * p2, 64], // conv3 dW
    [B * p2, 256, 64], // conv3 dX
    [B * p2, 256, 256], // conv4 forward
    [256, B * p2, 256], // conv4 dW
    [B * p2, 256, 256], // conv4 dX
  ];
  let ms = 0;
  let flop = 0;
  for (const [m, k, n] of shapes) {
    const a = tf.randomNormal([m, k]) as tf.Tensor2D;
    const b = tf.randomNormal([k, n]) as tf.Tensor2D;
    const t = await timeSteps('gemm', () => tf.matMul(a, b).dispose(), () => a.data(), 2, QUICK ? 5 : 9);
    ms += t.medianMs;
    flop += 2 * m * k * n;
    tf.dispose([a, b]);
  }
  return { ms, gflop: flop / 1e9 };
}

/** The products of {@link gemmFloor} on hitrank's own GEMM (one kernel instance, packed B). */
function ownGemmFloor(flavour: WasmKernelFlavour): { ms: number; gflop: number } {
  const t1 = FRAMES - 3;
  const p1 = Math.floor(t1 / 2);
  const t2 = p1 - 3;
  const p2 = Math.floor(t2 / 2);
  const shapes: Array<[number, number, number]> = [
    [B * t1, MELS * 4, 32],
    [MELS * 4, B * t1, 32],
    [B * t2, 32 * 4, 64],
    [32 * 4, B * t2, 64],
    [B * p1, 4 * 64, 32],
    [B * p2, 64, 256],
    [64, B * p2, 256],
    [B * p2, 256, 64],
    [B * p2, 256, 256],
    [256, B * p2, 256],
    [B * p2, 256, 256],
  ];
  const k = wasmKernels(flavour);
  let ms = 0;
  let flop = 0;
  for (const [m, kk, n] of shapes) {
    const a = k.base;
    const b = a + m * kk * 4 + 64;
    const c = b + kk * n * 4 + 64;
    const scratch = c + m * n * 4 + 64;
    k.reserve(scratch + 256 * (n + 8) * 4);
    k.f32(a, m * kk).fill(0.5);
    k.f32(b, kk * n).fill(0.25);
    const ts: number[] = [];
    for (let i = 0; i < (QUICK ? 5 : 9) + 2; i++) {
      const t0 = performance.now();
      k.fn.gemm(a, kk, 1, b, n, c, n, m, n, kk, 0, scratch);
      ts.push(performance.now() - t0);
    }
    ms += median(ts.slice(2));
    flop += 2 * m * kk * n;
  }
  return { ms, gflop: flop / 1e9 };
}

/** Time per kernel call of one forward + backward pass of 32 clips on hitrank's engine (JS glue excluded). */
function engineProfile(flavour: WasmKernelFlavour): Array<[string, number]> {
  const e = new SimpleCnnWasm({ nMels: MELS, kernelSizes: [4, 4], filters: [32, 64, 256, 256], leakyAlpha: 0.1 }, flavour);
  const fn = e.kernels.fn as unknown as Record<string, (...a: number[]) => void>;
  const times = new Map<string, number>();
  let phase = 'forward';
  const wrapped: Record<string, unknown> = { memory: e.kernels.fn.memory };
  for (const name of Object.keys(fn)) {
    if (typeof fn[name] !== 'function') continue;
    const orig = fn[name];
    wrapped[name] = (...a: number[]) => {
      const t0 = performance.now();
      orig(...a);
      const d = performance.now() - t0;
      const key = name === 'gemm' ? `${phase} gemm [${a[7]} × ${a[9]}]·[${a[9]} × ${a[8]}]${a[1] === 1 && a[2] !== 1 ? ' (Aᵀ)' : ''}` : `${phase} ${name}`;
      times.set(key, (times.get(key) ?? 0) + d);
    };
  }
  (e.kernels as unknown as { fn: unknown }).fn = wrapped;
  const rng = (n: number, s: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
  const x = rng(B * MELS * FRAMES, 1);
  const w = e.weightSizes().map((n, i) => rng(n, i + 2).map((v) => v * 0.1));
  const draws = [0, 1, 2].map((i) => ({ seeds: Int32Array.from({ length: B }, (_, r) => r * 31 + i), rate: 0.25 }));
  const dy = new Float32Array(B).fill(1 / B);
  const runs = QUICK ? 4 : 10;
  for (let i = 0; i < runs + 2; i++) {
    if (i === 2) times.clear();
    phase = 'forward';
    e.forward(x, B, FRAMES, w, draws);
    phase = 'backward';
    e.backward(dy, e.tapeId);
  }
  const rows = [...times].map(([k, v]) => [k, v / runs] as [string, number]);
  rows.push(['total', rows.reduce((a, r) => a + r[1], 0)]);
  return rows;
}

const fmt = (v: number, d = 1) => v.toFixed(d);
const relaxed = enableRelaxedSimd();
const best: Kernels = relaxed ? 'relaxed-simd' : 'simd';
const results: Timing[] = [];
results.push(await benchOurs('wasm', 3, QUICK ? 5 : 15, best));
results.push(await benchPairs('wasm', 3, QUICK ? 5 : 15, best));
if (relaxed) results.push(await benchOurs('wasm', 3, QUICK ? 5 : 15, 'simd'));
results.push(await benchOurs('cpu', 3, QUICK ? 5 : 15, best));
results.push(await benchOurs('wasm', 3, QUICK ? 5 : 15));
results.push(await benchPairs('wasm', 3, QUICK ? 5 : 15));
results.push(await benchOurs('cpu', 1, QUICK ? 2 : 4));
if (!QUICK && process.env.HITRANK_BENCH_SKIP_CONV2D !== '1') results.push(await benchLayersConv2d(2));
const torch = torchFigures();

console.log(`\nTraining step, simple CNN, batch ${B} clips of [${MELS} × ${FRAMES}], MSE/hinge + Adam (Node ${process.version}, tfjs ${tf.version_core})`);
// Ratios median/median and, as the machine is shared and noisy, min/min.
console.log('| implementation | median ms/step | min ms | clips/s (median) | × torch 1 thread (median; min) | × torch 2 threads (median; min) |');
console.log('|---|---|---|---|---|---|');
const ratio = (ms: number, min: number, t: TorchFigure) => `${fmt(ms / t.ms, 2)}; ${fmt(min / t.minMs, 2)}`;
for (const t of torch) {
  console.log(
    `| PyTorch CPU, ${t.threads} thread${t.threads > 1 ? 's' : ''} (${t.source}) | ${fmt(t.ms)} | ${t.source === 'measured' ? fmt(t.minMs) : ''} | ${fmt((B / t.ms) * 1000, 0)} | ${ratio(t.ms, t.minMs, torch[0])} | ${ratio(t.ms, t.minMs, torch[1])} |`,
  );
}
for (const r of results) {
  console.log(
    `| ${r.label} (${r.steps} steps) | ${fmt(r.medianMs)} | ${fmt(r.minMs)} | ${fmt((B / r.medianMs) * 1000, 1)} | ${ratio(r.medianMs, r.minMs, torch[0])} | ${ratio(r.medianMs, r.minMs, torch[1])} |`,
  );
}
const ours = results[0];
const wasm = results.find((r) => r.label === 'hitrank ops, wasm, 32 clips')!;
const cps = (B / ours.medianMs) * 1000;
console.log(
  `\nwasm kernels: ${fmt(cps, 0)} clips/s, ${fmt(ours.medianMs / torch[0].ms, 2)}× PyTorch 1 thread (${fmt(ours.minMs / torch[0].minMs, 2)}× min/min); ` +
    `issue-5 target ≤ 3× (≥ ${fmt((B / (3 * torch[0].ms)) * 1000, 0)} clips/s in this run, ≥ 550 with peers.md's PyTorch) ${ours.medianMs <= 3 * torch[0].ms ? 'met' : 'NOT met'}; ` +
    `${fmt(wasm.medianMs / ours.medianMs, 2)}× faster than the tfjs ops on the wasm backend.`,
);
const conv2d = results.find((r) => r.label.startsWith('tfjs-layers'));
const cpuOurs = results.find((r) => r.label.startsWith('hitrank ops, cpu'));
if (conv2d && cpuOurs) console.log(`tfjs-layers Conv2D (cpu) / hitrank ops (cpu): ${fmt(conv2d.medianMs / cpuOurs.medianMs, 1)}×; / hitrank ops (wasm): ${fmt(conv2d.medianMs / wasm.medianMs, 0)}×.`);

const floor = await gemmFloor();
const ownFloor = ownGemmFloor(best);
console.log(
  `\nFloor set by the wasm GEMM: the ${fmt(floor.gflop, 2)} GFLOP of matrix products in one step take ${fmt(floor.ms)} ms alone ` +
    `(${fmt(floor.gflop / floor.ms * 1000, 1)} GFLOP/s) → at most ${fmt((B / floor.ms) * 1000, 0)} clips/s, ` +
    `${fmt(floor.ms / torch[0].ms, 2)}× PyTorch 1 thread; the tfjs-ops step is ${fmt(wasm.medianMs / floor.ms, 2)}× that floor.`,
);
console.log(
  `Floor set by hitrank's own GEMM (${best}): the same products take ${fmt(ownFloor.ms)} ms (${fmt(ownFloor.gflop / ownFloor.ms * 1000, 1)} GFLOP/s), ` +
    `${fmt(ownFloor.ms / torch[0].ms, 2)}× PyTorch 1 thread; the wasm-kernels step is ${fmt(ours.medianMs / ownFloor.ms, 2)}× that floor.`,
);
console.log(`\nhitrank wasm kernels (${best}), one 32-clip forward + backward pass by kernel call (ms, mean of ${QUICK ? 4 : 10}):`);
for (const [name, ms] of engineProfile(best)) console.log(`  ${name.padEnd(58)} ${fmt(ms, 2)}`);
console.log('\nPer-op times on wasm (batch 32, median ms; backward = forward+backward − forward):');
for (const [name, ms] of await opProfile()) console.log(`  ${name.padEnd(50)} ${fmt(ms, 2)}`);
console.log('\nKernel time of one wasm training step by kernel (tf.profile, ms):');
for (const [name, ms] of await kernelProfile()) console.log(`  ${name.padEnd(20)} ${fmt(ms, 1)}`);
