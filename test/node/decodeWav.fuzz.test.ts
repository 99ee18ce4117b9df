// Seeded fuzzing of decodeWav: every mutated file must either decode to a
// well-formed result or throw a HitrankError with a code — never a RangeError,
// TypeError or a hang.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { HitrankError } from '../../src/errors.js';
import { decodeWav, encodeWav } from '../../src/node/index.js';
import { ascii, buildRiff, fmtBody } from './wavBuilder.js';

const rng = seedrandom('hitrank-wav-fuzz-1');
const int = (n: number): number => Math.floor(rng() * n);

function signal(n: number): Float32Array {
  return Float32Array.from({ length: n }, () => 2 * rng() - 1);
}

const seeds: Uint8Array[] = [
  encodeWav(signal(37), 8000, { bitDepth: 8 }),
  encodeWav([signal(40), signal(40)], 22050, { bitDepth: 16 }),
  encodeWav([signal(21), signal(21), signal(21)], 44100, { bitDepth: 24, extensible: true }),
  encodeWav(signal(30), 48000, { bitDepth: 32 }),
  encodeWav([signal(25), signal(25)], 16000, { bitDepth: 32, float: true, extensible: true }),
  encodeWav(signal(19), 96000, { bitDepth: 64, float: true }),
  buildRiff([
    { id: 'LIST', body: ascii('INFOabc') },
    { id: 'fmt ', body: fmtBody({ tag: 1, channels: 1, sampleRate: 8000, bits: 16 }) },
    { id: 'data', body: new Uint8Array(33) },
    { id: 'id3 ', body: ascii('xyz') },
  ]),
  // data before fmt, so fmt is the last chunk (a short fmt then ends at end of file)
  buildRiff([
    { id: 'data', body: new Uint8Array(24) },
    { id: 'fmt ', body: fmtBody({ tag: 1, channels: 2, sampleRate: 44100, bits: 16 }) },
  ]),
  buildRiff([
    { id: 'data', body: new Uint8Array(24) },
    { id: 'fmt ', body: fmtBody({ tag: 0xfffe, channels: 1, sampleRate: 44100, bits: 32, subFormat: 3 }) },
  ]),
];

/** Offsets of every chunk-size field found by walking the chunk list (stops at the end of the bytes). */
function sizeFields(b: Uint8Array): number[] {
  const out = b.length >= 8 ? [4] : [];
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let p = 12; p + 8 <= b.length; ) {
    out.push(p + 4);
    const s = v.getUint32(p + 4, true);
    p += 8 + s + (s & 1);
  }
  return out;
}

const SIZES = [0, 1, 2, 3, 15, 16, 17, 39, 40, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

function mutate(seed: Uint8Array, kind: number): Uint8Array {
  const b = seed.slice();
  const v = new DataView(b.buffer);
  switch (kind) {
    case 0: {
      // flip 1–4 bytes within the first 64 bytes
      const k = 1 + int(4);
      for (let i = 0; i < k; i++) b[int(Math.min(64, b.length))] ^= 1 + int(255);
      return b;
    }
    case 1:
      // truncate anywhere
      return b.slice(0, int(b.length + 1));
    case 2: {
      // rewrite one chunk-size field with a boundary value or an odd number
      const fields = sizeFields(seed);
      if (fields.length === 0) return b;
      const at = fields[int(fields.length)];
      v.setUint32(at, rng() < 0.7 ? SIZES[int(SIZES.length)] : 2 * int(1 << 20) + 1, true);
      return b;
    }
    case 3: {
      // overwrite a 2-byte fmt field (channels, rate, blockAlign, bits, tag, sub-format) with junk
      const at = [20, 22, 24, 26, 32, 34, 44][int(7)];
      if (at + 2 <= b.length) v.setUint16(at, [0, 1, 2, 3, 7, 8, 12, 0xfffe, 0xffff, int(65536)][int(10)], true);
      return b;
    }
    case 4: {
      // random garbage after a valid-looking RIFF/WAVE header
      const g = new Uint8Array(16 + int(120));
      for (let i = 12; i < g.length; i++) g[i] = int(256);
      g.set(ascii('RIFF'), 0);
      g.set(ascii('WAVE'), 8);
      if (rng() < 0.5) g.set(ascii('fmt '), 12);
      new DataView(g.buffer).setUint32(4, int(2 ** 32), true);
      return g;
    }
    case 5: {
      // pure garbage
      return Uint8Array.from({ length: int(80) }, () => int(256));
    }
    case 6: {
      // a consistent but short chunk: cut the file inside a chunk body and make its size say so
      const fields = sizeFields(seed).slice(1);
      if (fields.length === 0) return b;
      const at = fields[int(fields.length)];
      const len = int(Math.max(1, Math.min(48, b.length - at - 4)));
      const cut = b.slice(0, at + 4 + len);
      new DataView(cut.buffer).setUint32(at, len, true);
      return cut;
    }
    default: {
      // several mutations at once
      let x: Uint8Array = b;
      for (let i = 0; i < 3; i++) x = mutate(x, [0, 1, 2, 3, 6][int(5)]);
      return x;
    }
  }
}

describe('decodeWav fuzz (seeded)', () => {
  it('decodes or throws a HitrankError for 3,000 mutated files', () => {
    const counts = { decoded: 0, corrupt: 0, unsupported: 0 };
    for (let i = 0; i < 3000; i++) {
      const seed = seeds[i % seeds.length];
      const input = mutate(seed, int(8));
      let out: ReturnType<typeof decodeWav> | undefined;
      try {
        out = decodeWav(input);
      } catch (e) {
        if (!(e instanceof HitrankError)) {
          throw new Error(`case ${i}: non-Hitrank error ${String(e)} for bytes ${Array.from(input.subarray(0, 64)).join(',')}`, {
            cause: e,
          });
        }
        expect(['E_CORRUPT_FILE', 'E_UNSUPPORTED']).toContain(e.code);
        if (e.code === 'E_CORRUPT_FILE') counts.corrupt++;
        else counts.unsupported++;
        continue;
      }
      counts.decoded++;
      expect(Number.isInteger(out.sampleRate) && out.sampleRate > 0).toBe(true);
      expect(out.channelData.length).toBeGreaterThan(0);
      const frames = out.channelData[0].length;
      // Never more samples than the bytes could hold (at least 1 byte per sample).
      expect(frames * out.channelData.length).toBeLessThanOrEqual(input.length);
      for (const ch of out.channelData) {
        expect(ch).toBeInstanceOf(Float32Array);
        expect(ch.length).toBe(frames);
      }
    }
    // The mutations must exercise both outcomes (and unsupported formats) to mean anything.
    expect(counts.decoded).toBeGreaterThan(300);
    expect(counts.corrupt).toBeGreaterThan(300);
    expect(counts.unsupported).toBeGreaterThan(30);
  });

  it('never reads past a shortened view of a larger buffer', () => {
    // The decoder must respect byteLength, not the underlying ArrayBuffer's size.
    const wav = encodeWav(signal(100), 8000, { bitDepth: 16 });
    const big = new Uint8Array(wav.length + 64);
    big.set(wav, 32);
    for (let cut = 0; cut <= wav.length; cut += 7) {
      const view = big.subarray(32, 32 + cut);
      try {
        const out = decodeWav(view);
        expect(out.channelData[0].length).toBe(Math.max(0, Math.floor((cut - 44) / 2)));
      } catch (e) {
        expect(e).toBeInstanceOf(HitrankError);
        expect(cut).toBeLessThan(44);
      }
    }
  });
});
