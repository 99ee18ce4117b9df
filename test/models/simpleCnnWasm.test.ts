import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf, useBackend } from '../helpers/tf.js';
import {
  applySimpleCnnWasm,
  buildSimpleCnn,
  buildTagDnn,
  maxPool1d,
  resolveCnnKernels,
  wasmKernelSupport,
  withDropoutDraw,
  type SimpleCnnOptions,
  type WasmKernelFlavour,
} from '../../src/models/index.js';
import { fillDropoutMask } from '../../src/models/layers/seededDropout.js';
import { SimpleCnnWasm } from '../../src/models/engine/simpleCnnWasm.js';
import { wasmKernels } from '../../src/models/engine/wasmKernels.js';
import { thrownCode as errCode } from '../helpers/errors.js';
import { relErr } from './tfUtil.js';
import seedrandom from 'seedrandom';

// Relaxed SIMD is behind a flag in Node 20 (test/setup turns it on too); both builds are tested.
setFlagsFromString('--experimental-wasm-relaxed-simd');
const FLAVOURS: WasmKernelFlavour[] = ['simd', 'relaxed-simd'];

/** A simple CNN with random non-zero biases (so every gradient path is exercised). */
function randomCnn(opts: SimpleCnnOptions, seed: number): tfl.LayersModel {
  const cnn = buildSimpleCnn(opts);
  const rng = seedrandom(`biases:${seed}`);
  cnn.trainableWeights.forEach((w, i) => {
    if (i % 2 === 1) (w.read() as tf.Variable).assign(tf.tensor(Float32Array.from({ length: w.shape[0] as number }, () => (rng() - 0.5) * 0.2), w.shape as number[]));
  });
  return cnn;
}

/** Scores and weight gradients of Σ dy·f(x) through `run`. */
function valueAndGrads(cnn: tfl.LayersModel, run: () => tf.Tensor, dy: tf.Tensor): { y: Float32Array; g: Float32Array[] } {
  const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
  let y: Float32Array = new Float32Array(0);
  const { value, grads } = tf.variableGrads(() => {
    const out = run();
    y = out.dataSync().slice() as Float32Array;
    return tf.sum(tf.mul(out, dy)) as tf.Scalar;
  }, vars);
  const g = vars.map((v) => grads[v.name].dataSync().slice() as Float32Array);
  value.dispose();
  tf.dispose(Object.values(grads));
  return { y, g };
}

