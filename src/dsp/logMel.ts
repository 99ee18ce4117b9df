import { assertFinite, assertInRange, HitrankError } from '../errors.js';
import { MelEngine, type MelSpectrogramOptions } from './melSpectrogram.js';
import { midFrames } from './midSegment.js';
import { powerToDbInto } from './powerToDb.js';
import { resample } from './resample.js';
import { asSignal } from './stft.js';
import type { PadMode, Spectrogram, WindowName } from './types.js';

/** How {@link logMel} compresses the mel power. */
export type MelScaling = 'db' | 'log1p' | 'none';

/** A complete, named feature recipe: what a model was trained on. */
export interface FeaturePreset {
  /** Sampling rate the audio must have, in Hz. */
  sampleRate: number;
  /** FFT length. */
  nFft: number;
  /** Hop in samples. */
  hopLength: number;
  /** Analysis window. */
  window: WindowName;
  /** Centre frames on `t · hop`. */
  center: boolean;
  /** Padding for `center`. */
  padMode: PadMode;
  /** Number of mel bands. */
  nMels: number;
  /** Lowest mel edge in Hz. */
  fmin: number;
  /** Highest mel edge in Hz. */
  fmax: number;
  /** HTK mel scale instead of Slaney. */
  htk: boolean;
  /** Filterbank normalisation. */
  norm: 'slaney' | null;
  /** Magnitude exponent (2 = power). */
  power: number;
  /** Compression: `'db'` = `powerToDb`, `'log1p'` = `log(1 + log1pScale·S)`, `'none'`. */
  scale: MelScaling;
  /** `powerToDb` reference (used when `scale` is `'db'`). */
  ref: number;
  /** `powerToDb` floor. */
  amin: number;
  /** `powerToDb` dynamic range below the whole-array peak, or `null`. */
  topDb: number | null;
  /** Multiplier inside `log1p`. */
  log1pScale: number;
  /** When set, keep only the middle `frames` columns (zero-padded on the right). */
  frames: number | null;
}

const PAPER_PRESET: FeaturePreset = {
  sampleRate: 22050,
  nFft: 4096,
  hopLength: 2048,
  window: 'hamming',
  center: true,
  padMode: 'constant',
  nMels: 128,
  fmin: 0,
  fmax: 11025,
  htk: false,
  norm: 'slaney',
  power: 2,
  scale: 'db',
  ref: 1,
  amin: 1e-10,
  topDb: 80,
  log1pScale: 10000,
  frames: null,
};

/**
 * Built-in feature presets, like essentia.js ties an input extractor to a model.
 *
 * - `paper` — §2.5 of the paper: 22050 Hz, periodic Hamming 4096, hop 2048
 *   ("half-overlapping"), 128 Slaney mels, power 2, `powerToDb(ref 1, amin
 *   1e-10, topDb 80)`, `center` with librosa ≥ 0.9 zero padding.
 * - `hspCnn` — what the authors' released hit model (HSP_CNN `ret30`) was fed:
 *   librosa-default Hann window, reflect padding (librosa ≤ 0.8), raw power mel
 *   (no log), the middle 323 frames of the whole-song mel.
 */
export const FEATURE_PRESETS: Readonly<Record<'paper' | 'hspCnn', Readonly<FeaturePreset>>> = Object.freeze({
  paper: Object.freeze({ ...PAPER_PRESET }),
  hspCnn: Object.freeze({ ...PAPER_PRESET, window: 'hann', padMode: 'reflect', scale: 'none', frames: 323 } satisfies FeaturePreset),
});

/** Name of a built-in preset. */
export type FeaturePresetName = keyof typeof FEATURE_PRESETS;

/** Options of {@link logMel} and {@link LogMelExtractor}. */
export interface LogMelOptions extends Partial<FeaturePreset> {
  /** Start from this preset, then apply the other options. Default `'paper'`. */
  preset?: FeaturePresetName;
  /**
   * What to do when the audio's sample rate (passed to `compute` / `logMel`)
   * differs from the preset's: `false` (default) throws `E_SAMPLE_RATE`;
   * `true` resamples first with {@link resample}.
   */
  resample?: boolean;
}

