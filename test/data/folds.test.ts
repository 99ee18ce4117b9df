import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossValidationFolds, subsetDataset, validateDataset, type HitDataset } from '../../src/data/index.js';
import { thrownCode as code } from '../helpers/errors.js';

describe('crossValidationFolds', () => {
  it('partitions the songs in every split; each song is test once and validation once (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: k, max: 400 }))), fc.integer(), ([folds, n], seed) => {
        const splits = crossValidationFolds(n, { folds, seed });
        expect(splits.length).toBe(folds);
        const testCount = new Int32Array(n);
        const valCount = new Int32Array(n);
        const sizes = splits.map((s) => s.test.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        splits.forEach((s, f) => {
          expect(s.fold).toBe(f);
          const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i)); // disjoint and covering
          for (const part of [s.train, s.validation, s.test]) {
            expect(Array.from(part)).toEqual(Array.from(part).sort((a, b) => a - b));
          }
          expect(Array.from(s.validation)).toEqual(Array.from(splits[(f + 1) % folds].test));
          s.test.forEach((i) => testCount[i]++);
          s.validation.forEach((i) => valCount[i]++);
        });
        expect(testCount.every((c) => c === 1)).toBe(true);
        expect(valCount.every((c) => c === 1)).toBe(true);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('is the paper split for 15 000 songs: 12k / 1.5k / 1.5k', () => {
    const splits = crossValidationFolds(15000, { seed: 1 });
    for (const s of splits) expect([s.train.length, s.validation.length, s.test.length]).toEqual([12000, 1500, 1500]);
  });

  it('same seed → same folds; different seeds → different folds', () => {
    const a = crossValidationFolds(100, { seed: 3 });
    expect(crossValidationFolds(100, { seed: 3 })).toEqual(a);
    expect(crossValidationFolds(100, { seed: 4 })[0].test).not.toEqual(a[0].test);
    expect(crossValidationFolds(100)).toEqual(crossValidationFolds(100, { seed: 0 }));
  });

  it('rejects impossible splits', () => {
    expect(code(() => crossValidationFolds(5, { folds: 10 }))).toBe('E_PARAM');
    expect(code(() => crossValidationFolds(50, { folds: 2 }))).toBe('E_PARAM');
    expect(code(() => crossValidationFolds(50, { seed: NaN }))).toBe('E_PARAM');
    expect(code(() => crossValidationFolds(-1))).toBe('E_PARAM');
  });
});

describe('validateDataset and subsetDataset', () => {
  const good = (): HitDataset => ({
    ids: ['a', 'b', 'c'],
    hitScores: Float64Array.from([0.1, 0, 0.3]),
    artists: [['x'], ['x', 'y'], []],
    mels: [new Float32Array(6), new Float32Array(6), new Float32Array(6)],
    melShape: [2, 3],
    tags: [new Float32Array(2), new Float32Array(2), new Float32Array(2)],
    tagNames: ['rock', 'pop'],
  });

  it('accepts a consistent dataset and returns its size', () => {
    expect(validateDataset(good())).toBe(3);
    expect(validateDataset({ ids: ['a'], hitScores: Float64Array.from([1]) })).toBe(1);
  });

  it('names the first problem', () => {
    const cases: [(d: HitDataset) => void, string, RegExp][] = [
      [(d) => (d.ids = []), 'E_EMPTY', /no songs/],
      [(d) => (d.ids = ['a', 'b', 'a']), 'E_PARAM', /duplicate/],
      [(d) => (d.hitScores = Float64Array.from([1, 2])), 'E_SHAPE', /hitScores has 2 entries but there are 3/],
      [(d) => (d.hitScores = new Float32Array(3) as unknown as Float64Array), 'E_PARAM', /Float64Array/],
      [(d) => (d.hitScores[1] = NaN), 'E_NAN', /hitScores\[1\] \(song "b"\)/],
      [(d) => (d.hitScores[2] = -1), 'E_PARAM', /≥ 0/],
      [(d) => (d.artists = [['x'], ['y']]), 'E_SHAPE', /artists/],
      [(d) => (d.artists![1] = 'x' as unknown as string[]), 'E_PARAM', /artists\[1\]/],
      [(d) => (d.mels![2] = new Float32Array(5)), 'E_SHAPE', /mels\[2\].*needs 6/],
      [(d) => delete d.melShape, 'E_SHAPE', /melShape/],
      [(d) => (d.mels![0][3] = Infinity), 'E_NAN', /mels\[0\].*index 3/],
      [(d) => (d.tags![1] = new Float32Array(3)), 'E_SHAPE', /tags\[1\].*tagNames/],
      [(d) => (d.tags![0][0] = NaN), 'E_NAN', /tags\[0\]/],
    ];
    for (const [mutate, c, msg] of cases) {
      const d = good();
      mutate(d);
      expect(code(() => validateDataset(d)), String(msg)).toBe(c);
      expect(() => validateDataset(d)).toThrow(msg);
    }
    const d = good();
    d.mels![0][0] = NaN;
    expect(validateDataset(d, { checkFeatureValues: false })).toBe(3);
    expect(code(() => validateDataset(good(), { minSongs: 10 }))).toBe('E_TOO_SHORT');
  });

  it('subsetDataset takes the songs of a fold in order', () => {
    const s = subsetDataset(good(), [2, 0]);
    expect(s.ids).toEqual(['c', 'a']);
    expect(Array.from(s.hitScores)).toEqual([0.3, 0.1]);
    expect(s.artists).toEqual([[], ['x']]);
    expect(s.melShape).toEqual([2, 3]);
    expect(validateDataset(s)).toBe(2);
    expect(code(() => subsetDataset(good(), [3]))).toBe('E_PARAM');
  });
});
