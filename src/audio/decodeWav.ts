/**
 * A bounds-checked RIFF/RF64 WAVE reader (PCM 8/16/24/32-bit, IEEE float
 * 32/64-bit, WAVE_FORMAT_EXTENSIBLE), scaled exactly like libsndfile /
 * `soundfile.read(..., dtype='float32')` / `librosa.load`.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { checkFrameRequest, clampFrames } from './frameRange.js';
import type { DecodedAudio } from './types.js';

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE_* GUID built on the base `xxxxxxxx-0000-0010-8000-00aa00389b71`. */
const KSDATAFORMAT_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

/** Names of common format tags we do not decode, for error messages. */
const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer III',
  0x2000: 'AC-3',
};

/** A view of the input bytes plus the checked readers used below. */
interface ByteReader {
  bytes: Uint8Array;
  view: DataView;
  length: number;
}

function toByteReader(input: Uint8Array | ArrayBuffer): ByteReader {
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else {
    const kind = input === null ? 'null' : typeof input === 'object' ? (input as object).constructor?.name : typeof input;
    throw new HitrankError('E_PARAM', `decodeWav expects a Uint8Array or ArrayBuffer, got ${kind}.`);
  }
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), length: bytes.byteLength };
}

function fourcc(r: ByteReader, at: number): string {
  // Callers guarantee at + 4 <= r.length.
  const b = r.bytes;
  return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
}

