/**
 * The music highlighter of Huang et al. (ref. [13] of Yu et al. 2018) on
 * TensorFlow.js: the network, its layers, saving and loading. The functions
 * that turn its attention into a 30-s highlight live in hitrank/highlight.
 *
 * @module
 */
export { buildHighlighter, resolveHighlighterOptions } from './buildHighlighter.js';
export {
  Highlighter,
  HIGHLIGHTER_FORMAT,
  HIGHLIGHTER_FORMAT_VERSION,
  type HighlighterBatchOutputs,
  type HighlighterOutputs,
  type HighlighterStore,
} from './highlighter.js';
export type { HighlighterConfig, HighlighterFeatureRecipe, HighlighterOptions, HighlighterVariant } from './types.js';
export { ChunkBatchNorm, type BnStatistics, type ChunkBatchNormArgs } from './batchNorm.js';
export { StridedTimeConv, type StridedTimeConvArgs } from './stridedConvLayer.js';
export { stridedTimeConv, convPadding, type ConvPadding, type StridedTimeConvOptions } from './stridedTimeConv.js';
export { padTime } from './padTime.js';
export { positionalEncoding, ChunkPositionalEncoding } from './positionalEncoding.js';
export { AttentionPool, ChunkSoftmax, ChunksToSequence, SequenceToChunks } from './chunkLayers.js';
export { registerHighlighterLayers } from './register.js';
