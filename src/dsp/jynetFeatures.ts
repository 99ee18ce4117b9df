/**
 * The `jynet` feature preset: the six-scale log-mel input of the JYnet tagger
 * (Liu & Yang 2016, released with HSP_CNN), which produced the 50 tag
 * activations of Yu et al.'s tag branch.
 *
 * @module
 */
import { HitrankError, assertFinite, assertInteger } from '../errors.js';
import { melSpectrogram } from './melSpectrogram.js';
import { resample } from './resample.js';
import { checkSignal } from './stft.js';
import type { PadMode } from './types.js';

/**
 * The `jynet` feature preset — what JYnet (HSP_CNN `extract_feats.py`,
 * `make_ex_data.py`, `standardize.py`) feeds its six branches:
 *
 * | item | value |
 * |---|---|
 * | audio | mono, **16 kHz** (`librosa.load(sr=16000)`) |
 * | scales | **six** n_fft values, 512 … 16384 (branch i ↔ `nFfts[i]`) |
 * | STFT | Hann (periodic), hop **512**, `center` with constant (zero) padding (librosa ≥ 0.9) |
 * | mel | 128 Slaney bands, Slaney norm, 0 … 8000 Hz, power 2 |
 * | compression | **log(1 + 10000·S)** |
 * | length | zero frames appended / cropped to the first **911** frames (≈ 29.2 s) |
 * | standardisation | per mel bin; the authors' inference fits it **on the clip itself** |
 *
 * The authors' 2016 librosa padded with `'reflect'`; the reference fixtures
 * use librosa 0.10's `'constant'` (the difference in the tags is ≤ 0.002).
 */
export const JYNET_FEATURES = Object.freeze({
  /** Sampling rate in Hz. */
  sampleRate: 16000,
  /** FFT lengths of the six scales, in branch order. */
  nFfts: Object.freeze([512, 1024, 2048, 4096, 8192, 16384]) as readonly number[],
  /** Hop in samples. */
  hopLength: 512,
  /** Mel bands. */
  nMels: 128,
  /** Multiplier inside the log: `log(1 + log1pScale · S)`. */
  log1pScale: 10000,
  /** Frames per scale after padding / cropping. */
  frames: 911,
  /** STFT centre padding. */
  padMode: 'constant' as PadMode,
});

/**
 * How {@link jynetFeatures} standardises each mel bin:
 * - `'self'` — a StandardScaler fitted on the clip's own frames (mean and
 *   population standard deviation over the `frames` rows, zero-padding
 *   included; a constant bin gets std 1, as sklearn does) — HSP_CNN's
 *   `standardize.py`, i.e. what the authors' inference did;
 * - `'shipped'` — `(X − mean) / std` with given statistics (e.g. JYnet's
 *   training scalers, `data/standardizers/`), see {@link JynetStandardizer};
 * - `'none'` — the raw `log(1 + 10000·S)` values.
 */
export type JynetStandardize = 'self' | 'shipped' | 'none';

/** Per-scale, per-bin standardisation statistics for `standardize: 'shipped'`. */
export interface JynetStandardizer {
  /** One `[nMels]` mean vector per scale, in `nFfts` order. */
  mean: readonly Float32Array[];
  /** One `[nMels]` standard-deviation vector per scale (all > 0), in `nFfts` order. */
  std: readonly Float32Array[];
}

/** Options of {@link jynetFeatures}; defaults are the {@link JYNET_FEATURES} preset. */
export interface JynetFeaturesOptions {
  /** Per-bin standardisation. Default `'self'` (the authors' inference). */
  standardize?: JynetStandardize;
  /** Statistics for `standardize: 'shipped'` (required then, ignored otherwise). */
  shippedStats?: JynetStandardizer;
  /** FFT lengths, one input per entry. Default the six of {@link JYNET_FEATURES}. */
  nFfts?: readonly number[];
  /** Frames kept per scale (zero frames appended when the clip is shorter). Default 911. */
  frames?: number;
  /** Mel bands. Default 128. */
  nMels?: number;
  /** Hop in samples. Default 512. */
  hopLength?: number;
  /** Centre padding of the STFT. Default `'constant'` (librosa ≥ 0.9; the authors' librosa used `'reflect'`). */
  padMode?: PadMode;
}

