import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resample, resampleInputRange, resampledLength, toMono, midSegment, midFrames } from '../../src/dsp/index.js';
import { resampleBy } from '../../src/dsp/resample.js';
import { HitrankError } from '../../src/errors.js';

interface Case {
  from: number;
  to: number;
  x: number[];
  y: number[];
}
const ref = JSON.parse(readFileSync(new URL('./data/resample_ref.json', import.meta.url), 'utf8')) as { cases: Case[] };

function tone(freq: number, rate: number, seconds: number, amp = 0.5): Float32Array {
  const n = Math.round(rate * seconds);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return y;
}

/** Magnitude of the DFT of y at frequency f (Hann-windowed, single bin). */
function dftMag(y: Float32Array, f: number, rate: number): number {
  let re = 0;
  let im = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
    const a = (2 * Math.PI * f * i) / rate;
    re += y[i] * w * Math.cos(a);
    im -= y[i] * w * Math.sin(a);
  }
  return Math.hypot(re, im);
}

function rms(y: Float32Array, from = 0, to = y.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += y[i] * y[i];
  return Math.sqrt(s / (to - from));
}

describe('resample vs scipy.signal.resample_poly', () => {
  expect(ref.cases.length).toBeGreaterThanOrEqual(6);
  for (const c of ref.cases) {
    it(`${c.from} → ${c.to} Hz: same length and samples (float32 rounding)`, () => {
      const y = resample(Float32Array.from(c.x), { from: c.from, to: c.to, quality: 'scipy' });
      expect(y.length).toBe(c.y.length);
      let peak = 0;
      for (const v of c.y) peak = Math.max(peak, Math.abs(v));
      let worst = 0;
      for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - c.y[i]));
      // float32 output of a float64 computation: ≤ a few ulps of the peak.
      expect(worst).toBeLessThanOrEqual(4e-7 * peak);
    });
  }
});

