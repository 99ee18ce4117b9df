/**
 * Pair samplers by name, for the CLI and for configs (`'naive' | 'ab' | 'artist'`).
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { abPairs } from './abPairs.js';
import { artistPairs } from './artistPairs.js';
import { naivePairs } from './naivePairs.js';
import type { PairSampler, PairSamplerOptions, SamplerKind } from './types.js';

/** The sampler names {@link createSampler} accepts, in the paper's order. */
export const samplerKinds: readonly SamplerKind[] = ['naive', 'ab', 'artist'];

/** What a sampler may need from a training set (a `HitDataset` fits). */
export interface SamplerData {
  /** Training hit scores (needed by `'ab'`; their length gives n for `'naive'`). */
  hitScores?: ArrayLike<number>;
  /** Artist names per song (needed by `'artist'`). */
  artists?: readonly (readonly string[])[];
}

/**
 * Creates a pair sampler by name — `'naive'` ({@link naivePairs}), `'ab'`
 * ({@link abPairs}) or `'artist'` ({@link artistPairs}) — from a training set.
 *
 * @param kind - the sampler name.
 * @param data - the training set (e.g. a `HitDataset`): `hitScores` and/or `artists`.
 * @param options - `pairsPerEpoch` and `seed`, see {@link PairSamplerOptions}.
 * @returns the sampler.
 * @throws HitrankError `E_PARAM` (unknown name), `E_MISSING_DATA` (the data the
 *   sampler needs is absent), plus the sampler's own errors.
 *
 * @example
 * ```ts
 * const sampler = createSampler('ab', trainSet, { seed: 1 });
 * ```
 */
export function createSampler(kind: SamplerKind, data: SamplerData, options: PairSamplerOptions = {}): PairSampler {
  switch (kind) {
    case 'naive': {
      const n = data.hitScores?.length ?? data.artists?.length;
      if (n === undefined) {
        throw new HitrankError('E_MISSING_DATA', "naive sampling needs the song count: give data.hitScores or data.artists.");
      }
      return naivePairs(n, options);
    }
    case 'ab':
      if (!data.hitScores) throw new HitrankError('E_MISSING_DATA', 'A/B sampling needs data.hitScores.');
      return abPairs(data.hitScores, options);
    case 'artist':
      if (!data.artists) throw new HitrankError('E_MISSING_DATA', 'artist sampling needs data.artists (artist names per song).');
      return artistPairs(data.artists, options);
    default:
      throw new HitrankError('E_PARAM', `unknown sampler "${String(kind)}"; expected one of ${samplerKinds.join(', ')}.`);
  }
}
