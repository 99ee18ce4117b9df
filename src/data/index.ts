/**
 * hitrank/data — the dataset side of the paper: the hit score of §3 (daily
 * market share on day 60 after release) from play logs, the 10-fold
 * 8 : 1 : 1 cross-validation of §4, and the dataset / manifest types of
 * DESIGN.md §3–§4 with {@link validateDataset}.
 *
 * @module hitrank/data
 */
export type {
  CrossValidationFold,
  DateLike,
  HitDataset,
  HitScoreOptions,
  HitScoreResult,
  ManifestRow,
  MissingHitScore,
  MissingHitScoreReason,
  PlayLogColumns,
  PlayLogRow,
  ReleaseRow,
} from './types.js';
export { hitScoresFromPlayLogs } from './hitScores.js';
export { crossValidationFolds, type CrossValidationOptions } from './folds.js';
export { validateDataset, subsetDataset, type ValidateDatasetOptions } from './validateDataset.js';
