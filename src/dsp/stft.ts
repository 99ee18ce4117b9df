import { assertFinite, assertInteger, HitrankError } from '../errors.js';
import type { PadMode, Spectrogram, WindowName } from './types.js';
import { getWindow } from './window.js';
import { ComplexFft } from './fft/complexFft.js';
import { RealFft } from './fft/realFft.js';

/** Options of {@link stft} and {@link spectrogram} (librosa's names and defaults). */
export interface StftOptions {
  /** FFT length, a power of two ≥ 4. Default `2048` (librosa). */
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
      `nFft must be a power of two ≥ 4 (the FFT is radix-8/4/2), got ${nFft}.`,
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
 * Frames go through the FFT two at a time: frame `t` as the real part and frame
 * `t + 1` as the imaginary part of one complex FFT ({@link ComplexFft}, which
 * also applies the window while it loads them), separated afterwards with the
 * conjugate symmetry `A[k] = (Z[k] + Z*[N−k]) / 2`, `B[k] = (Z[k] − Z*[N−k]) / 2i`.
 *
 * @internal
 */
export class StftPlan {
  readonly o: ResolvedStftOptions;
  readonly nBins: number;
  /** Window zero-padded to nFft (double precision). */
  readonly window: Float64Array;
  private readonly fft: ComplexFft;
  /** The window as a plain array (the FFT kernels are fastest on plain double arrays). */
  private readonly win: number[];
  /** Interleaved complex work array of the FFT. */
  private readonly z: number[];
  /** `2·rev[k]`: where bin k's real part sits in `z` (plain array, like `z`). */
  private readonly slot: number[];
  /** Padded copies of frames that stick out of the signal. */
  private readonly edgeA: Float32Array;
  private readonly edgeB: Float32Array;
  /** nFft zeros: the imaginary part when a frame is transformed alone. */
  private readonly zeros: Float32Array;
  /** Real FFT of single frames, for the complex STFT (built on first use). */
  private rfft: RealFft | null = null;

  constructor(opts: StftOptions) {
    this.o = resolveStftOptions(opts);
    const { nFft, winLength } = this.o;
    this.nBins = nFft / 2 + 1;
    const w = this.o.window instanceof Float64Array ? this.o.window : getWindow(this.o.window, winLength);
    this.window = new Float64Array(nFft);
    const lpad = Math.floor((nFft - winLength) / 2);
    this.window.set(w, lpad);
    this.win = Array.from(this.window);
    this.fft = new ComplexFft(nFft);
    this.z = this.fft.createBuffer();
    this.slot = Array.from(this.fft.rev, (r) => 2 * r);
    this.edgeA = new Float32Array(nFft);
    this.edgeB = new Float32Array(nFft);
    this.zeros = new Float32Array(nFft);
  }

  /** Frame count for a signal of `n` samples. */
  frames(n: number): number {
    return framesFor(n, this.o);
  }

  /** First sample of frame `t` (negative when it starts in the padding). */
  frameStart(t: number): number {
    return t * this.o.hopLength - (this.o.center ? Math.floor(this.o.nFft / 2) : 0);
  }

  /**
   * Samples of an `n`-sample signal that no frame reads, as `[from, to)`: the
   * tail after the last frame (without `center`, or with hop > nFft/2), `[0, 0)`
   * when there is none. The first frame starts at or before sample 0, and with
   * hop ≤ nFft consecutive frames overlap or touch, so every other sample enters
   * some frame's FFT, where a NaN or ±Infinity turns every bin of that frame
   * (and of the frame packed with it) non-finite. Returns `[0, n)` when frames
   * leave gaps (hop > nFft).
   */
  unreadSamples(n: number): [number, number] {
    const { nFft, hopLength } = this.o;
    if (hopLength > nFft) return [0, n];
    const end = this.frameStart(this.frames(n) - 1) + nFft;
    return end >= n ? [0, 0] : [end, n];
  }

  /**
   * Where frame `t`'s samples are read from: `y` itself from the frame's first
   * sample, or — for a frame that sticks out of `y` — `edge` filled with the
   * frame and its padding, from 0 (so the frame starts at
   * `src === y ? frameStart(t) : 0`).
   */
  private frameSource(y: Float32Array, t: number, edge: Float32Array): Float32Array {
    const { nFft, padMode } = this.o;
    const n = y.length;
    const s = this.frameStart(t);
    if (s >= 0 && s + nFft <= n) return y;
    for (let i = 0; i < nFft; i++) {
      const idx = s + i;
      if (idx >= 0 && idx < n) edge[i] = y[idx];
      else edge[i] = padMode === 'constant' ? 0 : y[reflectIndex(idx, n)];
    }
    return edge;
  }

