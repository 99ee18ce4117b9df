/**
 * Artist sampling (paper §2.3): both songs of a pair are by the same artist.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { type PairSpace, checkSongCount, makeSampler } from './pairSpace.js';
import { randomIndex } from './rng.js';
import type { PairSampler, PairSamplerOptions } from './types.js';

/** The artist sampler: a {@link PairSampler} that also reports its artist index. */
export interface ArtistPairSampler extends PairSampler {
  /** Number of distinct artist names over all songs. */
  readonly artistCount: number;
  /** Number of artists with at least two songs (the only ones that yield pairs). */
  readonly pairedArtistCount: number;
}

/**
 * Artist sampling (paper §2.3, Table 1 rows g–h): both songs of every pair
 * share at least one artist, so the model has to learn why some songs of an
 * artist are more popular than others.
 *
 * - `artists[i]` lists the artist names of song i; a song with several
 *   artists (a collaboration) belongs to each of their song lists. Names are
 *   compared exactly (case-sensitive — normalise them first if needed);
 *   repeated names within one song and empty strings are ignored. A song with
 *   no artist is never paired.
 * - An artist with a single song contributes no pair.
 * - Valid pairs = the distinct unordered pairs {i, j} that share ≥ 1 artist;
 *   each epoch draws `pairsPerEpoch` of them uniformly without replacement.
 *   How: pick an artist with probability ∝ its number of song pairs
 *   m(m−1)/2, then a uniform pair of its songs; a pair sharing s artists
 *   would be s times as likely, so it is kept with probability 1/s. Hence
 *   prolific artists contribute pairs in proportion to m², as in uniform
 *   sampling over the valid pairs.
 *
 * @param artists - per song, its artist names (one array per training song).
 * @param options - `pairsPerEpoch` (default n, capped at the number of valid
 *   pairs) and `seed` (default 0); see {@link PairSamplerOptions}.
 * @returns an {@link ArtistPairSampler} over indices 0 … n − 1.
 * @throws HitrankError `E_NO_PAIRS` when no artist has two songs, `E_PARAM`
 *   for malformed input or options.
 *
 * @example
 * ```ts
 * const sampler = artistPairs([['Jay Chou'], ['Jay Chou', 'Lara'], ['Lara'], ['Eason']], { seed: 3 });
 * sampler.validPairCount; // 2: {0, 1} and {1, 2}
 * ```
 */
export function artistPairs(artists: readonly (readonly string[])[], options: PairSamplerOptions = {}): ArtistPairSampler {
  if (!Array.isArray(artists)) {
    throw new HitrankError('E_PARAM', `artists must be an array with one string[] per song, got ${typeof artists}.`);
  }
  const n = artists.length;
  checkSongCount(n, 'artists.length');

  // Artist ids in order of first appearance; per song the sorted unique ids.
  const ids = new Map<string, number>();
  const songArtists: Int32Array[] = new Array(n);
  const lists: number[][] = [];
  for (let i = 0; i < n; i++) {
    const names = artists[i];
    if (!Array.isArray(names)) {
      throw new HitrankError('E_PARAM', `artists[${i}] must be an array of artist names, got ${typeof names}.`);
    }
    const own: number[] = [];
    for (const name of names) {
      if (typeof name !== 'string') {
        throw new HitrankError('E_PARAM', `artists[${i}] contains ${typeof name} ${String(name)}; expected strings.`);
      }
      if (name === '') continue;
      let id = ids.get(name);
      if (id === undefined) {
        id = lists.length;
        ids.set(name, id);
        lists.push([]);
      }
      if (!own.includes(id)) {
        own.push(id);
        lists[id].push(i); // songs ascending within each list
      }
    }
    songArtists[i] = Int32Array.from(own).sort();
  }

  // Artists with ≥ 2 songs, drawn with probability ∝ m(m−1)/2.
  const paired: Int32Array[] = [];
  const pairedId: number[] = [];
  for (let id = 0; id < lists.length; id++) {
    if (lists[id].length >= 2) {
      paired.push(Int32Array.from(lists[id]));
      pairedId.push(id);
    }
  }
  const cum = new Float64Array(paired.length);
  let total = 0;
  for (let p = 0; p < paired.length; p++) {
    const m = paired[p].length;
    total += (m * (m - 1)) / 2;
    cum[p] = total;
  }

  const shared = (i: number, j: number): { count: number; first: number } => {
    const a = songArtists[i];
    const b = songArtists[j];
    let count = 0;
    let first = -1;
    for (let x = 0, y = 0; x < a.length && y < b.length; ) {
      if (a[x] === b[y]) {
        if (first < 0) first = a[x];
        count++;
        x++;
        y++;
      } else if (a[x] < b[y]) x++;
      else y++;
    }
    return { count, first };
  };

  const space: PairSpace = {
    n,
    count: total - duplicatePairs(songArtists, lists),
    draw(rng) {
      const u = rng() * total;
      let lo = 0;
      let hi = cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cum[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      const songs = paired[lo];
      const m = songs.length;
      const p = randomIndex(rng, m);
      let q = randomIndex(rng, m - 1);
      if (q >= p) q++;
      const i = songs[p];
      const j = songs[q];
      const s = shared(i, j).count;
      if (s > 1 && rng() * s >= 1) return -1;
      return i < j ? i * n + j : j * n + i;
    },
    forEach(emit) {
      for (let p = 0; p < paired.length; p++) {
        const songs = paired[p];
        for (let x = 0; x < songs.length; x++) {
          for (let y = x + 1; y < songs.length; y++) {
            // Emit a pair only under the first artist it shares.
            if (shared(songs[x], songs[y]).first === pairedId[p]) emit(songs[x], songs[y]);
          }
        }
      }
    },
  };
  return makeSampler(
    'artist',
    space,
    options,
    n === 0 ? 'no songs.' : `none of the ${ids.size} artist(s) has two or more songs in this set.`,
    { artistCount: ids.size, pairedArtistCount: paired.length },
  );
}

/**
 * Σ over pairs sharing s ≥ 2 artists of (s − 1): the amount by which
 * Σ m(m−1)/2 over-counts distinct pairs. Only songs with ≥ 2 artists can
 * share two, so only those are visited.
 */
function duplicatePairs(songArtists: Int32Array[], lists: number[][]): number {
  let dup = 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < songArtists.length; i++) {
    if (songArtists[i].length < 2) continue;
    counts.clear();
    for (const id of songArtists[i]) {
      for (const j of lists[id]) {
        if (j > i && songArtists[j].length >= 2) counts.set(j, (counts.get(j) ?? 0) + 1);
      }
    }
    for (const c of counts.values()) if (c > 1) dup += c - 1;
  }
  return dup;
}
