import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tf, useBackend } from '../helpers/tf.js';
import { maxPool1d, timeConv1d, timeConv1dChannelsFirst, type TimeConv1dOptions } from '../../src/models/index.js';
import { randInt, randn, relErr } from './tfUtil.js';
import { thrownCode as code } from '../helpers/errors.js';

// [B, T, Cin, Cout, K]: odd lengths, batch 1, K = 1 and 4, T = K, Cout = 1,
// and both branches of the weight-gradient product (Cin ≤ K·Cout and Cin > K·Cout).
const CONV_CASES: Array<[number, number, number, number, number]> = [
  // (each case runs linear and with a fused leaky ReLU)
  [3, 17, 5, 7, 4],
  [1, 9, 6, 3, 4],
  [2, 10, 4, 1, 1],
  [2, 4, 3, 2, 4],
  [4, 33, 16, 24, 1],
  [2, 12, 40, 3, 2],
  [1, 15, 128, 8, 4],
  [2, 7, 3, 20, 1],
];
const POOL_CASES: Array<[number, number, number]> = [
  [2, 8, 3],
  [3, 9, 4],
  [1, 2, 1],
  [1, 3, 2],
  [4, 31, 5],
];
const TOL = 1e-5;

interface Ref {
  y: Float32Array;
  grads: Float32Array[];
}
interface ConvData {
  x: Float32Array;
  xcf: Float32Array; // same values, [B, Cin, T]
  k: Float32Array; // [K, Cin, Cout]
  kcf: Float32Array; // [Cin, K, Cout]
  b: Float32Array;
  r: Float32Array; // upstream gradient weights, [B, T', Cout]
}

function convData([bs, t, cin, cout, k]: [number, number, number, number, number]): ConvData {
  const tag = `${bs}-${t}-${cin}-${cout}-${k}`;
  const x = randn(bs * t * cin, `x${tag}`);
  const kk = randn(k * cin * cout, `k${tag}`, 0.3);
  const xcf = new Float32Array(x.length);
  for (let n = 0; n < bs; n++) for (let i = 0; i < t; i++) for (let c = 0; c < cin; c++) xcf[(n * cin + c) * t + i] = x[(n * t + i) * cin + c];
  const kcf = new Float32Array(kk.length);
  for (let j = 0; j < k; j++) for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) kcf[(c * k + j) * cout + o] = kk[(j * cin + c) * cout + o];
  return { x, xcf, k: kk, kcf, b: randn(cout, `b${tag}`), r: randn(bs * (t - k + 1) * cout, `r${tag}`) };
}

/** Reference values and gradients from plain tfjs ops + autodiff (cpu backend). */
const act = (y: tf.Tensor, alpha: number | null) => (alpha === null ? y : tf.leakyRelu(y, alpha));
const ALPHAS = [null, 0.1] as const;

