/**
 * HL-30 and Mid-30: the two ways the paper cuts a 30-s segment from a song (§2.5).
 *
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import { checkSignal } from '../dsp/stft.js';
import type { Segment } from '../dsp/midSegment.js';
import { midSegment } from '../dsp/midSegment.js';
import type { Highlighter } from '../models/highlighter/index.js';
import { attentionScores, wholeSeconds, type AttentionScoreOptions } from './attentionScores.js';
import { selectHighlight } from './selectHighlight.js';

/** Options of {@link extractHighlight}, {@link extractHighlights} and {@link midThirty}. */
export interface ExtractHighlightOptions extends AttentionScoreOptions {
  /** Segment length in whole seconds. Default 30. */
  length?: number;
}

/** A 30-s segment cut from a song, with where it came from. */
export interface Highlight extends Segment {
  /** The segment: exactly `length · sampleRate` samples at the input's rate (zero-padded at the end when the song is shorter). */
  samples: Float32Array;
  /** First second of the segment in the song (a whole second for HL-30; Mid-30's may be fractional). */
  startSecond: number;
  /** One past the last second, `[startSecond, endSecond)`. */
  endSecond: number;
  /** `true` when the song is not longer than `length` seconds, so the whole song (its first `length` s) is the segment. */
  wholeSong: boolean;
  /** Per-second attention scores behind the choice, or `null` when no model ran (Mid-30, or a song returned whole). */
  scores: Float32Array | null;
}

function cut(y: Float32Array, startSecond: number, length: number, rate: number): Segment {
  const L = length * rate;
  const start = startSecond * rate;
  const end = Math.min(y.length, start + L);
  const samples = new Float32Array(L);
  samples.set(y.subarray(start, end));
  return { samples, start, end, padded: end - start < L };
}

/**
 * The paper's **HL-30** segment (§2.5): the 30 s of a song where a trained
 * highlighter attends most — {@link attentionScores}, then
 * {@link selectHighlight} (earliest best window), then that window cut from
 * the audio at its own sampling rate. A song of at most `length` whole
 * seconds is returned whole (its first `length` s, zero-padded at the end)
 * with `wholeSong: true`, without running the model. The original wrote the
 * clip as 128 kbps MP3 before computing the hit model's features; this
 * returns the PCM as it is.
 *
 * @param audio - mono PCM samples.
 * @param model - a trained {@link Highlighter}.
 * @param options - see {@link ExtractHighlightOptions}.
 * @returns the {@link Highlight}: samples plus `[start, end)` in samples and seconds.
 * @throws HitrankError `E_NAN`/`E_EMPTY` for bad audio, `E_PARAM` for bad options.
 * @example
 * ```ts
 * const hl30 = extractHighlight(pcm, highlighter);    // 661 500 samples at 22050 Hz
 * const mel = logMel(hl30.samples);                    // the hit model's input
 * ```
 */
export function extractHighlight(audio: ArrayLike<number>, model: Highlighter, options: ExtractHighlightOptions = {}): Highlight {
  const y = checkSignal(audio);
  const rate = options.sampleRate ?? model.config.features.sampleRate;
  assertInteger(rate, 'sampleRate', 1, 1e7);
  const length = options.length ?? 30;
  assertInteger(length, 'length', 1, 1e6);
  const seconds = wholeSeconds(y.length, rate, options.seconds);
  if (seconds <= length) {
    return { ...cut(y, 0, length, rate), startSecond: 0, endSecond: Math.min(seconds, length), wholeSong: true, scores: null };
  }
  const scores = attentionScores(model, y, { ...options, sampleRate: rate });
  const w = selectHighlight(scores, { length });
  return { ...cut(y, w.start, length, rate), startSecond: w.start, endSecond: w.end, wholeSong: false, scores };
}

/**
 * {@link extractHighlight} for many songs, one after the other (each song is
 * its own batch: its chunks share batch statistics and the softmax), with no
 * tensors left behind.
 *
 * @param songs - mono PCM signals, all at `options.sampleRate`.
 * @param model - a trained {@link Highlighter}.
 * @param options - see {@link ExtractHighlightOptions}.
 * @returns one {@link Highlight} per song.
 */
export function extractHighlights(songs: ArrayLike<number>[], model: Highlighter, options: ExtractHighlightOptions = {}): Highlight[] {
  if (!Array.isArray(songs)) throw new HitrankError('E_PARAM', 'songs must be an array of PCM signals.');
  return songs.map((y) => extractHighlight(y, model, options));
}

/**
 * The paper's **Mid-30** segment (§2.5) as a {@link Highlight}: `midSegment`
 * of hitrank/dsp (the middle `length` seconds; shorter songs zero-padded at
 * the end), so Mid-30 and HL-30 are interchangeable.
 *
 * @param audio - mono PCM samples.
 * @param options - `sampleRate` (default 22050) and `length` (default 30).
 * @returns the {@link Highlight} (`scores: null`).
 */
export function midThirty(audio: ArrayLike<number>, options: Pick<ExtractHighlightOptions, 'sampleRate' | 'length'> = {}): Highlight {
  const rate = options.sampleRate ?? 22050;
  const length = options.length ?? 30;
  assertInteger(rate, 'sampleRate', 1, 1e7);
  assertInteger(length, 'length', 1, 1e6);
  const y = checkSignal(audio);
  const seg = midSegment(y, { sampleRate: rate, seconds: length });
  return {
    ...seg,
    startSecond: seg.start / rate,
    endSecond: seg.end / rate,
    wholeSong: Math.floor(y.length / rate) <= length,
    scores: null,
  };
}

/** Options of {@link cutSegments}. */
export interface CutSegmentsOptions extends ExtractHighlightOptions {
  /** `'mid30'` (the middle of the song) or `'hl30'` (the highlighter's choice; needs `highlighter`). */
  segment: 'mid30' | 'hl30';
  /** The trained highlighter, for `'hl30'`. */
  highlighter?: Highlighter;
}

/**
 * Cuts the paper's fixed-length segment from every song, by name — the
 * switch between Table 1's Mid-30 and HL-30 rows.
 *
 * @param songs - mono PCM signals at `options.sampleRate` (default: the highlighter's, else 22050).
 * @param options - see {@link CutSegmentsOptions}.
 * @returns one {@link Highlight} per song.
 * @throws HitrankError `E_PARAM` for an unknown segment or `'hl30'` without a highlighter.
 */
export function cutSegments(songs: ArrayLike<number>[], options: CutSegmentsOptions): Highlight[] {
  const { segment, highlighter, ...rest } = options;
  if (segment === 'mid30') return songs.map((y) => midThirty(y, rest));
  if (segment !== 'hl30') throw new HitrankError('E_PARAM', `segment must be 'mid30' or 'hl30', got '${String(segment)}'.`);
  if (!highlighter) throw new HitrankError('E_PARAM', "segment 'hl30' needs a trained highlighter (options.highlighter).");
  return extractHighlights(songs, highlighter, rest);
}
