import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { HitrankError } from '../../src/errors.js';
import { decodeWav, encodeWav, wavInfo } from '../../src/node/index.js';
import { readF32, readRaw } from '../helpers/fixtures.js';
import { ascii, buildRiff, fmtBody, pcm16Body } from './wavBuilder.js';
import { sameBits } from '../helpers/bits.js';

function expectHitrank(fn: () => unknown, code: string, message?: RegExp): void {
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

function randomSignal(n: number, seed: string, amp = 1): Float32Array {
  const rng = seedrandom(seed);
  return Float32Array.from({ length: n }, () => amp * (2 * rng() - 1));
}

/** Independent reference quantiser: numpy-style round-half-even, clip, then /2^(b-1). */
function quantised(x: Float32Array, bits: number): Float32Array {
  const s = 2 ** (bits - 1);
  return Float32Array.from(x, (v) => {
    const t = v * s;
    let r = Math.floor(t);
    const frac = t - r;
    if (frac > 0.5 || (frac === 0.5 && r % 2 !== 0)) r += 1;
    return Math.min(s - 1, Math.max(-s, r)) / s;
  });
}

describe('decodeWav on the music30 fixture', () => {
  it('equals signals/music30.f32 bit for bit (int16 / 32768, as soundfile)', () => {
    const wav = readRaw('mel', 'signals', 'music30.wav');
    const ref = readF32('mel', 'signals', 'music30.f32');
    const out = decodeWav(wav);
    expect(out.sampleRate).toBe(22050);
    expect(out.channelData).toHaveLength(1);
    expect(out.channelData[0]).toHaveLength(661500);
    expect(sameBits(out.channelData[0], ref)).toBe(true);
  });

  it('accepts an ArrayBuffer and a Uint8Array view at an odd byte offset', () => {
    const wav = readRaw('mel', 'signals', 'music30.wav').subarray(0, 44 + 2000);
    const ref = decodeWav(wav).channelData[0];
    const shifted = new Uint8Array(wav.length + 3);
    shifted.set(wav, 3);
    expect(sameBits(decodeWav(shifted.subarray(3)).channelData[0], ref)).toBe(true);
    expect(sameBits(decodeWav(wav.slice().buffer).channelData[0], ref)).toBe(true);
    expect(ref).toHaveLength(1000);
  });
});

describe('encodeWav → decodeWav round trips', () => {
  const n = 1001; // odd: 8-bit mono data needs a pad byte
  const cases: { bits: 8 | 16 | 24 | 32 | 64; float: boolean }[] = [
    { bits: 8, float: false },
    { bits: 16, float: false },
    { bits: 24, float: false },
    { bits: 32, float: false },
    { bits: 32, float: true },
    { bits: 64, float: true },
  ];
  for (const { bits, float } of cases) {
    for (const nc of [1, 2, 3]) {
      for (const extensible of [false, true]) {
        it(`${float ? 'float' : 'int'}${bits}, ${nc} channel(s)${extensible ? ', WAVE_FORMAT_EXTENSIBLE' : ''}`, () => {
          const chans = Array.from({ length: nc }, (_, c) => randomSignal(n, `rt-${bits}-${c}`, 1.05));
          const wav = encodeWav(nc === 1 ? chans[0] : chans, 44100, { bitDepth: bits, float, extensible });
          const header = extensible ? 68 : 44;
          const dataBytes = n * nc * (bits / 8);
          expect(wav.length).toBe(header + dataBytes + (dataBytes % 2));
          const out = decodeWav(wav);
          expect(out.sampleRate).toBe(44100);
          expect(out.channelData).toHaveLength(nc);
          for (let c = 0; c < nc; c++) {
            const expected = float ? chans[c] : quantised(chans[c], bits);
            expect(sameBits(out.channelData[c], expected)).toBe(true);
          }
        });
      }
    }
  }

  it('16-bit quantisation is clip(round-half-even(x·32768)) like the fixture', () => {
    const x = Float32Array.from([0.5 / 32768, 1.5 / 32768, -0.5 / 32768, -1.5 / 32768, 1, -1, 2, -2, 32767 / 32768]);
    const y = decodeWav(encodeWav(x, 8000, { bitDepth: 16 })).channelData[0];
    expect(Array.from(y, (v) => v * 32768)).toEqual([0, 2, 0, -2, 32767, -32768, 32767, -32768, 32767]);
  });

  it('8-bit is unsigned: byte 0 → -1, 128 → 0, 255 → 127/128', () => {
    const wav = buildRiff([
      { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, sampleRate: 8000, bits: 8 }) },
      { id: 'data', body: Uint8Array.from([0, 128, 255]) },
    ]);
    expect(Array.from(decodeWav(wav).channelData[0])).toEqual([-1, 0, 127 / 128]);
  });

  it('24- and 32-bit extremes scale by 2^23 and 2^31 (32-bit rounded once to float32)', () => {
    const b24 = Uint8Array.from([0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0x01, 0x00, 0x00]);
    const w24 = buildRiff([
      { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, sampleRate: 8000, bits: 24 }) },
      { id: 'data', body: b24 },
    ]);
    expect(Array.from(decodeWav(w24).channelData[0])).toEqual([-1, Math.fround(8388607 / 8388608), 1 / 8388608]);
    const b32 = new Uint8Array(12);
    const v = new DataView(b32.buffer);
    v.setInt32(0, -2147483648, true);
    v.setInt32(4, 2147483647, true);
    v.setInt32(8, 123456789, true);
    const w32 = buildRiff([
      { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, sampleRate: 8000, bits: 32 }) },
      { id: 'data', body: b32 },
    ]);
    expect(Array.from(decodeWav(w32).channelData[0])).toEqual([-1, 1, Math.fround(123456789 / 2147483648)]);
  });

  it('de-interleaves channels in order', () => {
    const l = Int16Array.from([1, 2, 3]);
    const r = Int16Array.from([-1, -2, -3]);
    const wav = buildRiff([
      { id: 'fmt ', body: fmtBody({ tag: 1, channels: 2, sampleRate: 8000, bits: 16 }) },
      { id: 'data', body: pcm16Body([l, r]) },
    ]);
    const out = decodeWav(wav).channelData;
    expect(Array.from(out[0], (x) => x * 32768)).toEqual([1, 2, 3]);
    expect(Array.from(out[1], (x) => x * 32768)).toEqual([-1, -2, -3]);
  });
});

