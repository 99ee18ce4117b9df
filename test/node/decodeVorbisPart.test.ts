// Partial decoding of Ogg Vorbis files (decodeAudio's start / frames, and the
// Mid-S length from audioLayout): the same samples as slicing the whole
// decode, bit for bit, decoding only the pages they depend on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { audioInfo, decodeAudio } from '../../src/audio/index.js';
import { audioLayout } from '../../src/audio/audioInfo.js';
import { indexVorbisPages, oggPageChecksumOk } from '../../src/audio/oggVorbisPages.js';
import { decodeVorbisPart, seekableVorbis, vorbisPageSpan } from '../../src/audio/vorbisPart.js';
import { sameBits } from '../helpers/bits.js';

const data = (name: string) => new Uint8Array(readFileSync(new URL(`./data/${name}`, import.meta.url)));
const SONGS = ['song-44k-stereo.ogg', 'song-48k-mono.ogg', 'song-48k-mono-q10.ogg'];

// --- Ogg page surgery for the tests (the committed files come from libvorbis, which never splits a packet across pages).

interface RawPage {
  header: Uint8Array; // 27 bytes
  segments: number[];
  body: Uint8Array;
}

function readPages(b: Uint8Array): RawPage[] {
  const pages: RawPage[] = [];
  let p = 0;
  while (p < b.length) {
    const nseg = b[p + 26];
    const segments = Array.from(b.subarray(p + 27, p + 27 + nseg));
    const len = segments.reduce((a, c) => a + c, 0);
    pages.push({ header: b.slice(p, p + 27), segments, body: b.slice(p + 27 + nseg, p + 27 + nseg + len) });
    p += 27 + nseg + len;
  }
  return pages;
}

const CRC = new Uint32Array(256).map((_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});

function writePages(pages: RawPage[]): Uint8Array {
  const parts = pages.map((pg) => {
    const out = new Uint8Array(27 + pg.segments.length + pg.body.length);
    out.set(pg.header);
    out[26] = pg.segments.length;
    out.set(pg.segments, 27);
    out.set(pg.body, 27 + pg.segments.length);
    out.fill(0, 22, 26);
    let crc = 0;
    for (const v of out) crc = ((crc << 8) ^ CRC[((crc >>> 24) ^ v) & 0xff]) >>> 0;
    new DataView(out.buffer).setUint32(22, crc, true);
    return out;
  });
  const all = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

/** Moves the first 255 bytes of the first packet of every other audio page to the end of the page before: those pages then begin inside a packet (granules unchanged). */
function splitPackets(b: Uint8Array): Uint8Array {
  const pages = readPages(b);
  const first = indexVorbisPages(b, 0)!.headerPages;
  for (let k = first + 1; k < pages.length - 1; k += 2) {
    const a = pages[k - 1];
    const pg = pages[k];
    if (pg.segments[0] !== 255 || a.segments.length >= 255) continue;
    a.segments.push(255);
    a.body = Uint8Array.from([...a.body, ...pg.body.subarray(0, 255)]);
    pg.segments.shift();
    pg.body = pg.body.slice(255);
    pg.header[5] |= 1;
  }
  return writePages(pages);
}

/** Adds `offset` to every audio page's granule position (a stream that does not start at sample 0). */
function shiftGranules(b: Uint8Array, offset: number): Uint8Array {
  const pages = readPages(b);
  for (const pg of pages) {
    const v = new DataView(pg.header.buffer);
    const g = v.getUint32(6, true);
    if (g !== 0 && g !== 0xffffffff) v.setUint32(6, g + offset, true);
  }
  return writePages(pages);
}

/** Ranges across the file: both ends, single samples, past the end, the whole file, the middle. */
function ranges(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [[0, 500], [1, 1], [n - 700, 700], [n - 10, 50], [n + 5, 10], [0, -1]];
  for (let k = 0; k < 12; k++) out.push([Math.floor((n * (k + 1)) / 14) + 53 * k, 3000 + 1500 * k]);
  return out;
}

/** Checks every range against the whole decode; returns how many took the page-by-page path. */
async function checkRanges(name: string, bytes: Uint8Array, whole: { sampleRate: number; channelData: Float32Array[] }): Promise<number> {
  const n = whole.channelData[0].length;
  let direct = 0;
  for (const [start, frames] of ranges(n)) {
    const from = Math.min(start, n);
    const to = frames === -1 ? n : Math.min(n, from + frames);
    const part = await decodeAudio(bytes, { start, frames });
    expect(part.sampleRate).toBe(whole.sampleRate);
    part.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(from, to)), `${name} [${start}, +${frames}) channel ${c}`).toBe(true));
    const fast = await decodeVorbisPart(bytes, 0, start, frames);
    if (fast && to > from) {
      direct++;
      fast.channelData.forEach((ch, c) => expect(sameBits(ch, part.channelData[c]), `${name} direct [${start}, +${frames})`).toBe(true));
    }
  }
  return direct;
}