describe('resample is band-limited', () => {
  it('a 1 kHz sine keeps its frequency at 44.1k → 22.05k', () => {
    const y = resample(tone(1000, 44100, 1), { from: 44100, to: 22050 });
    expect(y.length).toBe(22050);
    const at = (f: number) => dftMag(y, f, 22050);
    expect(at(1000)).toBeGreaterThan(100 * at(990));
    expect(at(1000)).toBeGreaterThan(100 * at(1010));
    // amplitude preserved in the passband (interior samples)
    expect(rms(y, 2000, 20000)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  for (const [from, f] of [
    [44100, 15000],
    [48000, 13000],
    [32000, 12500],
  ] as const) {
    it(`an out-of-band ${f} Hz tone at ${from} Hz is attenuated ≥ 80 dB ('hq')`, () => {
      const y = resample(tone(f, from, 1), { from, to: 22050 });
      const r = rms(y, 1000, y.length - 1000);
      const db = 20 * Math.log10(r / (0.5 / Math.SQRT2));
      expect(db).toBeLessThanOrEqual(-80);
    });
  }

  it("'hq' passes 9.5 kHz within 0.1 dB and 'scipy' is what scipy is", () => {
    const y = resample(tone(9500, 44100, 1), { from: 44100, to: 22050 });
    const db = 20 * Math.log10(rms(y, 2000, 20000) / (0.5 / Math.SQRT2));
    expect(Math.abs(db)).toBeLessThan(0.1);
    const s = resample(tone(15000, 44100, 1), { from: 44100, to: 22050, quality: 'scipy' });
    expect(20 * Math.log10(rms(s, 1000, s.length - 1000) / (0.5 / Math.SQRT2))).toBeLessThanOrEqual(-60);
  });

  it('upsampling 8k/16k → 22.05k keeps a 440 Hz tone and adds nothing above 4 kHz', () => {
    for (const from of [8000, 16000]) {
      const y = resample(tone(440, from, 1), { from, to: 22050 });
      expect(y.length).toBe(22050);
      expect(dftMag(y, 440, 22050)).toBeGreaterThan(1000 * dftMag(y, 8000 - 440, 22050) + 1e-9);
    }
  });

  it('rejects non-integer or non-positive rates with E_SAMPLE_RATE', () => {
    const y = new Float32Array(100);
    expect(() => resample(y, { from: 0, to: 22050 })).toThrow(HitrankError);
    expect(() => resample(y, { from: 44100.5, to: 22050 })).toThrow(/E_SAMPLE_RATE/);
    expect(resample(y, { from: 22050 })).not.toBe(y);
    expect(() => resample(y, { from: 22050, quality: 'best' as 'hq' })).toThrow(/quality/);
    expect(() => resampleInputRange(10, { from: 22050, quality: 'best' as 'hq' })).toThrow(/quality/);
  });
});

describe('toMono, midSegment, midFrames', () => {
  it('toMono averages channels like librosa.to_mono', () => {
    const m = toMono([new Float32Array([1, 0, -1]), new Float32Array([0, 1, 1])]);
    expect(Array.from(m)).toEqual([0.5, 0.5, 0]);
    expect(() => toMono([new Float32Array(3), new Float32Array(2)])).toThrow(/E_SHAPE/);
    expect(() => toMono([])).toThrow(/E_EMPTY/);
  });

  it('Mid-30 takes the middle 661 500 samples; short clips are zero-padded and flagged', () => {
    const n = 22050 * 95 + 7;
    const y = new Float32Array(n).map((_, i) => i / n);
    const s = midSegment(y);
    expect(s.samples.length).toBe(661500);
    expect(s.start).toBe(Math.floor((n - 661500) / 2));
    expect(s.padded).toBe(false);
    expect(s.samples[0]).toBe(y[s.start]);
    const short = midSegment(new Float32Array(1000).fill(0.25), { seconds: 1 });
    expect(short.padded).toBe(true);
    expect(short.samples.length).toBe(22050);
    expect(short.samples[999]).toBe(0.25);
    expect(short.samples[1000]).toBe(0);
    expect(short.end).toBe(1000);
  });

  it('midFrames keeps the middle columns and pads short spectrograms', () => {
    const S = { data: Float32Array.from({ length: 2 * 10 }, (_, i) => i), shape: [2, 10] as [number, number] };
    const m = midFrames(S, 4);
    expect(m.start).toBe(3);
    expect(Array.from(m.spectrogram.data)).toEqual([3, 4, 5, 6, 13, 14, 15, 16]);
    const p = midFrames(S, 12);
    expect(p.padded).toBe(true);
    expect(p.spectrogram.data[10]).toBe(0);
    expect(p.spectrogram.data[12]).toBe(10);
  });
});

describe('resample outputRange (a window of the output at a fraction of the cost)', () => {
  const y = Float32Array.from({ length: 9001 }, (_, i) => Math.sin(i * 0.37) * 0.5 + Math.sin(i * 0.011) * 0.3 + ((i * 7919) % 13) / 100);
  for (const [from, to] of [[44100, 22050], [48000, 22050], [8000, 22050], [32000, 22050], [22050, 22050]] as const) {
    it(`${from} → ${to} Hz: equals the slice of the whole output bit for bit, at the edges too`, () => {
      for (const quality of ['hq', 'scipy'] as const) {
        const whole = resample(y, { from, to, quality });
        const n = resampledLength(y.length, from, to);
        expect(whole.length).toBe(n);
        for (const [start, length] of [[0, 50], [n - 50, 50], [Math.floor(n / 3), Math.floor(n / 4)], [0, n], [17, 0]]) {
          const part = resample(y, { from, to, quality, outputRange: { start, length } });
          expect(part.length).toBe(length);
          expect(Array.from(part)).toEqual(Array.from(whole.subarray(start, start + length)));
        }
      }
    });
  }

  it('rejects a range outside the output', () => {
    const n = resampledLength(y.length, 44100, 22050);
    for (const outputRange of [{ start: -1, length: 2 }, { start: n - 1, length: 2 }, { start: 0.5, length: 2 }, { start: 0, length: -1 }]) {
      expect(() => resample(y, { from: 44100, to: 22050, outputRange })).toThrow(/outputRange/);
    }
  });
});

describe('resample inputWindow + resampleInputRange (decode only what a window of the output reads)', () => {
  const y = Float32Array.from({ length: 7777 }, (_, i) => Math.sin(i * 0.29) * 0.4 + Math.sin(i * 0.013) * 0.3 + ((i * 104729) % 17) / 100);
  for (const [from, to] of [[44100, 22050], [48000, 22050], [8000, 22050], [32000, 22050], [22050, 22050], [22050, 16000]] as const) {
    it(`${from} → ${to} Hz: the needed input span alone gives the same output bit for bit, and one sample less is refused`, () => {
      for (const quality of ['hq', 'scipy'] as const) {
        const whole = resample(y, { from, to, quality });
        const n = whole.length;
        for (const [start, length] of [[0, 40], [n - 40, 40], [Math.floor(n / 3), Math.floor(n / 5)], [0, n], [1, 1]]) {
          const outputRange = { start, length };
          const need = resampleInputRange(y.length, { from, to, quality, outputRange });
          expect(need.start).toBeGreaterThanOrEqual(0);
          expect(need.start + need.length).toBeLessThanOrEqual(y.length);
          const part = resample(y.subarray(need.start, need.start + need.length), { from, to, quality, outputRange, inputWindow: { start: need.start, total: y.length } });
          expect(Array.from(part)).toEqual(Array.from(whole.subarray(start, start + length)));
          // The span is tight: drop its first or last sample (unless it is the signal's edge) and resample refuses.
          if (need.length > 1) {
            const cut = { start: need.start + 1, total: y.length };
            expect(() => resample(y.subarray(need.start + 1, need.start + need.length), { from, to, quality, outputRange, inputWindow: cut })).toThrow(/outside the/);
            expect(() => resample(y.subarray(need.start, need.start + need.length - 1), { from, to, quality, outputRange, inputWindow: { start: need.start, total: y.length } })).toThrow(/outside the/);
          }
        }
      }
    });
  }

  it('hq 44.1 → 22.05 kHz reads at least the output span plus 128 input samples each side, and a bounded margin more', () => {
    const need = resampleInputRange(1_000_000, { from: 44100, to: 22050, outputRange: { start: 100000, length: 1000 } });
    expect(need.start).toBeLessThanOrEqual(2 * 100000 - 128);
    expect(need.start + need.length - 1).toBeGreaterThanOrEqual(2 * 100999 + 128);
    // FFT blocks at fixed positions (a few thousand samples), never the whole signal.
    expect(need.length).toBeLessThan(2 * 1000 + 256 + 40000);
  });

  it('rejects a bad window and a bad n', () => {
    const part = y.subarray(0, 100);
    for (const inputWindow of [{ start: -1, total: 200 }, { start: 150, total: 200 }, { start: 0.5, total: 200 }]) {
      expect(() => resample(part, { from: 44100, inputWindow, outputRange: { start: 0, length: 1 } })).toThrow(/inputWindow/);
    }
    expect(() => resampleInputRange(-1, { from: 44100 })).toThrow(/E_PARAM/);
    expect(() => resampleInputRange(10, { from: 44100, outputRange: { start: 0, length: 99 } })).toThrow(/outputRange/);
  });
});

describe('integer decimation runs as an FFT convolution', () => {
  for (const [from, quality] of [[44100, 'hq'], [44100, 'scipy'], [88200, 'hq'], [66150, 'hq']] as const) {
    it(`${from} → 22050 Hz '${quality}': equals the direct polyphase sums to float32 rounding, over many FFT blocks and at both ends`, () => {
      const x = Float32Array.from({ length: 60001 }, (_, i) => Math.sin(i * 0.0123) * 0.6 + Math.sin(i * 0.917) * 0.2 + ((i * 7919) % 101) / 1000 - 0.05);
      const fast = resample(x, { from, to: 22050, quality });
      const direct = resampleBy('direct', x, { from, to: 22050, quality });
      expect(fast.length).toBe(direct.length);
      let differ = 0;
      for (let i = 0; i < fast.length; i++) {
        if (fast[i] === direct[i]) continue;
        differ++;
        // Both round a float64 value within ~1e-15 of the other: at most one float32 step apart.
        const a = direct[i];
        const step = Math.abs(a) * 2 ** -23 + 2 ** -149;
        expect(Math.abs(fast[i] - a), `sample ${i}`).toBeLessThanOrEqual(1.01 * step);
      }
      expect(differ).toBeLessThan(fast.length / 100);
    });
  }
});
