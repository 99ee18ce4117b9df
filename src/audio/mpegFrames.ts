/**
 * MPEG audio Layer III frame index: where every frame of an MP3 file starts,
 * plus the LAME/Xing gapless information — what it takes to decode only part
 * of a file with the same samples as decoding all of it.
 *
 * @module
 */

/** Layer III bit rates in kb/s by index, MPEG-1 and MPEG-2/2.5. */
const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** The frames of a Layer III stream that decodes as one piece. */
export interface MpegFrameIndex {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** 1 or 2. */
  channels: number;
  /** Samples per frame and channel: 1152 (MPEG-1) or 576 (MPEG-2 / 2.5). */
  samplesPerFrame: number;
  /** Byte offset of every audio frame (the Xing/Info frame excluded), then the end of the last one. */
  offsets: number[];
  /** Byte offset of the Xing/Info frame, or -1. */
  infoFrame: number;
  /**
   * Samples a gapless decoder drops at the start (the LAME tag's encoder delay
   * plus the decoder's 529) and at the end (the padding minus 529), or `null`
   * without a LAME tag.
   */
  gapless: { delay: number; padding: number } | null;
}

function header(b: Uint8Array, p: number): { version: number; rate: number; channels: number; length: number; spf: number; crc: boolean } | null {
  if (p + 4 > b.length || b[p] !== 0xff || (b[p + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[p + 1] >> 3) & 3; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (b[p + 1] >> 1) & 3; // 1 = Layer III
  if (version === 1 || layer !== 1) return null;
  const bri = b[p + 2] >> 4;
  const sri = (b[p + 2] >> 2) & 3;
  if (bri === 0 || bri === 15 || sri === 3) return null; // free format, bad bit rate, reserved rate
  const rate = RATES[version][sri];
  const kbps = (version === 3 ? BITRATES_V1 : BITRATES_V2)[bri];
  const pad = (b[p + 2] >> 1) & 1;
  const length = Math.floor(((version === 3 ? 144 : 72) * kbps * 1000) / rate) + pad;
  return { version, rate, channels: b[p + 3] >> 6 === 3 ? 1 : 2, length, spf: version === 3 ? 1152 : 576, crc: (b[p + 1] & 1) === 0 };
}

/** CRC-16/ARC (the LAME tag's checksum). */
function crc16(b: Uint8Array, from: number, n: number): number {
  let c = 0;
  for (let i = from; i < from + n && i < b.length; i++) {
    c ^= b[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return c;
}

function id3v2Size(b: Uint8Array, p: number): number {
  if (p + 10 > b.length || b[p] !== 0x49 || b[p + 1] !== 0x44 || b[p + 2] !== 0x33) return 0;
  const size = ((b[p + 6] & 0x7f) << 21) | ((b[p + 7] & 0x7f) << 14) | ((b[p + 8] & 0x7f) << 7) | (b[p + 9] & 0x7f);
  return 10 + size + (b[p + 5] & 0x10 ? 10 : 0);
}

function ascii(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n && p + i < b.length; i++) s += String.fromCharCode(b[p + i]);
  return s;
}

/** What may follow the last frame: an ID3v1 tag, an APE tag, Lyrics3 — anything else makes the index refuse. */
function isTrailer(b: Uint8Array, p: number): boolean {
  const rest = ascii(b, p, 11);
  return rest.startsWith('TAG') || rest.startsWith('APETAGEX') || rest.startsWith('LYRICSBEGIN');
}

/**
 * Indexes the frames of an MP3 file, or returns `null` when the file is not
 * a plain, clean Layer III stream that partial decoding can handle exactly:
 * free-format or mixed sample rates / channel counts / MPEG versions, bytes
 * between frames, a damaged frame, Layer I/II, or junk after the last frame
 * other than ID3v1 / APE / Lyrics3 tags. Callers then decode the whole file.
 *
 * @param b - the file's bytes.
 * @returns the index, or `null`.
 * @internal
 */
export function indexMpegFrames(b: Uint8Array): MpegFrameIndex | null {
  let p = 0;
  for (let tag = id3v2Size(b, p); tag > 0; tag = id3v2Size(b, p)) p += tag;
  const first = header(b, p);
  if (!first) return null;
  const offsets: number[] = [];
  let infoFrame = -1;
  let gapless: MpegFrameIndex['gapless'] = null;
  // Xing / Info frame: a tag right after the side information.
  const side = first.version === 3 ? (first.channels === 1 ? 17 : 32) : first.channels === 1 ? 9 : 17;
  const x = p + 4 + (first.crc ? 2 : 0) + side;
  const tag = ascii(b, x, 4);
  // A Fraunhofer VBRI header (32 bytes after the frame header): how a decoder treats it varies, so decode whole.
  if (ascii(b, p + 4 + 32, 4) === 'VBRI') return null;
  if ((tag === 'Xing' || tag === 'Info') && x + 8 <= b.length) {
    infoFrame = p;
    const flags = (b[x + 4] << 24) | (b[x + 5] << 16) | (b[x + 6] << 8) | b[x + 7];
    let q = x + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
    if (ascii(b, q, 4) === 'LAME' && q + 36 <= b.length) {
      // The tag's own CRC-16 (of the frame's first 190 bytes): a damaged tag cannot be trusted for the layout.
      if (((b[q + 34] << 8) | b[q + 35]) !== crc16(b, p, 190)) return null;
      q += 21;
      const delay = (b[q] << 4) | (b[q + 1] >> 4);
      const padding = ((b[q + 1] & 0x0f) << 8) | b[q + 2];
      gapless = { delay, padding };
    }
    p += first.length;
  }
  while (p < b.length) {
    const h = header(b, p);
    if (!h) {
      if (isTrailer(b, p)) break;
      return null;
    }
    if (h.rate !== first.rate || h.channels !== first.channels || h.version !== first.version) return null;
    if (p + h.length > b.length) return null; // truncated last frame
    offsets.push(p);
    p += h.length;
  }
  if (offsets.length === 0) return null;
  offsets.push(p);
  return { sampleRate: first.rate, channels: first.channels, samplesPerFrame: first.spf, offsets, infoFrame, gapless };
}

/** libmpg123's decoder delay (`GAPLESS_DELAY`), added to the LAME tag's encoder delay and padding. */
const DECODER_DELAY = 529;

/**
 * Where the samples of a whole (gapless) libmpg123 decode sit in the stream
 * of decoded frames: sample `s` of the whole decode is sample `s + skip` of
 * the frames' output, and the whole decode has `length` samples. `null` when
 * this cannot be known without decoding: an Info/Xing frame without a LAME
 * tag, or a LAME padding below the decoder delay (libmpg123 then clips the
 * end differently).
 *
 * @param ix - the frame index.
 * @returns `{ skip, length }`, or `null`.
 * @internal
 */
export function mpegSampleLayout(ix: MpegFrameIndex): { skip: number; length: number } | null {
  const total = (ix.offsets.length - 1) * ix.samplesPerFrame;
  if (ix.infoFrame < 0) return { skip: 0, length: total };
  if (!ix.gapless || ix.gapless.padding < DECODER_DELAY) return null;
  const skip = ix.gapless.delay + DECODER_DELAY;
  const length = total - ix.gapless.delay - ix.gapless.padding;
  return length > 0 ? { skip, length } : null;
}

