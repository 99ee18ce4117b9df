/**
 * The input features of the music highlighter of Huang et al. (ref. [13] of
 * Yu et al. 2018; the "HL-30" segment of §2.5): a whole-song log1p mel cut
 * into consecutive 3-second chunks.
 *
 * @module
 */
import { HitrankError, assertInRange, assertInteger } from '../errors.js';
import { LogMelExtractor, type FeaturePreset } from './logMel.js';
import type { PadMode, Spectrogram } from './types.js';

/**
 * The highlighter's feature recipe (remyhuang/pop-music-highlighter `lib.py`,
 * and the `audio_read` of the HL-30 extractor the seed paper's authors
 * released): 22050 Hz, librosa-default Hann window of 2048, hop 512, 128
 * Slaney mels, power 2, `log(1 + 10000·S)`, centred frames with reflect
 * padding (librosa 0.5's default, which the original used; librosa ≥ 0.9
 * pads with zeros — `padMode: 'constant'`).
 */
export const HIGHLIGHTER_PRESET: Readonly<FeaturePreset> = Object.freeze({
  sampleRate: 22050,
  nFft: 2048,
  hopLength: 512,
  window: 'hann',
  center: true,
  padMode: 'reflect',
  nMels: 128,
  fmin: 0,
  fmax: 11025,
  htk: false,
  norm: 'slaney',
  power: 2,
  scale: 'log1p',
  ref: 1,
  amin: 1e-10,
  topDb: 80,
  log1pScale: 10000,
  frames: null,
} satisfies FeaturePreset);

/** Options of {@link highlighterMel} and {@link highlighterFeatures}; defaults are {@link HIGHLIGHTER_PRESET}'s. */
export interface HighlighterFeatureOptions {
  /** Sampling rate the features are computed at, in Hz. Default 22050. */
  sampleRate?: number;
  /** FFT length. Default 2048. */
  nFft?: number;
  /** Hop in samples. Default 512. */
  hopLength?: number;
  /** Mel bands. Default 128. */
  nMels?: number;
  /** Highest mel edge in Hz. Default `sampleRate / 2`. */
  fmax?: number;
  /** Padding of the centred frames: `'reflect'` (default, librosa 0.5 as the original) or `'constant'`. */
  padMode?: PadMode;
  /** Multiplier inside the log: `log(1 + log1pScale · S)`. Default 10000. */
  log1pScale?: number;
  /** Chunk length in whole seconds. Default 3 (the attention model); the recurrent model also uses 1, 2 and 4. */
  chunkSeconds?: number;
  /**
   * Sampling rate of the audio passed in, in Hz. Default: `sampleRate`. When it
   * differs, the audio is resampled with `resample` (hitrank/dsp) first.
   */
  inputSampleRate?: number;
}

/** The chunked features a highlighter takes: one input example per chunk. */
export interface ChunkedMel {
  /** Values `[chunks × framesPerChunk × nMels]`, row-major: chunk, then frame, then mel band. */
  data: Float32Array;
  /** `[chunks, framesPerChunk, nMels]`. */
  shape: [number, number, number];
  /** Whole seconds of audio, `d = ⌊samples / sampleRate⌋`. */
  seconds: number;
  /** Chunk length in seconds; chunk `i` stands for seconds `[i·chunkSeconds, (i+1)·chunkSeconds)`. */
  chunkSeconds: number;
}

const mel = new Map<string, LogMelExtractor>();

/** @internal the resolved recipe of a set of options. */
export function resolveHighlighterFeatures(opts: HighlighterFeatureOptions = {}): FeaturePreset & { chunkSeconds: number } {
  const sampleRate = opts.sampleRate ?? HIGHLIGHTER_PRESET.sampleRate;
  assertInteger(sampleRate, 'sampleRate', 1, 1e7);
  const r = {
    ...HIGHLIGHTER_PRESET,
    sampleRate,
    nFft: opts.nFft ?? HIGHLIGHTER_PRESET.nFft,
    hopLength: opts.hopLength ?? HIGHLIGHTER_PRESET.hopLength,
    nMels: opts.nMels ?? HIGHLIGHTER_PRESET.nMels,
    fmax: opts.fmax ?? sampleRate / 2,
    padMode: opts.padMode ?? HIGHLIGHTER_PRESET.padMode,
    log1pScale: opts.log1pScale ?? HIGHLIGHTER_PRESET.log1pScale,
    chunkSeconds: opts.chunkSeconds ?? 3,
  };
  assertInteger(r.nFft, 'nFft', 2, 1 << 20);
  assertInteger(r.hopLength, 'hopLength', 1, 1 << 20);
  assertInteger(r.nMels, 'nMels', 1, 4096);
  assertInRange(r.fmax, 'fmax', 0, sampleRate / 2);
  assertInRange(r.log1pScale, 'log1pScale', 0, 1e12);
  assertInteger(r.chunkSeconds, 'chunkSeconds', 1, 3600);
  if (r.padMode !== 'reflect' && r.padMode !== 'constant') {
    throw new HitrankError('E_PARAM', `padMode must be 'reflect' or 'constant', got '${String(r.padMode)}'.`);
  }
  return r;
}

