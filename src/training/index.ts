/**
 * hitrank/training — the Siamese hit model of the paper: fit with pair
 * sampling, validation-driven learning-rate decay and early stopping, predict,
 * evaluate with the paper's @10 % protocol, save and load through `tf.io`.
 *
 * @module hitrank/training
 */
export {
  SiameseHitModel,
  type SiameseHitModelOptions,
  type FitOptions,
  type FitHistory,
  type EpochLog,
  type ModelStore,
  type ResolvedSiameseHitModelOptions,
} from './siameseHitModel.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, checkModelCard, type ModelCard } from './modelCard.js';
export { standardizeMelsInPlace, type Standardizer } from './standardizer.js';
export {
  type StepExecutor,
  type StepLoss,
  type StepLossSpec,
  type TrainingBatch,
  type TrainingContext,
} from './stepExecutor.js';
export { type ScorerConfig } from './scorer.js';
export {
  crossValidate,
  tune,
  type CrossValidateOptions,
  type CrossValidationResult,
  type ExperimentConfig,
  type ExperimentFitOptions,
  type HyperParams,
  type HyperParamGrid,
  type FoldResult,
  type MetricSummary,
  type TuneOptions,
  type TuneResult,
  type TuneTrial,
} from './crossValidate.js';
export { prepareSongs, type PrepareSongsOptions, type PreparedSongs } from './prepareSongs.js';