/** The network input of one clip: one time-major matrix per scale. */
export interface JynetFeatures {
  /**
   * One Float32Array per scale, `[frames × nMels]` row-major **time-major**
   * (row = frame, column = mel band): exactly the JYnet input `[1, 1, 911, 128]`
   * and the tagger's per-branch input `[frames, nMels]`. (librosa's mel is
   * mel-major; this is its transpose.)
   */
  inputs: Float32Array[];
  /** `[frames, nMels]`, the shape of every entry of `inputs`. */
  shape: [number, number];
  /** FFT length of each entry of `inputs`. */
  nFfts: number[];
  /** Frames the STFT produced before padding / cropping (same for every scale). */
  sourceFrames: number;
  /** The standardisation applied. */
  standardize: JynetStandardize;
}

function checkStats(stats: JynetStandardizer | undefined, scales: number, nMels: number): JynetStandardizer {
  if (!stats || !Array.isArray(stats.mean) || !Array.isArray(stats.std)) {
    throw new HitrankError('E_MISSING_DATA', "standardize: 'shipped' needs shippedStats = { mean: Float32Array[], std: Float32Array[] } (one [nMels] vector per scale).");
  }
  for (const key of ['mean', 'std'] as const) {
    const list = stats[key];
    if (list.length !== scales) {
      throw new HitrankError('E_SHAPE', `shippedStats.${key} has ${list.length} vectors, expected one per scale (${scales}).`);
    }
    list.forEach((v, i) => {
      if (!v || v.length !== nMels) {
        throw new HitrankError('E_SHAPE', `shippedStats.${key}[${i}] has ${v?.length} values, expected nMels = ${nMels}.`);
      }
      assertFinite(v, `shippedStats.${key}[${i}] values`);
      if (key === 'std') {
        for (let m = 0; m < nMels; m++) {
          if (!(v[m] > 0)) throw new HitrankError('E_PARAM', `shippedStats.std[${i}][${m}] is ${v[m]}; standard deviations must be > 0.`);
        }
      }
    });
  }
  return stats;
}

/**
 * JYnet's input features of a 16-kHz clip (the {@link JYNET_FEATURES}
 * preset): for every n_fft, `melSpectrogram(y, { sampleRate: 16000, nFft,
 * hopLength: 512, nMels: 128 })` (librosa 0.10 defaults: Hann, `center`,
 * zero padding), `X = log(1 + 10000·S)` in float32 as numpy does, transposed
 * to time-major, zero frames appended / cropped to the first 911 frames, then
 * standardised per mel bin (`standardize`, default `'self'`, like sklearn's
 * `StandardScaler().fit_transform(X)` on the clip; statistics in float64).
 *
 * The Python equivalent, per scale:
 * `np.log(1 + 10000 * librosa.feature.melspectrogram(y=y, sr=16000, n_fft=n, hop_length=512, n_mels=128)).T`
 * then pad/crop to 911 rows and `(X - mean) / std`.
 *
 * @param y16k - mono PCM at 16 kHz (resample first, e.g. with {@link jynetFeaturesFrom22k}).
 * @param opts - {@link JynetFeaturesOptions}.
 * @returns the six time-major inputs `[911 × 128]` ({@link JynetFeatures}).
 * @throws HitrankError `E_EMPTY` / `E_NAN` for bad audio, `E_PARAM` for bad
 *   options, `E_MISSING_DATA` / `E_SHAPE` for missing or mis-sized `shippedStats`.
 * @example
 * ```ts
 * const { inputs } = jynetFeatures(y16k);               // 6 × Float32Array(911 · 128)
 * const shipped = jynetFeatures(y16k, { standardize: 'shipped', shippedStats });
 * ```
 */
