/**
 * Shape and value checks of a {@link HitDataset}, and song subsets.
 *
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import type { HitDataset } from './types.js';

/** Options of {@link validateDataset}. */
export interface ValidateDatasetOptions {
  /**
   * Also check every mel and tag value is finite (default true; one pass over
   * all features — about 0.6 · 10⁹ values for 15k songs × 128 × 323).
   */
  checkFeatureValues?: boolean;
  /** Require at least this many songs (default 1). */
  minSongs?: number;
}

/**
 * Checks that a dataset is consistent before training or evaluation, and
 * throws a {@link HitrankError} naming the first problem:
 *
 * - `ids`: an array of unique strings, at least `minSongs` of them (`E_EMPTY` /
 *   `E_TOO_SHORT` / `E_PARAM` for a duplicate).
 * - `hitScores`: a `Float64Array` with one finite score ≥ 0 per song (`E_SHAPE`,
 *   `E_NAN`, `E_PARAM` for a negative score — hit scores are market shares and
 *   nDCG gains must be ≥ 0).
 * - `artists` (optional): one `string[]` per song (`E_SHAPE`, `E_PARAM`).
 * - `mels` (optional): one `Float32Array` of `nMels × frames` values per song,
 *   with `melShape = [nMels, frames]` given (`E_SHAPE`, `E_NAN`).
 * - `tags` (optional): one `Float32Array` per song, all of the same length,
 *   equal to `tagNames.length` when names are given (`E_SHAPE`, `E_NAN`).
 *
 * @param ds - the dataset.
 * @param options - see {@link ValidateDatasetOptions}.
 * @returns the number of songs.
 * @throws HitrankError as listed above.
 *
 * @example
 * ```ts
 * const n = validateDataset(trainSet);
 * ```
 */
export function validateDataset(ds: HitDataset, options: ValidateDatasetOptions = {}): number {
  if (ds === null || typeof ds !== 'object') throw new HitrankError('E_PARAM', `dataset must be an object, got ${String(ds)}.`);
  const checkValues = options.checkFeatureValues ?? true;
  const minSongs = options.minSongs ?? 1;
  assertInteger(minSongs, 'minSongs', 1);

  if (!Array.isArray(ds.ids)) throw new HitrankError('E_PARAM', 'dataset.ids must be an array of song ids.');
  const n = ds.ids.length;
  if (n === 0) throw new HitrankError('E_EMPTY', 'dataset has no songs (ids is empty).');
  if (n < minSongs) throw new HitrankError('E_TOO_SHORT', `dataset has ${n} songs; at least ${minSongs} are required.`);
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const id = ds.ids[i];
    if (typeof id !== 'string') throw new HitrankError('E_PARAM', `dataset.ids[${i}] is ${typeof id}; expected a string.`);
    if (seen.has(id)) throw new HitrankError('E_PARAM', `dataset.ids[${i}] = "${id}" is a duplicate; song ids must be unique.`);
    seen.add(id);
  }

  if (!(ds.hitScores instanceof Float64Array)) {
    throw new HitrankError('E_PARAM', 'dataset.hitScores must be a Float64Array (metrics need float64 true scores).');
  }
  sameLength(ds.hitScores.length, n, 'dataset.hitScores');
  for (let i = 0; i < n; i++) {
    const v = ds.hitScores[i];
    if (!Number.isFinite(v)) throw new HitrankError('E_NAN', `dataset.hitScores[${i}] (song "${ds.ids[i]}") is ${v}; expected a finite number.`);
    if (v < 0) throw new HitrankError('E_PARAM', `dataset.hitScores[${i}] (song "${ds.ids[i]}") is ${v}; hit scores must be ≥ 0.`);
  }

  if (ds.artists !== undefined) {
    if (!Array.isArray(ds.artists)) throw new HitrankError('E_PARAM', 'dataset.artists must be an array of string arrays.');
    sameLength(ds.artists.length, n, 'dataset.artists');
    ds.artists.forEach((a, i) => {
      if (!Array.isArray(a) || a.some((x) => typeof x !== 'string')) {
        throw new HitrankError('E_PARAM', `dataset.artists[${i}] (song "${ds.ids[i]}") must be an array of artist names.`);
      }
    });
  }

  if (ds.mels !== undefined) {
    if (!Array.isArray(ds.mels)) throw new HitrankError('E_PARAM', 'dataset.mels must be an array of Float32Array.');
    sameLength(ds.mels.length, n, 'dataset.mels');
    const shape = ds.melShape;
    if (!Array.isArray(shape) || shape.length !== 2) {
      throw new HitrankError('E_SHAPE', 'dataset.melShape = [nMels, frames] is required when mels are given.');
    }
    assertInteger(shape[0], 'dataset.melShape[0] (nMels)', 1);
    assertInteger(shape[1], 'dataset.melShape[1] (frames)', 1);
    const size = shape[0] * shape[1];
    ds.mels.forEach((m, i) => {
      if (!(m instanceof Float32Array)) throw new HitrankError('E_PARAM', `dataset.mels[${i}] must be a Float32Array.`);
      if (m.length !== size) {
        throw new HitrankError(
          'E_SHAPE',
          `dataset.mels[${i}] (song "${ds.ids[i]}") has ${m.length} values; melShape [${shape[0]}, ${shape[1]}] needs ${size}.`,
        );
      }
      if (checkValues) finite(m, `dataset.mels[${i}] (song "${ds.ids[i]}")`);
    });
  } else if (ds.melShape !== undefined && !Array.isArray(ds.melShape)) {
    throw new HitrankError('E_PARAM', 'dataset.melShape must be [nMels, frames].');
  }

  if (ds.tags !== undefined) {
    if (!Array.isArray(ds.tags)) throw new HitrankError('E_PARAM', 'dataset.tags must be an array of Float32Array.');
    sameLength(ds.tags.length, n, 'dataset.tags');
    const dim = ds.tagNames?.length ?? ds.tags[0]?.length;
    ds.tags.forEach((t, i) => {
      if (!(t instanceof Float32Array)) throw new HitrankError('E_PARAM', `dataset.tags[${i}] must be a Float32Array.`);
      if (t.length !== dim) {
        throw new HitrankError(
          'E_SHAPE',
          `dataset.tags[${i}] (song "${ds.ids[i]}") has ${t.length} values; expected ${dim}` +
            (ds.tagNames ? ' (= tagNames.length).' : ' (the length of tags[0]).'),
        );
      }
      if (checkValues) finite(t, `dataset.tags[${i}] (song "${ds.ids[i]}")`);
    });
  }
  if (ds.tagNames !== undefined && (!Array.isArray(ds.tagNames) || ds.tagNames.some((x) => typeof x !== 'string'))) {
    throw new HitrankError('E_PARAM', 'dataset.tagNames must be an array of strings.');
  }
  return n;
}

