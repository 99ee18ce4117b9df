/**
 * A small RIFF/WAVE writer for examples, tests and demo data.
 *
 * @module
 */
import { HitrankError, assertFinite, assertInteger } from '../errors.js';

/** Options of {@link encodeWav}. */
export interface EncodeWavOptions {
  /**
   * Bits per sample. Integer PCM: 8 (unsigned), 16, 24 or 32. IEEE float
   * (`float: true`): 32 or 64. Default 16.
   */
  bitDepth?: 8 | 16 | 24 | 32 | 64;
  /** Write IEEE float samples instead of integer PCM. Default `false`. */
  float?: boolean;
  /**
   * Write a WAVE_FORMAT_EXTENSIBLE `fmt ` chunk (40 bytes, sub-format GUID,
   * channel mask 0 = unspecified) instead of the plain 16-byte one.
   * Default `false`.
   */
  extensible?: boolean;
}

/** Round half to even, as `numpy.round` (the fixtures' int16 construction). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round rounds .5 up; step back to the even neighbour on exact ties.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function writeFourcc(view: DataView, at: number, id: string): void {
  for (let i = 0; i < 4; i++) view.setUint8(at + i, id.charCodeAt(i));
}

/**
 * Encodes float samples as a little-endian RIFF/WAVE file.
 *
 * Integer PCM is quantised as `clip(round(x · 2^(b−1)), −2^(b−1), 2^(b−1) − 1)`
 * with round-half-to-even (for 16 bits: `clip(round(x·32768), −32768, 32767)`,
 * the construction of the `music30.wav` fixture), 8-bit stored unsigned
 * (+128). So {@link decodeWav} gives back the input quantised to that grid,
 * and exactly the input for values already on it. Float PCM is written as is
 * (64-bit float keeps float32 inputs exactly).
 *
 * soundfile equivalent: `soundfile.write(path, y.T, sr, subtype='PCM_16')`
 * (`'PCM_U8'`, `'PCM_24'`, `'PCM_32'`, `'FLOAT'`, `'DOUBLE'`); unlike
 * libsndfile, out-of-range values are clipped, not wrapped.
 *
 * @param channelData - one array per channel (all the same length), or a single array for mono.
 * @param sampleRate - sample rate in Hz, a positive integer.
 * @param options - bit depth, float and WAVE_FORMAT_EXTENSIBLE (defaults: 16-bit integer, plain `fmt `).
 * @returns the complete file bytes (44-byte header for plain `fmt `, 68 for extensible).
 * @throws HitrankError `E_EMPTY` for no channels, `E_SHAPE` for channels of different
 *   lengths, `E_NAN` for non-finite samples, `E_PARAM` for a bad sample rate or bit depth,
 *   `E_UNSUPPORTED` for more data than a RIFF file can hold (4 GiB).
 *
 * @example
 * ```ts
 * const wav = encodeWav([left, right], 22050, { bitDepth: 16 });
 * await writeFileAtomic('chord.wav', wav);
 * ```
 */
export function encodeWav(
  channelData: Float32Array[] | Float32Array,
  sampleRate: number,
  options: EncodeWavOptions = {},
): Uint8Array {
  const channels = channelData instanceof Float32Array ? [channelData] : channelData;
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new HitrankError('E_EMPTY', 'encodeWav needs at least one channel (a Float32Array or an array of them).');
  }
  if (channels.length > 65535) {
    throw new HitrankError('E_PARAM', `encodeWav got ${channels.length} channels; a WAV file holds at most 65535.`);
  }
  const frames = channels[0].length;
  channels.forEach((ch, c) => {
    if (!(ch instanceof Float32Array)) {
      throw new HitrankError('E_PARAM', `channel ${c} must be a Float32Array.`);
    }
    if (ch.length !== frames) {
      throw new HitrankError('E_SHAPE', `channel ${c} has ${ch.length} samples but channel 0 has ${frames}; expected equal lengths.`);
    }
    assertFinite(ch, `channel ${c} samples`);
  });
  assertInteger(sampleRate, 'sampleRate', 1, 0xffffffff);
  const float = options.float ?? false;
  const bits = options.bitDepth ?? 16;
  const allowed = float ? [32, 64] : [8, 16, 24, 32];
  if (!allowed.includes(bits)) {
    throw new HitrankError(
      'E_PARAM',
      `bitDepth ${bits} is not valid for ${float ? 'float' : 'integer'} WAV; expected one of ${allowed.join(', ')}.`,
    );
  }
  const extensible = options.extensible ?? false;
  const nc = channels.length;
  const bytesPer = bits / 8;
  const blockAlign = nc * bytesPer;
  if (blockAlign > 65535) {
    throw new HitrankError('E_PARAM', `${nc} channels × ${bits} bits make a ${blockAlign}-byte frame; a WAV frame holds at most 65535 bytes.`);
  }
  const dataSize = frames * blockAlign;
  const pad = dataSize % 2;
  const fmtSize = extensible ? 40 : 16;
  const headerSize = 12 + 8 + fmtSize + 8;
  const total = headerSize + dataSize + pad;
  if (total - 8 > 0xffffffff) {
    throw new HitrankError('E_UNSUPPORTED', `${dataSize} bytes of samples exceed what a RIFF WAV file can hold (4 GiB).`);
  }
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  writeFourcc(v, 0, 'RIFF');
  v.setUint32(4, total - 8, true);
  writeFourcc(v, 8, 'WAVE');
  writeFourcc(v, 12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  const code = float ? 3 : 1;
  v.setUint16(20, extensible ? 0xfffe : code, true);
  v.setUint16(22, nc, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * blockAlign, true); // byte rate (wraps harmlessly for absurd rates)
  v.setUint16(32, blockAlign, true);
  v.setUint16(34, bits, true);
  if (extensible) {
    v.setUint16(36, 22, true); // cbSize
    v.setUint16(38, bits, true); // valid bits per sample
    v.setUint32(40, 0, true); // channel mask: unspecified
    // Sub-format GUID: code-0000-0010-8000-00aa00389b71.
    v.setUint32(44, code, true);
    v.setUint16(48, 0x0000, true);
    v.setUint16(50, 0x0010, true);
    [0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71].forEach((b, i) => v.setUint8(52 + i, b));
  }
  const dataAt = headerSize - 8;
  writeFourcc(v, dataAt, 'data');
  v.setUint32(dataAt + 4, dataSize, true);
  for (let c = 0; c < nc; c++) {
    const src = channels[c];
    let p = headerSize + c * bytesPer;
    if (float) {
      if (bits === 32) for (let i = 0; i < frames; i++, p += blockAlign) v.setFloat32(p, src[i], true);
      else for (let i = 0; i < frames; i++, p += blockAlign) v.setFloat64(p, src[i], true);
      continue;
    }
    const scale = 2 ** (bits - 1);
    const lo = -scale;
    const hi = scale - 1;
    for (let i = 0; i < frames; i++, p += blockAlign) {
      const q = Math.min(hi, Math.max(lo, roundHalfEven(src[i] * scale)));
      switch (bits) {
        case 8:
          v.setUint8(p, q + 128);
          break;
        case 16:
          v.setInt16(p, q, true);
          break;
        case 24:
          v.setUint8(p, q & 0xff);
          v.setUint8(p + 1, (q >> 8) & 0xff);
          v.setUint8(p + 2, (q >> 16) & 0xff);
          break;
        default:
          v.setInt32(p, q, true);
      }
    }
  }
  return out;
}