export function jynetFeatures(y16k: ArrayLike<number>, opts: JynetFeaturesOptions = {}): JynetFeatures {
  const y = checkSignal(y16k);
  const nFfts = [...(opts.nFfts ?? JYNET_FEATURES.nFfts)];
  const frames = opts.frames ?? JYNET_FEATURES.frames;
  const nMels = opts.nMels ?? JYNET_FEATURES.nMels;
  const hopLength = opts.hopLength ?? JYNET_FEATURES.hopLength;
  const padMode = opts.padMode ?? JYNET_FEATURES.padMode;
  const standardize = opts.standardize ?? 'self';
  if (nFfts.length < 1) throw new HitrankError('E_PARAM', 'nFfts must list at least one FFT length.');
  nFfts.forEach((n, i) => assertInteger(n, `nFfts[${i}]`, 2));
  assertInteger(frames, 'frames', 1);
  assertInteger(nMels, 'nMels', 1);
  assertInteger(hopLength, 'hopLength', 1);
  if (standardize !== 'self' && standardize !== 'shipped' && standardize !== 'none') {
    throw new HitrankError('E_PARAM', `standardize must be 'self', 'shipped' or 'none', got '${String(standardize)}'.`);
  }
  const stats = standardize === 'shipped' ? checkStats(opts.shippedStats, nFfts.length, nMels) : null;

  let sourceFrames = 0;
  const inputs = nFfts.map((nFft, s) => {
    const S = melSpectrogram(y, { sampleRate: JYNET_FEATURES.sampleRate, nFft, hopLength, nMels, padMode });
    const [, tSrc] = S.shape;
    sourceFrames = tSrc;
    const keep = Math.min(tSrc, frames);
    const X = new Float32Array(frames * nMels); // time-major, zero frames at the end
    for (let m = 0; m < nMels; m++) {
      const row = S.data.subarray(m * tSrc, m * tSrc + keep);
      for (let t = 0; t < keep; t++) {
        // float32 at each step, as numpy evaluates log(1 + 10000 * S) on float32
        X[t * nMels + m] = Math.fround(Math.log(Math.fround(1 + Math.fround(10000 * row[t]))));
      }
    }
    if (standardize === 'none') return X;
    const mean = new Float64Array(nMels);
    const std = new Float64Array(nMels);
    if (stats) {
      for (let m = 0; m < nMels; m++) {
        mean[m] = stats.mean[s][m];
        std[m] = stats.std[s][m];
      }
    } else {
      for (let t = 0; t < frames; t++) for (let m = 0; m < nMels; m++) mean[m] += X[t * nMels + m];
      for (let m = 0; m < nMels; m++) mean[m] /= frames;
      for (let t = 0; t < frames; t++) {
        for (let m = 0; m < nMels; m++) {
          const d = X[t * nMels + m] - mean[m];
          std[m] += d * d;
        }
      }
      for (let m = 0; m < nMels; m++) {
        const sd = Math.sqrt(std[m] / frames);
        std[m] = sd === 0 ? 1 : sd;
      }
    }
    for (let t = 0; t < frames; t++) {
      for (let m = 0; m < nMels; m++) {
        const i = t * nMels + m;
        X[i] = (X[i] - mean[m]) / std[m];
      }
    }
    return X;
  });
  return { inputs, shape: [frames, nMels], nFfts, sourceFrames, standardize };
}

/**
 * {@link jynetFeatures} of a 22050-Hz clip: resamples to 16 kHz with
 * `resample(y, { from: 22050, to: 16000, quality: 'scipy' })` —
 * `scipy.signal.resample_poly(y, 320, 441)`, the front end of the reference
 * fixtures (the authors used `librosa.load(sr=16000)`, resampy in 2016) —
 * then computes the features.
 *
 * @param y22 - mono PCM at 22050 Hz.
 * @param opts - {@link JynetFeaturesOptions}.
 * @returns the six time-major inputs ({@link JynetFeatures}).
 * @throws HitrankError as {@link jynetFeatures}.
 * @example
 * ```ts
 * const feats = jynetFeaturesFrom22k(midSegment(song).samples);
 * ```
 */
export function jynetFeaturesFrom22k(y22: ArrayLike<number>, opts: JynetFeaturesOptions = {}): JynetFeatures {
  return jynetFeatures(resample(y22, { from: 22050, to: JYNET_FEATURES.sampleRate, quality: 'scipy' }), opts);
}
