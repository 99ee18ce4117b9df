// Our radix-8 FFT (src/dsp/fft) against fft.js, the library it replaced at
// runtime, and against a direct O(N²) DFT on small sizes.
import FFT from 'fft.js';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { ComplexFft } from '../../src/dsp/fft/complexFft.js';
import { RealFft } from '../../src/dsp/fft/realFft.js';
import { StftPlan } from '../../src/dsp/stft.js';

const SIZES = Array.from({ length: 16 }, (_, i) => 2 ** (i + 1)); // 2 … 65536

function randomArray(n: number, seed: string): number[] {
  const rng = seedrandom(seed);
  return Array.from({ length: n }, () => rng() * 2 - 1);
}

/** max |a − b| / max |b| over interleaved complex arrays. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let err = 0;
  let peak = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    peak = Math.max(peak, Math.abs(b[i]));
  }
  return err / peak;
}

/** Our spectrum back in natural bin order. */
function natural(plan: ComplexFft, x: number[]): number[] {
  const out = new Array<number>(2 * plan.n);
  for (let k = 0; k < plan.n; k++) {
    out[2 * k] = x[2 * plan.rev[k]];
    out[2 * k + 1] = x[2 * plan.rev[k] + 1];
  }
  return out;
}

function fftJs(input: number[]): number[] {
  const n = input.length / 2;
  const f = new FFT(n);
  const out = f.createComplexArray() as number[];
  f.transform(out, input);
  return out;
}

