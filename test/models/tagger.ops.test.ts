// The tagger's own ops against naive float64 loops written from the
// Lasagne/Theano definitions (fixtures/jynet/MANIFEST.md "Graph"), with
// gradients, on cpu and wasm.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '../helpers/tf.js';
import { gaussianScan, gaussianScanMatrix, maxPoolCeil, SameTimeConv, strictSamePadding } from '../../src/models/tagger/index.js';
import { HitrankError } from '../../src/errors.js';
import { randInt, randn, relErr } from './tfUtil.js';

/** Lasagne MaxPool (size, 1), ignore_border=False, on [B, T, C]; the gradient of Σ r·y to the first maximum. */
function naivePool(x: Float32Array, [b, t, c]: number[], size: number, r: Float32Array): { y: Float64Array; dx: Float64Array } {
  const out = Math.ceil(t / size);
  const y = new Float64Array(b * out * c);
  const dx = new Float64Array(x.length);
  for (let n = 0; n < b; n++) {
    for (let j = 0; j < out; j++) {
      for (let ch = 0; ch < c; ch++) {
        let best = -Infinity;
        let arg = -1;
        for (let i = j * size; i < Math.min(j * size + size, t); i++) {
          const v = x[(n * t + i) * c + ch];
          if (v > best) {
            best = v;
            arg = i;
          }
        }
        y[(n * out + j) * c + ch] = best;
        dx[(n * t + arg) * c + ch] += r[(n * out + j) * c + ch];
      }
    }
  }
  return { y, dx };
}

/**
 * Theano's GaussianScan1DLayer on one channel, literally: kernel g[m] =
 * φ_σ(x0 + m), strictsame padding, then a true convolution (flip + correlate).
 */
function naiveScan(h: Float64Array, sigma: number, size: number): Float64Array {
  const kk = size - 1;
  const ll = kk - Math.floor(kk / 2);
  const rr = Math.floor(kk / 2);
  const x0 = Math.floor(-kk / 2);
  const g = Float64Array.from({ length: size }, (_, m) => Math.exp(-((x0 + m) ** 2) / (2 * sigma * sigma)) / (Math.sqrt(2 * Math.PI) * sigma));
  const t = h.length;
  const hp = new Float64Array(ll + t + rr);
  hp.set(h, ll);
  const out = new Float64Array(t);
  for (let i = 0; i < t; i++) {
    let s = 0;
    for (let k = 0; k < size; k++) s += hp[i + k] * g[size - 1 - k];
    out[i] = s;
  }
  return out;
}

function scanAll(x: Float32Array, [b, t, c]: number[], logSigma: Float64Array, size: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let n = 0; n < b; n++) {
    for (let ch = 0; ch < c; ch++) {
      const h = Float64Array.from({ length: t }, (_, i) => x[(n * t + i) * c + ch]);
      const s = naiveScan(h, Math.exp(logSigma[ch]), size);
      for (let i = 0; i < t; i++) y[(n * t + i) * c + ch] = s[i];
    }
  }
  return y;
}

