/**
 * The common interface of the pair samplers (paper §2.3).
 *
 * @module
 */

/** Names of the pair samplers, as used by {@link createSampler} and the CLI. */
export type SamplerKind = 'naive' | 'ab' | 'artist';

/** Options shared by every pair sampler. */
export interface PairSamplerOptions {
  /**
   * Pairs drawn per epoch (integer ≥ 1, at most the number of distinct valid
   * pairs). Default: the number of songs n (each epoch then shows about as
   * many pairs as the rating loss sees songs), capped at the number of
   * distinct valid pairs.
   */
  pairsPerEpoch?: number;
  /** Seed of the `seedrandom` stream (default 0). Same seed + same epoch → same pairs. */
  seed?: number | string;
}

/**
 * A seeded source of song pairs for the Siamese ranking loss.
 *
 * Within one epoch the pairs are drawn **uniformly without replacement** from
 * the sampler's set of valid unordered pairs {i, j}, i ≠ j (no pair twice, no
 * self-pair), in random order and random orientation — each pair comes out as
 * `[i, j]` or `[j, i]` with probability ½, so the first element carries no
 * information. The full set of pairs is never materialised unless it is at
 * most twice the number requested (see {@link naivePairs}).
 */
export interface PairSampler {
  /** Which sampling method this is. */
  readonly kind: SamplerKind;
  /** Number of songs the indices refer to (0 … songCount − 1). */
  readonly songCount: number;
  /** Number of distinct valid unordered pairs (the population sampled from). */
  readonly validPairCount: number;
  /** Pairs returned per epoch. */
  readonly pairsPerEpoch: number;
  /** The seed in use. */
  readonly seed: number | string;
  /**
   * The pairs of one epoch as `[i, j]` tuples. Same seed and epoch → same
   * sequence; different epochs give different pairs.
   *
   * @param epoch - epoch number (integer ≥ 0).
   * @returns an iterable over `pairsPerEpoch` index pairs.
   */
  pairs(epoch: number): IterableIterator<[number, number]>;
  /**
   * The same pairs as {@link PairSampler.pairs}, flat: `[i0, j0, i1, j1, …]`
   * (length `2 · pairsPerEpoch`) — the cheap form for building batches.
   *
   * @param epoch - epoch number (integer ≥ 0).
   * @returns a new Int32Array.
   */
  pairArray(epoch: number): Int32Array;
}