  /** FFT of frames `t` (real part) and `tb` (imaginary part; `-1` = zeros) into the work array. */
  private transformPair(y: Float32Array, t: number, tb: number): void {
    const a = this.frameSource(y, t, this.edgeA);
    const b = tb >= 0 ? this.frameSource(y, tb, this.edgeB) : this.zeros;
    this.fft.forwardRealPair(this.z, a, a === y ? this.frameStart(t) : 0, b, b === y ? this.frameStart(tb) : 0, this.win);
  }

  /**
   * Complex spectrum of frame `t` into `re`/`im` (bins 0 … nFft/2), by a real
   * FFT of this frame alone ({@link RealFft}), so its bins carry no rounding
   * from a neighbour frame.
   */
  complexFrame(y: Float32Array, t: number, re: Float64Array, im: Float64Array): void {
    this.rfft ??= new RealFft(this.o.nFft);
    const a = this.frameSource(y, t, this.edgeA);
    this.rfft.forward(a, a === y ? this.frameStart(t) : 0, this.win, re, im);
  }

  /**
   * |X|^power of frames `t` and `tb` at once, interleaved: `p[2k]` is bin `k` of
   * frame `t`, `p[2k + 1]` bin `k` of frame `tb`. Pass `tb = -1` to compute frame
   * `t` alone (`p[2k + 1]` is then 0).
   */
  powerFrames(y: Float32Array, t: number, tb: number, p: number[], power: number): void {
    this.transformPair(y, t, tb);
    const N = this.o.nFft;
    const z = this.z;
    const slot = this.slot;
    const nb = this.nBins;
    // Bin 0 pairs with itself (Z[N] ≡ Z[0]); bins 1 … N/2 pair with N − k.
    for (let k = 0; k < nb; k++) {
      const s = slot[k];
      const u = slot[(N - k) & (N - 1)];
      const zr = z[s];
      const zi = z[s + 1];
      const nr = z[u];
      const ni = z[u + 1];
      const ar = zr + nr;
      const ai = zi - ni;
      const br = zi + ni;
      const bi = zr - nr;
      p[2 * k] = 0.25 * (ar * ar + ai * ai);
      p[2 * k + 1] = 0.25 * (br * br + bi * bi);
    }
    if (power !== 2) {
      const e = power / 2;
      for (let i = 0; i < 2 * nb; i++) p[i] = e === 0.5 ? Math.sqrt(p[i]) : Math.pow(p[i], e);
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
 * @internal checks that `y` is a non-empty array of numbers and returns it as a
 * Float32Array (the same object when it already is one; other arrays are rounded
 * to float32, as `librosa.load` gives float32), so the hot loops stay
 * monomorphic. Does not look at the values: see {@link checkSignal}.
 */
export function asSignal(y: ArrayLike<number>, what = 'audio samples'): Float32Array {
  if (!y || typeof y.length !== 'number') {
    throw new HitrankError('E_PARAM', `${what} must be a Float32Array (or array of numbers).`);
  }
  if (y.length === 0) throw new HitrankError('E_EMPTY', `the ${what} are empty (0 samples).`);
  return y instanceof Float32Array ? y : Float32Array.from(y);
}

/**
 * @internal validates a PCM signal ({@link asSignal}, then every sample finite:
 * `E_NAN` naming the first bad sample) and returns it as a Float32Array.
 */
export function checkSignal(y: ArrayLike<number>, what = 'audio samples'): Float32Array {
  const f = asSignal(y, what);
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
  const p = new Array<number>(2 * nb).fill(0);
  for (let t = 0; t < frames; t += 2) {
    const tb = t + 1 < frames ? t + 1 : -1;
    plan.powerFrames(y, t, tb, p, power);
    for (let k = 0; k < nb; k++) data[k * frames + t] = p[2 * k];
    if (tb >= 0) for (let k = 0; k < nb; k++) data[k * frames + tb] = p[2 * k + 1];
  }
  return { data, shape: [nb, frames] };
}
