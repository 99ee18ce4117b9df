import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectHighlight } from '../../src/highlight/index.js';
import { HitrankError } from '../../src/errors.js';

/** Earliest argmax of window sums by brute force (exact for integer scores). */
function naive(scores: number[], L: number): number {
  let best = -Infinity;
  let start = 0;
  for (let k = 0; k + L <= scores.length; k++) {
    let s = 0;
    for (let i = k; i < k + L; i++) s += scores[i];
    if (s > best) {
      best = s;
      start = k;
    }
  }
  return start;
}

describe('selectHighlight — hand-checked cases', () => {
  it('finds the window with the largest sum', () => {
    expect(selectHighlight([0, 0, 1, 1, 1, 0, 0], { length: 3 })).toEqual({ start: 2, end: 5, score: 3, wholeSong: false });
  });

  it('breaks ties toward the earliest start', () => {
    expect(selectHighlight([1, 1, 1, 1, 1], { length: 2 }).start).toBe(0);
    expect(selectHighlight([5, 0, 0, 5], { length: 1 }).start).toBe(0);
    expect(selectHighlight([0, 5, 0, 5], { length: 1 }).start).toBe(1);
    // two equal plateaus far apart
    expect(selectHighlight([0, 2, 2, 0, 0, 2, 2, 0], { length: 2 }).start).toBe(1);
  });

  it('treats sums equal up to rounding as ties (earliest wins)', () => {
    // windows 1 and 2 both sum to 1.1; with prefix sums window 1 comes out as
    // 1.0999999999999999 and window 2 as 1.1
    const w = selectHighlight([0.1, 0.1, 0.3, 0.7, 0.1, 0.3], { length: 3 });
    expect(w.start).toBe(1);
    expect(w.score).toBeCloseTo(1.1, 12);
  });

  it('reaches both edges, including the last valid start d − L', () => {
    expect(selectHighlight([3, 2, 0, 0, 0], { length: 2 })).toMatchObject({ start: 0, end: 2 });
    expect(selectHighlight([0, 0, 0, 1, 2], { length: 2 })).toMatchObject({ start: 3, end: 5 });
    // the HL-30 extractor of HSP_CNN looped over range(len − L) and would miss start 3 here
    expect(selectHighlight([0, 0, 0, 0, 5], { length: 2 }).start).toBe(3);
  });

  it('does not favour start 0 the way the pop-music-highlighter off-by-one does', () => {
    // true sums: k0 = 1, k1 = 1.5, k2 = 1.5; main.py's s[0] = c[L] = 2.5 would pick 0
    expect(selectHighlight([1, 0, 1.5, 0], { length: 2 }).start).toBe(1);
  });

  it('handles negative scores', () => {
    expect(selectHighlight([-1, -2, -0.5, -3], { length: 1 })).toMatchObject({ start: 2, score: -0.5 });
  });

  it('returns songs of at most `length` seconds whole and flags them', () => {
    expect(selectHighlight(new Array(30).fill(1))).toEqual({ start: 0, end: 30, score: 30, wholeSong: true });
    expect(selectHighlight([1, 2, 3], { length: 30 })).toEqual({ start: 0, end: 3, score: 6, wholeSong: true });
    expect(selectHighlight([5], { length: 1 })).toEqual({ start: 0, end: 1, score: 5, wholeSong: true });
    const w31 = selectHighlight([...new Array(30).fill(0), 1]); // 31 s: two windows
    expect(w31).toEqual({ start: 1, end: 31, score: 1, wholeSong: false });
  });

  it('defaults to a 30-s window', () => {
    const scores = new Array(100).fill(0);
    for (let i = 40; i < 70; i++) scores[i] = 1;
    expect(selectHighlight(scores)).toEqual({ start: 40, end: 70, score: 30, wholeSong: false });
  });

  it('rejects bad input with HitrankError codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof HitrankError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => selectHighlight([]))).toBe('E_EMPTY');
    expect(code(() => selectHighlight([1, NaN, 2], { length: 1 }))).toBe('E_NAN');
    expect(code(() => selectHighlight([1, Infinity], { length: 1 }))).toBe('E_NAN');
    expect(code(() => selectHighlight([1, 2, 3], { length: 0 }))).toBe('E_PARAM');
    expect(code(() => selectHighlight([1, 2, 3], { length: 1.5 }))).toBe('E_PARAM');
    expect(code(() => selectHighlight(null as unknown as number[]))).toBe('E_PARAM');
  });
});

describe('selectHighlight — against brute force', () => {
  it('equals the earliest argmax of the window sums (integer scores, with ties)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (scores, L) => {
        const w = selectHighlight(scores, { length: L });
        if (scores.length <= L) {
          expect(w).toMatchObject({ start: 0, end: scores.length, wholeSong: true });
        } else {
          expect(w.start).toBe(naive(scores, L));
          expect(w.end).toBe(w.start + L);
          expect(w.score).toBe(scores.slice(w.start, w.end).reduce((a, b) => a + b, 0));
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
