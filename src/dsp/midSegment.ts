import { assertInRange, HitrankError } from '../errors.js';
import { checkSignal } from './stft.js';
import type { Spectrogram } from './types.js';

/** Options of {@link midSegment}. */
export interface MidSegmentOptions {
  /** Sampling rate of `y` in Hz. Default `22050`. */
  sampleRate?: number;
  /** Segment length in seconds. Default `30` (the paper's Mid-30, §2.5). */
  seconds?: number;
}

/** A segment cut from a longer signal. */
export interface Segment {
  /** The segment, exactly `round(seconds · sampleRate)` samples. */
  samples: Float32Array;
  /** First sample of the segment in the original signal. */
  start: number;
  /** One past the last original sample included (`end − start` < length when padded). */
  end: number;
  /** `true` when the signal was shorter than the segment and was zero-padded at the end. */
  padded: boolean;
}

/**
 * The paper's **Mid-30** segment (§2.5): the middle `seconds` of a song,
 * starting at sample `floor((n − L) / 2)` where `L = round(seconds · sampleRate)`.
 * A clip shorter than `L` is returned whole, zero-padded at the end to `L`
 * samples, with `padded: true` (a documented choice; the paper does not say).
 *
 * @param signal - mono PCM samples.
 * @param opts - {@link MidSegmentOptions}; defaults 22050 Hz, 30 s.
 * @returns the {@link Segment}.
 * @example
 * ```ts
 * const { samples, start } = midSegment(song, { sampleRate: 22050 }); // 661 500 samples
 * ```
 */
export function midSegment(signal: ArrayLike<number>, opts: MidSegmentOptions = {}): Segment {
  const y = checkSignal(signal);
  const sampleRate = opts.sampleRate ?? 22050;
  const seconds = opts.seconds ?? 30;
  assertInRange(sampleRate, 'sampleRate', 1, 1e7);
  assertInRange(seconds, 'seconds', Number.MIN_VALUE, 1e6);
  const L = Math.round(seconds * sampleRate);
  if (L < 1) throw new HitrankError('E_PARAM', `segment of ${seconds} s at ${sampleRate} Hz has no samples.`);
  const n = y.length;
  const samples = new Float32Array(L);
  if (n >= L) {
    const { start } = middleRange(n, L);
    samples.set(y.subarray(start, start + L));
    return { samples, start, end: start + L, padded: false };
  }
  samples.set(y);
  return { samples, start: 0, end: n, padded: true };
}

/**
 * Where {@link midSegment} cuts `length` samples from `n` (`n ≥ length`):
 * start `⌊(n − length) / 2⌋`. Shared with code that computes only that part.
 *
 * @param n - samples in the signal.
 * @param length - samples in the segment.
 * @returns the range.
 * @internal
 */
export function middleRange(n: number, length: number): { start: number; length: number } {
  return { start: Math.floor((n - length) / 2), length };
}

/** Result of {@link midFrames}. */
export interface MidFramesResult {
  /** The kept columns, `[rows, frames]`. */
  spectrogram: Spectrogram;
  /** First kept column of the input. */
  start: number;
  /** `true` when the input had fewer columns and was zero-padded on the right. */
  padded: boolean;
}

/**
 * The middle `frames` columns of a spectrogram, starting at column
 * `floor((T − frames) / 2)`; a shorter spectrogram is zero-padded on the right
 * (what the authors' released hit model did: "middle 323 frames of the
 * whole-song mel").
 *
 * @param S - a spectrogram `[rows, T]`.
 * @param frames - how many columns to keep (≥ 1).
 * @returns the {@link MidFramesResult}.
 */
export function midFrames(S: Spectrogram, frames: number): MidFramesResult {
  if (!Number.isInteger(frames) || frames < 1) {
    throw new HitrankError('E_PARAM', `frames must be a positive integer, got ${frames}.`);
  }
  const [rows, T] = S.shape;
  const data = new Float32Array(rows * frames);
  const start = T >= frames ? Math.floor((T - frames) / 2) : 0;
  const take = Math.min(frames, T);
  for (let r = 0; r < rows; r++) {
    data.set(S.data.subarray(r * T + start, r * T + start + take), r * frames);
  }
  return { spectrogram: { data, shape: [rows, frames] }, start, padded: T < frames };
}
