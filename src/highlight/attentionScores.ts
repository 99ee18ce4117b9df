/**
 * Per-second highlight scores from a highlighter's attention.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError, assertInteger } from '../errors.js';
import { chunkMel, highlighterMel, type ChunkedMel } from '../dsp/highlighterFeatures.js';
import type { Spectrogram } from '../dsp/types.js';
import type { BnStatistics, Highlighter } from '../models/highlighter/index.js';

/** Options of {@link attentionScores} and {@link attentionScoresFromMel}. */
export interface AttentionScoreOptions {
  /** Sampling rate of the audio in Hz. Default: the model's feature rate (22050); other rates are resampled for the features. */
  sampleRate?: number;
  /** Chunk lengths (seconds) whose scores are summed. Default: the model's `scales` (`[3]`; `[1, 2, 3, 4]` for the recurrent variant). */
  scales?: number[];
  /** Batch-norm statistics for this call. Default: the model's `bnAtInference` (`'batch'`). */
  bnAtInference?: BnStatistics;
  /** Divide by the maximum, so scores lie in [0, 1] (as the original). Default `true`. */
  normalize?: boolean;
  /**
   * Whole seconds of the song. Default `⌊samples / sampleRate⌋`. When the
   * audio was resampled from a file at another rate, pass the count at the
   * file's rate, `⌊file samples / file rate⌋` — what `highlighterFeatures`
   * counts when a highlighter is trained, and what `extractFeatures` passes;
   * the two counts differ by one second on rare lengths. At most the default.
   */
  seconds?: number;
}

/**
 * {@link AttentionScoreOptions.seconds}, checked against the audio.
 *
 * @internal
 */
export function wholeSeconds(samples: number, rate: number, seconds: number | undefined): number {
  const own = Math.floor(samples / rate);
  if (seconds === undefined) return own;
  assertInteger(seconds, 'seconds', 0, own);
  return seconds;
}

/**
 * Expands chunk weights to one value per second, as the highlighter does:
 * each chunk's weight repeated `chunkSeconds` times, then zeros for the
 * `seconds − chunks·chunkSeconds` seconds no chunk covers.
 *
 * @param chunkWeights - one weight per chunk.
 * @param chunkSeconds - seconds per chunk.
 * @param seconds - whole seconds of the song (≥ chunks · chunkSeconds).
 * @returns `[seconds]` scores.
 * @throws HitrankError `E_SHAPE` when the chunks do not fit in `seconds`.
 */
export function perSecondScores(chunkWeights: ArrayLike<number>, chunkSeconds: number, seconds: number): Float32Array {
  assertInteger(chunkSeconds, 'chunkSeconds', 1, 3600);
  assertInteger(seconds, 'seconds', 0, 1e7);
  const n = chunkWeights.length;
  if (n * chunkSeconds > seconds) {
    throw new HitrankError('E_SHAPE', `${n} chunks of ${chunkSeconds} s do not fit in ${seconds} s.`);
  }
  const out = new Float32Array(seconds);
  for (let i = 0; i < n; i++) out.fill(chunkWeights[i], i * chunkSeconds, (i + 1) * chunkSeconds);
  return out;
}

/**
 * Attention weights of one song's chunks, as a plain array.
 *
 * @param model - the highlighter.
 * @param features - the song's chunks (`highlighterFeatures` / `chunkMel` of hitrank/dsp).
 * @param bnAtInference - batch-norm statistics; default the model's.
 * @returns `[chunks]` weights summing to 1.
 */
export function chunkAttention(model: Highlighter, features: ChunkedMel, bnAtInference?: BnStatistics): Float32Array {
  const x = tf.tensor3d(features.data, features.shape);
  try {
    const a = model.attention(x, bnAtInference === undefined ? {} : { bnAtInference });
    const out = a.dataSync() as Float32Array;
    a.dispose();
    return out;
  } finally {
    x.dispose();
  }
}

/**
 * {@link attentionScores} from a whole-song mel already computed with the
 * model's recipe (`highlighterMel(y, model.featureOptions())`), so several
 * scales or models share one mel.
 *
 * @param model - the highlighter.
 * @param mel - the whole-song mel `[nMels, T]`.
 * @param seconds - whole seconds of the song.
 * @param options - see {@link AttentionScoreOptions} (`sampleRate` is ignored).
 * @returns `[seconds]` scores.
 * @throws HitrankError `E_TOO_SHORT` when no scale has a whole chunk, `E_SHAPE` for a mel of the wrong height.
 */
export function attentionScoresFromMel(model: Highlighter, mel: Spectrogram, seconds: number, options: AttentionScoreOptions = {}): Float32Array {
  const cfg = model.config;
  if (mel.shape[0] !== cfg.nMels) {
    throw new HitrankError('E_SHAPE', `the mel has ${mel.shape[0]} bands; this highlighter takes ${cfg.nMels}.`);
  }
  const scales = options.scales ?? cfg.scales;
  if (!Array.isArray(scales) || scales.length === 0) throw new HitrankError('E_PARAM', `scales must list chunk lengths in seconds, got ${JSON.stringify(scales)}.`);
  scales.forEach((s, i) => assertInteger(s, `scales[${i}]`, 1, 3600));
  const total = new Float32Array(seconds);
  let used = 0;
  for (const s of scales) {
    if (Math.floor(seconds / s) < 1) continue;
    const w = chunkAttention(model, chunkMel(mel, seconds, s), options.bnAtInference);
    const p = perSecondScores(w, s, seconds);
    for (let i = 0; i < seconds; i++) total[i] += p[i];
    used++;
  }
  if (used === 0) {
    throw new HitrankError('E_TOO_SHORT', `a ${seconds}-s song is shorter than the shortest chunk (${Math.min(...scales)} s); nothing to score.`);
  }
  if (options.normalize ?? true) {
    let max = 0;
    for (let i = 0; i < seconds; i++) max = Math.max(max, total[i]);
    if (max > 0) for (let i = 0; i < seconds; i++) total[i] /= max;
  }
  return total;
}

/**
 * Per-second highlight scores of a song (remyhuang/pop-music-highlighter
 * `main.py`; ref. [13]'s HL-30 extractor): the whole-song log1p mel, cut into
 * chunks; the attention weight of each chunk repeated over its seconds
 * (zeros for the leftover seconds at the end); for several chunk lengths
 * (`scales`, the recurrent model's 1/2/3/4 s) the per-second scores summed;
 * then divided by the maximum.
 *
 * @param model - a trained {@link Highlighter}.
 * @param audio - mono PCM samples.
 * @param options - see {@link AttentionScoreOptions}.
 * @returns one score per whole second, `⌊samples / sampleRate⌋` values in [0, 1].
 * @throws HitrankError `E_TOO_SHORT` for songs shorter than one chunk, `E_NAN`/`E_EMPTY` for bad audio.
 * @example
 * ```ts
 * const scores = attentionScores(hl, pcm);          // Float32Array, one per second
 * const { start, end } = selectHighlight(scores);  // the 30-s highlight, in seconds
 * ```
 */
export function attentionScores(model: Highlighter, audio: ArrayLike<number>, options: AttentionScoreOptions = {}): Float32Array {
  const rate = options.sampleRate ?? model.config.features.sampleRate;
  assertInteger(rate, 'sampleRate', 1, 1e7);
  const seconds = wholeSeconds(audio.length, rate, options.seconds);
  const mel = highlighterMel(audio, { ...model.featureOptions(), inputSampleRate: rate });
  return attentionScoresFromMel(model, mel, seconds, options);
}
