/**
 * Dropout whose masks come from a seeded stream.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';
import { assertInRange, HitrankError } from '../../errors.js';
import { withCustomGradient } from '../ops/customGradient.js';
import { type LayerArgs, onlyTensor } from './layerArgs.js';

/** Options of {@link SeededDropout}. */
export interface SeededDropoutArgs extends LayerArgs {
  /** Fraction of units zeroed during training, in [0, 1). */
  rate: number;
  /** Seed of the mask stream. Default 0. */
  seed?: number;
}

/**
 * Fills `out` with inverted-dropout multipliers: 0 with probability `rate`,
 * else 1 / (1 − rate). mulberry32 seeded from `seed` (about 2 ns a value;
 * seedrandom's generators are 2–10× slower and this runs on every step).
 */
export function fillDropoutMask(out: Float32Array, rate: number, seed: number): void {
  const keep = 1 / (1 - rate);
  const threshold = Math.min(Math.floor(rate * 4294967296), 4294967295);
  let s = seed | 0;
  for (let i = 0; i < out.length; i++) {
    s = (s + 0x6d2b79f5) | 0;
    let z = Math.imul(s ^ (s >>> 15), 1 | s);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    const u = (z ^ (z >>> 14)) >>> 0;
    // Branch-free (a kept/dropped branch mispredicts on random bits): 3–4× faster, same values.
    out[i] = +(u >= threshold) * keep;
  }
}

/**
 * Where a training step's dropout masks come from, so that they do not depend
 * on how the batch is split: with a draw active, row `r` of a layer's input
 * gets the mask seeded by (layer seed, `key`, `rows[r]`) — its position in the
 * whole batch — instead of the layer's own stream. `SiameseHitModel.fit` sets
 * one per step (key from epoch and step), and so does every data-parallel
 * worker for its shard of rows, which makes N workers compute the masks one
 * thread would.
 */
export interface DropoutDraw {
  /** The step's key (any 32-bit integer; same key → same masks). */
  key: number;
  /** Global batch row of each input row (length = the input's first dimension). */
  rows: ArrayLike<number>;
}

let activeDraw: DropoutDraw | null = null;

/**
 * Runs `fn` (a forward pass in training mode) with `draw` deciding every
 * {@link SeededDropout} mask, then restores the previous draw.
 *
 * @param draw - the step key and the rows' global positions.
 * @param fn - the forward pass.
 * @returns what `fn` returns.
 */
export function withDropoutDraw<T>(draw: DropoutDraw, fn: () => T): T {
  const prev = activeDraw;
  activeDraw = draw;
  try {
    return fn();
  } finally {
    activeDraw = prev;
  }
}

/**
 * A 32-bit mix of two integers (murmur3's finaliser over `a ^ b·φ`), used to
 * seed one dropout row from (layer, step) and the row's position.
 *
 * @param a - first integer.
 * @param b - second integer.
 * @returns a well-spread 32-bit integer.
 */
export function mixSeed(a: number, b: number): number {
  let h = (a ^ Math.imul((b | 0) + 0x632be5ab, 0x9e3779b1)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * Inverted dropout (Keras/TF semantics: active only when called with
 * `training: true`, scales kept units by 1 / (1 − rate)) whose masks come
 * from a stream seeded once per layer — each call draws a fresh mask, and the
 * same seed gives the same sequence of masks; inside {@link withDropoutDraw}
 * the masks follow the draw instead (batch-split invariant). (tfjs-layers' own `dropout`
 * with a `seed` reuses one mask on every step; without a seed it is not
 * reproducible.) Registered for `tf.io` save/load as `HitrankDropout`.
 */
export class SeededDropout extends tfl.layers.Layer {
  /** Serialization name. */
  static className = 'HitrankDropout';
  /** Drop probability. */
  readonly rate: number;
  /** Stream seed. */
  readonly seed: number;
  private readonly stream: seedrandom.PRNG;

  /** @param args - see {@link SeededDropoutArgs}. */
  constructor(args: SeededDropoutArgs) {
    super(args);
    assertInRange(args.rate, 'dropout rate', 0, 0.999999);
    this.rate = args.rate;
    this.seed = args.seed ?? 0;
    this.stream = seedrandom(`hitrank-dropout:${this.seed}`);
  }

  /**
   * Draws the seeds of the next training-mode mask for an input of `shape`
   * exactly as {@link SeededDropout.call} does (the active
   * {@link withDropoutDraw}, else the layer's own stream, which advances):
   * row r's mask is `fillDropoutMask` with `seeds[r]`. Used by
   * hitrank's wasm kernels, which draw and apply the masks themselves.
   *
   * @param shape - the input's shape; its first dimension is the batch.
   * @returns one seed per row, or `null` when the rate is 0 (identity).
   * @throws HitrankError `E_SHAPE` when an active draw names another number of rows.
   */
  maskSeeds(shape: readonly number[]): Int32Array | null {
    if (this.rate === 0) return null;
    const n = shape[0] ?? 1;
    const draw = activeDraw;
    if (draw && draw.rows.length !== n) {
      throw new HitrankError('E_SHAPE', `${this.name}: the dropout draw names ${draw.rows.length} rows, the input has ${n}.`);
    }
    // One seed per call (the step key, or the layer's stream), then one mask
    // stream per row, so a row's mask does not depend on the other rows.
    const base = draw ? mixSeed(this.seed, draw.key) : this.stream.int32();
    const seeds = new Int32Array(n);
    for (let r = 0; r < n; r++) seeds[r] = mixSeed(base, draw ? draw.rows[r] : r);
    return seeds;
  }

  /** Identity at inference; masks and rescales with `training: true`. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    if (kwargs['training'] !== true || this.rate === 0) return x;
    const seeds = this.maskSeeds(x.shape) as Int32Array;
    const values = new Float32Array(x.size);
    const per = x.size / seeds.length;
    seeds.forEach((seed, r) => fillDropoutMask(values.subarray(r * per, (r + 1) * per), this.rate, seed));
    return tf.tidy(() => {
      const mask = tf.tensor(values, x.shape, 'float32');
      // x · mask with the mask as a constant: the backward pass keeps only
      // the mask (tf.mul's own gradient would keep copies of both).
      return withCustomGradient([x], (save) => {
        save([mask]);
        return { value: tf.mul(x, mask), gradFunc: (dy, saved) => [tf.mul(dy, saved[0])] };
      });
    });
  }

  /** Serializable options. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
