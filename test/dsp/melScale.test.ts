import { describe, expect, it } from 'vitest';
import { fftFrequencies, hzToMel, melFrequencies, melToHz } from '../../src/dsp/index.js';
import { readF64, readJson } from '../helpers/fixtures.js';

interface Conv {
  hz: number[];
  mel: number[];
}
interface Section {
  mel_frequencies_n130_fmin0_fmax11025: number[];
  hz_to_mel: Conv;
  mel_to_hz: Conv;
}

function pairs(c: Conv, from: 'hz' | 'mel'): [number, number][] {
  const to = from === 'hz' ? 'mel' : 'hz';
  return c[from].map((x, i) => [x, c[to][i]]);
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

describe('mel scale (librosa mel_hz.json, rtol 1e-12)', () => {
  const j = readJson<Record<string, Section> & { fft_frequencies_n_fft_4096?: number[] }>('mel', 'mel_hz.json');
  for (const scale of ['slaney', 'htk'] as const) {
    const htk = scale === 'htk';
    it(`${scale}: hz_to_mel, mel_to_hz, mel_frequencies`, () => {
      const s = j[scale];
      const h2m = pairs(s.hz_to_mel, 'hz');
      const m2h = pairs(s.mel_to_hz, 'mel');
      expect(h2m.length).toBeGreaterThanOrEqual(8);
      expect(m2h.length).toBeGreaterThanOrEqual(8);
      for (const [hz, mel] of h2m) expect(close(hzToMel(hz, { htk }), mel), `hz_to_mel(${hz})`).toBe(true);
      for (const [mel, hz] of m2h) expect(close(melToHz(mel, { htk }), hz), `mel_to_hz(${mel})`).toBe(true);
      const ref = readF64('mel', 'common', `mel_frequencies_130_${scale}.f64`);
      const got = melFrequencies(130, { fmin: 0, fmax: 11025, htk });
      for (let i = 0; i < 130; i++) expect(close(got[i], ref[i]), `mel_frequencies[${i}]`).toBe(true);
    });
  }
  it('fft frequencies', () => {
    const f = fftFrequencies(22050, 4096);
    expect(f.length).toBe(2049);
    expect(f[2048]).toBe(11025);
    const ref = j.fft_frequencies_n_fft_4096;
    if (!ref) throw new Error('mel_hz.json lacks fft_frequencies_n_fft_4096');
    for (let k = 0; k < ref.length; k++) expect(close(f[k], ref[k])).toBe(true);
  });
});
