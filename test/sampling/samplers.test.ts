// Pair samplers (paper §2.3): validity, without-replacement, determinism and
// uniformity, with fast-check properties on fixed seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { abPairs, artistPairs, createSampler, naivePairs, samplerKinds, type PairSampler } from '../../src/sampling/index.js';

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected HitrankError ${code}`).toBeInstanceOf(HitrankError);
  expect((caught as HitrankError).code).toBe(code);
}

const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`);

/** Every pair in range, no self-pair, no unordered pair twice; returns the keys. */
function checkEpoch(s: PairSampler, epoch: number): string[] {
  const pairs = [...s.pairs(epoch)];
  expect(pairs.length).toBe(s.pairsPerEpoch);
  const bad: string[] = [];
  const keys = pairs.map(([i, j]) => {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i === j || i < 0 || j < 0 || i >= s.songCount || j >= s.songCount) {
      bad.push(`[${i}, ${j}]`);
    }
    return key(i, j);
  });
  expect(bad, 'invalid pairs').toEqual([]);
  expect(new Set(keys).size, 'a pair repeats within the epoch').toBe(keys.length);
  const flat = s.pairArray(epoch);
  expect(flat.length).toBe(2 * pairs.length);
  expect(pairs.every(([i, j], t) => flat[2 * t] === i && flat[2 * t + 1] === j)).toBe(true);
  return keys;
}

const scoresArb = fc.array(fc.oneof(fc.constantFrom(0, 0, 0, 1e-4, 5e-4), fc.double({ min: 0, max: 1, noNaN: true })), {
  minLength: 2,
  maxLength: 80,
});

describe('naivePairs', () => {
  it('draws distinct valid pairs, deterministic per (seed, epoch)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 150 }), fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (n, seed, frac) => {
        const total = (n * (n - 1)) / 2;
        const per = Math.max(1, Math.floor(frac * total));
        const s = naivePairs(n, { pairsPerEpoch: per, seed });
        expect(s.validPairCount).toBe(total);
        const e0 = checkEpoch(s, 0);
        expect(checkEpoch(naivePairs(n, { pairsPerEpoch: per, seed }), 0)).toEqual(e0);
        checkEpoch(s, 3);
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('same seed → same pairs; different seeds or epochs → different pairs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 50, max: 2000 }), fc.integer(), fc.integer(), (n, s1, s2) => {
        fc.pre(s1 !== s2);
        const a = naivePairs(n, { seed: s1 });
        expect(Array.from(a.pairArray(1))).toEqual(Array.from(naivePairs(n, { seed: s1 }).pairArray(1)));
        expect(Array.from(a.pairArray(1))).not.toEqual(Array.from(naivePairs(n, { seed: s2 }).pairArray(1)));
        expect(Array.from(a.pairArray(1))).not.toEqual(Array.from(a.pairArray(2)));
      }),
      { seed: 42, numRuns: 60 },
    );
  });

  it('defaults to n pairs per epoch, capped at n(n−1)/2; the dense path returns every pair once', () => {
    expect(naivePairs(1000).pairsPerEpoch).toBe(1000);
    const s = naivePairs(4, { seed: 1 }); // 6 pairs < 4? no: min(4, 6) = 4
    expect(s.pairsPerEpoch).toBe(4);
    const all = naivePairs(5, { pairsPerEpoch: 10, seed: 2 });
    expect(new Set(checkEpoch(all, 0)).size).toBe(10);
    expect(naivePairs(2).pairsPerEpoch).toBe(1);
  });

  it('is uniform over pairs and orientations (chi-square, 15 pairs × 20 000 draws)', () => {
    const n = 6;
    const s = naivePairs(n, { pairsPerEpoch: 2, seed: 'uniform' }); // sparse path: 2·2 < 15
    const counts = new Map<string, number>();
    let firstSmaller = 0;
    const epochs = 10000;
    for (let e = 0; e < epochs; e++) {
      for (const [i, j] of s.pairs(e)) {
        counts.set(key(i, j), (counts.get(key(i, j)) ?? 0) + 1);
        if (i < j) firstSmaller++;
      }
    }
    expect(counts.size).toBe(15);
    const total = 2 * epochs;
    const expected = total / 15;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    expect(chi2).toBeLessThan(36.1); // chi-square, 14 dof, p = 0.001
    // Orientation: binomial(total, 1/2), 4 standard deviations.
    expect(Math.abs(firstSmaller - total / 2)).toBeLessThan(4 * Math.sqrt(total / 4));
  });

  it('throws clear errors', () => {
    expectCode(() => naivePairs(1), 'E_NO_PAIRS');
    expectCode(() => naivePairs(0), 'E_NO_PAIRS');
    expectCode(() => naivePairs(2.5), 'E_PARAM');
    expectCode(() => naivePairs(5, { pairsPerEpoch: 11 }), 'E_PARAM');
    expectCode(() => naivePairs(5, { pairsPerEpoch: 0 }), 'E_PARAM');
    expectCode(() => naivePairs(5, { seed: NaN }), 'E_PARAM');
    expectCode(() => naivePairs(5).pairArray(-1), 'E_PARAM');
    expectCode(() => naivePairs(5).pairs(0.5), 'E_PARAM');
    expect(() => naivePairs(5, { pairsPerEpoch: 11 })).toThrow(/only 10 distinct valid pairs/);
  });

  it('does not materialise n² pairs for a large training set', () => {
    const s = naivePairs(1_000_000, { pairsPerEpoch: 20000, seed: 5 });
    expect(s.validPairCount).toBe(499999500000);
    expect(checkEpoch(s, 0).length).toBe(20000);
  });
});

