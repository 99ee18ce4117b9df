import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { HIGHLIGHTER_PRESET, chunkMel, highlighterFeatures, highlighterMel } from '../../src/dsp/highlighterFeatures.js';
import { logMel, resample } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';

function noise(n: number, seed: string): Float32Array {
  const rng = seedrandom(seed);
  return Float32Array.from({ length: n }, () => (rng() - 0.5) * 0.5);
}

describe('highlighterFeatures', () => {
  it('is the log1p mel of the highlighter recipe (22050 Hz, Hann 2048, hop 512, reflect, log(1 + 10000·S))', () => {
    const y = noise(22050 * 4 + 77, 'a');
    const m = highlighterMel(y);
    const ref = logMel(y, { sampleRate: 22050, nFft: 2048, hopLength: 512, window: 'hann', padMode: 'reflect', scale: 'log1p', log1pScale: 10000, nMels: 128 });
    expect(m.shape).toEqual([128, 1 + Math.floor(y.length / 512)]);
    expect(m.shape).toEqual(ref.shape);
    expect(Array.from(m.data)).toEqual(Array.from(ref.data));
    expect(HIGHLIGHTER_PRESET).toMatchObject({ sampleRate: 22050, nFft: 2048, hopLength: 512, window: 'hann', padMode: 'reflect', scale: 'log1p', log1pScale: 10000, nMels: 128 });
  });

  it('cuts a 4-minute song into 80 chunks of 129 frames × 128 mels', () => {
    const f = highlighterFeatures(noise(22050 * 240, 'b'));
    expect(f.shape).toEqual([80, 129, 128]); // T = 10336 frames, ⌊10336 / 80⌋ = 129
    expect(f.seconds).toBe(240);
    expect(f.chunkSeconds).toBe(3);
  });

  it('chunks consecutively from frame 0, time-major with mels last, dropping leftover frames', () => {
    const nMels = 3;
    const T = 23;
    const data = Float32Array.from({ length: nMels * T }, (_, i) => i); // value = m·T + t
    const c = chunkMel({ data, shape: [nMels, T] }, 10, 3); // 3 chunks of ⌊23/3⌋ = 7 frames; frames 21, 22 dropped
    expect(c.shape).toEqual([3, 7, 3]);
    for (let k = 0; k < 3; k++) {
      for (let t = 0; t < 7; t++) {
        for (let m = 0; m < nMels; m++) expect(c.data[(k * 7 + t) * nMels + m]).toBe(m * T + k * 7 + t);
      }
    }
    // d % 3 seconds (here 1) get no chunk
    expect(chunkMel({ data, shape: [nMels, T] }, 11, 3).shape[0]).toBe(3);
    expect(chunkMel({ data, shape: [nMels, T] }, 10, 1).shape).toEqual([10, 2, 3]);
  });

  it('resamples audio at another rate and uses its whole seconds', () => {
    const y = noise(16000 * 7, 'c');
    const f = highlighterFeatures(y, { inputSampleRate: 16000 });
    const g = highlighterFeatures(resample(y, { from: 16000, to: 22050 }));
    expect(f.shape).toEqual(g.shape);
    expect(f.seconds).toBe(7);
    expect(Array.from(f.data)).toEqual(Array.from(g.data));
  });

  it('supports reduced configurations', () => {
    const f = highlighterFeatures(noise(8000 * 9, 'd'), { sampleRate: 8000, nFft: 1024, hopLength: 512, nMels: 32 });
    expect(f.shape).toEqual([3, Math.floor((1 + Math.floor(72000 / 512)) / 3), 32]);
  });

  it('rejects songs shorter than one chunk and bad options', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof HitrankError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => highlighterFeatures(noise(22050 * 2, 'e')))).toBe('E_TOO_SHORT');
    expect(code(() => highlighterFeatures(noise(22050 * 4, 'e'), { chunkSeconds: 0 }))).toBe('E_PARAM');
    expect(code(() => highlighterFeatures(noise(22050 * 4, 'e'), { padMode: 'edge' as 'reflect' }))).toBe('E_PARAM');
    expect(code(() => highlighterFeatures(new Float32Array([0, NaN, 0])))).toBe('E_NAN');
  });
});
