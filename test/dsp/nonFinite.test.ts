// logMel / melSpectrogram find non-finite samples from their output instead of
// scanning the input up front (MelEngine.compute). These tests pin that every
// sample position still ends in checkSignal's E_NAN error, with the same message.
import { describe, expect, it } from 'vitest';
import { LogMelExtractor, logMel, melSpectrogram } from '../../src/dsp/index.js';
import { checkSignal } from '../../src/dsp/stft.js';
import { HitrankError } from '../../src/errors.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(HitrankError);
    expect((e as HitrankError).code).toBe('E_NAN');
    return (e as Error).message;
  }
  throw new Error('expected an E_NAN error, nothing was thrown');
}

function signal(n: number): Float32Array {
  return new Float32Array(n).map((_, i) => 0.3 * Math.sin(i / 7) + 0.1 * Math.sin(i / 3.1));
}

/** The message checkSignal gives for `y` (what the up-front scan used to throw). */
function expected(y: ArrayLike<number>): string {
  return message(() => checkSignal(y));
}

describe('non-finite samples are reported from the output, as checkSignal reports them', () => {
  const n = 20_000;
  const positions = [0, 1, 2047, 2048, 9999, n - 2, n - 1];

  for (const bad of [NaN, Infinity, -Infinity]) {
    it(`${bad} anywhere (center = true): E_NAN naming the sample`, () => {
      for (const i of positions) {
        const y = signal(n);
        y[i] = bad;
        const want = expected(y);
        expect(want).toContain(`at index ${i}`);
        expect(message(() => logMel(y))).toBe(want);
        expect(message(() => new LogMelExtractor().compute(y))).toBe(want);
        expect(message(() => melSpectrogram(y, { sampleRate: 22050, nFft: 4096, hopLength: 2048 }))).toBe(want);
      }
    });
  }

  it('center = false: samples after the last frame (read by no frame) are still checked', () => {
    const y = signal(n);
    // Frames start at t·2048 and end at 4096 + t·2048 ≤ n: the last one ends at 18432.
    const unread = 4096 + Math.floor((n - 4096) / 2048) * 2048;
    expect(unread).toBeLessThan(n);
    for (const i of [0, unread - 1, unread, n - 1]) {
      const z = y.slice();
      z[i] = NaN;
      expect(message(() => logMel(z, { center: false }))).toBe(expected(z));
    }
  });

  it('samples that meet a zero of the window (Hann, center = false, sample 0) still poison the output', () => {
    const y = signal(n);
    y[0] = Infinity;
    expect(message(() => logMel(y, { preset: 'hspCnn', center: false }))).toBe(expected(y));
  });

  it('hop > nFft leaves gaps no frame reads: the whole input is scanned', () => {
    const z = signal(n);
    z[4200] = NaN; // center = false, hop 5000: frame 0 = [0, 4096), frame 1 = [5000, 9096)
    expect(message(() => logMel(z, { center: false, hopLength: 5000 }))).toBe(expected(z));
  });

  it('the first bad sample is named when there are several', () => {
    const y = signal(n);
    y[15_000] = NaN;
    y[300] = -Infinity;
    expect(message(() => logMel(y))).toContain('at index 300');
  });

  it('a bad sample outside the kept middle frames (hspCnn preset) is still an error', () => {
    const y = signal(22050 * 40);
    y[5] = NaN;
    expect(message(() => logMel(y, { preset: 'hspCnn' }))).toBe(expected(y));
  });

  it('plain arrays are rounded to float32 first: 1e300 becomes Infinity, as before', () => {
    const y = Array.from(signal(6000));
    y[4321] = 1e300;
    expect(message(() => logMel(y))).toBe(expected(y));
  });

  it('a finite signal gives finite features', () => {
    const r = logMel(signal(n));
    expect(r.data.every((v) => Number.isFinite(v))).toBe(true);
  });
});
