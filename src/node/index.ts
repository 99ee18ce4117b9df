/**
 * hitrank/node — Node-only helpers: audio decoding (WAV, MP3, FLAC, Ogg
 * Vorbis) and WAV encoding, atomic file writes, dataset manifests and play
 * logs from disk, parallel cached feature extraction, an atomic `tf.io` file
 * handler for models, a progress bar, and the synthetic demo dataset.
 *
 * @module hitrank/node
 */
// The browser-safe decoders of hitrank/audio, re-exported for Node users.
export * from '../audio/index.js';
export { loadAudio, type LoadAudioOptions } from './loadAudio.js';
export { enableRelaxedSimd } from './relaxedSimd.js';
export { writeFileAtomic } from './writeFileAtomic.js';
export {
  readManifest,
  writeManifest,
  DataFileError,
  type Manifest,
  type ManifestProblem,
  type ReadManifestOptions,
  type WriteManifestOptions,
} from './manifest.js';
export { readPlayLogs, readReleases, hitScoresFromPlayLogFiles, type ReadPlayLogsOptions } from './playLogs.js';
export {
  FEATURE_FILE_MAGIC,
  FEATURE_FILE_VERSION,
  FEATURE_FILE_HEADER_BYTES,
  featureSpecJson,
  featureCacheKey,
  featureCachePath,
  encodeFeatureFile,
  decodeFeatureFile,
  readCachedFeatures,
  writeCachedFeatures,
  removeStaleTempFiles,
  type SegmentChoice,
  type FeatureSpec,
  type CachedFeatures,
  type CacheLookup,
} from './featureCache.js';
export {
  extractFeatures,
  extractHighlighterFeatures,
  type ExtractFeaturesOptions,
  type ExtractFeaturesResult,
  type ExtractHighlighterFeaturesOptions,
  type HighlighterFeaturesResult,
  type ExtractedSong,
  type ExtractProgress,
  type ExtractStats,
  type FeatureFailure,
} from './extractFeatures.js';
export { streamFeatures, type FeatureBatch, type FeatureStream, type StreamedSong, type StreamFeaturesOptions } from './streamFeatures.js';
export { fileHandler, type FileHandlerOptions } from './fileHandler.js';
export {
  saveHighlighter,
  loadHighlighter,
  readHighlighterInfo,
  HIGHLIGHTER_CARD_FORMAT,
  type HighlighterCard,
  type SavedHighlighterInfo,
  type LoadedHighlighter,
} from './savedHighlighter.js';
export { startTfjsBackend, currentTfjsBackend, TFJS_BACKEND_MODULES } from './tfjsBackend.js';
export { createProgress, formatProgress, formatDuration, type Progress, type ProgressOptions, type ProgressStream } from './progress.js';
export {
  synthesizeDemoDataset,
  writeDemoDataset,
  DEMO_DESCRIPTOR_NAMES,
  type DemoDataOptions,
  type ResolvedDemoDataOptions,
  type DemoDataset,
  type DemoSong,
  type WrittenDemoDataset,
} from './demoData.js';
export {
  parallelTrainingExecutor,
  fitParallel,
  defaultTrainingWorkers,
  type ParallelTrainingOptions,
  type ParallelTrainingExecutor,
  type ParallelTrainingStats,
  type FitParallelOptions,
} from './parallelTraining.js';
export { renderReport } from './report.js';
export type * from './reportTypes.js';
