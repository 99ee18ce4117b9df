/**
 * The 30-s window with the most attention.
 *
 * @module
 */
import { HitrankError, assertFinite, assertInteger } from '../errors.js';

/** Options of {@link selectHighlight}. */
export interface SelectHighlightOptions {
  /** Window length in whole seconds. Default 30 (the paper's HL-30). */
  length?: number;
}

/** A window of a song, in whole seconds. */
export interface HighlightWindow {
  /** First second of the window. */
  start: number;
  /** One past the last second, `[start, end)`; `end − start = length` unless {@link HighlightWindow.wholeSong}. */
  end: number;
  /** Sum of the per-second scores inside the window. */
  score: number;
  /** `true` when the song is not longer than the window (`seconds ≤ length`): the whole song is the window. */
  wholeSong: boolean;
}

/**
 * Picks the highlight from per-second scores: the start `k ∈ [0, d − L]`
 * maximising `score[k] + … + score[k + L − 1]` (`d` = number of seconds,
 * `L` = `length`), ties to the **earliest** start (sums within 1e-9 of the
 * scores' total magnitude count as ties). A song of `d ≤ L` seconds is
 * returned whole, `[0, d)`, with `wholeSong: true`.
 *
 * This is the selection of remyhuang/pop-music-highlighter `main.py` without
 * its off-by-one (its first window sums L + 1 seconds, which favours start
 * 0) and without its failure on songs of at most L seconds; the HL-30
 * extractor behind the seed paper also skipped the last valid start, which
 * this does not. (numpy: `np.argmax(np.convolve(score, np.ones(L), 'valid'))`.)
 *
 * @param perSecondScores - one score per second, finite (e.g. from `attentionScores`).
 * @param options - see {@link SelectHighlightOptions}.
 * @returns the {@link HighlightWindow}.
 * @throws HitrankError `E_EMPTY` for no scores, `E_NAN` for non-finite ones, `E_PARAM` for a bad length.
 * @example
 * ```ts
 * selectHighlight(scores, { length: 30 }); // { start: 62, end: 92, score: 24.1, wholeSong: false }
 * ```
 */
export function selectHighlight(perSecondScores: ArrayLike<number>, options: SelectHighlightOptions = {}): HighlightWindow {
  if (!perSecondScores || typeof perSecondScores.length !== 'number') {
    throw new HitrankError('E_PARAM', 'perSecondScores must be an array of numbers (one per second).');
  }
  const d = perSecondScores.length;
  if (d === 0) throw new HitrankError('E_EMPTY', 'perSecondScores is empty; expected one score per second of the song.');
  assertFinite(perSecondScores, 'perSecondScores');
  const length = options.length ?? 30;
  assertInteger(length, 'length', 1, 1e7);
  const prefix = new Float64Array(d + 1);
  let magnitude = 0;
  for (let i = 0; i < d; i++) {
    prefix[i + 1] = prefix[i] + perSecondScores[i];
    magnitude += Math.abs(perSecondScores[i]);
  }
  if (d <= length) return { start: 0, end: d, score: prefix[d], wholeSong: true };
  const tol = 1e-9 * magnitude;
  let start = 0;
  let best = prefix[length];
  for (let k = 1; k + length <= d; k++) {
    const s = prefix[k + length] - prefix[k];
    if (s > best + tol) {
      best = s;
      start = k;
    }
  }
  return { start, end: start + length, score: best, wholeSong: false };
}