describe('hitrank wasm kernels for the simple CNN', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('validates both builds here (SIMD128 and, with the flag, relaxed SIMD)', () => {
    expect(wasmKernelSupport()).toEqual({ simd: true, relaxedSimd: true });
  });

  it('GEMM: C (+)= A·B with strided A, odd sizes and accumulation, within float32 rounding of a float64 product', () => {
    const rng = seedrandom('gemm');
    for (const flavour of FLAVOURS) {
      const k = wasmKernels(flavour);
      for (const [M, N, K, transposed, acc] of [
        [1, 1, 1, false, 0],
        [7, 9, 5, false, 1],
        [13, 16, 300, true, 0],
        [100, 37, 513, false, 1],
        [97, 8, 260, true, 1],
        [6, 3, 2, true, 0],
      ] as const) {
        const a = Float32Array.from({ length: M * K }, () => rng() - 0.5);
        const b = Float32Array.from({ length: K * N }, () => rng() - 0.5);
        const c0 = Float32Array.from({ length: M * N }, () => rng() - 0.5);
        // A stored as [M, K] row-major, or as Aᵀ [K, M] and read with strides (1, M).
        const stored = transposed ? Float32Array.from({ length: M * K }, (_, i) => a[(i % M) * K + Math.floor(i / M)]) : a;
        const pa = k.base;
        const pb = pa + M * K * 4 + 64;
        const pc = pb + K * N * 4 + 64;
        const ps = pc + M * N * 4 + 64;
        k.reserve(ps + 256 * (N + 8) * 4);
        k.f32(pa, M * K).set(stored);
        k.f32(pb, K * N).set(b);
        k.f32(pc, M * N).set(c0);
        k.fn.gemm(pa, transposed ? 1 : K, transposed ? M : 1, pb, N, pc, N, M, N, K, acc, M >= 48 ? ps : 0);
        const got = k.f32(pc, M * N);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let s = acc ? c0[i * N + j] : 0;
            let scale = Math.abs(s);
            for (let q = 0; q < K; q++) {
              s += a[i * K + q] * b[q * N + j];
              scale += Math.abs(a[i * K + q] * b[q * N + j]);
            }
            expect(Math.abs(got[i * N + j] - s)).toBeLessThanOrEqual(1e-6 * scale + 1e-30);
          }
        }
      }
    }
  });

  it('draws bit for bit the dropout masks of fillDropoutMask', () => {
    const k = wasmKernels('simd');
    const rows = 3;
    const per = 1001;
    for (const rate of [0.1, 0.25, 0.5, 0.9]) {
      const seeds = Int32Array.from([7, -123456789, 2147483647]);
      const x = k.base;
      const out = x + rows * per * 4 + 64;
      const mask = out + rows * per * 4 + 64;
      const ps = mask + rows * per * 4 + 64;
      k.reserve(ps + 64);
      k.f32(x, rows * per).fill(2);
      k.i32(ps, rows).set(seeds);
      k.fn.dropout(x, out, mask, rows, per, ps, Math.min(Math.floor(rate * 4294967296), 4294967295), Math.fround(1 / (1 - rate)));
      const want = new Float32Array(rows * per);
      seeds.forEach((s, r) => fillDropoutMask(want.subarray(r * per, (r + 1) * per), rate, s));
      const got = k.f32(mask, rows * per);
      expect(Array.from(got)).toEqual(Array.from(want));
      expect(Array.from(k.f32(out, rows * per))).toEqual(Array.from(want, (m) => 2 * m));
      const dropped = want.filter((m) => m === 0).length / want.length;
      expect(Math.abs(dropped - rate)).toBeLessThan(0.05);
    }
  });

  it('max pooling by 2 and its gradient equal maxPool1d\'s, ties to the first frame, odd T dropped', () => {
    const k = wasmKernels('simd');
    for (const [n, T, C] of [[2, 9, 6], [1, 8, 4], [3, 5, 1]] as const) {
      // Values on a coarse grid, so many windows tie.
      const rng = seedrandom(`pool:${T}`);
      const xs = Float32Array.from({ length: n * T * C }, () => Math.round(rng() * 2) - 1);
      const half = Math.floor(T / 2);
      const dys = Float32Array.from({ length: n * half * C }, () => rng() - 0.5);
      const x = tf.tensor3d(xs, [n, T, C]);
      const dy = tf.tensor3d(dys, [n, half, C]);
      const y = maxPool1d(x);
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(maxPool1d(t as tf.Tensor3D), dy)))(x);
      const px = k.base;
      const py = px + xs.length * 4 + 64;
      const pdy = py + dys.length * 4 + 64;
      const pdx = pdy + dys.length * 4 + 64;
      k.reserve(pdx + xs.length * 4);
      k.f32(px, xs.length).set(xs);
      k.f32(pdy, dys.length).set(dys);
      k.f32(pdx, xs.length).fill(NaN);
      k.fn.maxPool2(px, n, T, C, py);
      k.fn.maxPool2Grad(px, pdy, n, T, C, pdx);
      const plain = (a: ArrayLike<number>) => Array.from(a, (v) => v + 0); // −0 and +0 compare equal
      expect(plain(k.f32(py, dys.length))).toEqual(plain(y.dataSync()));
      expect(plain(k.f32(pdx, xs.length))).toEqual(plain(dx.dataSync()));
      tf.dispose([x, dy, y, dx]);
    }
  });

  const cases: { name: string; opts: SimpleCnnOptions; n: number; frames: number; zeroTail?: boolean }[] = [
    { name: 'zero-padded clips (pooling ties go to the first frame)', opts: { nMels: 8, filters: [8, 8, 16, 8] }, n: 2, frames: 48, zeroTail: true },
    { name: 'paper sizes, 2 clips of 40 frames', opts: { nMels: 128 }, n: 2, frames: 40 },
    { name: 'odd widths (filters not multiples of 8), odd frames', opts: { nMels: 13, filters: [5, 11, 9, 7], kernelSizes: [3, 2] }, n: 3, frames: 31 },
    { name: 'batch 1, the fewest frames', opts: { nMels: 16, filters: [8, 12, 20, 16] }, n: 1, frames: 13 },
    { name: 'wide kernels, 7 clips', opts: { nMels: 20, filters: [16, 24, 40, 32], kernelSizes: [6, 5] }, n: 7, frames: 57 },
  ];

  for (const c of cases) {
    it(`matches the tfjs ops, values and weight gradients within 1e-5, training and inference: ${c.name}`, () => {
      for (const flavour of FLAVOURS) {
        for (const training of [false, true]) {
          const cnn = randomCnn({ ...c.opts, seed: 5 }, 5);
          const nMels = c.opts.nMels ?? 128;
          const noise = tf.randomNormal([c.n, nMels, c.frames], 0, 1, 'float32', 11) as tf.Tensor3D;
          // A zero-padded tail makes whole regions constant, so pooling windows tie.
          const x = c.zeroTail ? (tf.concat([tf.slice(noise, [0, 0, 0], [-1, -1, 16]), tf.zeros([c.n, nMels, c.frames - 16])], 2) as tf.Tensor3D) : noise;
          const dy = tf.randomNormal([c.n, 1], 0, 1, 'float32', 12);
          const draw = { key: 99, rows: Array.from({ length: c.n }, (_, i) => i) };
          const ref = withDropoutDraw(draw, () => valueAndGrads(cnn, () => cnn.apply(x, { training }) as tf.Tensor, dy));
          const got = withDropoutDraw(draw, () => valueAndGrads(cnn, () => applySimpleCnnWasm(cnn, x, { training, flavour }), dy));
          expect(relErr(got.y, ref.y)).toBeLessThan(1e-5);
          got.g.forEach((g, i) => expect(relErr(g, ref.g[i]), `${flavour} training=${training} weight ${i}`).toBeLessThan(1e-5));
          if (training) {
            // Dropout really was on: the scores differ from inference mode.
            const plain = (applySimpleCnnWasm(cnn, x, { flavour }) as tf.Tensor).dataSync();
            expect(relErr(plain, got.y)).toBeGreaterThan(1e-3);
          }
          tf.dispose([x, noise, dy]);
          cnn.dispose();
        }
      }
    });
  }

  it('scores more clips than one chunk the same as the tfjs ops (inference in chunks of 64)', () => {
    const cnn = randomCnn({ nMels: 8, filters: [4, 8, 8, 8], seed: 2 }, 2);
    const x = tf.randomNormal([70, 8, 20], 0, 1, 'float32', 3) as tf.Tensor3D;
    const ref = (cnn.apply(x) as tf.Tensor).dataSync();
    const got = applySimpleCnnWasm(cnn, x);
    expect(got.shape).toEqual([70, 1]);
    expect(relErr(got.dataSync(), ref)).toBeLessThan(1e-5);
    // The caller's copy of x's values gives the same scores (bit for bit); a wrong-sized one is refused.
    const withData = applySimpleCnnWasm(cnn, x, { xData: x.dataSync() as Float32Array });
    expect(Array.from(withData.dataSync())).toEqual(Array.from(got.dataSync()));
    expect(errCode(() => applySimpleCnnWasm(cnn, x, { xData: new Float32Array(5) }))).toBe('E_SHAPE');
    tf.dispose([x, got, withData]);
    cnn.dispose();
  });

  it('trains: minimize steps keep tf.memory().numTensors flat and the loss falls like the tfjs ops\'', () => {
    const losses: Record<string, number[]> = {};
    for (const kernels of ['wasm', 'tfjs'] as const) {
      const cnn = buildSimpleCnn({ nMels: 16, filters: [8, 8, 16, 16], seed: 4 });
      const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
      const x = tf.randomNormal([6, 16, 30], 0, 1, 'float32', 5) as tf.Tensor3D;
      const y = tf.randomNormal([6, 1], 0, 1, 'float32', 6);
      const opt = tf.train.adam(1e-2);
      losses[kernels] = [];
      let before = -1;
      for (let step = 0; step < 12; step++) {
        if (step === 2) before = tf.memory().numTensors;
        const loss = withDropoutDraw({ key: step, rows: [0, 1, 2, 3, 4, 5] }, () =>
          opt.minimize(
            () => tf.losses.meanSquaredError(y, kernels === 'wasm' ? applySimpleCnnWasm(cnn, x, { training: true }) : (cnn.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
            true,
            vars,
          ),
        );
        losses[kernels].push(loss!.dataSync()[0]);
        loss!.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, y]);
      opt.dispose();
      cnn.dispose();
    }
    expect(losses.wasm[11]).toBeLessThan(losses.wasm[0] * 0.8);
    losses.wasm.forEach((l, i) => expect(Math.abs(l - losses.tfjs[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(losses.tfjs[i]))));
  });

  it('refuses a backward pass whose forward pass was overwritten, other networks, bad shapes and too few frames', () => {
    const engine = new SimpleCnnWasm({ nMels: 4, kernelSizes: [4, 4], filters: [8, 8, 8, 8], leakyAlpha: 0.1 });
    const w = engine.weightSizes().map((s) => new Float32Array(s).fill(0.01));
    const x = new Float32Array(2 * 4 * 20);
    engine.forward(x, 2, 20, w, null);
    const first = engine.tapeId;
    engine.forward(x, 2, 20, w, null);
    expect(errCode(() => engine.backward(new Float32Array(2), first))).toBe('E_UNSUPPORTED');
    expect(engine.backward(new Float32Array(2), engine.tapeId)).toHaveLength(10);
    expect(errCode(() => engine.forward(x, 2, 20, w.slice(1).concat([w[0]]), null))).toBe('E_SHAPE');

    const cnn = buildSimpleCnn({ nMels: 4, filters: [8, 8, 8, 8] });
    expect(errCode(() => applySimpleCnnWasm(cnn, tf.zeros([1, 5, 20]) as tf.Tensor3D))).toBe('E_SHAPE');
    expect(errCode(() => applySimpleCnnWasm(cnn, tf.zeros([1, 4, 12]) as tf.Tensor3D))).toBe('E_TOO_SHORT');
    const dnn = buildTagDnn({ tagDim: 5 });
    expect(errCode(() => applySimpleCnnWasm(dnn, tf.zeros([1, 4, 20]) as tf.Tensor3D))).toBe('E_UNSUPPORTED');
    cnn.dispose();
    dnn.dispose();
  });

  it('resolves cnnKernels: auto picks the wasm kernels on cpu, tfjs stays tfjs, anything else is refused', () => {
    expect(resolveCnnKernels('auto')).toBe('wasm');
    expect(resolveCnnKernels('tfjs')).toBe('tfjs');
    expect(resolveCnnKernels('wasm')).toBe('wasm');
    expect(errCode(() => resolveCnnKernels('gpu' as never))).toBe('E_PARAM');
  });
});
