import FFT from 'fft.js';
import { assertFinite, assertInteger, HitrankError } from '../errors.js';
import type { PadMode, Spectrogram, WindowName } from './types.js';
import { getWindow } from './window.js';

/** Options of {@link stft} and {@link spectrogram} (librosa's names and defaults). */
export interface StftOptions {
  /** FFT length, a power of two ≥ 4 (fft.js). Default `2048` (librosa). */
  nFft?: number;
  /** Hop between frames in samples. Default `floor(winLength / 4)`. */
  hopLength?: number;
  /** Window length ≤ nFft; the window is zero-padded to nFft, centred. Default `nFft`. */
  winLength?: number;
  /** Window name, or the window samples themselves (length `winLength`). Default `'hann'`. */
  window?: WindowName | Float64Array;
  /** Pad `floor(nFft/2)` samples on both sides so frame `t` is centred on sample `t·hop`. Default `true`. */
  center?: boolean;
  /** Padding used when `center` is true. Default `'constant'` (librosa ≥ 0.9). */
  padMode?: PadMode;
}

/** The complex STFT, `[1 + nFft/2 bins × frames]`, row-major, as `librosa.stft` orients it. */
export interface ComplexSpectrogram {
  /** Real parts, row-major `[bins × frames]`. */
  real: Float32Array;
  /** Imaginary parts, row-major `[bins × frames]`. */
  imag: Float32Array;
  /** `[1 + floor(nFft/2), frames]`. */
  shape: [number, number];
}

/** @internal fully resolved STFT options. */
export interface ResolvedStftOptions {
  nFft: number;
  hopLength: number;
  winLength: number;
  window: WindowName | Float64Array;
  center: boolean;
  padMode: PadMode;
}

/** @internal */
export function resolveStftOptions(o: StftOptions): ResolvedStftOptions {
  const nFft = o.nFft ?? 2048;
  if (!Number.isInteger(nFft) || nFft < 4 || (nFft & (nFft - 1)) !== 0) {
    throw new HitrankError(
      'E_UNSUPPORTED',
      `nFft must be a power of two ≥ 4 (the FFT is radix-2/4), got ${nFft}.`,
    );
  }
  const winLength = o.winLength ?? nFft;
  assertInteger(winLength, 'winLength', 1, nFft);
  const hopLength = o.hopLength ?? Math.floor(winLength / 4);
  assertInteger(hopLength, 'hopLength', 1);
  const padMode = o.padMode ?? 'constant';
  if (padMode !== 'constant' && padMode !== 'reflect') {
    throw new HitrankError('E_PARAM', `padMode must be 'constant' or 'reflect', got '${String(padMode)}'.`);
  }
  const window = o.window ?? 'hann';
  if (window instanceof Float64Array && window.length !== winLength) {
    throw new HitrankError('E_SHAPE', `window has ${window.length} samples, expected winLength = ${winLength}.`);
  }
  return { nFft, hopLength, winLength, window, center: o.center ?? true, padMode };
}

/**
 * Number of STFT frames for a signal of `n` samples:
 * `1 + floor(n / hop)` with `center` (even nFft), `1 + floor((n − nFft) / hop)` without.
 *
 * @param n - signal length in samples.
 * @param opts - {@link StftOptions}.
 * @returns the frame count (≥ 1).
 * @throws HitrankError `E_EMPTY` for an empty signal, `E_TOO_SHORT` when `center` is
 *   false and the signal is shorter than `nFft`.
 */
export function frameCount(n: number, opts: StftOptions = {}): number {
  const o = resolveStftOptions(opts);
  return framesFor(n, o);
}

function framesFor(n: number, o: ResolvedStftOptions): number {
  if (n <= 0) throw new HitrankError('E_EMPTY', 'the audio signal is empty (0 samples).');
  const padded = o.center ? n + 2 * Math.floor(o.nFft / 2) : n;
  if (padded < o.nFft) {
    throw new HitrankError(
      'E_TOO_SHORT',
      `the audio has ${n} samples, fewer than nFft = ${o.nFft} needed with center = false.`,
    );
  }
  return 1 + Math.floor((padded - o.nFft) / o.hopLength);
}

/** numpy's `reflect` padding index for any offset, for signals of any length. */
function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}

/**
 * A reusable STFT plan: window, FFT tables and buffers for one set of options.
 * {@link LogMelExtractor} and the functions of this module share plans, so
 * repeated calls pay no set-up cost.
 *
 * @internal
 */