function naiveDft(input: number[]): number[] {
  const n = input.length / 2;
  const out = new Array<number>(2 * n).fill(0);
  for (let k = 0; k < n; k++) {
    let re = 0;
    let im = 0;
    for (let m = 0; m < n; m++) {
      const a = (-2 * Math.PI * ((k * m) % n)) / n;
      const c = Math.cos(a);
      const s = Math.sin(a);
      re += input[2 * m] * c - input[2 * m + 1] * s;
      im += input[2 * m] * s + input[2 * m + 1] * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

describe('ComplexFft (radix-8 DIF, bit-reversed output)', () => {
  it('rev is the bit-reversal permutation', () => {
    const p = new ComplexFft(64);
    expect(p.rev[1]).toBe(32);
    expect(p.rev[6]).toBe(24);
    expect([...p.rev].sort((a, b) => a - b)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('length 1 is the identity; non-powers of two are refused', () => {
    const p = new ComplexFft(1);
    const x = [0.5, -2];
    p.forward(x);
    expect(x).toEqual([0.5, -2]);
    expect(() => new ComplexFft(12)).toThrow(RangeError);
  });

  for (const n of SIZES) {
    it(`complex input, n = ${n}: within 1e-12 of fft.js`, () => {
      const input = randomArray(2 * n, `complex-${n}`);
      const plan = new ComplexFft(n);
      const x = input.slice();
      plan.forward(x);
      expect(relErr(natural(plan, x), fftJs(input))).toBeLessThanOrEqual(1e-12);
    });
  }

  for (const n of SIZES.filter((s) => s <= 256)) {
    it(`complex input, n = ${n}: within 1e-9 of a direct DFT`, () => {
      const input = randomArray(2 * n, `dft-${n}`);
      const plan = new ComplexFft(n);
      const x = input.slice();
      plan.forward(x);
      expect(relErr(natural(plan, x), naiveDft(input))).toBeLessThanOrEqual(1e-9);
    });
  }

  for (const n of [2, 4, 8, 16, 32, 512, 4096, 65536]) {
    it(`two windowed real frames packed as re/im, n = ${n}: within 1e-12 of fft.js`, () => {
      const y = Float32Array.from(randomArray(n + 40, `pair-${n}`));
      const win = randomArray(n, `win-${n}`);
      const plan = new ComplexFft(n);
      const x = plan.createBuffer();
      plan.forwardRealPair(x, y, 3, y, 37, win);
      const packed: number[] = [];
      for (let i = 0; i < n; i++) packed.push(y[3 + i] * win[i], y[37 + i] * win[i]);
      expect(relErr(natural(plan, x), fftJs(packed))).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('RealFft (one real frame through a half-length complex FFT)', () => {
  for (const n of SIZES) {
    it(`n = ${n}: bins 0 … n/2 within 1e-12 of fft.js realTransform`, () => {
      const y = Float32Array.from(randomArray(n + 9, `rfft-${n}`));
      const win = randomArray(n, `rwin-${n}`);
      const frame = Array.from({ length: n }, (_, i) => y[9 + i] * win[i]);
      let ref: number[];
      if (n >= 4) {
        const f = new FFT(n);
        ref = f.createComplexArray() as number[];
        f.realTransform(ref, frame);
        f.completeSpectrum(ref);
      } else {
        ref = naiveDft(frame.flatMap((v) => [v, 0])); // fft.js needs n ≥ 4
      }
      const nb = n / 2 + 1;
      const re = new Float64Array(nb);
      const im = new Float64Array(nb);
      new RealFft(n).forward(y, 9, win, re, im);
      const ours = Array.from({ length: 2 * nb }, (_, i) => (i % 2 === 0 ? re[i >> 1] : im[i >> 1]));
      expect(relErr(ours, ref.slice(0, 2 * nb))).toBeLessThanOrEqual(1e-12);
    });
  }
});

describe('real-input spectra of StftPlan (frame pairs separated by conjugate symmetry)', () => {
  for (const nFft of [4, 8, 16, 64, 512, 2048, 4096, 8192, 65536]) {
    it(`nFft = ${nFft}: complex frames and power frames within 1e-12 of fft.js realTransform`, () => {
      const hop = nFft / 2;
      const y = Float32Array.from(randomArray(3 * nFft + 5, `real-${nFft}`));
      const plan = new StftPlan({ nFft, hopLength: hop, window: 'hamming', center: false });
      const f = new FFT(nFft);
      const nb = nFft / 2 + 1;
      const ref = (t: number): number[] => {
        const frame = Array.from({ length: nFft }, (_, i) => y[t * hop + i] * plan.window[i]);
        const out = f.createComplexArray() as number[];
        f.realTransform(out, frame);
        f.completeSpectrum(out);
        return out.slice(0, 2 * nb);
      };
      const re = new Float64Array(nb);
      const im = new Float64Array(nb);
      const p = new Array<number>(2 * nb).fill(0);
      const T = plan.frames(y.length);
      expect(T).toBeGreaterThanOrEqual(5);
      for (let t = 0; t < T; t++) {
        const r = ref(t);
        plan.complexFrame(y, t, re, im);
        const ours = Array.from({ length: 2 * nb }, (_, i) => (i % 2 === 0 ? re[i >> 1] : im[i >> 1]));
        expect(relErr(ours, r)).toBeLessThanOrEqual(1e-12);
      }
      // Power of frames (t, t+1) packed in one FFT, and of the last frame alone.
      for (let t = 0; t < T; t += 2) {
        const tb = t + 1 < T ? t + 1 : -1;
        plan.powerFrames(y, t, tb, p, 2);
        const ra = ref(t);
        const rb = tb >= 0 ? ref(tb) : null;
        const refP: number[] = [];
        const ourP: number[] = [];
        for (let k = 0; k < nb; k++) {
          refP.push(ra[2 * k] ** 2 + ra[2 * k + 1] ** 2);
          ourP.push(p[2 * k]);
          if (rb) {
            refP.push(rb[2 * k] ** 2 + rb[2 * k + 1] ** 2);
            ourP.push(p[2 * k + 1]);
          } else {
            expect(p[2 * k + 1]).toBeLessThanOrEqual(1e-20 * Math.max(1, refP[0]));
          }
        }
        expect(relErr(ourP, refP)).toBeLessThanOrEqual(1e-12);
      }
    });
  }
});