describe('abPairs', () => {
  it('group A = strictly above the mean; every pair holds a group-A song', () => {
    fc.assert(
      fc.property(scoresArb, fc.integer(), fc.double({ min: 0.01, max: 1, noNaN: true }), (scores, seed, frac) => {
        const mean = scores.reduce((s, v) => s + v, 0) / scores.length;
        const wantA = scores.map((v, i) => (v > mean && !scores.every((w) => w === scores[0]) ? i : -1)).filter((i) => i >= 0);
        const na = wantA.length;
        const n = scores.length;
        const valid = (na * (na - 1)) / 2 + na * (n - na);
        if (valid === 0) {
          expectCode(() => abPairs(scores, { seed }), 'E_NO_PAIRS');
          return;
        }
        const s = abPairs(scores, { seed, pairsPerEpoch: Math.max(1, Math.floor(frac * valid)) });
        expect(Array.from(s.groupA)).toEqual(wantA);
        expect(s.validPairCount).toBe(valid);
        const inA = new Set(wantA);
        const noA = [...s.pairs(1)].filter(([i, j]) => !inA.has(i) && !inA.has(j));
        expect(noA, 'pairs without a group-A song').toEqual([]);
        checkEpoch(s, 1);
        const opts = { pairsPerEpoch: s.pairsPerEpoch };
        expect(Array.from(abPairs(scores, { ...opts, seed }).pairArray(1))).toEqual(Array.from(s.pairArray(1)));
        if (s.pairsPerEpoch >= 10) {
          expect(Array.from(abPairs(scores, { ...opts, seed: seed + 1 }).pairArray(1))).not.toEqual(Array.from(s.pairArray(1)));
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('same seed → same pairs, different seeds → different pairs', () => {
    const scores = Float64Array.from({ length: 500 }, (_, i) => Math.exp(-i / 40));
    const a = abPairs(scores, { seed: 1 });
    expect(Array.from(a.pairArray(0))).toEqual(Array.from(abPairs(scores, { seed: 1 }).pairArray(0)));
    expect(Array.from(a.pairArray(0))).not.toEqual(Array.from(abPairs(scores, { seed: 2 }).pairArray(0)));
  });

  it('is uniform over valid pairs: A–A pairs are not over-sampled, A is not always first', () => {
    // 3 songs in A (scores 10), 5 in B (0): 3 A–A pairs + 15 A–B pairs.
    const scores = [10, 0, 10, 0, 0, 10, 0, 0];
    const s = abPairs(scores, { pairsPerEpoch: 2, seed: 9 });
    expect(s.validPairCount).toBe(18);
    let aa = 0;
    let aFirst = 0;
    let ab = 0;
    const epochs = 20000;
    for (let e = 0; e < epochs; e++) {
      for (const [i, j] of s.pairs(e)) {
        if (scores[i] > 0 && scores[j] > 0) aa++;
        else {
          ab++;
          if (scores[i] > 0) aFirst++;
        }
      }
    }
    const total = 2 * epochs;
    const p = 3 / 18;
    expect(Math.abs(aa - total * p)).toBeLessThan(4 * Math.sqrt(total * p * (1 - p)));
    expect(Math.abs(aFirst - ab / 2)).toBeLessThan(4 * Math.sqrt(ab / 4));
  });

  it('throws E_NO_PAIRS for constant scores (group A empty), E_NAN for NaN', () => {
    expectCode(() => abPairs([0.1, 0.1, 0.1]), 'E_NO_PAIRS');
    expect(() => abPairs([0.1, 0.1, 0.1])).toThrow(/group A is empty/);
    expectCode(() => abPairs([1]), 'E_NO_PAIRS');
    expectCode(() => abPairs([1, NaN]), 'E_NAN');
  });
});

const artistArb = fc.integer({ min: 0, max: 60 }).chain((n) =>
  fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'A', ''), { maxLength: 3 }), {
    minLength: n,
    maxLength: n,
  }),
);

function brutePairs(artists: string[][]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < artists.length; i++) {
    for (let j = i + 1; j < artists.length; j++) {
      if (artists[i].some((x) => x !== '' && artists[j].includes(x))) out.add(key(i, j));
    }
  }
  return out;
}

describe('artistPairs', () => {
  it('every pair shares an artist; the valid-pair count is exact (multi-artist songs counted once)', () => {
    fc.assert(
      fc.property(artistArb, fc.integer(), fc.double({ min: 0.01, max: 1, noNaN: true }), (artists, seed, frac) => {
        const valid = brutePairs(artists);
        if (valid.size === 0) {
          expectCode(() => artistPairs(artists, { seed }), 'E_NO_PAIRS');
          return;
        }
        const s = artistPairs(artists, { seed, pairsPerEpoch: Math.max(1, Math.floor(frac * valid.size)) });
        expect(s.validPairCount).toBe(valid.size);
        expect(checkEpoch(s, 2).filter((k) => !valid.has(k)), 'pairs sharing no artist').toEqual([]);
        const opts = { pairsPerEpoch: s.pairsPerEpoch };
        expect(Array.from(artistPairs(artists, { ...opts, seed }).pairArray(2))).toEqual(Array.from(s.pairArray(2)));
        if (s.pairsPerEpoch >= 10) {
          expect(Array.from(artistPairs(artists, { ...opts, seed: `${seed}x` }).pairArray(2))).not.toEqual(Array.from(s.pairArray(2)));
        }
        // Dense path: asking for every pair returns exactly the valid set.
        const all = artistPairs(artists, { seed, pairsPerEpoch: valid.size });
        expect(new Set(checkEpoch(all, 0))).toEqual(valid);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('is uniform over distinct pairs even when a pair shares two artists', () => {
    // Songs 0 and 1 share artists x and y; songs 1, 2 share y; 3, 4 share z.
    const artists = [['x', 'y'], ['y', 'x'], ['y'], ['z'], ['z']];
    const s = artistPairs(artists, { pairsPerEpoch: 1, seed: 4 });
    expect(s.validPairCount).toBe(4); // {0,1}, {0,2}, {1,2}, {3,4}
    const counts = new Map<string, number>();
    const epochs = 20000;
    for (let e = 0; e < epochs; e++) for (const [i, j] of s.pairs(e)) counts.set(key(i, j), (counts.get(key(i, j)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['0,1', '0,2', '1,2', '3,4']);
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - epochs / 4) ** 2 / (epochs / 4);
    expect(chi2).toBeLessThan(16.27); // 3 dof, p = 0.001
  });

  it('an artist with one song contributes no pair; no repeated artist → E_NO_PAIRS', () => {
    const s = artistPairs([['solo'], ['duo'], ['duo'], []], { seed: 1 });
    expect(s.validPairCount).toBe(1);
    expect(s.artistCount).toBe(2);
    expect(s.pairedArtistCount).toBe(1);
    expect([...s.pairs(0)].map(([i, j]) => key(i, j))).toEqual(['1,2']);
    expectCode(() => artistPairs([['a'], ['b'], ['c']]), 'E_NO_PAIRS');
    expect(() => artistPairs([['a'], ['b'], ['c']])).toThrow(/none of the 3 artist/);
    expectCode(() => artistPairs([['a'], 'b' as unknown as string[]]), 'E_PARAM');
  });

  it('same seed → same pairs, different seeds → different pairs', () => {
    const artists = Array.from({ length: 400 }, (_, i) => [`artist${i % 25}`]);
    const a = artistPairs(artists, { seed: 'x' });
    expect(Array.from(a.pairArray(0))).toEqual(Array.from(artistPairs(artists, { seed: 'x' }).pairArray(0)));
    expect(Array.from(a.pairArray(0))).not.toEqual(Array.from(artistPairs(artists, { seed: 'y' }).pairArray(0)));
  });
});

describe('createSampler', () => {
  it('creates each sampler by name', () => {
    const data = { hitScores: [0.1, 0.5, 0.2, 0.9], artists: [['a'], ['a'], ['b'], ['b']] };
    expect(samplerKinds).toEqual(['naive', 'ab', 'artist']);
    for (const kind of samplerKinds) {
      const s = createSampler(kind, data, { seed: 3 });
      expect(s.kind).toBe(kind);
      expect(s.songCount).toBe(4);
    }
    expect(Array.from(createSampler('ab', data, { seed: 3 }).pairArray(0))).toEqual(
      Array.from(abPairs(data.hitScores, { seed: 3 }).pairArray(0)),
    );
  });

  it('reports missing data and unknown names', () => {
    expectCode(() => createSampler('artist', { hitScores: [1, 2] }), 'E_MISSING_DATA');
    expectCode(() => createSampler('ab', { artists: [['a'], ['a']] }), 'E_MISSING_DATA');
    expectCode(() => createSampler('naive', {}), 'E_MISSING_DATA');
    expectCode(() => createSampler('listwise' as never, { hitScores: [1, 2] }), 'E_PARAM');
  });
});