describe('decodeAudio of part of an Ogg Vorbis file', () => {
  for (const name of SONGS) {
    it(`${name}: every range equals the slice of the whole decode, most without decoding the whole file`, async () => {
      const bytes = data(name);
      const whole = await decodeAudio(bytes);
      const n = whole.channelData[0].length;
      const layout = await audioLayout(bytes);
      expect(layout?.info).toEqual({ format: 'ogg-vorbis', sampleRate: whole.sampleRate, channels: whole.channelData.length, frames: n });
      const direct = await checkRanges(name, bytes, whole);
      expect(direct).toBeGreaterThanOrEqual(8);
    });
  }

  it('pages that begin inside a packet are never where decoding starts: same samples', async () => {
    for (const name of ['song-48k-mono-q10.ogg']) {
      const original = data(name);
      const bytes = splitPackets(original);
      const v = indexVorbisPages(bytes, 0)!;
      expect(v.continued.filter(Boolean).length, name).toBeGreaterThanOrEqual(2);
      v.offsets.forEach((o, k) => expect(oggPageChecksumOk(bytes, o, v.ends[k])).toBe(true));
      const whole = await decodeAudio(bytes);
      const ref = await decodeAudio(original);
      whole.channelData.forEach((ch, c) => expect(sameBits(ch, ref.channelData[c])).toBe(true));
      // Decoding starts on the latest page that begins with a whole packet and ends by `from`.
      const n = whole.channelData[0].length;
      let spans = 0;
      for (const [start, frames] of ranges(n)) {
        const from = Math.min(start, n);
        const to = frames === -1 ? n : Math.min(n, from + frames);
        const span = to > from ? vorbisPageSpan(v, from, to) : null;
        if (!span) continue;
        spans++;
        expect(v.continued[span.q], `[${from}, ${to})`).toBe(false);
        expect(span.q === v.headerPages || v.granules[span.q] <= from).toBe(true);
        for (let k = span.q + 1; k < v.offsets.length && v.granules[k] <= from; k++) expect(v.continued[k] || v.granules[k] < 0, `page ${k}`).toBe(true);
        expect(v.granules[span.r]).toBeGreaterThanOrEqual(to);
        expect(span.r === span.q || v.granules[span.r - 1] < to).toBe(true);
      }
      expect(spans).toBeGreaterThanOrEqual(6);
      // Every range the original decodes page by page, the split file does too (from another page).
      expect(await checkRanges(`${name} (split packets)`, bytes, whole)).toBe(await checkRanges(name, original, ref));
    }
  });

  it('a damaged page: ranges that need it fall back to the whole decode, others still decode exactly', async () => {
    const bytes = data('song-44k-stereo.ogg');
    const whole = await decodeAudio(bytes);
    const v = indexVorbisPages(bytes, 0)!;
    const k = v.offsets.length - 3;
    const bad = bytes.slice();
    bad[v.offsets[k] + 200] ^= 0x5a;
    expect(oggPageChecksumOk(bad, v.offsets[k], v.ends[k])).toBe(false);
    // The samples of page k (after its first packet) need it: no partial decode.
    expect(await decodeVorbisPart(bad, 0, v.granules[k] - 100, 50)).toBeNull();
    // A range in the first pages does not: exact.
    const early = await decodeVorbisPart(bad, 0, 5000, 4000);
    expect(early).not.toBeNull();
    early!.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(5000, 9000))).toBe(true));
  });

  it('a stream that does not start at sample 0 is not placed by granule position: decoded whole and sliced', async () => {
    const bytes = shiftGranules(data('song-48k-mono.ogg'), 4096);
    expect(indexVorbisPages(bytes, 0)).not.toBeNull();
    expect(await seekableVorbis(bytes, 0)).toBeNull();
    expect(await audioLayout(bytes)).toBeNull();
    const whole = await decodeAudio(bytes);
    // audioInfo reports the granule position, as libsndfile does (documented): here 4096 more than decodeAudio gives.
    expect(audioInfo(bytes)?.frames).toBe(whole.channelData[0].length + 4096);
    const part = await decodeAudio(bytes, { start: 20000, frames: 30000 });
    expect(sameBits(part.channelData[0], whole.channelData[0].subarray(20000, 50000))).toBe(true);
  });

  it('the page index refuses what it cannot place: truncated, chained, not Vorbis, too short', async () => {
    const bytes = data('song-44k-stereo.ogg');
    expect(indexVorbisPages(bytes.subarray(0, bytes.length - 100), 0)).toBeNull(); // cut inside the last page
    const v = indexVorbisPages(bytes, 0)!;
    expect(indexVorbisPages(bytes.subarray(0, v.ends[v.offsets.length - 2]), 0)).toBeNull(); // no end-of-stream page
    const chained = new Uint8Array(2 * bytes.length);
    chained.set(bytes);
    chained.set(bytes, bytes.length);
    expect(indexVorbisPages(chained, 0)).toBeNull();
    expect(indexVorbisPages(data('tone-16k-stereo.oga'), 0)).toBeNull(); // Ogg FLAC
    // One second of audio on two pages: nothing to gain, decoded whole.
    expect(await audioLayout(data('tone-22k-mono.ogg'))).toBeNull();
  });

  it('seeded fuzzing: with any byte damaged, a page-by-page decode gives the undamaged file\'s samples or nothing, never other numbers', async () => {
    const rng = seedrandom('hitrank-ogg-fuzz-1');
    for (const name of ['song-44k-stereo.ogg', 'song-48k-mono-q10.ogg']) {
      const original = data(name);
      const whole = await decodeAudio(original);
      const n = whole.channelData[0].length;
      let exact = 0;
      for (let trial = 0; trial < 20; trial++) {
        const bytes = original.slice();
        const at = Math.floor(rng() * bytes.length);
        bytes[at] ^= 1 + Math.floor(rng() * 255);
        const start = Math.floor(rng() * n * 0.8);
        const frames = 1 + Math.floor(rng() * n * 0.2);
        const part = await decodeVorbisPart(bytes, 0, start, frames);
        if (part === null) continue; // falls back to the whole decode and its error policy
        exact++;
        part.channelData.forEach((ch, c) => expect(sameBits(ch, whole.channelData[c].subarray(start, start + frames)), `${name}: byte ${at} damaged, [${start}, +${frames})`).toBe(true));
      }
      expect(exact, name).toBeGreaterThan(0);
    }
  });
});
