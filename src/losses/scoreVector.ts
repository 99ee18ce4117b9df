// Conversion and validation of the vectors every loss takes (internal).
import * as tf from '@tensorflow/tfjs-core';
import { assertFinite, HitrankError } from '../errors.js';
import type { ScoreVector, TieConvention } from './types.js';

/** True if `x` is a tfjs tensor (not a plain array). */
export function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

/** Length of a score vector; throws `E_SHAPE` unless it is `[B]` or `[B, 1]`. */
export function vectorLength(x: ScoreVector, what: string): number {
  if (isTensor(x)) {
    const s = x.shape;
    if (s.length === 1) return s[0];
    if (s.length === 2 && s[1] === 1) return s[0];
    throw new HitrankError('E_SHAPE', `${what} has shape [${s.join(', ')}]; expected a vector [B] or a column [B, 1].`);
  }
  if (x == null || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new HitrankError('E_SHAPE', `${what} is ${String(x)}; expected a tf.Tensor1D or an array of numbers.`);
  }
  return x.length;
}

/**
 * Converts a score vector to a float32 `Tensor1D` (call inside `tf.tidy`).
 * Arrays are checked for NaN/±Infinity (`E_NAN`); tensors are not read back.
 */
export function toVector(x: ScoreVector, what: string): tf.Tensor1D {
  const n = vectorLength(x, what);
  if (isTensor(x)) {
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      throw new HitrankError('E_SHAPE', `${what} has dtype ${x.dtype}; expected a float32 (or int32/bool) tensor.`);
    }
    const flat = x.rank === 1 ? (x as tf.Tensor1D) : tf.reshape(x, [n]) as tf.Tensor1D;
    return flat.dtype === 'float32' ? flat : tf.cast(flat, 'float32');
  }
  assertFinite(x, what);
  return tf.tensor1d(x instanceof Float32Array ? x : Float32Array.from(x as ArrayLike<number>));
}

/** Checks that fi, fj, yi, yj are vectors of one length B ≥ 1 and returns B. */
export function pairLength(fi: ScoreVector, fj: ScoreVector, yi: ScoreVector, yj: ScoreVector): number {
  const lens = [vectorLength(fi, 'fi'), vectorLength(fj, 'fj'), vectorLength(yi, 'yi'), vectorLength(yj, 'yj')];
  if (lens.some((l) => l !== lens[0])) {
    throw new HitrankError(
      'E_SHAPE',
      `pair vectors differ in length: fi ${lens[0]}, fj ${lens[1]}, yi ${lens[2]}, yj ${lens[3]}; expected one length B per pair batch.`,
    );
  }
  if (lens[0] === 0) throw new HitrankError('E_EMPTY', 'the pair batch is empty (B = 0); expected at least one pair.');
  return lens[0];
}

const TIES: readonly TieConvention[] = ['skip', 'paper', 'delta0'];

/** Validates a tie convention option. */
export function checkTies(ties: unknown): TieConvention {
  if (!TIES.includes(ties as TieConvention)) {
    throw new HitrankError('E_PARAM', `ties must be one of ${TIES.map((t) => `'${t}'`).join(', ')}, got ${String(ties)}.`);
  }
  return ties as TieConvention;
}

/** Validates the hinge margin (finite, ≥ 0). */
export function checkMargin(margin: unknown): number {
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw new HitrankError('E_PARAM', `margin must be a finite number ≥ 0, got ${String(margin)}.`);
  }
  return margin;
}
