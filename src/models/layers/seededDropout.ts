/**
 * Dropout whose masks come from a seeded stream.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import seedrandom from 'seedrandom';
import { assertInRange } from '../../errors.js';
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
 * else 1 / (1 − rate). mulberry32 seeded from `seed` (about 4 ns a value;
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
    out[i] = u >= threshold ? keep : 0;
  }
}

/**
 * Inverted dropout (Keras/TF semantics: active only when called with
 * `training: true`, scales kept units by 1 / (1 − rate)) whose masks come
 * from a stream seeded once per layer — each call draws a fresh mask, and the
 * same seed gives the same sequence of masks. (tfjs-layers' own `dropout`
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

  /** Identity at inference; masks and rescales with `training: true`. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = onlyTensor(inputs, this.name);
    if (kwargs['training'] !== true || this.rate === 0) return x;
    const values = new Float32Array(x.size);
    fillDropoutMask(values, this.rate, this.stream.int32());
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
