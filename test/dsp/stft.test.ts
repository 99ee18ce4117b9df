import { describe, expect, it } from 'vitest';
import { frameCount, spectrogram, stft } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';
import { readF32 } from '../helpers/fixtures.js';

const PAPER = { nFft: 4096, hopLength: 2048, window: 'hamming' as const };
const SIGNALS = ['sine440', 'chirp', 'short5000', 'short3001'] as const;
const FRAMES: Record<string, number> = { sine440: 11, chirp: 33, short5000: 3, short3001: 2 };

/** MANIFEST §6: |d|X|| ≤ 1e-5·|X_ref| + 1e-6·max|X_ref| (f64 port). */
function worstFraction(mag: ArrayLike<number>, ref: Float32Array): number {
  let max = 0;
  for (const v of ref) max = Math.max(max, v);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    worst = Math.max(worst, Math.abs(mag[i] - ref[i]) / (1e-5 * ref[i] + 1e-6 * max));
  }
  return worst;
}

describe('stft vs librosa.stft (hamming 4096 / hop 2048, center, constant pad)', () => {
  for (const name of SIGNALS) {
    it(`${name}: |X| within the f64 rule, ${FRAMES[name]} frames`, () => {
      const y = readF32('mel', 'signals', `${name}.f32`);
      const ref = readF32('mel', name, 'stft_mag.f32');
      const S = spectrogram(y, PAPER);
      expect(S.shape).toEqual([2049, FRAMES[name]]);
      expect(worstFraction(S.data, ref)).toBeLessThanOrEqual(1);
      const X = stft(y, PAPER);
      expect(X.shape).toEqual(S.shape);
      const mag = new Float64Array(X.real.length);
      for (let i = 0; i < mag.length; i++) mag[i] = Math.hypot(X.real[i], X.imag[i]);
      expect(worstFraction(mag, ref)).toBeLessThanOrEqual(1);
    });
  }

  it('packed two-frame FFT equals a direct DFT on an edge frame (reflect padding)', () => {
    const y = readF32('mel', 'signals', 'short5000.f32');
    const S = spectrogram(y, { ...PAPER, padMode: 'reflect', power: 2 });
    // Direct O(N²) DFT of frame 0 with numpy-style reflect padding.
    const N = 4096;
    const frame = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      const idx = i - 2048;
      const j = idx < 0 ? -idx : idx; // reflect, no edge repeat (idx < n here)
      frame[i] = y[j] * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / N));
    }
    let worst = 0;
    let peak = 0;
    const frames = S.shape[1];
    for (let k = 0; k <= N / 2; k += 7) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < N; n++) {
        const a = (-2 * Math.PI * ((k * n) % N)) / N;
        re += frame[n] * Math.cos(a);
        im += frame[n] * Math.sin(a);
      }
      const p = re * re + im * im;
      peak = Math.max(peak, p);
      worst = Math.max(worst, Math.abs(S.data[k * frames] - p) / (1e-5 * p + 1e-12 * peak + 1e-30));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('frame counts follow librosa (1 + floor(n / hop) with center)', () => {
    expect(frameCount(661500, PAPER)).toBe(323);
    expect(frameCount(3001, PAPER)).toBe(2);
    expect(frameCount(5000, { ...PAPER, center: false })).toBe(1);
    expect(() => frameCount(3001, { ...PAPER, center: false })).toThrow(/fewer than nFft/);
    expect(() => frameCount(0, PAPER)).toThrow(HitrankError);
  });

  it('rejects non-power-of-two nFft, NaN samples and empty input with codes', () => {
    const y = new Float32Array(8192);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as HitrankError).code;
      }
      return 'no error';
    };
    expect(code(() => stft(y, { nFft: 3000 }))).toBe('E_UNSUPPORTED');
    y[100] = NaN;
    expect(code(() => spectrogram(y))).toBe('E_NAN');
    y[100] = Infinity;
    expect(code(() => spectrogram(y))).toBe('E_NAN');
    expect(code(() => stft(new Float32Array(0)))).toBe('E_EMPTY');
    expect(code(() => stft(new Float32Array(100), { window: new Float64Array(10) }))).toBe('E_SHAPE');
  });
});
