/**
 * k-fold cross-validation splits with a validation fold (paper §4).
 *
 * @module
 */
import seedrandom from 'seedrandom';
import { HitrankError, assertInteger } from '../errors.js';
import type { CrossValidationFold } from './types.js';

/** Options of {@link crossValidationFolds}. */
export interface CrossValidationOptions {
  /** Number of folds (integer ≥ 3; default 10, the paper's 8 : 1 : 1 split). */
  folds?: number;
  /** Seed of the shuffle (`seedrandom`; default 0). Same seed → same folds. */
  seed?: number | string;
}

/**
 * The paper's cross-validation (§4): the songs are shuffled with a seeded
 * Fisher–Yates shuffle and cut into `folds` parts whose sizes differ by at most
 * one (the first `n mod folds` parts get the extra song). Split `f` uses part
 * `f` as test set, part `(f + 1) mod folds` as validation set and the other
 * `folds − 2` parts for training — with 10 folds, 8 : 1 : 1 (12k / 1.5k / 1.5k
 * for the paper's 15k songs), each part the test set exactly once. Within a
 * split the three sets are disjoint and cover all songs; indices are sorted.
 * Comparable to scikit-learn's `KFold(n_splits, shuffle=True)` plus a
 * validation fold taken from the next part.
 *
 * @param n - number of songs (integer ≥ folds, so no part is empty).
 * @param options - see {@link CrossValidationOptions}.
 * @returns `folds` splits `{ fold, train, validation, test }` (Int32Array indices).
 * @throws HitrankError `E_PARAM` (bad options, or fewer songs than folds).
 *
 * @example
 * ```ts
 * for (const { train, validation, test } of crossValidationFolds(15000, { seed: 1 })) { ... }
 * ```
 */
export function crossValidationFolds(n: number, options: CrossValidationOptions = {}): CrossValidationFold[] {
  const folds = options.folds ?? 10;
  assertInteger(folds, 'folds', 3);
  assertInteger(n, 'n', 0);
  if (n < folds) {
    throw new HitrankError('E_PARAM', `crossValidationFolds needs at least one song per fold: n = ${n} < folds = ${folds}.`);
  }
  const seed = options.seed ?? 0;
  if (!((typeof seed === 'number' && Number.isFinite(seed)) || typeof seed === 'string')) {
    throw new HitrankError('E_PARAM', `seed must be a finite number or a string, got ${String(seed)}.`);
  }
  const rng = seedrandom(`hitrank:folds:${String(seed)}`);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rng() * (i + 1)));
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const base = Math.floor(n / folds);
  const extra = n % folds;
  const parts: Int32Array[] = [];
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = base + (f < extra ? 1 : 0);
    parts.push(perm.slice(start, start + size).sort());
    start += size;
  }
  const partOf = new Int32Array(n);
  parts.forEach((p, f) => p.forEach((i) => (partOf[i] = f)));
  return parts.map((test, f) => {
    const v = (f + 1) % folds;
    const train = new Int32Array(n - test.length - parts[v].length);
    let t = 0;
    for (let i = 0; i < n; i++) if (partOf[i] !== f && partOf[i] !== v) train[t++] = i;
    return { fold: f, train, validation: parts[v].slice(), test: test.slice() };
  });
}