function convReference(shape: [number, number, number, number, number], d: ConvData, alpha: number | null): Ref {
  const [bs, t, cin, cout, k] = shape;
  return tf.tidy(() => {
    const x = tf.tensor3d(d.x, [bs, t, cin]);
    const kk = tf.tensor3d(d.k, [k, cin, cout]);
    const b = tf.tensor1d(d.b);
    const r = tf.tensor3d(d.r, [bs, t - k + 1, cout]);
    const f = (xx: tf.Tensor, kv: tf.Tensor, bv: tf.Tensor) => act(tf.add(tf.conv1d(xx as tf.Tensor3D, kv as tf.Tensor3D, 1, 'valid'), bv), alpha);
    const y = f(x, kk, b);
    const grads = tf.grads((xx, kv, bv) => tf.sum(tf.mul(f(xx, kv, bv), r)))([x, kk, b]);
    return { y: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

/** Reference for the channels-first op: TF's conv2d of [B, Cin, T, 1] with a [Cin, K, 1, Cout] kernel. */
function convCfReference(shape: [number, number, number, number, number], d: ConvData, alpha: number | null): Ref {
  const [bs, t, cin, cout, k] = shape;
  return tf.tidy(() => {
    const x = tf.tensor3d(d.xcf, [bs, cin, t]);
    const kk = tf.tensor3d(d.kcf, [cin, k, cout]);
    const b = tf.tensor1d(d.b);
    const r = tf.tensor3d(d.r, [bs, t - k + 1, cout]);
    const f = (xx: tf.Tensor, kv: tf.Tensor, bv: tf.Tensor) =>
      act(tf.add(tf.reshape(tf.conv2d(tf.reshape(xx, [bs, cin, t, 1]) as tf.Tensor4D, tf.reshape(kv, [cin, k, 1, cout]) as tf.Tensor4D, 1, 'valid'), [bs, t - k + 1, cout]), bv), alpha);
    const y = f(x, kk, b);
    const grads = tf.grads((xx, kv, bv) => tf.sum(tf.mul(f(xx, kv, bv), r)))([x, kk, b]);
    return { y: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

/**
 * The op's values and its gradients dx, dW, db of `Σ op(x, k, b) · r` on the
 * current backend, read back: channels-last data for {@link timeConv1d},
 * channels-first for {@link timeConv1dChannelsFirst}.
 */
function runConv(
  shape: [number, number, number, number, number],
  d: ConvData,
  channelsFirst: boolean,
  opts: TimeConv1dOptions,
): { y: Float32Array; grads: Float32Array[]; shape: number[] } {
  const [bs, t, cin, cout, k] = shape;
  const op = channelsFirst ? timeConv1dChannelsFirst : timeConv1d;
  return tf.tidy(() => {
    const x = channelsFirst ? tf.tensor3d(d.xcf, [bs, cin, t]) : tf.tensor3d(d.x, [bs, t, cin]);
    const kk = channelsFirst ? tf.tensor3d(d.kcf, [cin, k, cout]) : tf.tensor3d(d.k, [k, cin, cout]);
    const b = tf.tensor1d(d.b);
    const r = tf.tensor3d(d.r, [bs, t - k + 1, cout]);
    const y = op(x, kk, b, opts);
    const grads = tf.grads((xx, kv, bv) => tf.sum(tf.mul(op(xx as tf.Tensor3D, kv as tf.Tensor3D, bv as tf.Tensor1D, opts), r)))([x, kk, b]);
    return { y: y.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array), shape: y.shape };
  });
}

function poolData([bs, t, c]: [number, number, number]) {
  const tag = `${bs}-${t}-${c}`;
  // Small integers in [-2, 1]: many ties and windows whose max is ≤ 0.
  return { x: randInt(bs * t * c, `px${tag}`, -2, 1), r: randn(bs * Math.floor(t / 2) * c, `pr${tag}`) };
}

function poolReference([bs, t, c]: [number, number, number], d: { x: Float32Array; r: Float32Array }): Ref {
  return tf.tidy(() => {
    const x = tf.tensor3d(d.x, [bs, t, c]);
    const r = tf.tensor3d(d.r, [bs, Math.floor(t / 2), c]);
    const f = (xx: tf.Tensor) => tf.reshape(tf.maxPool(tf.reshape(xx, [bs, 1, t, c]) as tf.Tensor4D, [1, 2], [1, 2], 'valid'), [bs, Math.floor(t / 2), c]);
    const y = f(x);
    const g = tf.grad((xx) => tf.sum(tf.mul(f(xx), r)))(x);
    return { y: y.dataSync() as Float32Array, grads: [g.dataSync() as Float32Array] };
  });
}

const convRefs: Ref[][] = [[], []];
const convCfRefs: Ref[][] = [[], []];
const poolRefs: Ref[] = [];
const convInputs = CONV_CASES.map(convData);
const poolInputs = POOL_CASES.map(poolData);

beforeAll(async () => {
  await useBackend('cpu');
  ALPHAS.forEach((alpha, a) =>
    CONV_CASES.forEach((s, i) => {
      convRefs[a].push(convReference(s, convInputs[i], alpha));
      convCfRefs[a].push(convCfReference(s, convInputs[i], alpha));
    }),
  );
  POOL_CASES.forEach((s, i) => poolRefs.push(poolReference(s, poolInputs[i])));
});

describe.each(['cpu', 'wasm'] as const)('ops on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  const convCases = ALPHAS.flatMap((alpha, a) => CONV_CASES.map((s, i) => [s.join('×'), String(alpha), i, a] as const));

  it.each(convCases)('timeConv1d values and dx, dW, db match tf.conv1d autodiff (B×T×Cin×Cout×K = %s, leaky %s)', (_, __, i, a) => {
    const [bs, t, , cout, k] = CONV_CASES[i];
    const d = convInputs[i];
    const ref = convRefs[a][i];
    const opts = { leakyAlpha: ALPHAS[a] ?? undefined };
    const out = runConv(CONV_CASES[i], d, false, opts);
    expect(out.shape).toEqual([bs, t - k + 1, cout]);
    expect(relErr(out.y, ref.y)).toBeLessThan(TOL);
    for (let j = 0; j < 3; j++) expect(relErr(out.grads[j], ref.grads[j]), `gradient ${['dx', 'dW', 'db'][j]}`).toBeLessThan(TOL);
  });

  it.each(convCases)('timeConv1dChannelsFirst matches conv2d over [B, Cin, T, 1] with a [Cin, K, 1, Cout] kernel (%s, leaky %s)', (_, __, i, a) => {
    const [bs, t, cin, cout, k] = CONV_CASES[i];
    const d = convInputs[i];
    const ref = convCfRefs[a][i];
    const opts = { leakyAlpha: ALPHAS[a] ?? undefined };
    const out = runConv(CONV_CASES[i], d, true, opts);
    const noInput = tf.tidy(() => {
      const x = tf.tensor3d(d.xcf, [bs, cin, t]);
      const kk = tf.tensor3d(d.kcf, [cin, k, cout]);
      const b = tf.tensor1d(d.b);
      const r = tf.tensor3d(d.r, [bs, t - k + 1, cout]);
      const g = tf.grads((kv, bv) => tf.sum(tf.mul(timeConv1dChannelsFirst(x, kv as tf.Tensor3D, bv as tf.Tensor1D, { ...opts, inputGradient: false }), r)))([kk, b]);
      return g.map((v) => v.dataSync());
    });
    expect(relErr(out.y, ref.y)).toBeLessThan(TOL);
    for (let j = 0; j < 3; j++) expect(relErr(out.grads[j], ref.grads[j]), `gradient ${['dx', 'dW', 'db'][j]}`).toBeLessThan(TOL);
    expect(relErr(noInput[0], ref.grads[1])).toBeLessThan(TOL);
    expect(relErr(noInput[1], ref.grads[2])).toBeLessThan(TOL);
  });

  it.each(POOL_CASES.map((s, i) => [s.join('×'), i] as const))('maxPool1d values and gradient match tf.maxPool autodiff on cpu, ties to the first max (B×T×C = %s)', (_, i) => {
    const [bs, t, c] = POOL_CASES[i];
    const d = poolInputs[i];
    const ref = poolRefs[i];
    const out = tf.tidy(() => {
      const x = tf.tensor3d(d.x, [bs, t, c]);
      const r = tf.tensor3d(d.r, [bs, Math.floor(t / 2), c]);
      const y = maxPool1d(x);
      const g = tf.grad((xx) => tf.sum(tf.mul(maxPool1d(xx as tf.Tensor3D), r)))(x);
      return { y: y.dataSync(), g: g.dataSync(), shape: y.shape };
    });
    expect(out.shape).toEqual([bs, Math.floor(t / 2), c]);
    expect(Array.from(out.y)).toEqual(Array.from(ref.y));
    expect(relErr(out.g, ref.grads[0])).toBeLessThan(TOL);
  });

  it('inputGradient: false leaves x undifferentiable', () => {
    // (A throwing tf.grad leaves its tape's saved tensors behind; that is
    // tfjs's error path, so no tensor count here.)
    tf.tidy(() => {
      const x = tf.tensor3d(randn(2 * 8 * 3, 'ig'), [2, 8, 3]);
      const k = tf.tensor3d(randn(4 * 3 * 2, 'igk'), [4, 3, 2]);
      const b = tf.zeros([2]) as tf.Tensor1D;
      expect(() => tf.grad((xx) => tf.sum(timeConv1d(xx as tf.Tensor3D, k, b, { inputGradient: false })))(x)).toThrow(/gradient/i);
      expect(() => tf.grad((xx) => tf.sum(timeConv1d(xx as tf.Tensor3D, k, b)))(x)).not.toThrow();
    });
  });

  it('ops do not leak tensors in forward or backward', () => {
    const x = tf.tensor3d(randn(2 * 11 * 3, 'lk'), [2, 11, 3]);
    const k = tf.tensor3d(randn(4 * 3 * 5, 'lkk'), [4, 3, 5]);
    const b = tf.zeros([5]) as tf.Tensor1D;
    const before = tf.memory().numTensors;
    const g = tf.grads((xx, kv, bv) => tf.sum(maxPool1d(timeConv1d(xx as tf.Tensor3D, kv as tf.Tensor3D, bv as tf.Tensor1D))))([x, k, b]);
    tf.dispose(g);
    tf.dispose(timeConv1d(x, k, b));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, k, b]);
  });
});

describe.each(['cpu', 'wasm'] as const)('timeConv1d and timeConv1dChannelsFirst on random shapes (%s, property test)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });
  it('match tf.conv1d / conv2d autodiff for any B, T ≥ K, Cin, Cout, K and slope', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(null, 0, 0.1),
        fc.integer({ min: 0, max: 1e6 }),
        (bs, k, extra, cin, cout, alpha, seed) => {
          const t = k + extra;
          const shape: [number, number, number, number, number] = [bs, t, cin, cout, k];
          const d = { ...convData(shape), r: randn(bs * (t - k + 1) * cout, `prop-r${seed}`) };
          // References from plain tfjs ops + autodiff on cpu.
          const prev = tf.getBackend();
          tf.setBackend('cpu');
          const ref = convReference(shape, d, alpha);
          const refCf = convCfReference(shape, d, alpha);
          tf.setBackend(prev);
          const opts = { leakyAlpha: alpha ?? undefined };
          const out = runConv(shape, d, false, opts);
          const outCf = runConv(shape, d, true, opts);
          expect(relErr(out.y, ref.y)).toBeLessThan(TOL);
          expect(relErr(outCf.y, refCf.y)).toBeLessThan(TOL);
          for (let j = 0; j < 3; j++) {
            expect(relErr(out.grads[j], ref.grads[j])).toBeLessThan(TOL);
            expect(relErr(outCf.grads[j], refCf.grads[j])).toBeLessThan(TOL);
          }
        },
      ),
      { numRuns: 40, seed: 20261127 },
    );
  });
});