/** @internal resolves a preset + overrides. */
export function resolveFeatures(opts: LogMelOptions = {}): FeaturePreset {
  const name = opts.preset ?? 'paper';
  const base = FEATURE_PRESETS[name];
  if (!base) {
    throw new HitrankError('E_PARAM', `unknown feature preset '${String(name)}'; expected one of ${Object.keys(FEATURE_PRESETS).join(', ')}.`);
  }
  const r: FeaturePreset = { ...base };
  for (const k of Object.keys(base) as (keyof FeaturePreset)[]) {
    if (opts[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = opts[k];
  }
  if (opts.sampleRate !== undefined && opts.fmax === undefined) r.fmax = opts.sampleRate / 2;
  assertInRange(r.sampleRate, 'sampleRate', 1, 1e7);
  if (r.scale !== 'db' && r.scale !== 'log1p' && r.scale !== 'none') {
    throw new HitrankError('E_PARAM', `scale must be 'db', 'log1p' or 'none', got '${String(r.scale)}'.`);
  }
  return r;
}

/**
 * A reusable log-mel front end: FFT plan, window, sparse filterbank and buffers
 * are built once, so extracting many songs costs only the arithmetic. This is the
 * batch API behind {@link logMel}.
 *
 * @example
 * ```ts
 * const fx = new LogMelExtractor();            // the paper's features
 * const mels = songs.map((pcm) => fx.compute(pcm, 22050));
 * ```
 */
export class LogMelExtractor {
  /** The resolved feature recipe. */
  readonly features: Readonly<FeaturePreset>;
  private readonly engine: MelEngine;
  private readonly autoResample: boolean;

  /**
   * @param opts - {@link LogMelOptions}; defaults to the `paper` preset.
   */
  constructor(opts: LogMelOptions = {}) {
    this.features = Object.freeze(resolveFeatures(opts));
    const f = this.features;
    const melOpts: MelSpectrogramOptions = {
      sampleRate: f.sampleRate,
      nFft: f.nFft,
      hopLength: f.hopLength,
      window: f.window,
      center: f.center,
      padMode: f.padMode,
      nMels: f.nMels,
      fmin: f.fmin,
      fmax: f.fmax,
      htk: f.htk,
      norm: f.norm,
      power: f.power,
    };
    this.engine = new MelEngine(melOpts);
    this.autoResample = opts.resample ?? false;
  }

  /** Number of frames the features of an `n`-sample signal have. */
  frames(n: number): number {
    return this.features.frames ?? this.engine.plan.frames(n);
  }

  /**
   * Features of one mono signal.
   *
   * @param signal - mono PCM samples, finite, at least one sample.
   * @param sampleRate - the signal's sampling rate in Hz; default: the preset's.
   * @returns `{ data, shape: [nMels, frames] }`, row-major (mel-major).
   * @throws HitrankError `E_SAMPLE_RATE` if `sampleRate` differs from the preset's
   *   and `resample` is off; `E_NAN`, `E_EMPTY`, `E_TOO_SHORT` for bad audio.
   */
  compute(signal: ArrayLike<number>, sampleRate: number = this.features.sampleRate): Spectrogram {
    // The samples' finiteness is checked by the mel engine from its output (see
    // MelEngine.compute), not by a scan up front.
    let y = asSignal(signal);
    const f = this.features;
    if (sampleRate !== f.sampleRate) {
      assertFinite(y, 'audio samples');
      if (!this.autoResample) {
        throw new HitrankError(
          'E_SAMPLE_RATE',
          `audio is at ${sampleRate} Hz but these features need ${f.sampleRate} Hz; ` +
            `resample first (resample(y, { from: ${sampleRate}, to: ${f.sampleRate} })) or pass { resample: true }.`,
        );
      }
      y = resample(y, { from: sampleRate, to: f.sampleRate });
    }
    let S = this.engine.compute(y);
    if (f.frames !== null) S = midFrames(S, f.frames).spectrogram;
    if (f.scale === 'db') {
      powerToDbInto(S.data, S.data, { ref: f.ref, amin: f.amin, topDb: f.topDb });
    } else if (f.scale === 'log1p') {
      const d = S.data;
      const c = f.log1pScale;
      for (let i = 0; i < d.length; i++) d[i] = Math.log1p(c * d[i]);
    }
    return S;
  }

  /**
   * Features of many signals with one set-up.
   *
   * @param signals - mono PCM signals.
   * @param sampleRate - their common sampling rate; default: the preset's.
   * @returns one spectrogram per signal.
   */
  computeBatch(signals: ArrayLike<number>[], sampleRate?: number): Spectrogram[] {
    return signals.map((y) => this.compute(y, sampleRate));
  }
}

const extractors = new Map<string, LogMelExtractor>();

/**
 * The paper's input features in one call (§2.5): 128-band log-mel spectrogram of
 * 22050 Hz audio, periodic Hamming window of 4096, hop 2048, power 2,
 * `powerToDb(ref 1, amin 1e-10, topDb 80)` — equal to
 * `librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=22050, n_fft=4096,
 * hop_length=2048, window='hamming', n_mels=128), ref=1.0, top_db=80)` with
 * librosa 0.10.2. Other recipes via `preset` (see {@link FEATURE_PRESETS}) or by
 * overriding single options (`scale: 'log1p'`, `padMode: 'reflect'`, …).
 *
 * @param y - mono PCM samples (use {@link toMono} for multi-channel audio).
 * @param opts - {@link LogMelOptions} plus the audio's `sampleRate` (default 22050).
 * @returns `{ data: Float32Array, shape: [nMels, frames] }`, row-major; a 30-s
 *   clip gives `[128, 323]`.
 * @throws HitrankError `E_SAMPLE_RATE` for audio at another rate (unless
 *   `resample: true`), `E_NAN` for non-finite samples, `E_EMPTY` for no samples.
 * @example
 * ```ts
 * const { data, shape } = logMel(pcm, { sampleRate: 22050 }); // shape [128, 323] for 30 s
 * ```
 */
export function logMel(y: ArrayLike<number>, opts: LogMelOptions & { sampleRate?: number } = {}): Spectrogram {
  const { sampleRate, ...rest } = opts;
  const key = JSON.stringify(rest, Object.keys(rest).sort());
  let fx = extractors.get(key);
  if (!fx) {
    fx = new LogMelExtractor(rest);
    if (extractors.size >= 16) extractors.delete(extractors.keys().next().value as string);
    extractors.set(key, fx);
  }
  return fx.compute(y, sampleRate ?? fx.features.sampleRate);
}
