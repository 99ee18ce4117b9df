import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/index.js';
import { logMel } from '../../src/dsp/index.js';
import { readF32, readRaw } from '../helpers/fixtures.js';
import { maxAbsDiff } from './parity.js';

describe('WAV path: decodeWav → logMel', () => {
  it('music30.wav gives the same log-mel as the float32 signal, and librosa\'s', () => {
    const wav = decodeWav(readRaw('mel', 'signals', 'music30.wav'));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.channelData.length).toBe(1);
    const y = readF32('mel', 'signals', 'music30.f32');
    const fromWav = logMel(wav.channelData[0], { sampleRate: wav.sampleRate });
    const fromF32 = logMel(y, { sampleRate: 22050 });
    expect(fromWav.shape).toEqual([128, 323]);
    expect(maxAbsDiff(fromWav.data, fromF32.data)).toBe(0);
    expect(maxAbsDiff(fromWav.data, readF32('mel', 'music30', 'mel_db_top80.f32'))).toBeLessThanOrEqual(2e-5);
  });
});
