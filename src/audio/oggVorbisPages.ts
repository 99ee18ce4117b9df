/**
 * Ogg Vorbis page layout: where each page starts and ends, its granule
 * position (the sample count at the end of the last packet completed on it)
 * and whether it begins inside a packet — what it takes to decode part of an
 * Ogg Vorbis file. A Vorbis packet's samples depend only on it and the
 * packet before (the overlap of their windows), so decoding from a page that
 * begins a packet gives exactly the samples of a whole decode after that
 * packet.
 *
 * @module
 */

/** The pages of a single-stream Ogg Vorbis file. @internal */
export interface VorbisPages {
  /** Sample rate of the identification header. */
  sampleRate: number;
  /** Channels of the identification header. */
  channels: number;
  /** Byte offset of each page. */
  offsets: number[];
  /** Byte offset just after each page. */
  ends: number[];
  /** Granule position of each page, −1 when no packet ends on it. */
  granules: number[];
  /** Whether each page begins with the rest of a packet from the page before. */
  continued: boolean[];
  /** Pages 0 … headerPages − 1 hold the three header packets (granule 0); audio starts on page `headerPages`. */
  headerPages: number;
  /** Granule position of the last page: samples per channel of the stream. */
  totalSamples: number;
}

/**
 * Indexes the pages of an Ogg Vorbis file, or returns `null` for anything
 * but one plain logical stream: a page that does not follow the previous one
 * byte for byte, a gap in the page sequence numbers, a second stream
 * (chained or multiplexed files), a missing beginning- or end-of-stream
 * flag, bytes after the last page, a non-Vorbis first packet, or granule
 * positions that go backwards. Page checksums are not read here (see
 * {@link oggPageChecksumOk}).
 *
 * @param b - the file's bytes.
 * @param start - offset of the first page.
 * @returns the page index, or `null`.
 * @internal
 */
export function indexVorbisPages(b: Uint8Array, start: number): VorbisPages | null {
  const offsets: number[] = [];
  const ends: number[] = [];
  const granules: number[] = [];
  const continued: boolean[] = [];
  let serial = -1;
  let firstSeq = 0;
  let eos = false;
  let p = start;
  while (p < b.length) {
    if (eos) return null; // bytes (or a chained stream) after the end of the stream
    if (p + 27 > b.length || b[p] !== 0x4f || b[p + 1] !== 0x67 || b[p + 2] !== 0x67 || b[p + 3] !== 0x53 || b[p + 4] !== 0) return null;
    const flags = b[p + 5];
    const lo = u32(b, p + 6);
    const hi = u32(b, p + 10);
    const pageSerial = u32(b, p + 14);
    const seq = u32(b, p + 18);
    const nseg = b[p + 26];
    if (p + 27 + nseg > b.length) return null;
    let body = 0;
    for (let i = 0; i < nseg; i++) body += b[p + 27 + i];
    const end = p + 27 + nseg + body;
    if (end > b.length) return null;
    const k = offsets.length;
    if (k === 0) {
      if ((flags & 2) === 0) return null; // no beginning-of-stream flag
      serial = pageSerial;
      firstSeq = seq;
    } else if ((flags & 2) !== 0 || pageSerial !== serial || seq !== firstSeq + k) {
      return null;
    }
    let granule: number;
    if (lo === 0xffffffff && hi === 0xffffffff) granule = -1;
    else if (hi >= 0x200000) return null; // beyond 2^53 or negative
    else granule = hi * 2 ** 32 + lo;
    offsets.push(p);
    ends.push(end);
    granules.push(granule);
    continued.push((flags & 1) !== 0);
    eos = (flags & 4) !== 0;
    p = end;
  }
  const n = offsets.length;
  if (n < 2 || !eos) return null;
  // The identification header: packet type 1, "vorbis", version 0, channels, rate.
  const id = offsets[0] + 27 + b[offsets[0] + 26];
  if (id + 16 > ends[0] || b[id] !== 1 || String.fromCharCode(...b.subarray(id + 1, id + 7)) !== 'vorbis' || u32(b, id + 7) !== 0) return null;
  const channels = b[id + 11];
  const sampleRate = u32(b, id + 12);
  if (channels < 1 || sampleRate < 1) return null;
  let headerPages = 0;
  while (headerPages < n && granules[headerPages] === 0) headerPages++;
  if (headerPages === 0 || headerPages >= n || continued[headerPages]) return null;
  let last = 0;
  for (let k = headerPages; k < n; k++) {
    if (granules[k] === -1) continue;
    if (granules[k] < last) return null;
    last = granules[k];
  }
  const totalSamples = granules[n - 1];
  if (totalSamples <= 0) return null;
  return { sampleRate, channels, offsets, ends, granules, continued, headerPages, totalSamples };
}

/**
 * Whether an Ogg page's CRC-32 (polynomial 0x04C11DB7, not reflected,
 * computed with the checksum field zeroed) matches the one it carries.
 *
 * @param b - the file's bytes.
 * @param start - offset of the page.
 * @param end - offset just after it.
 * @returns `true` for an intact page.
 * @internal
 */
export function oggPageChecksumOk(b: Uint8Array, start: number, end: number): boolean {
  const table = crcTable();
  let crc = 0;
  for (let i = start; i < end; i++) {
    const v = i >= start + 22 && i < start + 26 ? 0 : b[i];
    crc = ((crc << 8) ^ table[((crc >>> 24) ^ v) & 0xff]) >>> 0;
  }
  return crc === u32(b, start + 22);
}

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
}

function u32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}
