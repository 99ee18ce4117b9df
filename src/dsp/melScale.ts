import { assertInteger, assertInRange } from '../errors.js';

/** Options shared by the mel-scale conversions. */
export interface MelScaleOptions {
  /**
   * `false` (default): Slaney's Auditory Toolbox scale (linear below 1 kHz,
   * logarithmic above), librosa's default. `true`: HTK, `2595·log10(1 + f/700)`.
   */
  htk?: boolean;
}

const F_SP = 200.0 / 3;
const MIN_LOG_HZ = 1000.0;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27.0;

/**
 * Hertz to mels, as `librosa.hz_to_mel` (same formulas, same operation order).
 *
 * @param hz - frequency in Hz.
 * @param opts - {@link MelScaleOptions}.
 * @returns the frequency in mels.
 */
export function hzToMel(hz: number, opts: MelScaleOptions = {}): number {
  if (opts.htk) return 2595.0 * Math.log10(1.0 + hz / 700.0);
  if (hz >= MIN_LOG_HZ) return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
  return (hz - 0.0) / F_SP;
}

/**
 * Mels to hertz, as `librosa.mel_to_hz`.
 *
 * @param mel - frequency in mels.
 * @param opts - {@link MelScaleOptions}.
 * @returns the frequency in Hz.
 */
export function melToHz(mel: number, opts: MelScaleOptions = {}): number {
  if (opts.htk) return 700.0 * (10.0 ** (mel / 2595.0) - 1.0);
  if (mel >= MIN_LOG_MEL) return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
  return 0.0 + F_SP * mel;
}

/** Options of {@link melFrequencies}. */
export interface MelFrequenciesOptions extends MelScaleOptions {
  /** Lowest frequency in Hz. Default `0`. */
  fmin?: number;
  /** Highest frequency in Hz. Default `11025`. */
  fmax?: number;
}

/**
 * `nMels` frequencies (Hz) evenly spaced on the mel scale from `fmin` to
 * `fmax` inclusive, as `librosa.mel_frequencies` (numpy `linspace` semantics:
 * the last value is exactly `fmax`'s mel).
 *
 * @param nMels - how many frequencies (≥ 1).
 * @param opts - {@link MelFrequenciesOptions}.
 * @returns the frequencies in Hz, ascending.
 */
export function melFrequencies(nMels: number, opts: MelFrequenciesOptions = {}): Float64Array {
  assertInteger(nMels, 'nMels', 1);
  const fmin = opts.fmin ?? 0;
  const fmax = opts.fmax ?? 11025;
  assertInRange(fmin, 'fmin', 0, Number.MAX_VALUE);
  assertInRange(fmax, 'fmax', fmin, Number.MAX_VALUE);
  const minMel = hzToMel(fmin, opts);
  const maxMel = hzToMel(fmax, opts);
  const out = new Float64Array(nMels);
  const div = nMels - 1;
  const step = div > 0 ? (maxMel - minMel) / div : 0;
  for (let i = 0; i < nMels; i++) out[i] = melToHz(i * step + minMel, opts);
  if (nMels > 1) out[nMels - 1] = melToHz(maxMel, opts);
  return out;
}

/**
 * Centre frequency (Hz) of each FFT bin `0 … nFft/2`, as
 * `librosa.fft_frequencies` (= `numpy.fft.rfftfreq(nFft, 1/sampleRate)`).
 *
 * @param sampleRate - sampling rate in Hz.
 * @param nFft - FFT length.
 * @returns `1 + floor(nFft/2)` frequencies.
 */
export function fftFrequencies(sampleRate: number, nFft: number): Float64Array {
  assertInteger(nFft, 'nFft', 1);
  assertInRange(sampleRate, 'sampleRate', Number.MIN_VALUE, Number.MAX_VALUE);
  const n = Math.floor(nFft / 2) + 1;
  const val = 1.0 / (nFft * (1.0 / sampleRate));
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = k * val;
  return out;
}
