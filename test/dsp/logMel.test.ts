import { describe, expect, it } from 'vitest';
import { LogMelExtractor, logMel, melSpectrogram, powerToDb, FEATURE_PRESETS } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';
import { readF32 } from '../helpers/fixtures.js';
import { maxAbsDiff, powerError } from './parity.js';

// MANIFEST.md §6, tier "f64" (double-precision FFT and sums, float32 output):
const RTOL = 1e-5;
const ATOL_REL = 1e-12;
const DB_TOL = 2e-5;

const SIGNALS = ['sine440', 'chirp', 'noise', 'music30', 'short5000', 'short3001'] as const;
const PAPER_MEL = { sampleRate: 22050, nFft: 4096, hopLength: 2048, window: 'hamming' as const, nMels: 128 };

export const measured: Record<string, { power: number; db80: number; dbNone: number }> = {};

describe('log-mel parity with librosa 0.10.2 (every signal fixture)', () => {
  for (const name of SIGNALS) {
    it(`${name}: mel power, power_to_db(top_db=80) and (top_db=None)`, () => {
      const y = readF32('mel', 'signals', `${name}.f32`);
      const refP = readF32('mel', name, 'mel_power.f32');
      const ref80 = readF32('mel', name, 'mel_db_top80.f32');
      const refNone = readF32('mel', name, 'mel_db_nontop.f32');
      const S = melSpectrogram(y, PAPER_MEL);
      expect(S.shape[0]).toBe(128);
      expect(S.shape[1] * 128).toBe(refP.length);
      const pe = powerError(S.data, refP, RTOL, ATOL_REL);
      expect(pe.worstFraction).toBeLessThanOrEqual(1);

      const db80 = logMel(y, { sampleRate: 22050 });
      expect(db80.shape).toEqual(S.shape);
      const e80 = maxAbsDiff(db80.data, ref80);
      expect(e80).toBeLessThanOrEqual(DB_TOL);

      const dbNone = powerToDb(S, { topDb: null });
      const eNone = maxAbsDiff(dbNone.data, refNone, 100);
      expect(eNone).toBeLessThanOrEqual(DB_TOL);
      measured[name] = { power: pe.maxRel80, db80: e80, dbNone: eNone };
    });
  }

  it('a 30-s clip gives [128, 323] (the paper\'s input size)', () => {
    const y = readF32('mel', 'signals', 'music30.f32');
    expect(logMel(y).shape).toEqual([128, 323]);
  });

  it("padMode 'reflect' changes only the edge frames, by librosa's amounts", () => {
    // MANIFEST §2: for music30 with pad_mode='reflect', frames 0 and 322 change,
    // by up to 4.6 dB and 0.15 dB (top_db=80); all other frames are identical.
    const y = readF32('mel', 'signals', 'music30.f32');
    const ref80 = readF32('mel', 'music30', 'mel_db_top80.f32');
    const r = logMel(y, { padMode: 'reflect' });
    const T = 323;
    const colDiff = (t: number) => {
      let d = 0;
      for (let m = 0; m < 128; m++) d = Math.max(d, Math.abs(r.data[m * T + t] - ref80[m * T + t]));
      return d;
    };
    for (let t = 1; t < T - 1; t++) expect(colDiff(t)).toBeLessThanOrEqual(DB_TOL);
    expect(colDiff(0)).toBeGreaterThan(4.5);
    expect(colDiff(0)).toBeLessThan(4.7);
    expect(colDiff(T - 1)).toBeGreaterThan(0.1);
    expect(colDiff(T - 1)).toBeLessThan(0.2);
  });

  it('LogMelExtractor batch equals logMel and reuses its set-up', () => {
    const a = readF32('mel', 'signals', 'sine440.f32');
    const b = readF32('mel', 'signals', 'chirp.f32');
    const fx = new LogMelExtractor();
    const [ma, mb] = fx.computeBatch([a, b]);
    expect(ma.data).toEqual(logMel(a).data);
    expect(mb.data).toEqual(logMel(b).data);
    expect(fx.frames(661500)).toBe(323);
  });

  it('log1p and none scalings follow their formulas', () => {
    const y = readF32('mel', 'signals', 'noise.f32');
    const P = melSpectrogram(y, PAPER_MEL);
    const none = logMel(y, { scale: 'none' });
    expect(none.data).toEqual(P.data);
    const l1p = logMel(y, { scale: 'log1p' });
    for (let i = 0; i < P.data.length; i += 97) {
      expect(l1p.data[i]).toBeCloseTo(Math.fround(Math.log1p(10000 * P.data[i])), 5);
    }
  });

  it('hspCnn preset: Hann, reflect, raw power, middle 323 frames', () => {
    expect(FEATURE_PRESETS.hspCnn.window).toBe('hann');
    const y = new Float32Array(22050 * 40);
    for (let i = 0; i < y.length; i++) y[i] = Math.sin((2 * Math.PI * 220 * i) / 22050) * (1 + (i % 5000) / 5000);
    const f = logMel(y, { preset: 'hspCnn' });
    expect(f.shape).toEqual([128, 323]);
    const full = melSpectrogram(y, { sampleRate: 22050, nFft: 4096, hopLength: 2048, window: 'hann', padMode: 'reflect' });
    const T = full.shape[1];
    const start = Math.floor((T - 323) / 2);
    for (const m of [0, 10, 64, 127]) expect(f.data[m * 323 + 5]).toBe(full.data[m * T + start + 5]);
  });
});

