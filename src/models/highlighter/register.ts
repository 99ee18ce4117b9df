/**
 * Registration of the highlighter's custom layers with tfjs serialization.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { ChunkBatchNorm } from './batchNorm.js';
import { AttentionPool, ChunkSoftmax, ChunksToSequence, SequenceToChunks } from './chunkLayers.js';
import { ChunkPositionalEncoding } from './positionalEncoding.js';
import { StridedTimeConv } from './stridedConvLayer.js';

/**
 * Registers the highlighter's layers ({@link StridedTimeConv},
 * {@link ChunkBatchNorm}, {@link ChunkPositionalEncoding}, {@link ChunkSoftmax},
 * {@link AttentionPool}, {@link ChunksToSequence}, {@link SequenceToChunks})
 * with `tf.serialization`, so saved highlighters load. The builder and
 * loader call it. Idempotent.
 */
export function registerHighlighterLayers(): void {
  for (const cls of [StridedTimeConv, ChunkBatchNorm, ChunkPositionalEncoding, ChunkSoftmax, AttentionPool, ChunksToSequence, SequenceToChunks]) {
    tf.serialization.registerClass(cls);
  }
}
