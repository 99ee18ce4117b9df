/**
 * Dataset, manifest and play-log types (DESIGN.md §3–§4).
 *
 * @module
 */

/**
 * The dataset every trainer and evaluator takes (DESIGN.md §3): one entry per
 * song, all arrays in the same song order. Check one with `validateDataset`.
 */
export interface HitDataset {
  /** Song ids, unique. */
  ids: string[];
  /** True hit scores on the original scale (daily market share on day 60); metrics use these. */
  hitScores: Float64Array;
  /** One or more artist names per song (needed by artist sampling). */
  artists?: string[][];
  /** One log-mel spectrogram per song, row-major `[nMels × frames]` (mel-major, as librosa). */
  mels?: Float32Array[];
  /** `[nMels, frames]` of every entry of `mels`. */
  melShape?: [number, number];
  /** g(x): per song, the 50 MagnaTagATune tag activations, or any fixed-length feature vector. */
  tags?: Float32Array[];
  /** Names of the tags/features (length = tag dimension), checked by name against a model. */
  tagNames?: string[];
}

/**
 * One row of a dataset manifest on disk (DESIGN.md §4, CSV or JSONL): the Node
 * layer reads these and turns them into a {@link HitDataset}.
 */
export interface ManifestRow {
  /** Song id (unique within the manifest). */
  id: string;
  /** Path of the audio file, relative to the manifest. */
  audio: string;
  /** Artist names (the manifest's `artist` column, split into one or more names). */
  artists: string[];
  /** True hit score (original scale, ≥ 0). */
  hitScore: number;
  /** Release date, ISO `YYYY-MM-DD` (optional). */
  releaseDate?: string;
  /** Tag activations / feature vector (optional; 50 floats for MTAT tags). */
  tags?: number[];
}

/** A calendar date: an ISO `YYYY-MM-DD` string (a UTC day) or a `Date` (its UTC day). */
export type DateLike = string | Date;

/** One row of a daily play log (DESIGN.md §4: `songId, date, plays`). */
export interface PlayLogRow {
  /** Song id. */
  songId: string;
  /** Day of the plays. */
  date: DateLike;
  /** Play count that day (finite, ≥ 0; may already be a share). */
  plays: number;
}

/** A play log in columns (same fields as {@link PlayLogRow}, one array each, equal lengths). */
export interface PlayLogColumns {
  /** Song id per row. */
  songId: ArrayLike<string>;
  /** Day per row. */
  date: ArrayLike<DateLike>;
  /** Play count per row. */
  plays: ArrayLike<number>;
}

/** One release record (DESIGN.md §4: `songId, releaseDate`). */
export interface ReleaseRow {
  /** Song id. */
  songId: string;
  /** Release day (day 0). */
  releaseDate: DateLike;
}

/** Options of `hitScoresFromPlayLogs`. */
export interface HitScoreOptions {
  /**
   * Days after release of the scored day (default 60, paper §3: "play-count on
   * the 60th day after the release"). The release day itself is day 0, so the
   * default scores the date `releaseDate + 60 days`.
   */
  day?: number;
  /**
   * What to do with a song that has no log row on its scored day while other
   * songs do: `'report'` (default) lists it in `missing` and leaves it out;
   * `'zero'` scores it 0 (treats "no row" as "no plays").
   */
  missingRows?: 'report' | 'zero';
}

/** Why a song got no hit score. */
export type MissingHitScoreReason =
  /** The log has plays that day, but no row for this song. */
  | 'no-row-for-song'
  /** The log has no plays at all on that day (outside the logged period, a gap, or a zero total). */
  | 'no-plays-logged-that-day';

/** A song `hitScoresFromPlayLogs` could not score. */
export interface MissingHitScore {
  /** The song id. */
  songId: string;
  /** Why. */
  reason: MissingHitScoreReason;
  /** The scored day (`releaseDate + day`), ISO `YYYY-MM-DD`. */
  targetDate: string;
}

/** Result of `hitScoresFromPlayLogs`. */
export interface HitScoreResult {
  /** Ids of the scored songs, in the order of the releases input. */
  ids: string[];
  /** Hit score per scored song: its plays on the target day ÷ all plays logged that day. */
  hitScores: Float64Array;
  /** The song's own plays on its target day (the numerator). */
  plays: Float64Array;
  /** Total plays of all songs in the log on that day (the denominator). */
  dayTotals: Float64Array;
  /** The target day per scored song, ISO `YYYY-MM-DD`. */
  targetDates: string[];
  /** Songs with a release date but no score, with the reason. */
  missing: MissingHitScore[];
}

/** One split of k-fold cross-validation: sorted, disjoint song indices. */
export interface CrossValidationFold {
  /** Fold number 0 … folds − 1 (= the part used as test set). */
  fold: number;
  /** Training songs (all parts except the test and validation parts). */
  train: Int32Array;
  /** Validation songs (part `(fold + 1) mod folds`). */
  validation: Int32Array;
  /** Test songs (part `fold`). */
  test: Int32Array;
}
