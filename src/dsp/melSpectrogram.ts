import { assertFinite, HitrankError } from '../errors.js';
import { sparseMelFilterbank, type MelFilterbankOptions, type SparseMelFilterbank } from './melFilterbank.js';
import { asSignal, stftPlan, type StftOptions, type StftPlan } from './stft.js';
import type { Spectrogram } from './types.js';

/** Options of {@link melSpectrogram}: STFT + filterbank options, librosa's names and defaults. */
export interface MelSpectrogramOptions extends StftOptions, Omit<MelFilterbankOptions, 'nFft'> {
  /** Exponent of the magnitude before the filterbank: 2 = power (default), 1 = magnitude. */
  power?: number;
}

/**
 * @internal the shared mel engine: one STFT plan + one sparse filterbank. Frames
 * come out of the STFT in pairs with their power interleaved, and both frames
 * of a pair are projected on the filterbank in one pass over the weights while
 * the spectrum is in cache.
 */
export class MelEngine {
  readonly plan: StftPlan;
  readonly bank: SparseMelFilterbank;
  readonly power: number;
  /** Interleaved power of the current frame pair, `2·nBins` values. */
  private readonly p: number[];
  /** The bank's weights as a plain array (faster than Float64Array in V8 here). */
  private readonly weights: number[];

  constructor(opts: MelSpectrogramOptions) {
    this.plan = stftPlan(opts);
    this.bank = sparseMelFilterbank({ ...opts, nFft: this.plan.o.nFft });
    this.power = opts.power ?? 2;
    if (!(this.power > 0) || !Number.isFinite(this.power)) {
      throw new HitrankError('E_PARAM', `power must be a positive number, got ${this.power}.`);
    }
    this.p = new Array<number>(2 * this.plan.nBins).fill(0);
    this.weights = Array.from(this.bank.weights);
  }

  /**
   * Mel power `[nMels × frames]` of `y`, which the caller has passed through
   * `asSignal`. Non-finite samples are found without scanning the input
   * up front: each sample a frame reads makes every bin of that frame, hence
   * every non-empty mel band of it, NaN or ±Infinity (IEEE arithmetic keeps them:
   * `NaN·0`, `∞·0`, `∞ − ∞` are NaN), so only a non-finite output, the samples
   * no frame reads, or a bank with no non-empty band send us to scan `y` — with
   * `checkSignal`'s error (`E_NAN`, first bad index).
   *
   * @param y - mono PCM samples.
   * @param what - how the samples are named in the error message.
   */
  compute(y: Float32Array, what = 'audio samples'): Spectrogram {
    const frames = this.plan.frames(y.length);
    const nMels = this.bank.options.nMels;
    const out = new Float32Array(nMels * frames);
    let acc = 0;
    for (let t = 0; t < frames; t += 2) {
      const tb = t + 1 < frames ? t + 1 : -1;
      this.plan.powerFrames(y, t, tb, this.p, this.power);
      acc += this.projectPair(out, t, tb, frames);
    }
    const [from, to] = this.plan.unreadSamples(y.length);
    for (let i = from; i < to; i++) acc += y[i] * 0;
    if (acc !== 0 || this.bank.emptyBands.length === nMels) assertFinite(y, what);
    return { data: out, shape: [nMels, frames] };
  }

  /**
   * Mel bands of the current pair into columns `t` and `tb` (skipped when −1) of
   * `out`; returns 0, or NaN when a band came out non-finite.
   */
  private projectPair(out: Float32Array, t: number, tb: number, frames: number): number {
    const { start, length, offset } = this.bank;
    const w = this.weights;
    const p = this.p;
    const nMels = start.length;
    let acc = 0;
    for (let m = 0; m < nMels; m++) {
      // Two accumulators per frame halve the add-latency chain of the dot product.
      let sa = 0;
      let sb = 0;
      let sa2 = 0;
      let sb2 = 0;
      const off = offset[m];
      const end = off + length[m];
      let j = off;
      let k = 2 * start[m];
      for (; j + 1 < end; j += 2, k += 4) {
        const w0 = w[j];
        const w1 = w[j + 1];
        sa += w0 * p[k];
        sb += w0 * p[k + 1];
        sa2 += w1 * p[k + 2];
        sb2 += w1 * p[k + 3];
      }
      if (j < end) {
        sa += w[j] * p[k];
        sb += w[j] * p[k + 1];
      }
      sa += sa2;
      sb += sb2;
      out[m * frames + t] = sa;
      if (tb >= 0) out[m * frames + tb] = sb;
      acc += sa * 0 + sb * 0;
    }
    return acc;
  }
}

const engines = new Map<string, MelEngine>();

/** @internal a cached engine per options. */
export function melEngine(opts: MelSpectrogramOptions): MelEngine {
  if (opts.window instanceof Float64Array) return new MelEngine(opts);
  const key = JSON.stringify(opts, Object.keys(opts).sort());
  let e = engines.get(key);
  if (!e) {
    e = new MelEngine(opts);
    if (engines.size >= 16) engines.delete(engines.keys().next().value as string);
    engines.set(key, e);
  }
  return e;
}

/**
 * Mel-scaled power spectrogram, as `librosa.feature.melspectrogram(y, sr, n_fft,
 * hop_length, win_length, window, center, pad_mode, power, n_mels, fmin, fmax,
 * htk, norm)`. The FFT and the filterbank sum run in double precision with
 * librosa's float32 filterbank values; the output is float32.
 *
 * Defaults are librosa's (`nFft` 2048, hop 512, Hann, 128 Slaney mels); for the
 * paper's features use {@link logMel}.
 *
 * @param y - mono PCM samples.
 * @param opts - {@link MelSpectrogramOptions}.
 * @returns `{ data, shape: [nMels, frames] }`.
 * @example
 * ```ts
 * const S = melSpectrogram(y, { sampleRate: 22050, nFft: 4096, hopLength: 2048, window: 'hamming' });
 * ```
 */
export function melSpectrogram(y: ArrayLike<number>, opts: MelSpectrogramOptions = {}): Spectrogram {
  return melEngine(opts).compute(asSignal(y));
}