describe('op input checks', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });
  it('rejects mismatched shapes, too-short inputs and other pool sizes', () => {
    tf.tidy(() => {
      const x = tf.zeros([2, 8, 3]) as tf.Tensor3D;
      const k = tf.zeros([4, 3, 5]) as tf.Tensor3D;
      const b = tf.zeros([5]) as tf.Tensor1D;
      expect(code(() => timeConv1d(x, tf.zeros([4, 2, 5]) as tf.Tensor3D, b))).toBe('E_SHAPE');
      expect(code(() => timeConv1d(x, k, tf.zeros([4]) as tf.Tensor1D))).toBe('E_SHAPE');
      expect(code(() => timeConv1d(tf.zeros([8, 3]) as unknown as tf.Tensor3D, k, b))).toBe('E_SHAPE');
      expect(code(() => timeConv1d(tf.zeros([2, 3, 3]) as tf.Tensor3D, k, b))).toBe('E_TOO_SHORT');
      expect(code(() => timeConv1dChannelsFirst(tf.zeros([2, 3, 8]) as tf.Tensor3D, tf.zeros([4, 4, 5]) as tf.Tensor3D, b))).toBe('E_SHAPE');
      expect(code(() => maxPool1d(tf.zeros([2, 1, 3]) as tf.Tensor3D))).toBe('E_TOO_SHORT');
      expect(code(() => maxPool1d(x, { size: 3 }))).toBe('E_UNSUPPORTED');
      expect(code(() => timeConv1d(x, k, b, { leakyAlpha: -0.1 }))).toBe('E_PARAM');
    });
  });
});