function isPrintableFourcc(r: ByteReader, at: number): boolean {
  for (let i = 0; i < 4; i++) {
    const c = r.bytes[at + i];
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function show(id: string): string {
  return JSON.stringify(id);
}

function corrupt(message: string): HitrankError {
  return new HitrankError('E_CORRUPT_FILE', message);
}

/** Location of a chunk body in the file. */
interface ChunkRef {
  offset: number;
  size: number;
}

/** The parsed, validated `fmt ` chunk. */
interface WavFormat {
  /** 1 = integer PCM, 3 = IEEE float (after resolving WAVE_FORMAT_EXTENSIBLE). */
  code: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function formatName(code: number): string {
  const hex = `0x${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = FORMAT_NAMES[code];
  return name === undefined ? `format tag ${hex}` : `${name} (format tag ${hex})`;
}

function parseFmt(r: ByteReader, fmt: ChunkRef): WavFormat {
  const o = fmt.offset;
  if (fmt.size < 16) {
    throw corrupt(`the 'fmt ' chunk at byte ${o - 8} is ${fmt.size} bytes long; expected at least 16.`);
  }
  const tag = r.view.getUint16(o, true);
  const channels = r.view.getUint16(o + 2, true);
  const sampleRate = r.view.getUint32(o + 4, true);
  const blockAlign = r.view.getUint16(o + 12, true);
  const bitsPerSample = r.view.getUint16(o + 14, true);
  let code = tag;
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (fmt.size < 40) {
      throw corrupt(
        `the WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is ${fmt.size} bytes long; expected at least 40 (with the sub-format GUID).`,
      );
    }
    code = r.view.getUint16(o + 24, true);
    for (let i = 0; i < KSDATAFORMAT_GUID_TAIL.length; i++) {
      if (r.bytes[o + 26 + i] !== KSDATAFORMAT_GUID_TAIL[i]) {
        throw new HitrankError(
          'E_UNSUPPORTED',
          'WAVE_FORMAT_EXTENSIBLE sub-format GUID is not a KSDATAFORMAT_SUBTYPE_* GUID ' +
            '(xxxxxxxx-0000-0010-8000-00aa00389b71); only PCM and IEEE float are supported.',
        );
      }
    }
  }
  if (channels === 0) throw corrupt(`the 'fmt ' chunk declares 0 channels; expected at least 1.`);
  if (sampleRate === 0) throw corrupt(`the 'fmt ' chunk declares a sample rate of 0 Hz; expected a positive rate.`);
  if (code === WAVE_FORMAT_PCM) {
    if (bitsPerSample !== 8 && bitsPerSample !== 16 && bitsPerSample !== 24 && bitsPerSample !== 32) {
      throw new HitrankError(
        'E_UNSUPPORTED',
        `integer PCM with ${bitsPerSample} bits per sample is not supported; expected 8, 16, 24 or 32.`,
      );
    }
  } else if (code === WAVE_FORMAT_IEEE_FLOAT) {
    if (bitsPerSample !== 32 && bitsPerSample !== 64) {
      throw new HitrankError(
        'E_UNSUPPORTED',
        `IEEE float WAV with ${bitsPerSample} bits per sample is not supported; expected 32 or 64.`,
      );
    }
  } else {
    throw new HitrankError(
      'E_UNSUPPORTED',
      `WAV ${formatName(code)} is not supported; expected integer PCM (0x0001) or IEEE float (0x0003).`,
    );
  }
  const expectedAlign = channels * (bitsPerSample / 8);
  if (blockAlign !== expectedAlign) {
    throw corrupt(
      `the 'fmt ' chunk declares blockAlign ${blockAlign}, inconsistent with ${channels} channel(s) × ` +
        `${bitsPerSample} bits; expected ${expectedAlign}.`,
    );
  }
  return { code, channels, sampleRate, blockAlign, bitsPerSample };
}

/** Reads an unsigned 64-bit little-endian value as a Number (exact below 2^53, Infinity-free). */
function getUint64(r: ByteReader, at: number): number {
  return r.view.getUint32(at, true) + r.view.getUint32(at + 4, true) * 2 ** 32;
}

/** Walks the chunk list, returning where `fmt ` and `data` are. Every iteration advances by at least 8 bytes. */
function findChunks(r: ByteReader, riffSize: number, isRf64: boolean): { fmt?: ChunkRef; data?: ChunkRef } {
  let fmt: ChunkRef | undefined;
  let data: ChunkRef | undefined;
  let ds64DataSize: number | undefined;
  let pos = 12;
  let previousOdd = false;
  while (pos + 8 <= r.length) {
    // Tolerate writers that forgot the pad byte after an odd-sized chunk.
    if (previousOdd && !isPrintableFourcc(r, pos) && isPrintableFourcc(r, pos - 1)) pos -= 1;
    const id = fourcc(r, pos);
    let size = r.view.getUint32(pos + 4, true);
    const body = pos + 8;
    const available = r.length - body;
    if (id === 'ds64' && isRf64 && size >= 16 && available >= 16) {
      ds64DataSize = getUint64(r, body + 8);
    }
    if (id === 'data') {
      if (isRf64 && size === 0xffffffff && ds64DataSize !== undefined) size = ds64DataSize;
      if (data === undefined) {
        let usable = size;
        if (size > available) {
          // Streamed (size 0xFFFFFFFF) or truncated file: use what is there.
          usable = available;
        } else if (size === 0 && available > 0 && (riffSize === 0 || riffSize === 0xffffffff || riffSize + 8 <= body)) {
          // Header never finalised (both RIFF and data sizes left at their initial values): read to the end.
          usable = available;
        }
        data = { offset: body, size: usable };
        if (usable === available) break; // the data runs to the end of the file; nothing can follow it
      }
    } else {
      if (size > available) {
        // A (metadata) chunk that runs past the end after we already have what we need: ignore the rest.
        if (fmt !== undefined && data !== undefined) break;
        throw corrupt(
          `chunk ${show(id)} at byte ${pos} declares ${size} bytes, but only ${available} remain in the ` +
            `${r.length}-byte file.`,
        );
      }
      if (id === 'fmt ' && fmt === undefined) fmt = { offset: body, size };
    }
    previousOdd = size % 2 === 1;
    pos = body + size + (size % 2); // >= pos + 8: the loop always advances
  }
  return { fmt, data };
}

/**
 * Decodes a WAV file held in memory into per-channel float samples.
 *
 * Integer samples are scaled exactly like libsndfile (`soundfile.read(path,
 * dtype='float32')`, hence `librosa.load`): 8-bit unsigned as (x − 128) / 128,
 * 16-bit as x / 32768, 24-bit as x / 8388608 and 32-bit as x / 2147483648
 * (rounded once to float32). IEEE float samples are passed through (64-bit
 * ones rounded to float32; NaN/±Infinity are not filtered — downstream
 * functions reject them with `E_NAN`). Multi-channel data is de-interleaved.
 *
 * Container handling:
 * - RIFF/WAVE and RF64/BW64 (`ds64` chunk for sizes over 4 GiB).
 * - `fmt ` format tag 1 (PCM), 3 (IEEE float) or 0xFFFE
 *   (WAVE_FORMAT_EXTENSIBLE, whose sub-format GUID must be the standard
 *   PCM or IEEE float one; samples are scaled by the container size, i.e.
 *   `bitsPerSample`, not `validBitsPerSample`, as libsndfile does).
 * - Unknown chunks (`LIST`, `fact`, `cue `, `bext`, …) are skipped, before or
 *   after `data`, honouring the pad byte after odd-sized chunks (and a missing
 *   pad byte is tolerated when the next chunk id is clearly off by one).
 * - A `data` chunk whose declared size overruns the file (streamed WAVs with
 *   size 0xFFFFFFFF, or truncated downloads), and a `data` size of 0 when the
 *   RIFF size was never finalised either, are read **up to the end of the
 *   file** (libsndfile does the same). A data chunk that ends mid-frame yields
 *   the whole frames only; the partial frame is dropped.
 * - A metadata chunk after the `data` chunk that runs past the end of the file
 *   is ignored; before `fmt ` and `data` are found it is an error.
 *
 * The reader never reads out of bounds (all reads go through a `DataView`
 * after an explicit bounds check) and its chunk loop always advances.
 *
 * librosa/soundfile equivalent: `soundfile.read(path, dtype='float32',
 * always_2d=True).T`, and `librosa.load(path, sr=None, mono=False)`.
 *
 * Part of a file: `options.start` / `options.frames` read only those frames
 * (soundfile's `start` / `frames`), with the same values as slicing the
 * whole decode — e.g. the middle 30 s of a 4-min song at 1/8 of the cost.
 * {@link wavInfo} gives the length first.
 *
 * @param bytes - the whole file (a Node `Buffer` works too).
 * @param options - frames to read (default: all); see {@link DecodeWavOptions}.
 * @returns the sample rate and one `Float32Array` per channel.
 * @throws HitrankError `E_CORRUPT_FILE` when the bytes are not RIFF/WAVE, the
 *   `fmt ` or `data` chunk is missing, `fmt ` is shorter than 16 bytes (40 for
 *   WAVE_FORMAT_EXTENSIBLE), channels or sample rate is 0, blockAlign differs
 *   from channels × bits / 8, or a chunk before them runs past the end;
 *   `E_UNSUPPORTED` for other codecs (ADPCM, A-law, …), other bit depths,
 *   big-endian RIFX; `E_PARAM` if `bytes` is not a Uint8Array/ArrayBuffer or
 *   `start` / `frames` are not frame counts.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * const { sampleRate, channelData } = decodeWav(readFileSync('song.wav'));
 * const firstSecond = decodeWav(readFileSync('song.wav'), { frames: sampleRate });
 * ```
 */
export function decodeWav(bytes: Uint8Array | ArrayBuffer, options: DecodeWavOptions = {}): DecodedAudio {
  const { r, f, data, frames: total } = parseWav(bytes);
  const { from, to } = clampFrames(checkFrameRequest(options.start, options.frames, 'decodeWav'), total);
  const frames = to - from;
  const channelData: Float32Array[] = [];
  for (let c = 0; c < f.channels; c++) channelData.push(new Float32Array(frames));
  readSamples(r, data.offset + from * f.blockAlign, frames, f, channelData);
  return { sampleRate: f.sampleRate, channelData };
}

/** Options of {@link decodeWav}: which frames to read (soundfile's `start` and `frames`). */
export interface DecodeWavOptions {
  /** First frame (sample per channel) to read. Default 0. A start past the end gives empty channels. */
  start?: number;
  /** Number of frames to read, or -1 (default) for all up to the end; clamped at the end of the file. */
  frames?: number;
}

/** What {@link wavInfo} reads from a WAV header (soundfile's `info`). */
export interface WavInfo {
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Number of channels. */
  channels: number;
  /** Frames (samples per channel) that {@link decodeWav} returns for the whole file. */
  frames: number;
  /** Bits per sample of the stored data (8, 16, 24, 32 or 64). */
  bitsPerSample: number;
  /** `'pcm'` for integer samples, `'float'` for IEEE float. */
  encoding: 'pcm' | 'float';
}

/**
 * Reads a WAV file's format and length without decoding its samples —
 * `soundfile.info(path)`. Validates the header exactly as {@link decodeWav}
 * does, so a file it accepts decodes.
 *
 * @param bytes - the whole file (or at least its header and the whole `data` chunk, as for {@link decodeWav}).
 * @returns rate, channels, frame count, bit depth and encoding.
 * @throws HitrankError as {@link decodeWav}.
 * @example
 * ```ts
 * const { sampleRate, frames } = wavInfo(bytes);
 * const middle = decodeWav(bytes, { start: Math.floor((frames - 30 * sampleRate) / 2), frames: 30 * sampleRate });
 * ```
 */
export function wavInfo(bytes: Uint8Array | ArrayBuffer): WavInfo {
  const { f, frames } = parseWav(bytes);
  return {
    sampleRate: f.sampleRate,
    channels: f.channels,
    frames,
    bitsPerSample: f.bitsPerSample,
    encoding: f.code === WAVE_FORMAT_IEEE_FLOAT ? 'float' : 'pcm',
  };
}

function parseWav(bytes: Uint8Array | ArrayBuffer): { r: ByteReader; f: WavFormat; data: ChunkRef; frames: number } {
  const r = toByteReader(bytes);
  if (r.length < 12) {
    throw corrupt(`the input is ${r.length} bytes long; a WAV file starts with a 12-byte RIFF/WAVE header.`);
  }
  const magic = fourcc(r, 0);
  if (magic === 'RIFX') {
    throw new HitrankError('E_UNSUPPORTED', 'big-endian RIFX WAV files are not supported; expected little-endian RIFF.');
  }
  const isRf64 = magic === 'RF64' || magic === 'BW64';
  if (magic !== 'RIFF' && !isRf64) {
    throw corrupt(`not a WAV file: it starts with ${show(magic)}; expected "RIFF" (or "RF64").`);
  }
  const form = fourcc(r, 8);
  if (form !== 'WAVE') {
    throw corrupt(`not a WAV file: the RIFF form type is ${show(form)}; expected "WAVE".`);
  }
  const riffSize = r.view.getUint32(4, true);
  const { fmt, data } = findChunks(r, riffSize, isRf64);
  if (fmt === undefined) throw corrupt(`no 'fmt ' chunk found in the ${r.length}-byte WAV file.`);
  if (data === undefined) throw corrupt(`no 'data' chunk found in the ${r.length}-byte WAV file.`);
  const f = parseFmt(r, fmt);
  return { r, f, data, frames: Math.floor(data.size / f.blockAlign) };
}

/** De-interleaves `frames` frames starting at byte `start` (all within bounds: frames × blockAlign ≤ data size). */
function readSamples(r: ByteReader, start: number, frames: number, f: WavFormat, out: Float32Array[]): void {
  const { view, bytes } = r;
  const nc = f.channels;
  const step = f.bitsPerSample / 8;
  for (let c = 0; c < nc; c++) {
    const dst = out[c];
    let p = start + c * step;
    const stride = f.blockAlign;
    if (f.code === WAVE_FORMAT_IEEE_FLOAT) {
      if (step === 4) for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat32(p, true);
      else for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getFloat64(p, true);
      continue;
    }
    switch (step) {
      case 1:
        for (let i = 0; i < frames; i++, p += stride) dst[i] = (bytes[p] - 128) / 128;
        break;
      case 2:
        for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt16(p, true) / 32768;
        break;
      case 3:
        for (let i = 0; i < frames; i++, p += stride) {
          const v = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16);
          dst[i] = ((v << 8) >> 8) / 8388608; // sign-extend 24 → 32 bits
        }
        break;
      default:
        for (let i = 0; i < frames; i++, p += stride) dst[i] = view.getInt32(p, true) / 2147483648;
    }
  }
}
