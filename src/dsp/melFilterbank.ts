import { assertInteger, assertInRange, HitrankError } from '../errors.js';
import { fftFrequencies, melFrequencies } from './melScale.js';
import type { Spectrogram } from './types.js';

/** Options of {@link melFilterbank} (librosa's names and defaults). */
export interface MelFilterbankOptions {
  /** Sampling rate in Hz. Default `22050`. */
  sampleRate?: number;
  /** FFT length; the bank has `1 + floor(nFft/2)` columns. Default `2048` (librosa). */
  nFft?: number;
  /** Number of mel bands. Default `128`. */
  nMels?: number;
  /** Lowest band edge in Hz. Default `0`. */
  fmin?: number;
  /** Highest band edge in Hz. Default `sampleRate / 2`. */
  fmax?: number;
  /** `false` (default): Slaney mel scale; `true`: HTK. */
  htk?: boolean;
  /**
   * `'slaney'` (default): each triangle scaled by `2 / (f[m+2] − f[m])`
   * (constant energy per band); `null`: peak 1.
   */
  norm?: 'slaney' | null;
}

/** Fully resolved filterbank options (every default filled in). */
export interface ResolvedMelFilterbankOptions {
  /** Sampling rate in Hz. */
  sampleRate: number;
  /** FFT length. */
  nFft: number;
  /** Number of mel bands. */
  nMels: number;
  /** Lowest band edge in Hz. */
  fmin: number;
  /** Highest band edge in Hz. */
  fmax: number;
  /** HTK (true) or Slaney (false) mel scale. */
  htk: boolean;
  /** Band normalisation. */
  norm: 'slaney' | null;
}

/**
 * A mel filterbank in sparse form: band `m` is non-zero only on FFT bins
 * `start[m] ≤ k < start[m] + length[m]`, with weights
 * `weights[offset[m] … offset[m] + length[m])` (the float32 values librosa uses,
 * held as doubles).
 */
export interface SparseMelFilterbank {
  /** The options it was built with. */
  options: ResolvedMelFilterbankOptions;
  /** Number of FFT bins (`1 + floor(nFft/2)`). */
  nBins: number;
  /** First non-zero bin of each band. */
  start: Int32Array;
  /** Number of non-zero bins of each band (0 for an empty band). */
  length: Int32Array;
  /** Offset of each band's first weight in {@link SparseMelFilterbank.weights}. */
  offset: Int32Array;
  /** Concatenated non-zero weights of all bands. */
  weights: Float64Array;
  /** Bands that have no non-zero weight (librosa warns "Empty filters detected"). */
  emptyBands: number[];
}

function resolve(opts: MelFilterbankOptions): ResolvedMelFilterbankOptions {
  const sampleRate = opts.sampleRate ?? 22050;
  const nFft = opts.nFft ?? 2048;
  const nMels = opts.nMels ?? 128;
  const fmin = opts.fmin ?? 0;
  const fmax = opts.fmax ?? sampleRate / 2;
  const norm = opts.norm === undefined ? 'slaney' : opts.norm;
  assertInRange(sampleRate, 'sampleRate', 1, 1e7);
  assertInteger(nFft, 'nFft', 2, 1 << 24);
  assertInteger(nMels, 'nMels', 1, 4096);
  assertInRange(fmin, 'fmin', 0, sampleRate / 2);
  assertInRange(fmax, 'fmax', fmin, Number.MAX_VALUE);
  if (norm !== 'slaney' && norm !== null) {
    throw new HitrankError('E_PARAM', `norm must be 'slaney' or null, got ${String(norm)}.`);
  }
  return { sampleRate, nFft, nMels, fmin, fmax, htk: opts.htk ?? false, norm };
}

const cache = new Map<string, SparseMelFilterbank>();
const CACHE_MAX = 16;

/**
 * The mel filterbank in sparse form, built exactly as
 * `librosa.filters.mel(..., dtype=float32)` builds it — including its double
 * rounding to float32 (triangle, then Slaney scaling) — and cached per options.
 * This is what {@link melSpectrogram} multiplies with.
 *
 * @param opts - {@link MelFilterbankOptions}.
 * @returns the sparse bank (shared, do not mutate).
 */
export function sparseMelFilterbank(opts: MelFilterbankOptions = {}): SparseMelFilterbank {
  const o = resolve(opts);
  const key = JSON.stringify(o);
  const hit = cache.get(key);
  if (hit) return hit;
  const fftFreqs = fftFrequencies(o.sampleRate, o.nFft);
  const nBins = fftFreqs.length;
  const melF = melFrequencies(o.nMels + 2, { fmin: o.fmin, fmax: o.fmax, htk: o.htk });
  const start = new Int32Array(o.nMels);
  const length = new Int32Array(o.nMels);
  const offset = new Int32Array(o.nMels);
  const chunks: number[] = [];
  const emptyBands: number[] = [];
  for (let m = 0; m < o.nMels; m++) {
    const fdiffLo = melF[m + 1] - melF[m];
    const fdiffHi = melF[m + 2] - melF[m + 1];
    const enorm = o.norm === 'slaney' ? 2.0 / (melF[m + 2] - melF[m]) : 1;
    let first = -1;
    let last = -1;
    const vals: number[] = [];
    for (let k = 0; k < nBins; k++) {
      const lower = -(melF[m] - fftFreqs[k]) / fdiffLo;
      const upper = (melF[m + 2] - fftFreqs[k]) / fdiffHi;
      let w = Math.fround(Math.max(0, Math.min(lower, upper)));
      if (o.norm === 'slaney') w = Math.fround(w * enorm);
      if (w !== 0) {
        if (first < 0) first = k;
        // Keep interior zeros so each band stays one contiguous run.
        while (last >= 0 && last < k - 1) {
          vals.push(0);
          last++;
        }
        vals.push(w);
        last = k;
      }
    }
    offset[m] = chunks.length;
    if (first < 0) {
      emptyBands.push(m);
      start[m] = 0;
      length[m] = 0;
    } else {
      start[m] = first;
      length[m] = vals.length;
      for (const v of vals) chunks.push(v);
    }
  }
  const bank: SparseMelFilterbank = {
    options: o,
    nBins,
    start,
    length,
    offset,
    weights: Float64Array.from(chunks),
    emptyBands,
  };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, bank);
  return bank;
}

/**
 * The mel filterbank matrix, equal to `librosa.filters.mel(sr, n_fft, n_mels,
 * fmin, fmax, htk, norm)` (float32, bit-for-bit with librosa 0.10's float32 basis).
 *
 * @param opts - {@link MelFilterbankOptions}; defaults are librosa's
 *   (`nFft` 2048, `nMels` 128, Slaney scale and norm, `fmax = sampleRate/2`).
 * @returns `{ data, shape: [nMels, 1 + floor(nFft/2)] }`, row-major.
 * @example
 * ```ts
 * const fb = melFilterbank({ sampleRate: 22050, nFft: 4096, nMels: 128 });
 * fb.shape; // [128, 2049]
 * ```
 */
export function melFilterbank(opts: MelFilterbankOptions = {}): Spectrogram {
  const b = sparseMelFilterbank(opts);
  const nMels = b.options.nMels;
  const data = new Float32Array(nMels * b.nBins);
  for (let m = 0; m < nMels; m++) {
    const row = m * b.nBins + b.start[m];
    for (let j = 0; j < b.length[m]; j++) data[row + j] = b.weights[b.offset[m] + j];
  }
  return { data, shape: [nMels, b.nBins] };
}
