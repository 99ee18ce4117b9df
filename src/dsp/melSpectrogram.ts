import { HitrankError } from '../errors.js';
import { sparseMelFilterbank, type MelFilterbankOptions, type SparseMelFilterbank } from './melFilterbank.js';
import { checkSignal, stftPlan, type StftOptions, type StftPlan } from './stft.js';
import type { Spectrogram } from './types.js';

/** Options of {@link melSpectrogram}: STFT + filterbank options, librosa's names and defaults. */
export interface MelSpectrogramOptions extends StftOptions, Omit<MelFilterbankOptions, 'nFft'> {
  /** Exponent of the magnitude before the filterbank: 2 = power (default), 1 = magnitude. */
  power?: number;
}

/**
 * @internal the shared mel engine: one STFT plan + one sparse filterbank,
 * mel projection done frame by frame while the spectrum is in cache.
 */
export class MelEngine {
  readonly plan: StftPlan;
  readonly bank: SparseMelFilterbank;
  readonly power: number;
  private readonly pa: Float64Array;
  private readonly pb: Float64Array;

  constructor(opts: MelSpectrogramOptions) {
    this.plan = stftPlan(opts);
    this.bank = sparseMelFilterbank({ ...opts, nFft: this.plan.o.nFft });
    this.power = opts.power ?? 2;
    if (!(this.power > 0) || !Number.isFinite(this.power)) {
      throw new HitrankError('E_PARAM', `power must be a positive number, got ${this.power}.`);
    }
    this.pa = new Float64Array(this.plan.nBins);
    this.pb = new Float64Array(this.plan.nBins);
  }

  /** Mel power `[nMels × frames]` of `y` (validated by the caller). */
  compute(y: Float32Array): Spectrogram {
    const frames = this.plan.frames(y.length);
    const nMels = this.bank.options.nMels;
    const out = new Float32Array(nMels * frames);
    for (let t = 0; t < frames; t += 2) {
      const tb = t + 1 < frames ? t + 1 : -1;
      this.plan.powerFrames(y, t, tb, this.pa, this.pb, this.power);
      this.project(this.pa, out, t, frames);
      if (tb >= 0) this.project(this.pb, out, tb, frames);
    }
    return { data: out, shape: [nMels, frames] };
  }

  private project(p: Float64Array, out: Float32Array, t: number, frames: number): void {
    const { start, length, offset, weights } = this.bank;
    const nMels = start.length;
    for (let m = 0; m < nMels; m++) {
      let s = 0;
      const st = start[m];
      const off = offset[m];
      const len = length[m];
      for (let j = 0; j < len; j++) s += weights[off + j] * p[st + j];
      out[m * frames + t] = s;
    }
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
  return melEngine(opts).compute(checkSignal(y));
}