/**
 * The whole-song log1p mel of the highlighter, as `np.log(1 + 10000 *
 * librosa.feature.melspectrogram(y, sr=22050, n_fft=2048, hop_length=512,
 * n_mels=128))` (librosa 0.5 pads reflectively; set `padMode: 'constant'`
 * for librosa ≥ 0.9's zeros).
 *
 * @param y - mono PCM samples at `inputSampleRate` (default 22050 Hz).
 * @param opts - see {@link HighlighterFeatureOptions}.
 * @returns `{ data, shape: [nMels, frames] }`, mel-major, `frames = 1 + ⌊n / hop⌋`.
 * @throws HitrankError `E_NAN`, `E_EMPTY` for bad audio, `E_PARAM` for bad options.
 */
export function highlighterMel(y: ArrayLike<number>, opts: HighlighterFeatureOptions = {}): Spectrogram {
  const r = resolveHighlighterFeatures(opts);
  const { chunkSeconds: _c, ...preset } = r;
  const key = JSON.stringify(preset);
  let fx = mel.get(key);
  if (!fx) {
    fx = new LogMelExtractor({ ...preset, resample: true });
    if (mel.size >= 8) mel.delete(mel.keys().next().value as string);
    mel.set(key, fx);
  }
  return fx.compute(y, opts.inputSampleRate ?? r.sampleRate);
}

/**
 * Cuts a whole-song mel `[nMels, T]` into consecutive chunks as the
 * highlighter does: `n = ⌊seconds / chunkSeconds⌋` chunks of `⌊T / n⌋`
 * frames each, starting at frame 0, the leftover frames at the end dropped,
 * each chunk transposed to `[framesPerChunk, nMels]` (time-major, mel last).
 *
 * @param S - a whole-song mel `[nMels, T]` (e.g. from {@link highlighterMel}).
 * @param seconds - whole seconds of the song, `⌊samples / sampleRate⌋`.
 * @param chunkSeconds - chunk length in whole seconds. Default 3.
 * @returns the {@link ChunkedMel}.
 * @throws HitrankError `E_TOO_SHORT` when the song has less than one chunk.
 */
export function chunkMel(S: Spectrogram, seconds: number, chunkSeconds = 3): ChunkedMel {
  assertInteger(seconds, 'seconds', 0, 1e7);
  assertInteger(chunkSeconds, 'chunkSeconds', 1, 3600);
  const [nMels, T] = S.shape;
  const chunks = Math.floor(seconds / chunkSeconds);
  if (chunks < 1) {
    throw new HitrankError('E_TOO_SHORT', `a ${seconds}-s song has no ${chunkSeconds}-s chunk; the highlighter needs at least ${chunkSeconds} s of audio.`);
  }
  const fpc = Math.floor(T / chunks);
  if (fpc < 1) throw new HitrankError('E_TOO_SHORT', `${T} mel frames cannot be split into ${chunks} chunks.`);
  const data = new Float32Array(chunks * fpc * nMels);
  const src = S.data;
  for (let m = 0; m < nMels; m++) {
    const row = m * T;
    for (let t = 0; t < chunks * fpc; t++) data[t * nMels + m] = src[row + t];
  }
  return { data, shape: [chunks, fpc, nMels], seconds, chunkSeconds };
}

/**
 * The highlighter's model input for one song (remyhuang/pop-music-highlighter,
 * `main.py` + `lib.py`): the log1p mel of {@link highlighterMel}, cut by
 * {@link chunkMel} into `⌊d / 3⌋` consecutive 3-s chunks of `⌊T / chunks⌋`
 * (≈ 129) frames, `d` the song's whole seconds. A 4-minute song at the
 * defaults gives `[80, 129, 128]`.
 *
 * @param y - mono PCM samples at `inputSampleRate` (default 22050 Hz).
 * @param opts - see {@link HighlighterFeatureOptions}.
 * @returns the {@link ChunkedMel}.
 * @throws HitrankError `E_TOO_SHORT` for songs shorter than one chunk, `E_NAN`/`E_EMPTY` for bad audio.
 * @example
 * ```ts
 * const f = highlighterFeatures(pcm22k); // f.shape = [80, 129, 128] for 240 s
 * ```
 */
export function highlighterFeatures(y: ArrayLike<number>, opts: HighlighterFeatureOptions = {}): ChunkedMel {
  const r = resolveHighlighterFeatures(opts);
  const inRate = opts.inputSampleRate ?? r.sampleRate;
  const seconds = Math.floor(y.length / inRate);
  return chunkMel(highlighterMel(y, opts), seconds, r.chunkSeconds);
}
