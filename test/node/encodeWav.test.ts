import { describe, expect, it } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { encodeWav } from '../../src/node/index.js';
import { readF32, readRaw } from '../helpers/fixtures.js';

function expectCode(fn: () => unknown, code: string, message?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HitrankError);
  expect((caught as HitrankError).code).toBe(code);
  if (message) expect((caught as HitrankError).message).toMatch(message);
}

describe('encodeWav', () => {
  it('re-creates the music30.wav fixture (written by soundfile) byte for byte from music30.f32', () => {
    const wav = encodeWav(readF32('mel', 'signals', 'music30.f32'), 22050, { bitDepth: 16 });
    const ref = readRaw('mel', 'signals', 'music30.wav');
    expect(wav.length).toBe(ref.length);
    expect(Buffer.from(wav).equals(Buffer.from(ref))).toBe(true);
  });

  it('writes the canonical 44-byte header', () => {
    const wav = encodeWav([new Float32Array(3), new Float32Array(3)], 48000, { bitDepth: 24 });
    const v = new DataView(wav.buffer);
    const s = (at: number) => String.fromCharCode(...wav.subarray(at, at + 4));
    expect([s(0), s(8), s(12), s(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect(v.getUint16(20, true)).toBe(1);
    expect(v.getUint16(22, true)).toBe(2);
    expect(v.getUint32(24, true)).toBe(48000);
    expect(v.getUint32(28, true)).toBe(48000 * 6);
    expect(v.getUint16(32, true)).toBe(6);
    expect(v.getUint16(34, true)).toBe(24);
    expect(v.getUint32(40, true)).toBe(18);
  });

  it('rejects bad input with clear codes', () => {
    expectCode(() => encodeWav([], 8000), 'E_EMPTY');
    expectCode(() => encodeWav([new Float32Array(3), new Float32Array(4)], 8000), 'E_SHAPE', /channel 1 has 4/);
    expectCode(() => encodeWav(Float32Array.from([0, NaN]), 8000), 'E_NAN', /index 1/);
    expectCode(() => encodeWav(new Float32Array(3), 0), 'E_PARAM', /sampleRate/);
    expectCode(() => encodeWav(new Float32Array(3), 44100.5), 'E_PARAM', /sampleRate/);
    expectCode(() => encodeWav(new Float32Array(3), 8000, { bitDepth: 12 as 16 }), 'E_PARAM', /bitDepth 12/);
    expectCode(() => encodeWav(new Float32Array(3), 8000, { bitDepth: 16, float: true }), 'E_PARAM', /float/);
    expectCode(() => encodeWav(new Float32Array(3), 8000, { bitDepth: 64 }), 'E_PARAM', /integer/);
    expectCode(() => encodeWav([[0, 1] as unknown as Float32Array], 8000), 'E_PARAM', /Float32Array/);
  });
});
