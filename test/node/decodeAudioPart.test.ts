// Partial decoding (decodeAudio's start / frames): the same samples as slicing
// the whole decode, bit for bit, and for MPEG-1 MP3 and FLAC files without
// decoding the whole file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { audioInfo, decodeAudio, encodeWav } from '../../src/audio/index.js';
import { decodeFlacPart, decodeMp3Part } from '../../src/audio/decodeAudio.js';
import { locateFlacFrames, readSeekableFlac as readFlacStreamInfo } from '../../src/audio/flacFrames.js';
import { indexMpegFrames, mpegSampleLayout } from '../../src/audio/mpegFrames.js';
import { sameBits } from '../helpers/bits.js';

const data = (name: string) => new Uint8Array(readFileSync(new URL(`./data/${name}`, import.meta.url)));

const MPEG1 = ['song-44k-stereo-cbr.mp3', 'song-44k-stereo-vbr.mp3', 'song-48k-mono-notag.mp3', 'tone-44k-stereo.mp3'];

describe('decodeAudio of part of an MP3', () => {
  for (const name of MPEG1) {
    it(`${name}: every range decodes only its frames and equals the slice of the whole decode`, async () => {
      const bytes = data(name);
      const whole = await decodeAudio(bytes);
      const n = whole.channelData[0].length;
      const ix = indexMpegFrames(bytes)!;
      expect(ix).not.toBeNull();
      expect(mpegSampleLayout(ix)?.length).toBe(n);
      // Starts on every frame phase, near both ends, inside one frame, past the end.
      const ranges: Array<[number, number]> = [[0, 500], [1, 1], [n - 700, 700], [n - 10, 50], [n + 5, 10], [0, -1]];
      for (let k = 0; k < 9; k++) ranges.push([Math.floor((n * (k + 1)) / 11) + 37 * k, 4000 + 1000 * k]);
      for (const [start, frames] of ranges) {
        const part = await decodeAudio(bytes, { start, frames });
        const from = Math.min(start, n);
        const to = frames === -1 ? n : Math.min(n, from + frames);
        expect(part.sampleRate).toBe(whole.sampleRate);
        expect(part.channelData).toHaveLength(whole.channelData.length);
        part.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(from, to)), `${name} [${start}, +${frames}) channel ${c}`).toBe(true));
        if (to - from > 0 && to - from < n / 2) {
          // The fast path itself (not a whole decode and a slice) produced it.
          const direct = await decodeMp3Part(bytes, start, frames);
          expect(direct, `${name} [${start}, +${frames})`).not.toBeNull();
          direct!.channelData.forEach((ch, c) => expect(sameBits(ch, part.channelData[c])).toBe(true));
        }
      }
    });
  }

  it('an MPEG-2 file (22.05 kHz) is decoded whole and sliced: same samples, no partial path', async () => {
    const bytes = data('song-22k-mono-mpeg2.mp3');
    const whole = await decodeAudio(bytes);
    const n = whole.channelData[0].length;
    expect(await decodeMp3Part(bytes, 1000, 5000)).toBeNull();
    const part = await decodeAudio(bytes, { start: Math.floor(n / 2), frames: 3000 });
    expect(sameBits(part.channelData[0], whole.channelData[0].subarray(Math.floor(n / 2), Math.floor(n / 2) + 3000))).toBe(true);
  });

  it('Ogg FLAC and a one-second Ogg Vorbis file are decoded whole and sliced; bad ranges are refused', async () => {
    for (const name of ['tone-16k-stereo.oga', 'tone-22k-mono.ogg']) {
      const bytes = data(name);
      const whole = await decodeAudio(bytes);
      const part = await decodeAudio(bytes, { start: 100, frames: 250 });
      part.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(100, 350))).toBe(true));
    }
    for (const options of [{ start: -1 }, { start: 0.5 }, { frames: -2 }]) {
      await expect(decodeAudio(data('tone-44k-stereo.mp3'), options)).rejects.toThrow(/E_PARAM/);
    }
  });

  it('the frame index refuses what partial decoding cannot reproduce', () => {
    const bytes = data('song-44k-stereo-cbr.mp3');
    const ix = indexMpegFrames(bytes)!;
    // Junk in the middle of the stream.
    const broken = bytes.slice();
    broken[ix.offsets[20] + 1] = 0x00;
    expect(indexMpegFrames(broken)).toBeNull();
    // A truncated last frame.
    expect(indexMpegFrames(bytes.subarray(0, ix.offsets[ix.offsets.length - 1] - 3))).toBeNull();
    // Not MPEG audio at all.
    expect(indexMpegFrames(data('tone-22k-mono.ogg'))).toBeNull();
    // A LAME tag whose CRC does not match (a damaged gapless tag).
    const tagged = data('song-44k-stereo-cbr.mp3').slice();
    const info = indexMpegFrames(tagged)!.infoFrame;
    expect(info).toBeGreaterThan(0);
    tagged[info + 156 + 21] ^= 0x10; // the encoder delay
    expect(indexMpegFrames(tagged)).toBeNull();
    // A Fraunhofer VBRI header in the first frame.
    const vbri = data('song-48k-mono-notag.mp3').slice();
    vbri.set([0x56, 0x42, 0x52, 0x49], indexMpegFrames(vbri)!.offsets[0] + 36);
    expect(indexMpegFrames(vbri)).toBeNull();
  });
});