describe('decodeWav of part of a file (start, frames) and wavInfo', () => {
  const n = 997;
  for (const [bits, float] of [[8, false], [16, false], [24, false], [32, false], [32, true], [64, true]] as const) {
    it(`${float ? 'float' : 'int'}${bits}, 2 channels: any frame range equals the slice of the whole decode; wavInfo reads the header`, () => {
      const chans = [randomSignal(n, `part-${bits}-0`), randomSignal(n, `part-${bits}-1`)];
      const wav = encodeWav(chans, 48000, { bitDepth: bits, float });
      expect(wavInfo(wav)).toEqual({ sampleRate: 48000, channels: 2, frames: n, bitsPerSample: bits, encoding: float ? 'float' : 'pcm' });
      const whole = decodeWav(wav);
      for (const [start, frames] of [[0, 10], [1, 1], [500, 200], [n - 3, 3], [n - 3, 50], [n, 5], [n + 10, 5], [0, 0], [123, -1]]) {
        const part = decodeWav(wav, { start, frames });
        const from = Math.min(start, n);
        const to = frames === -1 ? n : Math.min(n, from + frames);
        expect(part.sampleRate).toBe(48000);
        for (let c = 0; c < 2; c++) expect(sameBits(part.channelData[c], whole.channelData[c].subarray(from, to))).toBe(true);
      }
    });
  }

  it('rejects ranges that are not frame counts, and bad files as decodeWav does', () => {
    const wav = encodeWav(randomSignal(100, 'bad-range'), 22050);
    for (const options of [{ start: -1 }, { start: 1.5 }, { frames: -2 }, { frames: 0.5 }]) expectHitrank(() => decodeWav(wav, options), 'E_PARAM');
    expectHitrank(() => wavInfo(new Uint8Array(8)), 'E_CORRUPT_FILE');
    expectHitrank(() => wavInfo(ascii('RIFF\x00\x00\x00\x00WAVE')), 'E_CORRUPT_FILE', /no 'fmt ' chunk/);
  });
});

