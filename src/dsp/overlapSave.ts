/**
 * FIR filtering by FFT (overlap-save), for {@link resample}'s integer
 * decimation (44.1 → 22.05 kHz and other `from = k·to`): a 257-tap filter costs
 * 257 multiply-adds per output sample done directly, and a few FFT butterflies
 * per sample this way.
 *
 * @module
 */
import { ComplexFft } from './fft/complexFft.js';

/** A range of samples: `start … start + length − 1`. */
export interface SampleRange {
  start: number;
  length: number;
}

/**
 * The linear convolution `c = h * y` of a fixed filter `h` with a signal `y`
 * that is zero outside `[0, n)`, evaluated at chosen indices, by overlap-save
 * FFT convolution in double precision.
 *
 * Results do not depend on which indices are asked for: `c` is computed in
 * blocks of `valid` indices at fixed positions (`b·valid …`), two blocks
 * (`2k`, `2k + 1`) per complex FFT as real and imaginary parts, always the
 * same pair. So any window of outputs equals the same indices of a whole
 * computation bit for bit, provided the input samples of every pair it
 * touches are given ({@link OverlapSaveFir.inputSpan}).
 *
 * @internal
 */
export class OverlapSaveFir {
  /** FFT length. */
  readonly n: number;
  /** Convolution indices per block: `n − taps + 1`. */
  readonly valid: number;
  private readonly taps: number;
  private readonly fft: ComplexFft;
  /** FFT of the zero-padded filter, divided by n, in the FFT's bit-reversed slots (interleaved complex). */
  private readonly spectrum: number[];
  private readonly x: number[];
  private readonly w: number[];

  /**
   * @param h - filter taps (any length ≥ 1).
   */
  constructor(h: ArrayLike<number>) {
    this.taps = h.length;
    let n = 256;
    while (n < 8 * this.taps) n *= 2;
    this.n = n;
    this.valid = n - this.taps + 1;
    this.fft = new ComplexFft(n);
    const s = this.fft.createBuffer();
    for (let i = 0; i < h.length; i++) s[2 * i] = h[i] / n;
    this.fft.forward(s);
    this.spectrum = s;
    this.x = this.fft.createBuffer();
    this.w = this.fft.createBuffer();
  }

  /**
   * The input samples that {@link OverlapSaveFir.convolve} reads to produce
   * convolution indices `lo … hi` of a signal of `nIn` samples (clamped to
   * the signal; `length` 0 when none).
   *
   * @param lo - first convolution index (may be negative: zero there).
   * @param hi - last convolution index (≥ lo).
   * @param nIn - signal length.
   * @returns the input range.
   */
  inputSpan(lo: number, hi: number, nIn: number): SampleRange {
    const pair = 2 * this.valid;
    const first = Math.floor(Math.max(lo, 0) / pair) * pair;
    const last = (Math.floor(Math.max(hi, 0) / pair) + 1) * pair - 1;
    const a = Math.max(0, first - this.taps + 1);
    const b = Math.min(nIn - 1, last);
    return a > b ? { start: 0, length: 0 } : { start: a, length: b - a + 1 };
  }

  /**
   * `out[o] = c[j0 + o·step]` for `o < out.length`, where `c = h * y` and `y`
   * is the signal of `nIn` samples whose samples `off … off + y.length − 1`
   * are given (every sample {@link OverlapSaveFir.inputSpan} names must be).
   * Indices outside `[0, nIn + taps − 1)` give 0.
   *
   * @param y - the given samples.
   * @param off - index of `y[0]` in the signal.
   * @param nIn - length of the whole signal.
   * @param j0 - first convolution index.
   * @param step - distance between convolution indices (≥ 1).
   * @param out - receives the values (as float32).
   */
  convolve(y: Float32Array, off: number, nIn: number, j0: number, step: number, out: Float32Array): void {
    const count = out.length;
    if (count === 0) return;
    const V = this.valid;
    const end = nIn + this.taps - 1; // c is zero from here on
    let o = 0;
    // Indices below 0 are zero.
    while (o < count && j0 + o * step < 0) out[o++] = 0;
    const { x, w, spectrum } = this;
    const n = this.n;
    const rev = this.fft.rev;
    const L = this.taps;
    const lo = -off; // signal index 0 in y
    const hi = nIn - off; // signal index nIn in y
    while (o < count && j0 + o * step < end) {
      const b0 = Math.floor((j0 + o * step) / (2 * V)) * 2 * V; // block 2k starts here, block 2k + 1 at b0 + V
      // Load u1[q] = y[b0 − L + 1 + q] (real part) and u2[q] = y[b0 + V − L + 1 + q] (imaginary).
      const s1 = b0 - L + 1 - off;
      const s2 = s1 + V;
      for (let q = 0; q < n; q++) {
        const i1 = s1 + q;
        const i2 = s2 + q;
        x[2 * q] = i1 >= lo && i1 < hi ? y[i1] : 0;
        x[2 * q + 1] = i2 >= lo && i2 < hi ? y[i2] : 0;
      }
      this.fft.forward(x);
      // Multiply by the filter's spectrum (same slots), conjugate and put back in
      // natural order: the inverse FFT is conj(FFT(conj(X·H))) (1/n is in H).
      for (let q = 0; q < n; q++) {
        const r = 2 * rev[q];
        const ar = x[r];
        const ai = x[r + 1];
        const br = spectrum[r];
        const bi = spectrum[r + 1];
        w[2 * q] = ar * br - ai * bi;
        w[2 * q + 1] = -(ar * bi + ai * br);
      }
      this.fft.forward(w);
      // c[b0 + t] is the real part at natural index t + L − 1, c[b0 + V + t] minus the imaginary part.
      const stop = Math.min(b0 + 2 * V, end);
      for (let j = j0 + o * step; o < count && j < stop; o++, j += step) {
        const t = j - b0;
        out[o] = t < V ? w[2 * rev[t + L - 1]] : -w[2 * rev[t - V + L - 1] + 1];
      }
    }
    for (; o < count; o++) out[o] = 0;
  }
}
