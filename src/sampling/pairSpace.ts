/**
 * Uniform sampling without replacement from a set of valid unordered pairs,
 * shared by the three samplers (internal).
 *
 * A pair {i, j} with i < j is keyed as `i · n + j` (exact in float64 for
 * n ≤ 94 906 265). Two strategies, chosen per epoch:
 * - sparse (pairsPerEpoch < half the valid pairs): draw uniformly from the
 *   valid set (`space.draw`, which may reject) and skip keys already taken
 *   (a `Set`); expected draws < 2 × pairsPerEpoch × the draw's own rejection
 *   factor; memory O(pairsPerEpoch).
 * - dense (pairsPerEpoch ≥ half the valid pairs, so the set is at most twice
 *   the output): enumerate the valid keys and take a partial Fisher–Yates
 *   shuffle.
 *
 * @internal
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import { type Rng, checkSeed, epochRng, randomIndex } from './rng.js';
import type { PairSampler, PairSamplerOptions, SamplerKind } from './types.js';

/** Largest song count whose pair keys are exact in float64. @internal */
export const MAX_SONGS = 94906265;

/** The set of valid pairs of one sampler. @internal */
export interface PairSpace {
  /** Number of songs. */
  n: number;
  /** Number of distinct valid unordered pairs. */
  count: number;
  /** Key `i·n + j` (i < j) of a uniformly drawn valid pair, or −1 (rejected draw: try again). */
  draw(rng: Rng): number;
  /** Calls `emit(i, j)` (i < j) once for every valid pair. */
  forEach(emit: (i: number, j: number) => void): void;
}

/**
 * Key of the unordered pair {i, j}.
 *
 * @param i - one index.
 * @param j - the other index (≠ i).
 * @param n - number of songs.
 * @returns `min·n + max`.
 * @internal
 */
export function pairKey(i: number, j: number, n: number): number {
  return i < j ? i * n + j : j * n + i;
}

/**
 * Draws `count` distinct valid pairs, flat `[i0, j0, …]`, random orientation.
 *
 * @param space - the valid pairs.
 * @param count - how many (≤ space.count).
 * @param rng - the epoch's generator.
 * @returns Int32Array of length 2·count.
 * @internal
 */
export function samplePairs(space: PairSpace, count: number, rng: Rng): Int32Array {
  const { n } = space;
  const out = new Int32Array(2 * count);
  if (2 * count >= space.count) {
    const keys = new Float64Array(space.count);
    let m = 0;
    space.forEach((i, j) => {
      keys[m++] = i * n + j;
    });
    for (let t = 0; t < count; t++) {
      const s = t + randomIndex(rng, m - t);
      const key = keys[s];
      keys[s] = keys[t];
      keys[t] = key;
      put(out, t, key, n, rng);
    }
    return out;
  }
  const taken = new Set<number>();
  const maxAttempts = 1000 * count + 100000;
  let attempts = 0;
  for (let t = 0; t < count; ) {
    if (++attempts > maxAttempts) {
      throw new HitrankError('E_NO_PAIRS', `internal: could not draw ${count} distinct pairs after ${maxAttempts} attempts.`);
    }
    const key = space.draw(rng);
    if (key < 0 || taken.has(key)) continue;
    taken.add(key);
    put(out, t++, key, n, rng);
  }
  return out;
}

function put(out: Int32Array, t: number, key: number, n: number, rng: Rng): void {
  const i = Math.floor(key / n);
  const j = key - i * n;
  if (rng() < 0.5) {
    out[2 * t] = i;
    out[2 * t + 1] = j;
  } else {
    out[2 * t] = j;
    out[2 * t + 1] = i;
  }
}

/**
 * Wraps a pair space into a {@link PairSampler}: checks the options, resolves
 * the default `pairsPerEpoch`, throws `E_NO_PAIRS` for an empty space.
 *
 * @param kind - sampler name.
 * @param space - valid pairs.
 * @param options - user options.
 * @param whyEmpty - sentence explaining an empty space.
 * @param extra - sampler-specific read-only fields merged into the result.
 * @returns the sampler.
 * @internal
 */
export function makeSampler<Extra extends object>(
  kind: SamplerKind,
  space: PairSpace,
  options: PairSamplerOptions,
  whyEmpty: string,
  extra: Extra,
): PairSampler & Extra {
  if (space.count === 0) throw new HitrankError('E_NO_PAIRS', `${kind} sampling has no valid pair: ${whyEmpty}`);
  const seed = checkSeed(options.seed ?? 0);
  let perEpoch: number;
  if (options.pairsPerEpoch === undefined) {
    perEpoch = Math.min(space.n, space.count);
  } else {
    assertInteger(options.pairsPerEpoch, 'pairsPerEpoch', 1);
    if (options.pairsPerEpoch > space.count) {
      throw new HitrankError(
        'E_PARAM',
        `pairsPerEpoch = ${options.pairsPerEpoch} but ${kind} sampling has only ${space.count} distinct valid pairs ` +
          `(pairs are drawn without replacement within an epoch).`,
      );
    }
    perEpoch = options.pairsPerEpoch;
  }
  const pairArray = (epoch: number): Int32Array => samplePairs(space, perEpoch, epochRng(kind, seed, epoch));
  const sampler: PairSampler = {
    kind,
    songCount: space.n,
    validPairCount: space.count,
    pairsPerEpoch: perEpoch,
    seed,
    pairArray,
    pairs(epoch: number): IterableIterator<[number, number]> {
      const flat = pairArray(epoch); // eager, so a bad epoch throws here
      return (function* () {
        for (let t = 0; t < flat.length; t += 2) yield [flat[t], flat[t + 1]] as [number, number];
      })();
    },
  };
  return Object.assign(sampler, extra);
}

/**
 * Throws unless `n` is a usable song count.
 *
 * @param n - number of songs.
 * @param what - name in the message.
 * @internal
 */
export function checkSongCount(n: number, what: string): void {
  assertInteger(n, what, 0, MAX_SONGS);
}
