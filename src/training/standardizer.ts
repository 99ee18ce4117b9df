import { HitrankError } from '../errors.js';

/**
 * Per-row (mel band) or per-dimension (tag) standardisation statistics,
 * fitted on a training set and stored in the model card: `x' = (x − mean) / std`.
 */
export interface Standardizer {
  /** Mean per row / dimension. */
  mean: number[];
  /** Standard deviation per row / dimension (population, ddof 0; 0 is stored as 1). */
  std: number[];
}

/**
 * Fits per-band statistics over all frames of all spectrograms
 * (`[rows × frames]` row-major each), in double precision.
 *
 * @param mels - the training spectrograms.
 * @param rows - number of rows (mel bands).
 * @returns the {@link Standardizer}.
 */
export function fitRowStandardizer(mels: Float32Array[], rows: number): Standardizer {
  if (mels.length === 0) throw new HitrankError('E_EMPTY', 'cannot fit feature statistics on an empty training set.');
  const sum = new Float64Array(rows);
  const sq = new Float64Array(rows);
  let count = 0;
  for (const m of mels) {
    const frames = m.length / rows;
    count += frames;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      let q = 0;
      const off = r * frames;
      for (let t = 0; t < frames; t++) {
        const v = m[off + t];
        s += v;
        q += v * v;
      }
      sum[r] += s;
      sq[r] += q;
    }
  }
  return finish(sum, sq, count);
}

/**
 * Fits per-dimension statistics of feature vectors (e.g. tag activations).
 *
 * @param vectors - the training vectors, all of length `dim`.
 * @param dim - the dimension.
 * @returns the {@link Standardizer}.
 */
export function fitVectorStandardizer(vectors: Float32Array[], dim: number): Standardizer {
  if (vectors.length === 0) throw new HitrankError('E_EMPTY', 'cannot fit feature statistics on an empty training set.');
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (const v of vectors) {
    for (let d = 0; d < dim; d++) {
      sum[d] += v[d];
      sq[d] += v[d] * v[d];
    }
  }
  return finish(sum, sq, vectors.length);
}

function finish(sum: Float64Array, sq: Float64Array, count: number): Standardizer {
  const mean: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < sum.length; i++) {
    const m = sum[i] / count;
    const v = Math.max(0, sq[i] / count - m * m);
    const s = Math.sqrt(v);
    mean.push(m);
    std.push(s > 1e-8 * Math.max(1, Math.abs(m)) ? s : 1);
  }
  return { mean, std };
}

/** The identity standardiser of a given size (mean 0, std 1). */
export function identityStandardizer(size: number): Standardizer {
  return { mean: new Array<number>(size).fill(0), std: new Array<number>(size).fill(1) };
}

/**
 * Standardises `clips` log-mels of `[rows, frames]` in place, row r as
 * `(x − mean[r]) / std[r]` computed in float64 and stored as float32 — the
 * arithmetic of `SiameseHitModel`'s inputs, shared by the model and by the
 * data-parallel workers (which standardise their own shards), so both give
 * the same bits.
 *
 * @param x - the log-mels, one after another.
 * @param clips - how many.
 * @param rows - mel bands.
 * @param frames - frames per clip.
 * @param std - the statistics ({@link Standardizer}).
 */
export function standardizeMelsInPlace(x: Float32Array, clips: number, rows: number, frames: number, std: Standardizer): void {
  const { mean, std: dev } = std;
  for (let b = 0; b < clips; b++) {
    const base = b * rows * frames;
    for (let r = 0; r < rows; r++) {
      const mu = mean[r];
      const inv = 1 / dev[r];
      const off = base + r * frames;
      for (let t = 0; t < frames; t++) x[off + t] = (x[off + t] - mu) * inv;
    }
  }
}
