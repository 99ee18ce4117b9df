/**
 * Naive sampling (paper §2.3): random song pairs from the whole training set.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { type PairSpace, checkSongCount, makeSampler } from './pairSpace.js';
import { randomIndex } from './rng.js';
import type { PairSampler, PairSamplerOptions } from './types.js';

/**
 * Naive sampling (paper §2.3, Table 1 rows e–f): every epoch draws
 * `pairsPerEpoch` song pairs uniformly **without replacement** from all
 * n(n−1)/2 unordered pairs of the training set — no pair twice within an
 * epoch, no self-pair, random orientation.
 *
 * How, without materialising the n² pairs: while `pairsPerEpoch` is below half
 * of n(n−1)/2, pairs are drawn uniformly (i uniform, j uniform among the other
 * n − 1 songs) and repeats rejected with a set of pair keys (expected draws
 * < 2 × pairsPerEpoch, memory O(pairsPerEpoch)); otherwise (tiny training
 * sets) all pairs are listed — at most 2 × pairsPerEpoch of them — and a
 * partial Fisher–Yates shuffle picks the epoch's pairs.
 *
 * @param n - number of training songs (integer ≥ 2; ≤ 94 906 265).
 * @param options - `pairsPerEpoch` (default n, capped at n(n−1)/2) and `seed`
 *   (default 0); see {@link PairSamplerOptions}.
 * @returns a {@link PairSampler} over indices 0 … n − 1.
 * @throws HitrankError `E_NO_PAIRS` (n < 2), `E_PARAM` (bad n, seed or
 *   pairsPerEpoch, or more pairs per epoch than exist).
 *
 * @example
 * ```ts
 * const sampler = naivePairs(12000, { seed: 1 });
 * for (const [i, j] of sampler.pairs(epoch)) { ... }
 * ```
 */
export function naivePairs(n: number, options: PairSamplerOptions = {}): PairSampler {
  checkSongCount(n, 'n');
  const space: PairSpace = {
    n,
    count: (n * (n - 1)) / 2,
    draw(rng) {
      const i = randomIndex(rng, n);
      let j = randomIndex(rng, n - 1);
      if (j >= i) j++;
      return i < j ? i * n + j : j * n + i;
    },
    forEach(emit) {
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) emit(i, j);
    },
  };
  if (n < 2) throw new HitrankError('E_NO_PAIRS', `naive sampling needs at least 2 songs, got ${n}.`);
  return makeSampler('naive', space, options, `${n} song(s).`, {});
}
