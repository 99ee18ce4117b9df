import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { resample, toMono } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';
import { decodeAudio, decodeWav, encodeWav, loadAudio, sniffAudioFormat } from '../../src/node/index.js';
import { clips } from './synth.js';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');
const data = (name: string): string => join(dataDir, name);
const tmp = mkdtempSync(join(tmpdir(), 'hitrank-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function expectRejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<HitrankError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HitrankError);
  expect((caught as HitrankError).code).toBe(code);
  if (message) expect((caught as HitrankError).message).toMatch(message);
  return caught as HitrankError;
}

/** Normalised correlation of x and ref at lag 0 over the common length. */
function correlation(x: Float32Array, ref: Float32Array): number {
  let s = 0;
  let nx = 0;
  let nr = 0;
  for (let i = 0; i < Math.min(x.length, ref.length); i++) {
    s += x[i] * ref[i];
    nx += x[i] * x[i];
    nr += ref[i] * ref[i];
  }
  return s / Math.sqrt(nx * nr);
}

/** Lag in [-maxLag, maxLag] maximising the correlation (the chirps make it unique). */
function bestLag(x: Float32Array, ref: Float32Array, maxLag: number): number {
  let best = -Infinity;
  let lag = 0;
  for (let l = -maxLag; l <= maxLag; l++) {
    let s = 0;
    for (let i = Math.max(0, -l); i < Math.min(ref.length, x.length - l); i++) s += x[i + l] * ref[i];
    if (s > best) {
      best = s;
      lag = l;
    }
  }
  return lag;
}

/** Frequency (Hz, on a 5-Hz grid in [lo, hi]) with the most energy (Goertzel). */
function dominantFrequency(x: Float32Array, sampleRate: number, lo: number, hi: number): number {
  let best = -1;
  let arg = lo;
  for (let f = lo; f <= hi; f += 5) {
    const w = (2 * Math.PI * f) / sampleRate;
    const c = 2 * Math.cos(w);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < x.length; i++) {
      const s0 = x[i] + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const p = s1 * s1 + s2 * s2 - c * s1 * s2;
    if (p > best) {
      best = p;
      arg = f;
    }
  }
  return arg;
}


describe('sniffAudioFormat', () => {
  it('recognises each committed file by content', () => {
    const f = (n: string) => sniffAudioFormat(readFileSync(data(n))).format;
    expect(f('tone-44k-stereo.mp3')).toBe('mp3'); // starts with an ID3v2 tag
    expect(f('tone-22k-mono.mp3')).toBe('mp3'); // starts with a frame sync
    expect(f('tone-22k-mono.ogg')).toBe('ogg-vorbis');
    expect(f('tone-16k-stereo.flac')).toBe('flac');
    expect(f('tone-16k-stereo.oga')).toBe('ogg-flac');
    expect(sniffAudioFormat(encodeWav(new Float32Array(4), 8000)).format).toBe('wav');
  });

  it('points past ID3v2 tags to the first MPEG frame', () => {
    const b = readFileSync(data('tone-44k-stereo.mp3'));
    const s = sniffAudioFormat(b);
    expect(s.format).toBe('mp3');
    const at = (s as { audioStart: number }).audioStart;
    expect(at).toBe(10 + ((b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9]));
    expect(b[at]).toBe(0xff);
  });

  it('describes what it does not decode', () => {
    const opus = Uint8Array.from([...'OggS'].map((c) => c.charCodeAt(0)).concat(new Array(22).fill(0), [1, 19], [...'OpusHead'].map((c) => c.charCodeAt(0))));
    expect(sniffAudioFormat(opus)).toEqual({ format: undefined, found: 'Ogg Opus' });
    expect(sniffAudioFormat(Uint8Array.from([0xff, 0xf1, 0x50, 0x80]))).toEqual({ format: undefined, found: 'AAC (ADTS)' });
    expect(sniffAudioFormat(new TextEncoder().encode('hello world')).format).toBeUndefined();
    expect(sniffAudioFormat(new Uint8Array(0))).toEqual({ format: undefined, found: 'an empty file' });
  });
});

describe('loadAudio on compressed formats', () => {
  it('MP3 with an ID3v2 tag, 44.1 kHz stereo: gapless length, aligned chirp, 1 kHz right channel', async () => {
    const ref = clips.mp3Stereo();
    const out = await loadAudio(data('tone-44k-stereo.mp3'));
    expect(out.sampleRate).toBe(44100);
    expect(out.channelData).toHaveLength(2);
    expect(out.channelData[0]).toHaveLength(44100); // encoder delay/padding trimmed (LAME header)
    expect(out.channelData[1]).toHaveLength(44100);
    expect(bestLag(out.channelData[0], ref.channelData[0], 50)).toBe(0);
    expect(correlation(out.channelData[0], ref.channelData[0])).toBeGreaterThan(0.99);
    expect(dominantFrequency(out.channelData[1], 44100, 500, 2000)).toBe(1000);
  });

  it('MP3 without a tag, 22.05 kHz mono: one channel', async () => {
    const ref = clips.mp3Mono().channelData[0];
    const out = await loadAudio(data('tone-22k-mono.mp3'));
    expect(out.sampleRate).toBe(22050);
    expect(out.channelData).toHaveLength(1);
    expect(out.channelData[0]).toHaveLength(22050);
    expect(bestLag(out.channelData[0], ref, 50)).toBe(0);
    expect(correlation(out.channelData[0], ref)).toBeGreaterThan(0.99);
  });

  it('Ogg Vorbis, 22.05 kHz mono', async () => {
    const ref = clips.oggMono().channelData[0];
    const out = await loadAudio(data('tone-22k-mono.ogg'));
    expect(out.sampleRate).toBe(22050);
    expect(out.channelData).toHaveLength(1);
    expect(out.channelData[0]).toHaveLength(22050);
    expect(bestLag(out.channelData[0], ref, 50)).toBe(0);
    expect(correlation(out.channelData[0], ref)).toBeGreaterThan(0.99);
  });

  for (const name of ['tone-16k-stereo.flac', 'tone-16k-stereo.oga']) {
    it(`${name} (lossless) decodes to exactly the int16 samples that were encoded`, async () => {
      // The 16-bit WAV that make-data.ts gave to `flac`, decoded.
      const clip = clips.flacStereo();
      const ref = decodeWav(encodeWav(clip.channelData, clip.sampleRate, { bitDepth: 16 }));
      const out = await loadAudio(data(name));
      expect(out.sampleRate).toBe(16000);
      expect(out.channelData).toHaveLength(2);
      expect(out.channelData[0]).toHaveLength(8000);
      expect(Array.from(out.channelData[0])).toEqual(Array.from(ref.channelData[0]));
      expect(Array.from(out.channelData[1])).toEqual(Array.from(ref.channelData[1]));
    });
  }

  it('decodeAudio takes bytes or an ArrayBuffer', async () => {
    const b = readFileSync(data('tone-16k-stereo.flac'));
    const a = await decodeAudio(b);
    const c = await decodeAudio(Uint8Array.from(b).buffer);
    expect(Array.from(c.channelData[1])).toEqual(Array.from(a.channelData[1]));
  });
});

describe('loadAudio conversions', () => {
  it('mono: true averages the channels (librosa.to_mono)', async () => {
    const stereo = await loadAudio(data('tone-44k-stereo.mp3'));
    const mono = await loadAudio(data('tone-44k-stereo.mp3'), { mono: true });
    expect(mono.channelData).toHaveLength(1);
    expect(mono.sampleRate).toBe(44100);
    const expected = toMono(stereo.channelData);
    expect(Array.from(mono.channelData[0])).toEqual(Array.from(expected));
    expect(mono.channelData[0][1234]).toBeCloseTo((stereo.channelData[0][1234] + stereo.channelData[1][1234]) / 2, 7);
  });

  it('sampleRate resamples every channel with resample()', async () => {
    const native = await loadAudio(data('tone-16k-stereo.flac'));
    const out = await loadAudio(data('tone-16k-stereo.flac'), { sampleRate: 8000 });
    expect(out.sampleRate).toBe(8000);
    expect(out.channelData).toHaveLength(2);
    expect(out.channelData[0]).toHaveLength(4000);
    expect(Array.from(out.channelData[0])).toEqual(Array.from(resample(native.channelData[0], { from: 16000, to: 8000 })));
    expect(dominantFrequency(out.channelData[0], 8000, 100, 1000)).toBe(300);
  });

  it('mono + 22050 Hz, the paper input, from a WAV written with encodeWav', async () => {
    const p = join(tmp, 'chord.wav');
    const l = clips.mp3Stereo().channelData[1]; // 1 kHz at 44.1 kHz
    writeFileSync(p, encodeWav([l, l], 44100, { bitDepth: 24 }));
    const out = await loadAudio(p, { mono: true, sampleRate: 22050 });
    expect(out.sampleRate).toBe(22050);
    expect(out.channelData).toHaveLength(1);
    expect(out.channelData[0]).toHaveLength(22050);
    expect(dominantFrequency(out.channelData[0], 22050, 500, 2000)).toBe(1000);
  });

  it('keeps the native rate when sampleRate equals it', async () => {
    const a = await loadAudio(data('tone-22k-mono.ogg'));
    const b = await loadAudio(data('tone-22k-mono.ogg'), { sampleRate: 22050, mono: true });
    expect(Array.from(b.channelData[0])).toEqual(Array.from(a.channelData[0]));
  });
});

describe('loadAudio offset / duration (librosa.load\'s)', () => {
  for (const name of ['song-44k-stereo-vbr.mp3', 'song-22k-stereo.flac', 'tone-22k-mono.ogg', 'song-22k-mono-mpeg2.mp3']) {
    it(`${name}: round(offset · rate) … + round(duration · rate) of the whole file, then mono and resampling of that part`, async () => {
      const whole = await loadAudio(data(name));
      const sr = whole.sampleRate;
      const n = whole.channelData[0].length;
      for (const [offset, duration] of [[0.3, 0.25], [0.01, undefined], [0, 0.1], [n / sr - 0.05, 1], [n / sr + 1, 0.5]] as Array<[number, number | undefined]>) {
        const part = await loadAudio(data(name), { offset, duration });
        const from = Math.min(n, Math.round(offset * sr));
        const to = duration === undefined ? n : Math.min(n, from + Math.round(duration * sr));
        expect(part.sampleRate).toBe(sr);
        part.channelData.forEach((ch, c) => expect(Array.from(ch), `${name} ${offset}+${duration}`).toEqual(Array.from(whole.channelData[c].subarray(from, to))));
      }
      const conv = await loadAudio(data(name), { offset: 0.3, duration: 0.25, mono: true, sampleRate: 16000 });
      const from = Math.round(0.3 * sr);
      const cut = whole.channelData.map((ch) => ch.slice(from, from + Math.round(0.25 * sr)));
      const want = resample(cut.length > 1 ? toMono(cut) : cut[0], { from: sr, to: 16000 });
      expect(Array.from(conv.channelData[0])).toEqual(Array.from(want));
    });
  }

  it('rejects a negative or non-finite offset and a non-positive duration', async () => {
    for (const opts of [{ offset: -1 }, { offset: Number.NaN }, { duration: 0 }, { duration: Number.POSITIVE_INFINITY }]) {
      await expectRejects(loadAudio(data('tone-22k-mono.ogg'), opts), 'E_PARAM');
    }
  });
});

describe('loadAudio errors', () => {
  it('E_IO naming the path for a missing file or a directory', async () => {
    const missing = join(tmp, 'nope', 'song.mp3');
    const e = await expectRejects(loadAudio(missing), 'E_IO', /no such file/);
    expect(e.message).toContain(missing);
    await expectRejects(loadAudio(tmp), 'E_IO', /directory/);
  });

  it('E_UNSUPPORTED for unknown formats, whatever the extension', async () => {
    const p = join(tmp, 'fake.mp3');
    writeFileSync(p, 'this is not audio at all');
    const e = await expectRejects(loadAudio(p), 'E_UNSUPPORTED', /unknown data/);
    expect(e.message).toContain(p);
    const opus = join(tmp, 'voice.ogg');
    writeFileSync(opus, Uint8Array.from([...'OggS'].map((c) => c.charCodeAt(0)).concat(new Array(22).fill(0), [1, 19], [...'OpusHead'].map((c) => c.charCodeAt(0)))));
    await expectRejects(loadAudio(opus), 'E_UNSUPPORTED', /Ogg Opus/);
  });

  it('E_CORRUPT_FILE for truncated or garbled compressed files', async () => {
    const garble = (b: Uint8Array, from: number): Uint8Array => {
      const c = Uint8Array.from(b);
      for (let i = from; i < c.length; i++) c[i] = (i * 7919 + 13) & 255;
      return c;
    };
    const cases: [string, Uint8Array, RegExp][] = [
      ['trunc.flac', readFileSync(data('tone-16k-stereo.flac')).subarray(0, 100), /FLAC file decoded to no samples/],
      ['garbled.flac', garble(readFileSync(data('tone-16k-stereo.flac')), 100), /no samples/],
      ['trunc.ogg', readFileSync(data('tone-22k-mono.ogg')).subarray(0, 200), /Ogg Vorbis file decoded to no samples/],
      ['trunc.mp3', readFileSync(data('tone-22k-mono.mp3')).subarray(0, 100), /no samples/],
      ['garbled.mp3', garble(readFileSync(data('tone-22k-mono.mp3')), 500), /damaged frames \(\d+ decoder error/],
    ];
    for (const [name, bytes, message] of cases) {
      const p = join(tmp, name);
      writeFileSync(p, bytes);
      const e = await expectRejects(loadAudio(p), 'E_CORRUPT_FILE', message);
      expect(e.message).toContain(p);
    }
  });

  it('allowDecodeErrors keeps what decodes around damaged MP3 frames', async () => {
    const b = Uint8Array.from(readFileSync(data('tone-44k-stereo.mp3')));
    for (let i = 6000; i < 8000; i++) b[i] = (i * 7919 + 13) & 255; // ~5 of 39 frames overwritten
    const p = join(tmp, 'damaged.mp3');
    writeFileSync(p, b);
    await expectRejects(loadAudio(p), 'E_CORRUPT_FILE', /damaged frames/);
    const out = await loadAudio(p, { allowDecodeErrors: true });
    expect(out.channelData).toHaveLength(2);
    expect(out.channelData[0].length).toBeGreaterThan(25000);
    expect(out.channelData[0].length).toBeLessThan(44100);
  });

  it('E_PARAM for bad options', async () => {
    await expectRejects(loadAudio(data('tone-22k-mono.ogg'), { sampleRate: 0 }), 'E_PARAM', /sampleRate/);
    await expectRejects(loadAudio(data('tone-22k-mono.ogg'), { sampleRate: 22050.5 }), 'E_PARAM', /sampleRate/);
    await expectRejects(loadAudio(''), 'E_PARAM');
  });
});