describe('decodeWav chunk layout', () => {
  const samples = Int16Array.from([100, -200, 300, -400, 500]);
  const fmt = { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, sampleRate: 16000, bits: 16 }) };
  const data = { id: 'data', body: pcm16Body([samples]) };
  const values = Array.from(samples, (s) => s / 32768);
  const decode = (wav: Uint8Array): number[] => Array.from(decodeWav(wav).channelData[0]);

  it('skips an odd-sized chunk (and its pad byte) before data', () => {
    const wav = buildRiff([fmt, { id: 'junk', body: ascii('abc') }, data]);
    expect(wav.length).toBe(12 + 24 + 8 + 4 + 8 + 10);
    expect(decode(wav)).toEqual(values);
  });

  it('skips LIST/fact chunks before and a LIST chunk after data', () => {
    const list = { id: 'LIST', body: ascii('INFOISFT\x05\x00\x00\x00test\x00') };
    const fact = { id: 'fact', body: Uint8Array.from([5, 0, 0, 0]) };
    expect(decode(buildRiff([fmt, fact, data, list]))).toEqual(values);
    expect(decode(buildRiff([list, fmt, data]))).toEqual(values);
  });

  it('finds data before fmt', () => {
    expect(decode(buildRiff([data, fmt]))).toEqual(values);
  });

  it('tolerates a missing pad byte after an odd-sized chunk', () => {
    expect(decode(buildRiff([fmt, { id: 'junk', body: ascii('abc'), pad: false }, data]))).toEqual(values);
  });

  it('reads an over-long data size (streamed 0xFFFFFFFF or truncated) up to the last whole frame', () => {
    expect(decode(buildRiff([fmt, { ...data, declaredSize: 0xffffffff }]))).toEqual(values);
    expect(decode(buildRiff([fmt, { ...data, declaredSize: 1000 }]))).toEqual(values);
    // Truncated mid-frame: 9 of 10 bytes left → 4 whole frames.
    const cut = buildRiff([fmt, data]).subarray(0, 44 + 9);
    expect(decode(cut)).toEqual(values.slice(0, 4));
  });

  it('reads to the end when both data and RIFF sizes were never finalised (0)', () => {
    expect(decode(buildRiff([fmt, { ...data, declaredSize: 0 }], { riffSize: 0 }))).toEqual(values);
    expect(decode(buildRiff([fmt, { ...data, declaredSize: 0 }], { riffSize: 36 }))).toEqual(values);
  });

  it('gives zero frames for a genuinely empty data chunk', () => {
    const out = decodeWav(buildRiff([fmt, { id: 'data', body: new Uint8Array(0) }]));
    expect(out.channelData).toHaveLength(1);
    expect(out.channelData[0]).toHaveLength(0);
    expect(out.sampleRate).toBe(16000);
  });

  it('ignores a truncated metadata chunk after the data chunk', () => {
    expect(decode(buildRiff([fmt, data, { id: 'LIST', body: ascii('INFO'), declaredSize: 5000 }]))).toEqual(values);
  });

  it('reads RF64 with the data size from the ds64 chunk', () => {
    const ds64 = new Uint8Array(28);
    const v = new DataView(ds64.buffer);
    v.setUint32(8, data.body.length, true); // dataSize low
    const wav = buildRiff([{ id: 'ds64', body: ds64 }, fmt, { ...data, declaredSize: 0xffffffff }, { id: 'LIST', body: ascii('INFO') }], {
      magic: 'RF64',
      riffSize: 0xffffffff,
    });
    expect(decode(wav)).toEqual(values);
  });

  it('reads WAVE_FORMAT_EXTENSIBLE IEEE float', () => {
    const body = new Uint8Array(8);
    new DataView(body.buffer).setFloat32(0, 0.25, true);
    new DataView(body.buffer).setFloat32(4, -1.5, true);
    const wav = buildRiff([
      { id: 'fmt ', body: fmtBody({ tag: 0xfffe, channels: 1, sampleRate: 48000, bits: 32, subFormat: 3 }) },
      { id: 'data', body },
    ]);
    expect(decode(wav)).toEqual([0.25, -1.5]);
  });
});

