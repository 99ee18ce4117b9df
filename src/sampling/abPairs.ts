/**
 * A/B sampling (paper §2.3): every pair holds at least one song whose hit
 * score is above the training-set mean.
 *
 * @module
 */
import { HitrankError, assertFinite } from '../errors.js';
import { type PairSpace, checkSongCount, makeSampler } from './pairSpace.js';
import { randomIndex } from './rng.js';
import type { PairSampler, PairSamplerOptions } from './types.js';

/** The A/B sampler: a {@link PairSampler} that also exposes its groups. */
export interface AbPairSampler extends PairSampler {
  /** Indices of group A (hit score strictly above {@link AbPairSampler.threshold}), ascending. */
  readonly groupA: Int32Array;
  /** The training-set mean hit score that splits A from B. */
  readonly threshold: number;
}

/**
 * A/B sampling (paper §2.3, Table 1 rows i–j, the paper's best): the training
 * set is split into group A — hit score **strictly above** the training-set
 * mean — and group B (the rest, the long tail); every pair has at least one
 * song from A. Both A–A and A–B pairs are valid (the paper only requires "at
 * least one song from group A"); B–B pairs never occur.
 *
 * Pairs are drawn uniformly without replacement from the |A|(|A|−1)/2 + |A|·|B|
 * valid pairs: draw a ∈ A uniformly and b uniformly among the other n − 1
 * songs; an A–A pair would be drawn twice as often as an A–B pair, so it is
 * kept with probability ½. Orientation is random (A is not always first).
 * The mean is computed with compensated summation; when all scores are equal
 * group A is empty.
 *
 * @param hitScores - training-set hit scores (finite), one per song.
 * @param options - `pairsPerEpoch` (default n, capped at the number of valid
 *   pairs) and `seed` (default 0); see {@link PairSamplerOptions}.
 * @returns an {@link AbPairSampler} over indices 0 … n − 1.
 * @throws HitrankError `E_NO_PAIRS` (fewer than 2 songs, or group A empty
 *   because all scores are equal), `E_NAN`, `E_PARAM`.
 *
 * @example
 * ```ts
 * const sampler = abPairs(train.hitScores, { seed: 7 });
 * sampler.groupA.length; // ≈ 12.5 % of the songs on KKBOX-like data (paper §4)
 * ```
 */
export function abPairs(hitScores: ArrayLike<number>, options: PairSamplerOptions = {}): AbPairSampler {
  if (hitScores === null || typeof hitScores !== 'object' || typeof hitScores.length !== 'number') {
    throw new HitrankError('E_PARAM', `hitScores must be an array or typed array of numbers, got ${String(hitScores)}.`);
  }
  const n = hitScores.length;
  checkSongCount(n, 'hitScores.length');
  assertFinite(hitScores, 'hitScores');
  if (n < 2) throw new HitrankError('E_NO_PAIRS', `A/B sampling needs at least 2 songs, got ${n}.`);

  // Neumaier-compensated mean.
  let sum = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = hitScores[i];
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  const mean = (sum + c) / n;
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = hitScores[i] === hitScores[0];

  const inA = new Uint8Array(n);
  const a: number[] = [];
  if (!constant) {
    for (let i = 0; i < n; i++) {
      if (hitScores[i] > mean) {
        inA[i] = 1;
        a.push(i);
      }
    }
  }
  const groupA = Int32Array.from(a);
  const na = groupA.length;
  const space: PairSpace = {
    n,
    count: (na * (na - 1)) / 2 + na * (n - na),
    draw(rng) {
      const i = groupA[randomIndex(rng, na)];
      let j = randomIndex(rng, n - 1);
      if (j >= i) j++;
      if (inA[j] && rng() < 0.5) return -1;
      return i < j ? i * n + j : j * n + i;
    },
    forEach(emit) {
      // O(|A|·n) ≤ 2 × count: each A–A pair once (from its smaller index), each A–B pair once.
      for (let t = 0; t < na; t++) {
        const i = groupA[t];
        for (let j = 0; j < n; j++) {
          if (j === i || (inA[j] && j < i)) continue;
          if (i < j) emit(i, j);
          else emit(j, i);
        }
      }
    },
  };
  return makeSampler('ab', space, options, 'all hit scores are equal, so no song is above the mean (group A is empty).', {
    groupA,
    threshold: mean,
  });
}
