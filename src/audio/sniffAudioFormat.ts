/**
 * Audio container/codec detection from magic bytes (never from file names).
 *
 * @module
 */
import type { AudioFormat } from './types.js';

/** A format {@link sniffAudioFormat} recognised and hitrank decodes. */
export interface KnownAudioFormat {
  /** The container/codec. */
  format: AudioFormat;
  /** Byte offset where the audio stream starts (after ID3v2 tags; 0 for the other formats). */
  audioStart: number;
}

/** A format {@link sniffAudioFormat} did not recognise or hitrank does not decode. */
export interface UnknownAudioFormat {
  /** Always `undefined`. */
  format: undefined;
  /** What was found, for error messages (e.g. `'Ogg Opus'`, `'AAC (ADTS)'`). */
  found: string;
}

/** What the magic bytes say: a format we decode, or a description of one we don't. */
export type SniffResult = KnownAudioFormat | UnknownAudioFormat;

const MAX_ID3_SCAN = 1 << 16;

function ascii(b: Uint8Array, at: number, n: number): string {
  if (at < 0 || at + n > b.length) return '';
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[at + i]);
  return s;
}

/** True if `b[at..at+4)` is a plausible MPEG audio frame header (Layer I/II/III, MPEG 1/2/2.5). */
export function isMpegFrameHeader(b: Uint8Array, at: number): boolean {
  if (at < 0 || at + 4 > b.length) return false;
  if (b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[at + 1] >> 3) & 3; // 1 = reserved
  const layer = (b[at + 1] >> 1) & 3; // 0 = reserved (ADTS AAC uses it)
  const bitrate = b[at + 2] >> 4; // 15 = bad
  const rate = (b[at + 2] >> 2) & 3; // 3 = reserved
  const emphasis = b[at + 3] & 3; // 2 = reserved
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3 && emphasis !== 2;
}

/** Channel count of the MPEG frame header at `at` (mode 3 = single channel). */
export function mpegChannels(b: Uint8Array, at: number): number {
  return (b[at + 3] >> 6) === 3 ? 1 : 2;
}

/** Length of an ID3v2 tag at `at` (header + body + optional footer), or 0 if there is none. */
function id3v2Length(b: Uint8Array, at: number): number {
  if (ascii(b, at, 3) !== 'ID3' || at + 10 > b.length) return 0;
  let size = 0;
  for (let i = 6; i < 10; i++) {
    if (b[at + i] & 0x80) return 0; // not a syncsafe integer: not a tag
    size = (size << 7) | b[at + i];
  }
  const footer = b[at + 5] & 0x10 ? 10 : 0;
  return 10 + size + footer;
}

function sniffOgg(b: Uint8Array): SniffResult {
  const segments = b.length > 26 ? b[26] : -1;
  const packet = 27 + segments;
  if (segments < 0 || packet > b.length) return { format: undefined, found: 'a truncated Ogg page' };
  if (ascii(b, packet, 7) === '\x01vorbis') return { format: 'ogg-vorbis', audioStart: 0 };
  if (ascii(b, packet, 5) === '\x7fFLAC') return { format: 'ogg-flac', audioStart: 0 };
  if (ascii(b, packet, 8) === 'OpusHead') return { format: undefined, found: 'Ogg Opus' };
  if (ascii(b, packet, 8) === 'Speex   ') return { format: undefined, found: 'Ogg Speex' };
  return { format: undefined, found: 'an Ogg stream with an unknown codec' };
}

/**
 * Identifies an audio file from its first bytes.
 *
 * Recognised: `RIFF`/`RF64`/`BW64` + `WAVE` → `'wav'`; `fLaC` → `'flac'`;
 * `OggS` whose first packet is a Vorbis (`\x01vorbis`) or FLAC (`\x7fFLAC`)
 * header → `'ogg-vorbis'` / `'ogg-flac'`; an MPEG audio frame sync (0xFFE…,
 * valid version/layer/bit-rate/sample-rate fields) at byte 0, or after one or
 * more ID3v2 tags (within 64 KiB of padding), → `'mp3'`. A FLAC stream after
 * an ID3v2 tag is also found.
 *
 * @param bytes - the start of the file (the whole file is fine).
 * @returns the detected format and where its audio starts, or `format: undefined` and a description.
 */
export function sniffAudioFormat(bytes: Uint8Array): SniffResult {
  const b = bytes;
  const magic = ascii(b, 0, 4);
  if ((magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') && ascii(b, 8, 4) === 'WAVE') {
    return { format: 'wav', audioStart: 0 };
  }
  if (magic === 'RIFF') return { format: undefined, found: `a RIFF ${JSON.stringify(ascii(b, 8, 4))} file (not WAVE)` };
  if (magic === 'fLaC') return { format: 'flac', audioStart: 0 };
  if (magic === 'OggS') return sniffOgg(b);
  if (isMpegFrameHeader(b, 0)) return { format: 'mp3', audioStart: 0 };
  let at = 0;
  for (let tag = id3v2Length(b, at); tag > 0; tag = id3v2Length(b, at)) at += tag; // each step advances >= 10
  if (at > 0) {
    if (at >= b.length) return { format: undefined, found: 'an ID3v2 tag with no audio after it' };
    if (ascii(b, at, 4) === 'fLaC') return { format: 'flac', audioStart: at };
    const end = Math.min(b.length - 4, at + MAX_ID3_SCAN);
    for (let p = at; p <= end; p++) if (isMpegFrameHeader(b, p)) return { format: 'mp3', audioStart: p };
    return { format: undefined, found: 'an ID3v2 tag not followed by MPEG audio or FLAC' };
  }
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xf6) === 0xf0) return { format: undefined, found: 'AAC (ADTS)' };
  if (ascii(b, 4, 4) === 'ftyp') return { format: undefined, found: 'an MP4/M4A file' };
  if (magic === 'FORM') return { format: undefined, found: 'an AIFF/IFF file' };
  const head = Array.from(b.subarray(0, 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return { format: undefined, found: b.length === 0 ? 'an empty file' : `unknown data (first bytes: ${head})` };
}