describe.each(['cpu', 'wasm'] as const)('tagger ops (%s)', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
  });

  it.each([
    [2, 911, 3, 4],
    [1, 228, 5, 4],
    [3, 10, 2, 4], // T mod 4 = 2, where TF's 'same' padding would shift the windows
    [2, 9, 4, 4],
    [1, 3, 2, 4], // one partial window
    [2, 7, 3, 3],
    [1, 8, 2, 2],
    [1, 5, 2, 1],
  ])('maxPoolCeil [%i, %i, %i] size %i: values and first-max gradient', (b, t, c, size) => {
    const shape = [b, t, c];
    for (const [label, x] of [
      ['ties', randInt(b * t * c, `p${b}${t}${c}${size}`, -2, 1)], // many ties, windows with max ≤ 0
      ['random', randn(b * t * c, `q${b}${t}${c}${size}`)],
    ] as const) {
      const out = Math.ceil(t / size);
      const r = randn(b * out * c, `r${b}${t}${c}${size}`);
      const ref = naivePool(x, shape, size, r);
      const [y, dx] = tf.tidy(() => {
        const xt = tf.tensor3d(x, [b, t, c]);
        const rt = tf.tensor3d(r, [b, out, c]);
        const yv = maxPoolCeil(xt, { size });
        const g = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(maxPoolCeil(z as tf.Tensor3D, { size }), rt)))(xt);
        return [yv.dataSync(), g.dataSync()];
      });
      expect(Array.from(y), label).toEqual(Array.from(ref.y));
      expect(relErr(dx, ref.dx), label).toBeLessThan(1e-6);
    }
  });

  it('maxPoolCeil rejects bad input', () => {
    expect(() => maxPoolCeil(tf.zeros([2, 3]) as unknown as tf.Tensor3D)).toThrow(HitrankError);
    expect(() => maxPoolCeil(tf.zeros([1, 3, 1]) as tf.Tensor3D, { size: 0 })).toThrow(/size/);
  });

  it.each([
    [2, 57, 5, 256], // JYnet: every frame inside the window
    [1, 300, 3, 256], // longer than the filter: taps outside are 0
    [2, 20, 3, 9], // odd filter (centred)
    [1, 20, 2, 8], // even filter, small
  ])('gaussianScan [%i, %i, %i], %i taps, equals the Theano layer', (b, t, c, size) => {
    const x = randn(b * t * c, `g${b}${t}${c}${size}`);
    const logSigma = Float64Array.from({ length: c }, (_, i) => Math.log([16, 4.86, 19.34, 2, 7][i % 5]));
    const ref = scanAll(x, [b, t, c], logSigma, size);
    const y = tf.tidy(() => gaussianScan(tf.tensor3d(x, [b, t, c]), tf.tensor1d(Float32Array.from(logSigma)), size).dataSync());
    expect(relErr(y, ref)).toBeLessThan(2e-6);
  });

  it('gaussianScanMatrix: JYnet weights input frame t − 1 most, unnormalised', () => {
    const g = tf.tidy(() => gaussianScanMatrix(tf.tensor1d([Math.log(4)]), 57).dataSync());
    const row = Array.from(g.subarray(30 * 57, 31 * 57));
    expect(row.indexOf(Math.max(...row))).toBe(29);
    expect(row[29]).toBeCloseTo(1 / (Math.sqrt(2 * Math.PI) * 4), 6);
  });

  it('the gradient with respect to log σ matches finite differences of the float64 scan', () => {
    const [b, t, c, size] = [2, 57, 3, 256];
    const x = randn(b * t * c, 'gs-x');
    const w = randn(b * t * c, 'gs-w');
    const logSigma = Float64Array.from([Math.log(16), Math.log(5), Math.log(11)]);
    const loss = (ls: Float64Array) => scanAll(x, [b, t, c], ls, size).reduce((s, v, i) => s + v * w[i], 0);
    const g = tf.tidy(() => {
      const xt = tf.tensor3d(x, [b, t, c]);
      const wt = tf.tensor3d(w, [b, t, c]);
      return tf.grad((ls: tf.Tensor) => tf.sum(tf.mul(gaussianScan(xt, ls as tf.Tensor1D, size), wt)))(tf.tensor1d(Float32Array.from(logSigma))).dataSync();
    });
    const fd = Array.from(logSigma, (_, i) => {
      const e = 1e-5;
      const up = logSigma.slice();
      const dn = logSigma.slice();
      up[i] += e;
      dn[i] -= e;
      return (loss(up) - loss(dn)) / (2 * e);
    });
    expect(fd.every((v) => Math.abs(v) > 1e-3)).toBe(true);
    expect(relErr(g, fd)).toBeLessThan(1e-3);
  });

  it("SameTimeConv pads 'strictsamex' (4 before, 3 after for K = 8) and cross-correlates", () => {
    expect(strictSamePadding(8)).toEqual([4, 3]);
    expect(strictSamePadding(7)).toEqual([3, 3]);
    expect(strictSamePadding(1)).toEqual([0, 0]);
    const [t, cin, cout, k] = [12, 3, 2, 8];
    const layer = new SameTimeConv({ filters: cout, kernelSize: k, activation: 'linear', seed: 3 });
    const x = randn(t * cin, 'stc-x');
    const y = tf.tidy(() => (layer.apply(tf.tensor3d(x, [1, t, cin])) as tf.Tensor).dataSync());
    const [kernel, bias] = layer.getWeights().map((v) => v.dataSync());
    expect(layer.getWeights()[0].shape).toEqual([k, cin, cout]);
    for (let i = 0; i < t; i++) {
      for (let o = 0; o < cout; o++) {
        let s = bias[o];
        for (let j = 0; j < k; j++) {
          const src = i + j - 4;
          if (src < 0 || src >= t) continue;
          for (let c = 0; c < cin; c++) s += x[src * cin + c] * kernel[(j * cin + c) * cout + o];
        }
        expect(y[i * cout + o]).toBeCloseTo(s, 5);
      }
    }
  });
});
