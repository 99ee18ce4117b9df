import { HitrankError } from '../errors.js';
import { LogMelExtractor, resample, type LogMelOptions } from '../dsp/index.js';
import { cutSegments, type Highlight } from '../highlight/index.js';
import { MTAT_TOP50, tagFeatures, type Highlighter, type Tagger } from '../models/index.js';

/** Options of {@link prepareSongs}. */
export interface PrepareSongsOptions {
  /** Sampling rate of the songs in Hz. Default `22050`. */
  sampleRate?: number;
  /** Which 30 s to use: `'mid30'` (default, the middle) or `'hl30'` (the highlighter's pick, §2.5). */
  segment?: 'mid30' | 'hl30';
  /** Segment length in seconds. Default `30`. */
  seconds?: number;
  /** The highlighter for `'hl30'` (see `trainHighlighter`). */
  highlighter?: Highlighter;
  /**
   * Tag source for the tag branch (g(x) of §2.4): a JYnet {@link Tagger}
   * (the segment is resampled to 16 kHz and tagged, 50 MTAT tags by name), or a
   * function of the segment's PCM returning any fixed-length feature vector.
   * Omit for an audio-only dataset.
   */
  tagger?: Tagger | ((segment: Float32Array, sampleRate: number) => Float32Array);
  /** Tag names to take from a {@link Tagger}. Default `MTAT_TOP50`. */
  tagNames?: readonly string[];
  /** Log-mel options (default: the paper's preset). */
  features?: LogMelOptions;
}

/** The features of songs for a `HitDataset`, with the segments they came from. */
export interface PreparedSongs {
  /** One log-mel per song, `[nMels × frames]` row-major. */
  mels: Float32Array[];
  /** `[nMels, frames]`. */
  melShape: [number, number];
  /** Tag / feature vectors, when a tagger was given. */
  tags?: Float32Array[];
  /** Their names, when known. */
  tagNames?: string[];
  /** The segment cut from each song (start / end sample, whether padded). */
  segments: Highlight[];
}

/**
 * Turns songs into model inputs the way Table 1's rows do: cut the Mid-30 or
 * HL-30 segment, compute the paper's log-mel, and optionally tag the segment
 * (JYnet tags or any feature function) for the tag branch. Spread the result
 * into a `HitDataset` with ids and hit scores.
 *
 * @param songs - mono PCM signals at `sampleRate`.
 * @param opts - {@link PrepareSongsOptions}.
 * @returns mels (+ tags) and the segments.
 * @example
 * ```ts
 * const prepared = prepareSongs(pcms, { segment: 'hl30', highlighter, tagger });
 * const train: HitDataset = { ids, hitScores, ...prepared };
 * ```
 */
export function prepareSongs(songs: ArrayLike<number>[], opts: PrepareSongsOptions = {}): PreparedSongs {
  if (!Array.isArray(songs) || songs.length === 0) throw new HitrankError('E_EMPTY', 'prepareSongs needs at least one song.');
  const sampleRate = opts.sampleRate ?? 22050;
  const segment = opts.segment ?? 'mid30';
  const segments = cutSegments(songs, { segment, highlighter: opts.highlighter, sampleRate, length: opts.seconds ?? 30 });
  const fx = new LogMelExtractor({ ...opts.features, resample: true });
  const mels: Float32Array[] = [];
  let melShape: [number, number] | null = null;
  for (const s of segments) {
    const m = fx.compute(s.samples, sampleRate);
    melShape ??= m.shape;
    mels.push(m.data);
  }
  const out: PreparedSongs = { mels, melShape: melShape!, segments };
  const tagger = opts.tagger;
  if (typeof tagger === 'function') {
    out.tags = segments.map((s) => tagger(s.samples, sampleRate));
  } else if (tagger) {
    const names = opts.tagNames ?? MTAT_TOP50;
    out.tags = segments.map((s) => tagFeatures(tagger, resample(s.samples, { from: sampleRate, to: 16000, quality: 'scipy' }), { tags: names }));
    out.tagNames = [...names];
  }
  return out;
}
