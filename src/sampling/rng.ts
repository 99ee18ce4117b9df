/**
 * Seeded random numbers for the samplers (internal): one independent
 * `seedrandom` (ARC4) stream per (sampler kind, seed, epoch).
 *
 * @internal
 * @module
 */
import seedrandom from 'seedrandom';
import { HitrankError, assertInteger } from '../errors.js';

/** A function returning uniform doubles in [0, 1). @internal */
export type Rng = () => number;

/**
 * Checks a user seed (finite number or string).
 *
 * @param seed - the seed option.
 * @returns the seed.
 * @internal
 */
export function checkSeed(seed: number | string): number | string {
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
    throw new HitrankError('E_PARAM', `seed must be a finite number or a string, got ${String(seed)}.`);
  }
  return seed;
}

/**
 * The random stream of one epoch of one sampler.
 *
 * @param kind - sampler name (keeps streams of different samplers apart).
 * @param seed - user seed.
 * @param epoch - epoch number (integer ≥ 0).
 * @returns a seeded generator.
 * @internal
 */
export function epochRng(kind: string, seed: number | string, epoch: number): Rng {
  assertInteger(epoch, 'epoch', 0);
  return seedrandom(`hitrank:${kind}:${String(seed)}:${epoch}`);
}

/**
 * Uniform integer in [0, m).
 *
 * @param rng - generator.
 * @param m - exclusive upper bound (≥ 1).
 * @returns the integer.
 * @internal
 */
export function randomIndex(rng: Rng, m: number): number {
  const r = Math.floor(rng() * m);
  return r < m ? r : m - 1;
}