describe('decodeAudio of part of a FLAC file', () => {
  for (const name of ['song-22k-stereo.flac', 'tone-16k-stereo.flac']) {
    it(`${name}: every range decodes only its frames and equals the slice of the whole decode`, async () => {
      const bytes = data(name);
      const whole = await decodeAudio(bytes);
      const n = whole.channelData[0].length;
      const info = readFlacStreamInfo(bytes, 0)!;
      expect(info.totalSamples).toBe(n);
      const ranges: Array<[number, number]> = [[0, 10], [1, 1], [n - 700, 700], [n - 10, 50], [n + 5, 10], [0, -1], [info.blockSize - 1, 2]];
      for (let k = 0; k < 9; k++) ranges.push([Math.floor((n * (k + 1)) / 11) + 37 * k, 1000 + 500 * k]);
      for (const [start, frames] of ranges) {
        const part = await decodeAudio(bytes, { start, frames });
        const from = Math.min(start, n);
        const to = frames === -1 ? n : Math.min(n, from + frames);
        part.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(from, to)), `${name} [${start}, +${frames}) channel ${c}`).toBe(true));
        if (to - from > 0 && to - from < n / 2) {
          const direct = await decodeFlacPart(bytes, 0, start, frames);
          expect(direct, `${name} [${start}, +${frames})`).not.toBeNull();
          direct!.channelData.forEach((ch, c) => expect(sameBits(ch, part.channelData[c])).toBe(true));
        }
      }
    });
  }

  it('frames are found by their headers from any guess, and damage falls back to the whole decode', async () => {
    const bytes = data('song-22k-stereo.flac');
    const info = readFlacStreamInfo(bytes, 0)!;
    const nFrames = Math.ceil(info.totalSamples / info.blockSize);
    expect(nFrames).toBeGreaterThan(40);
    let prevEnd = -1;
    for (let f = 0; f < nFrames; f++) {
      const ext = locateFlacFrames(bytes, info, f, f)!;
      expect(ext, `frame ${f}`).not.toBeNull();
      if (prevEnd >= 0) expect(ext[0][0]).toBe(prevEnd); // frames tile the stream
      prevEnd = ext[0][1];
    }
    expect(prevEnd).toBe(bytes.length);
    // A damaged frame inside the range: the partial decoder reports it, so decodeAudio
    // falls back to the whole decode and returns what slicing it gives.
    const ext = locateFlacFrames(bytes, info, 20, 20)!;
    const broken = bytes.slice();
    broken[ext[0][0] + 40] ^= 0xff;
    expect(await decodeFlacPart(broken, 0, 20 * info.blockSize, 100)).toBeNull();
    // The whole decode stops at the damaged frame: fewer samples than STREAMINFO names, an error.
    await expect(decodeAudio(broken)).rejects.toThrow(/E_CORRUPT_FILE.*STREAMINFO/);
    await expect(decodeAudio(broken, { start: 20 * info.blockSize, frames: 100 })).rejects.toThrow(/E_CORRUPT_FILE/);
    const kept = await decodeAudio(broken, { allowDecodeErrors: true });
    expect(kept.channelData[0].length).toBeLessThan(info.totalSamples);
    // Damage outside the range is never read.
    const part = await decodeAudio(broken, { start: 40 * info.blockSize, frames: 100 });
    const clean = await decodeAudio(bytes);
    part.channelData.forEach((ch, c) => expect(sameBits(ch, clean.channelData[c].subarray(40 * info.blockSize, 40 * info.blockSize + 100))).toBe(true));
  });
});

describe('audioInfo', () => {
  it('gives the exact length decodeAudio returns for WAV, MPEG-1 MP3, FLAC and Ogg Vorbis, null where that takes a decode', async () => {
    for (const name of MPEG1) {
      const bytes = data(name);
      const whole = await decodeAudio(bytes);
      expect(audioInfo(bytes), name).toEqual({ format: 'mp3', sampleRate: whole.sampleRate, channels: whole.channelData.length, frames: whole.channelData[0].length });
    }
    const wav = encodeWav([new Float32Array(1001), new Float32Array(1001)], 32000);
    expect(audioInfo(wav)).toEqual({ format: 'wav', sampleRate: 32000, channels: 2, frames: 1001 });
    for (const name of ['song-22k-stereo.flac', 'tone-16k-stereo.flac']) {
      const whole = await decodeAudio(data(name));
      expect(audioInfo(data(name)), name).toEqual({ format: 'flac', sampleRate: whole.sampleRate, channels: whole.channelData.length, frames: whole.channelData[0].length });
    }
    for (const name of ['song-44k-stereo.ogg', 'song-48k-mono.ogg', 'song-48k-mono-q10.ogg', 'tone-22k-mono.ogg']) {
      const whole = await decodeAudio(data(name));
      expect(audioInfo(data(name)), name).toEqual({ format: 'ogg-vorbis', sampleRate: whole.sampleRate, channels: whole.channelData.length, frames: whole.channelData[0].length });
    }
    for (const name of ['song-22k-mono-mpeg2.mp3', 'tone-16k-stereo.oga']) expect(audioInfo(data(name)), name).toBeNull();
  });
});