function sameLength(len: number, n: number, what: string): void {
  if (len !== n) throw new HitrankError('E_SHAPE', `${what} has ${len} entries but there are ${n} songs (ids).`);
}

function finite(x: Float32Array, what: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new HitrankError('E_NAN', `${what} contains ${x[i]} at index ${i}; expected finite numbers.`);
  }
}

/**
 * The songs at `indices` of a dataset, in that order (e.g. one fold's
 * training set from {@link crossValidationFolds}). Feature arrays are shared,
 * not copied; `hitScores` is a new Float64Array.
 *
 * @param ds - the dataset.
 * @param indices - song indices (integers in [0, n), repeats allowed).
 * @returns a new {@link HitDataset} with the same optional fields present.
 * @throws HitrankError `E_PARAM` for an index out of range.
 *
 * @example
 * ```ts
 * const [split] = crossValidationFolds(ds.ids.length, { seed: 1 });
 * const train = subsetDataset(ds, split.train);
 * ```
 */
export function subsetDataset(ds: HitDataset, indices: ArrayLike<number>): HitDataset {
  const n = ds.ids.length;
  const idx = Array.from(indices);
  idx.forEach((i, t) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new HitrankError('E_PARAM', `indices[${t}] = ${i} is not a song index in [0, ${n}).`);
    }
  });
  const out: HitDataset = {
    ids: idx.map((i) => ds.ids[i]),
    hitScores: Float64Array.from(idx, (i) => ds.hitScores[i]),
  };
  if (ds.artists) out.artists = idx.map((i) => ds.artists![i]);
  if (ds.mels) out.mels = idx.map((i) => ds.mels![i]);
  if (ds.melShape) out.melShape = [ds.melShape[0], ds.melShape[1]];
  if (ds.tags) out.tags = idx.map((i) => ds.tags![i]);
  if (ds.tagNames) out.tagNames = [...ds.tagNames];
  return out;
}