export class StftPlan {
  readonly o: ResolvedStftOptions;
  readonly nBins: number;
  /** Window zero-padded to nFft (double precision). */
  readonly window: Float64Array;
  private readonly fft: FFT;
  private readonly frameBuf: number[];
  private readonly cplxIn: number[];
  private readonly out: number[];

  constructor(opts: StftOptions) {
    this.o = resolveStftOptions(opts);
    const { nFft, winLength } = this.o;
    this.nBins = nFft / 2 + 1;
    const w = this.o.window instanceof Float64Array ? this.o.window : getWindow(this.o.window, winLength);
    this.window = new Float64Array(nFft);
    const lpad = Math.floor((nFft - winLength) / 2);
    this.window.set(w, lpad);
    this.fft = new FFT(nFft);
    // fft.js is fastest on plain arrays of doubles (measured 2× vs Float64Array).
    this.frameBuf = new Array<number>(nFft).fill(0);
    this.cplxIn = this.fft.createComplexArray();
    this.out = this.fft.createComplexArray();
  }

  /** Frame count for a signal of `n` samples. */
  frames(n: number): number {
    return framesFor(n, this.o);
  }

  /** Writes window × frame `t` of `y` into `dst[dstOff + stride·i]`, padding as configured. */
  private loadFrame(y: Float32Array, t: number, dst: number[], dstOff: number, stride: number): void {
    const { nFft, hopLength, center, padMode } = this.o;
    const w = this.window;
    const n = y.length;
    const s = t * hopLength - (center ? Math.floor(nFft / 2) : 0);
    if (s >= 0 && s + nFft <= n) {
      for (let i = 0, d = dstOff; i < nFft; i++, d += stride) dst[d] = y[s + i] * w[i];
      return;
    }
    for (let i = 0, d = dstOff; i < nFft; i++, d += stride) {
      const idx = s + i;
      let v: number;
      if (idx >= 0 && idx < n) v = y[idx];
      else if (padMode === 'constant') v = 0;
      else v = y[reflectIndex(idx, n)];
      dst[d] = v * w[i];
    }
  }

  /** Complex spectrum of frame `t` into `re`/`im` (bins 0 … nFft/2). */
  complexFrame(y: Float32Array, t: number, re: Float64Array, im: Float64Array): void {
    this.loadFrame(y, t, this.frameBuf, 0, 1);
    this.fft.realTransform(this.out, this.frameBuf);
    const out = this.out;
    for (let k = 0; k < this.nBins; k++) {
      re[k] = out[2 * k];
      im[k] = out[2 * k + 1];
    }
  }

  /**
   * |X|^power of frames `t` and `t + 1` at once: the two real frames are packed
   * into one complex FFT (`a + i·b`) and separated with the conjugate symmetry
   * `A[k] = (Z[k] + Z*[N−k]) / 2`, `B[k] = (Z[k] − Z*[N−k]) / 2i`.
   * Pass `tb = -1` to compute frame `t` alone.
   */
  powerFrames(y: Float32Array, t: number, tb: number, pa: Float64Array, pb: Float64Array, power: number): void {
    const N = this.o.nFft;
    const z = this.cplxIn;
    this.loadFrame(y, t, z, 0, 2);
    if (tb >= 0) this.loadFrame(y, tb, z, 1, 2);
    else for (let i = 1; i < 2 * N; i += 2) z[i] = 0;
    this.fft.transform(this.out, z);
    const o = this.out;
    const nb = this.nBins;
    // k = 0 pairs with itself (Z[N] ≡ Z[0]); then bins 1 … N/2 pair with N − k.
    for (let k = 0; k < nb; k++) {
      const j = k === 0 ? 0 : N - k;
      const zr = o[2 * k];
      const zi = o[2 * k + 1];
      const nr = o[2 * j];
      const ni = o[2 * j + 1];
      const ar = zr + nr;
      const ai = zi - ni;
      const br = zi + ni;
      const bi = zr - nr;
      pa[k] = 0.25 * (ar * ar + ai * ai);
      pb[k] = 0.25 * (br * br + bi * bi);
    }
    if (power !== 2) {
      const e = power / 2;
      for (let k = 0; k < nb; k++) {
        pa[k] = e === 0.5 ? Math.sqrt(pa[k]) : Math.pow(pa[k], e);
        pb[k] = e === 0.5 ? Math.sqrt(pb[k]) : Math.pow(pb[k], e);
      }
    }
  }
}

