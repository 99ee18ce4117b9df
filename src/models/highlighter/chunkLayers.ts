/**
 * Small weight-free layers that move between the highlighter's two views of a
 * song: a batch of chunks (`[chunks, …]`, for the convolutions and batch
 * statistics) and one sequence (`[1, chunks, …]`, for attention and recurrence).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from '../layers/layerArgs.js';

/**
 * The chunk counts of the songs in a batch, from the call argument
 * `songLengths` (several songs' chunks concatenated along the batch axis), or
 * `[n]` (one song) when absent.
 *
 * @internal
 */
export function songLengths(kwargs: Record<string, unknown> | undefined, n: number, layer: string): number[] {
  const v = kwargs?.['songLengths'];
  if (v === undefined || v === null) return [n];
  const lengths = v as number[];
  let total = 0;
  for (const l of lengths) {
    if (!Number.isInteger(l) || l < 1) throw new HitrankError('E_PARAM', `layer '${layer}': songLengths must be positive integers, got ${JSON.stringify(lengths)}.`);
    total += l;
  }
  if (total !== n) throw new HitrankError('E_SHAPE', `layer '${layer}': songLengths sum to ${total}, but the batch has ${n} chunks.`);
  return lengths;
}

function rank2(shape: Shape, layer: string): Shape {
  if (shape.length !== 2) throw new HitrankError('E_SHAPE', `layer '${layer}' needs input [chunks, features], got [${shape.join(', ')}].`);
  return shape;
}

/**
 * Softmax over the chunk (batch) axis: `[chunks, 1]` logits → `[chunks, 1]`
 * attention weights summing to 1 over the song (over each song, when the
 * call argument `songLengths` says the batch holds several). Registered as
 * `HitrankChunkSoftmax`.
 */
export class ChunkSoftmax extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankChunkSoftmax';

  /** @param args - the usual layer options. */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = rank2(onlyShape(inputShape, this.name), this.name);
    if (s[1] !== 1) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs one logit per chunk, got [${s.join(', ')}].`);
    return s;
  }

  /** `softmax` over axis 0, per song. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    const lengths = songLengths(kwargs, x.shape[0], this.name);
    return tf.tidy(() => {
      if (lengths.length === 1) return tf.reshape(tf.softmax(tf.reshape(x, [1, -1])), [-1, 1]);
      const parts = tf.split(x, lengths, 0).map((p) => tf.reshape(tf.softmax(tf.reshape(p, [1, -1])), [-1, 1]));
      return tf.concat(parts, 0);
    });
  }
}

/**
 * Late fusion: `[attention [chunks, 1], chunkProbs [chunks, C]]` →
 * `[songs, C]` song-level class probabilities `Σᵢ aᵢ · pᵢ` over each song's
 * chunks (one song unless the call argument `songLengths` says otherwise).
 * Registered as `HitrankAttentionPool`.
 */
export class AttentionPool extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankAttentionPool';

  /** @param args - the usual layer options. */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** `[songs, C]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = inputShape as Shape[];
    if (!Array.isArray(shapes[0]) || shapes.length !== 2) throw new HitrankError('E_SHAPE', `layer '${this.name}' takes [attention, chunkProbs].`);
    return [null, shapes[1][1]];
  }

  /** The attention-weighted sum over each song's chunks. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length !== 2) throw new HitrankError('E_SHAPE', `layer '${this.name}' takes [attention, chunkProbs].`);
    const [a, p] = inputs;
    const lengths = songLengths(kwargs, a.shape[0], this.name);
    return tf.tidy(() => {
      const weighted = tf.mul(a, p);
      if (lengths.length === 1) return tf.sum(weighted, 0, true);
      return tf.concat(tf.split(weighted, lengths, 0).map((w) => tf.sum(w, 0, true)), 0);
    });
  }
}

/**
 * `[chunks, d]` → `[1, chunks, d]`: the song's chunks as one sequence; with
 * the call argument `songLengths`, `[songs, longest, d]`, each song's
 * sequence zero-padded at the end (pass the matching `mask` call argument to
 * the recurrent layer). Registered as `HitrankChunksToSequence`.
 */
export class ChunksToSequence extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankChunksToSequence';

  /** @param args - the usual layer options. */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** `[songs, chunks, d]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = rank2(onlyShape(inputShape, this.name), this.name);
    return [null, s[0], s[1]];
  }

  /** Adds a leading song axis (padding songs to the longest). */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    const lengths = songLengths(kwargs, x.shape[0], this.name);
    if (lengths.length === 1) return tf.expandDims(x, 0);
    const longest = Math.max(...lengths);
    return tf.tidy(() => tf.stack(tf.split(x, lengths, 0).map((p, i) => (lengths[i] < longest ? tf.pad(p, [[0, longest - lengths[i]], [0, 0]]) : p))));
  }
}

/**
 * `[songs, longest, d]` → `[chunks, d]`, the inverse of
 * {@link ChunksToSequence} (padding dropped). Registered as `HitrankSequenceToChunks`.
 */
export class SequenceToChunks extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankSequenceToChunks';

  /** @param args - the usual layer options. */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** `[chunks, d]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = onlyShape(inputShape, this.name);
    if (s.length !== 3) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [1, chunks, features], got [${s.join(', ')}].`);
    return [s[1], s[2]];
  }

  /** Drops the song axis and the padding. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    const v = kwargs?.['songLengths'] as number[] | undefined;
    const lengths: number[] = v ?? [x.shape[1] as number];
    if (x.shape[0] !== lengths.length) throw new HitrankError('E_SHAPE', `layer '${this.name}' got ${x.shape[0]} sequences for ${lengths.length} songs.`);
    if (lengths.length === 1) return tf.tidy(() => tf.slice(tf.squeeze(x, [0]), [0, 0], [lengths[0], -1]));
    return tf.tidy(() => tf.concat(tf.unstack(x).map((s, i) => tf.slice(s, [0, 0], [lengths[i], -1])), 0));
  }
}