describe('log-mel bad input', () => {
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(HitrankError);
      return (e as HitrankError).code;
    }
    return 'no error';
  };
  it('wrong sample rate is an error unless resampling is asked for', () => {
    const y = new Float32Array(44100).map((_, i) => Math.sin(i / 10));
    expect(code(() => logMel(y, { sampleRate: 44100 }))).toBe('E_SAMPLE_RATE');
    const r = logMel(y, { sampleRate: 44100, resample: true });
    expect(r.shape).toEqual([128, 1 + Math.floor(22050 / 2048)]);
  });
  it('NaN, Infinity, empty input and bad options', () => {
    const y = new Float32Array(5000);
    y[7] = NaN;
    expect(code(() => logMel(y))).toBe('E_NAN');
    y[7] = -Infinity;
    expect(code(() => logMel(y))).toBe('E_NAN');
    expect(code(() => logMel(new Float32Array(0)))).toBe('E_EMPTY');
    expect(code(() => logMel(new Float32Array(100), { center: false }))).toBe('E_TOO_SHORT');
    expect(code(() => logMel(new Float32Array(100), { nFft: 1000 }))).toBe('E_UNSUPPORTED');
    expect(code(() => logMel(new Float32Array(100), { preset: 'nope' as never }))).toBe('E_PARAM');
    expect(code(() => powerToDb({ data: new Float32Array(4), shape: [2, 2] }, { amin: 0 }))).toBe('E_PARAM');
  });
});

describe('powerToDb', () => {
  it('rejects NaN and Infinity in a user-supplied power spectrogram', () => {
    const S = { data: new Float32Array([1, 2, NaN, 4]), shape: [2, 2] as [number, number] };
    expect(() => powerToDb(S)).toThrow(/E_NAN/);
    S.data[2] = Infinity;
    expect(() => powerToDb(S)).toThrow(/E_NAN/);
  });
  it("ref 'max' puts the peak at 0 dB and topDb clamps over the whole array", () => {
    const S = { data: new Float32Array([1e-12, 1, 100, 1e-3]), shape: [2, 2] as [number, number] };
    const d = powerToDb(S, { ref: 'max', topDb: 30 });
    expect(Array.from(d.data)).toEqual([-30, -20, 0, -30]);
  });
});
