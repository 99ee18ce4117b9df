/**
 * Native FLAC stream layout: STREAMINFO and the byte extent of frames around
 * a sample position, found from their headers — what it takes to decode part
 * of a FLAC file (its frames are independent, so the samples are exactly
 * those of a whole decode).
 *
 * @module
 */

/** STREAMINFO of a native FLAC stream. */
export interface FlacStreamInfo {
  /** Offset of `fLaC` in the file. */
  start: number;
  /** Offset of the first frame (after the metadata blocks). */
  firstFrame: number;
  /** Samples per frame (per channel; the last frame may be shorter), or 0 for a variable block size. */
  blockSize: number;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Samples per channel in the stream, or 0 when the encoder did not know. */
  totalSamples: number;
}

/**
 * Reads STREAMINFO, or `null` for a malformed header.
 *
 * @param b - the file's bytes.
 * @param start - offset of `fLaC` (after any ID3v2 tag).
 * @returns the stream info, or `null`.
 * @internal
 */
export function readFlacStreamInfo(b: Uint8Array, start: number): FlacStreamInfo | null {
  if (start + 8 + 34 > b.length || b[start] !== 0x66 || b[start + 1] !== 0x4c || b[start + 2] !== 0x61 || b[start + 3] !== 0x43) return null;
  let p = start + 4;
  let info: Omit<FlacStreamInfo, 'start' | 'firstFrame'> | null = null;
  for (;;) {
    if (p + 4 > b.length) return null;
    const last = (b[p] & 0x80) !== 0;
    const type = b[p] & 0x7f;
    const len = (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
    const body = p + 4;
    if (body + len > b.length) return null;
    if (type === 0) {
      if (len < 34) return null;
      const minBlock = (b[body] << 8) | b[body + 1];
      const maxBlock = (b[body + 2] << 8) | b[body + 3];
      const q = body + 10;
      const sampleRate = (b[q] << 12) | (b[q + 1] << 4) | (b[q + 2] >> 4);
      const channels = ((b[q + 2] >> 1) & 7) + 1;
      const bitsPerSample = (((b[q + 2] & 1) << 4) | (b[q + 3] >> 4)) + 1;
      const totalSamples = (b[q + 3] & 0x0f) * 2 ** 32 + ((b[q + 4] << 24) >>> 0) + (b[q + 5] << 16) + (b[q + 6] << 8) + b[q + 7];
      if (sampleRate === 0) return null;
      info = { blockSize: minBlock === maxBlock && minBlock >= 16 ? minBlock : 0, sampleRate, channels, bitsPerSample, totalSamples };
    }
    p = body + len;
    if (last) break;
  }
  return info ? { ...info, start, firstFrame: p } : null;
}

/**
 * {@link readFlacStreamInfo} for partial decoding: `null` unless the block
 * size is fixed and the length known.
 *
 * @param b - the file's bytes.
 * @param start - offset of `fLaC`.
 * @returns the stream info, or `null`.
 * @internal
 */
export function readSeekableFlac(b: Uint8Array, start: number): FlacStreamInfo | null {
  const info = readFlacStreamInfo(b, start);
  return info && info.blockSize > 0 && info.totalSamples > 0 ? info : null;
}

const CRC8 = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x07) & 0xff : (c << 1) & 0xff;
    t[i] = c;
  }
  return t;
})();

/**
 * The frame number in a fixed-block-size frame header at `p`, when `p` starts
 * a valid header (sync 0xFFF8, legal codes, UTF-8 number, header CRC-8);
 * otherwise -1.
 */
function frameNumberAt(b: Uint8Array, p: number): number {
  if (p + 6 > b.length || b[p] !== 0xff || b[p + 1] !== 0xf8) return -1;
  const bsCode = b[p + 2] >> 4;
  const srCode = b[p + 2] & 0x0f;
  const chan = b[p + 3] >> 4;
  const ssCode = (b[p + 3] >> 1) & 7;
  if (bsCode === 0 || srCode === 15 || chan > 10 || ssCode === 3 || (b[p + 3] & 1) !== 0) return -1;
  let q = p + 4;
  // UTF-8-style coded frame number (up to 6 bytes for fixed block sizes).
  const lead = b[q];
  // Continuation bytes: the number of leading 1 bits of the first byte, minus one.
  let extra = 0;
  while (extra < 6 && lead & (0x80 >> extra)) extra++;
  if (extra === 1 || extra === 6) return -1; // a lone continuation byte, or 7 bytes (variable block size only)
  if (extra > 0) extra--;
  let value = lead & (0x7f >> (extra === 0 ? 0 : extra + 1));
  q++;
  for (let i = 0; i < extra; i++, q++) {
    if (q >= b.length || (b[q] & 0xc0) !== 0x80) return -1;
    value = value * 64 + (b[q] & 0x3f);
  }
  if (bsCode === 6) q += 1;
  else if (bsCode === 7) q += 2;
  if (srCode === 12) q += 1;
  else if (srCode === 13 || srCode === 14) q += 2;
  if (q >= b.length) return -1;
  let crc = 0;
  for (let i = p; i < q; i++) crc = CRC8[crc ^ b[i]];
  return crc === b[q] ? value : -1;
}

/**
 * Byte extents of frames `first … last` (frame numbers) of a fixed-block-size
 * stream, found by their headers near the positions the file's average frame
 * size predicts: each frame starts where a valid header carries its number,
 * and ends where the next one's starts (or at the end of the file). `null`
 * when a frame cannot be found that way.
 *
 * @param b - the file's bytes.
 * @param info - its STREAMINFO.
 * @param first - first frame number wanted.
 * @param last - last frame number wanted (≥ first, < the frame count).
 * @returns one `[start, end)` byte range per frame, or `null`.
 * @internal
 */
export function locateFlacFrames(b: Uint8Array, info: FlacStreamInfo, first: number, last: number): Array<[number, number]> | null {
  const nFrames = Math.ceil(info.totalSamples / info.blockSize);
  const avg = (b.length - info.firstFrame) / nFrames;
  // Find frame `first`: scan for headers from its predicted position, jumping
  // back when one with a later number is met and forwards when one is far behind.
  let p = Math.max(info.firstFrame, Math.floor(info.firstFrame + (first - 2) * avg));
  let at = -1;
  for (let jumps = 0; jumps < 64 && at < 0; ) {
    let n = -1;
    for (; p < b.length - 6; p++) if (b[p] === 0xff && (n = frameNumberAt(b, p)) >= 0) break;
    if (n < 0) return null;
    if (n === first) at = p;
    else if (n > first) {
      if (p <= info.firstFrame) return null;
      p = Math.max(info.firstFrame, Math.floor(p - (n - first + 2) * avg * 2 ** jumps));
      jumps++;
    } else if (first - n > 8) {
      p += Math.floor((first - n - 4) * avg);
      jumps++;
    } else p++;
  }
  if (at < 0) return null;
  const out: Array<[number, number]> = [];
  let start = at;
  for (let f = first; f <= last; f++) {
    let q = start + 6;
    let end = -1;
    if (f === nFrames - 1) end = b.length;
    else {
      for (; q < b.length - 6; q++) {
        if (b[q] !== 0xff) continue;
        if (frameNumberAt(b, q) === f + 1) {
          end = q;
          break;
        }
      }
    }
    if (end < 0) return null;
    out.push([start, end]);
    start = end;
  }
  return out;
}