const plans = new Map<string, StftPlan>();

/** @internal a cached plan per options (windows given as arrays are not cached). */
export function stftPlan(opts: StftOptions): StftPlan {
  if (opts.window instanceof Float64Array) return new StftPlan(opts);
  const key = JSON.stringify(resolveStftOptions(opts));
  let p = plans.get(key);
  if (!p) {
    p = new StftPlan(opts);
    if (plans.size >= 16) plans.delete(plans.keys().next().value as string);
    plans.set(key, p);
  }
  return p;
}

/**
 * @internal validates a PCM signal and returns it as a Float32Array (the same
 * object when it already is one; other arrays are rounded to float32, as
 * `librosa.load` gives float32), so the hot loops stay monomorphic.
 */
export function checkSignal(y: ArrayLike<number>, what = 'audio samples'): Float32Array {
  if (!y || typeof y.length !== 'number') {
    throw new HitrankError('E_PARAM', `${what} must be a Float32Array (or array of numbers).`);
  }
  if (y.length === 0) throw new HitrankError('E_EMPTY', `the ${what} are empty (0 samples).`);
  const f = y instanceof Float32Array ? y : Float32Array.from(y);
  assertFinite(f, what);
  return f;
}

/**
 * Short-time Fourier transform, as `librosa.stft` (librosa 0.10: `center=True`,
 * `pad_mode='constant'`, periodic window, no normalisation). Computed in double
 * precision, returned as float32 (like librosa's complex64).
 *
 * @param signal - mono PCM samples.
 * @param opts - {@link StftOptions}; defaults `nFft` 2048, `hopLength` nFft/4, Hann.
 * @returns the complex STFT, `[1 + nFft/2, frames]`.
 * @example
 * ```ts
 * const X = stft(y, { nFft: 4096, hopLength: 2048, window: 'hamming' });
 * ```
 */
export function stft(signal: ArrayLike<number>, opts: StftOptions = {}): ComplexSpectrogram {
  const y = checkSignal(signal);
  const plan = stftPlan(opts);
  const frames = plan.frames(y.length);
  const nb = plan.nBins;
  const real = new Float32Array(nb * frames);
  const imag = new Float32Array(nb * frames);
  const re = new Float64Array(nb);
  const im = new Float64Array(nb);
  for (let t = 0; t < frames; t++) {
    plan.complexFrame(y, t, re, im);
    for (let k = 0; k < nb; k++) {
      real[k * frames + t] = re[k];
      imag[k * frames + t] = im[k];
    }
  }
  return { real, imag, shape: [nb, frames] };
}

/** Options of {@link spectrogram}. */
export interface SpectrogramOptions extends StftOptions {
  /** Exponent of the magnitude: 1 = magnitude (default, like `np.abs(stft)`), 2 = power. */
  power?: number;
}

/**
 * Magnitude (or power) spectrogram `|STFT|^power`, computed in double precision
 * and returned as float32 (`np.abs(librosa.stft(y, ...)) ** power`).
 *
 * @param signal - mono PCM samples.
 * @param opts - {@link SpectrogramOptions}; `power` defaults to 1.
 * @returns `{ data, shape: [1 + nFft/2, frames] }`.
 */
export function spectrogram(signal: ArrayLike<number>, opts: SpectrogramOptions = {}): Spectrogram {
  const y = checkSignal(signal);
  const power = opts.power ?? 1;
  if (!(power > 0) || !Number.isFinite(power)) {
    throw new HitrankError('E_PARAM', `power must be a positive number, got ${power}.`);
  }
  const plan = stftPlan(opts);
  const frames = plan.frames(y.length);
  const nb = plan.nBins;
  const data = new Float32Array(nb * frames);
  const pa = new Float64Array(nb);
  const pb = new Float64Array(nb);
  for (let t = 0; t < frames; t += 2) {
    const tb = t + 1 < frames ? t + 1 : -1;
    plan.powerFrames(y, t, tb, pa, pb, power);
    for (let k = 0; k < nb; k++) data[k * frames + t] = pa[k];
    if (tb >= 0) for (let k = 0; k < nb; k++) data[k * frames + tb] = pb[k];
  }
  return { data, shape: [nb, frames] };
}
