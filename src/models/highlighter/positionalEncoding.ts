/**
 * Sinusoidal positional encoding of the chunks of a song.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInteger } from '../../errors.js';
import { type LayerArgs, type Shape, onlyShape, onlyTensor } from '../layers/layerArgs.js';
import { songLengths } from './chunkLayers.js';

/**
 * The Transformer's sinusoids (Vaswani et al. 2017) as the highlighter uses
 * them: `PE[p, j] = sin(p / 10000^(2⌊j/2⌋/d))` for even `j`, `cos(…)` for odd
 * `j`, and row 0 (the first chunk) all zeros — as remyhuang/pop-music-highlighter
 * `lib.py` builds it.
 *
 * @param positions - number of rows (chunks).
 * @param dim - encoding width `d` (the chunk feature size, 256 by default).
 * @returns `[positions × dim]`, row-major.
 */
export function positionalEncoding(positions: number, dim: number): Float32Array {
  assertInteger(positions, 'positions', 0, 1 << 24);
  assertInteger(dim, 'dim', 1, 1 << 16);
  const out = new Float32Array(positions * dim);
  for (let p = 1; p < positions; p++) {
    for (let j = 0; j < dim; j++) {
      const angle = p / Math.pow(10000, (2 * Math.floor(j / 2)) / dim);
      out[p * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return out;
}

/**
 * Adds {@link positionalEncoding} to a song's chunk features: input
 * `[chunks, d]` — the batch axis is the chunk order — output the same shape.
 * With the call argument `songLengths` (several songs' chunks concatenated),
 * positions restart at 0 for each song. Registered for `tf.io` save/load as
 * `HitrankPositionalEncoding`.
 */
export class ChunkPositionalEncoding extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankPositionalEncoding';
  private cache: { n: number; d: number; values: Float32Array } | null = null;

  private table(n: number, d: number): Float32Array {
    if (!this.cache || this.cache.n < n || this.cache.d !== d) this.cache = { n, d, values: positionalEncoding(n, d) };
    return this.cache.values;
  }

  /** @param args - the usual layer options (`name`, …). */
  constructor(args: LayerArgs = {}) {
    super(args);
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = onlyShape(inputShape, this.name);
    if (shape.length !== 2) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs input [chunks, features], got [${shape.join(', ')}].`);
    return shape;
  }

  /** Adds the encoding of positions 0 … chunks − 1 (of each song). */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    if (x.rank !== 2) throw new HitrankError('E_SHAPE', `layer '${this.name}' needs a rank-2 input [chunks, features], got [${x.shape.join(', ')}].`);
    const [n, d] = x.shape;
    const lengths = songLengths(kwargs, n, this.name);
    const table = this.table(Math.max(...lengths), d);
    const pe = new Float32Array(n * d);
    let row = 0;
    for (const l of lengths) {
      pe.set(table.subarray(0, l * d), row * d);
      row += l;
    }
    return tf.tidy(() => tf.add(x, tf.tensor2d(pe, [n, d])));
  }
}