describe('decodeWav errors', () => {
  const data = { id: 'data', body: new Uint8Array(8) };
  const fmt = (o: Partial<Parameters<typeof fmtBody>[0]> = {}) => ({
    id: 'fmt ',
    body: fmtBody({ tag: 1, channels: 2, sampleRate: 8000, bits: 16, ...o }),
  });

  it('rejects non-WAV input with E_CORRUPT_FILE', () => {
    expectHitrank(() => decodeWav(new Uint8Array(5)), 'E_CORRUPT_FILE', /5 bytes/);
    expectHitrank(() => decodeWav(ascii('OggS\0\0\0\0\0\0\0\0\0\0\0\0')), 'E_CORRUPT_FILE', /"OggS"/);
    expectHitrank(() => decodeWav(buildRiff([fmt(), data], { form: 'AVI ' })), 'E_CORRUPT_FILE', /"AVI "/);
    expectHitrank(() => decodeWav(buildRiff([fmt(), data], { magic: 'RIFX' })), 'E_UNSUPPORTED', /RIFX/);
  });

  it('rejects a missing fmt or data chunk', () => {
    expectHitrank(() => decodeWav(buildRiff([data])), 'E_CORRUPT_FILE', /no 'fmt ' chunk/);
    expectHitrank(() => decodeWav(buildRiff([fmt()])), 'E_CORRUPT_FILE', /no 'data' chunk/);
    expectHitrank(() => decodeWav(buildRiff([])), 'E_CORRUPT_FILE', /no 'fmt ' chunk/);
  });

  it('rejects bad fmt fields', () => {
    expectHitrank(() => decodeWav(buildRiff([{ id: 'fmt ', body: new Uint8Array(14) }, data])), 'E_CORRUPT_FILE', /14 bytes long; expected at least 16/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ channels: 0, blockAlign: 4 }), data])), 'E_CORRUPT_FILE', /0 channels/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ sampleRate: 0 }), data])), 'E_CORRUPT_FILE', /sample rate of 0/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ blockAlign: 3 }), data])), 'E_CORRUPT_FILE', /blockAlign 3.*expected 4/);
    const shortExt = fmtBody({ tag: 0xfffe, channels: 1, sampleRate: 8000, bits: 16, subFormat: 1 }).subarray(0, 30);
    expectHitrank(() => decodeWav(buildRiff([{ id: 'fmt ', body: shortExt }, data])), 'E_CORRUPT_FILE', /at least 40/);
  });

  it('rejects unsupported codecs and bit depths with E_UNSUPPORTED', () => {
    expectHitrank(() => decodeWav(buildRiff([fmt({ tag: 2, bits: 4, blockAlign: 4 }), data])), 'E_UNSUPPORTED', /Microsoft ADPCM/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ tag: 0x55 }), data])), 'E_UNSUPPORTED', /MPEG Layer III/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ bits: 12, blockAlign: 4 }), data])), 'E_UNSUPPORTED', /12 bits/);
    expectHitrank(() => decodeWav(buildRiff([fmt({ tag: 3, bits: 16 }), data])), 'E_UNSUPPORTED', /IEEE float.*16 bits/);
    const ext = (subFormat: number, guidTail?: number[]) => ({
      id: 'fmt ',
      body: fmtBody({ tag: 0xfffe, channels: 2, sampleRate: 8000, bits: 16, subFormat, guidTail }),
    });
    expectHitrank(() => decodeWav(buildRiff([ext(6), data])), 'E_UNSUPPORTED', /A-law/);
    expectHitrank(() => decodeWav(buildRiff([ext(1, new Array(14).fill(7)), data])), 'E_UNSUPPORTED', /GUID/);
  });

  it('rejects a chunk running past the end before fmt/data were found', () => {
    expectHitrank(
      () => decodeWav(buildRiff([{ id: 'LIST', body: ascii('INFO'), declaredSize: 1 << 30 }, fmt(), data])),
      'E_CORRUPT_FILE',
      /"LIST" at byte 12 declares 1073741824 bytes/,
    );
    expectHitrank(() => decodeWav(buildRiff([{ ...fmt(), declaredSize: 999 }, data])), 'E_CORRUPT_FILE', /"fmt "/);
  });

  it('rejects non-byte input with E_PARAM', () => {
    expectHitrank(() => decodeWav('RIFF' as unknown as Uint8Array), 'E_PARAM');
    expectHitrank(() => decodeWav(new Float32Array(4) as unknown as Uint8Array), 'E_PARAM', /Float32Array/);
  });
});
