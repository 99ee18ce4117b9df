/**
 * Decoding of an in-memory audio file of any supported format, dispatched by
 * magic bytes: WAV with {@link decodeWav}, MP3 with `mpg123-decoder`, FLAC /
 * Ogg FLAC with `@wasm-audio-decoders/flac`, Ogg Vorbis with
 * `@wasm-audio-decoders/ogg-vorbis` (WebAssembly builds of libmpg123,
 * libFLAC and libvorbis, embedded in the packages: nothing is fetched).
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { decodeWav } from './decodeWav.js';
import { checkFrameRequest, clampFrames, sliceFrames } from './frameRange.js';
import { locateFlacFrames, readFlacStreamInfo, readSeekableFlac } from './flacFrames.js';
import { indexMpegFrames, mpegSampleLayout } from './mpegFrames.js';
import { mpegChannels, sniffAudioFormat } from './sniffAudioFormat.js';
import { decodeVorbisPart } from './vorbisPart.js';
import type { AudioFormat, DecodedAudio } from './types.js';

/** Options of {@link decodeAudio}. */
export interface DecodeAudioOptions {
  /**
   * Accept a compressed file whose decoder reports damaged frames: decoding
   * goes on past them, leaving gaps (what ffmpeg, hence `librosa.load`, does
   * with a warning). Default `false`: such a file throws `E_CORRUPT_FILE`, so
   * a damaged song never enters a data set silently. A file that decodes to
   * no samples at all is always an error.
   */
  allowDecodeErrors?: boolean;
  /**
   * First frame (sample per channel) to return. Default 0. With `frames`,
   * reads part of a file like soundfile's `start` / `frames`: the result
   * equals the same slice of the whole decode, bit for bit. WAV files, clean
   * MPEG-1 Layer III files (32 / 44.1 / 48 kHz MP3s), native FLAC files
   * with a fixed block size and single-stream Ogg Vorbis files are then
   * decoded only around that part; other files (MPEG-2 MP3s, Ogg FLAC,
   * chained Ogg) are decoded whole and sliced.
   */
  start?: number;
  /** Frames to return from `start`, or -1 (default) for all up to the end; clamped at the end. */
  frames?: number;
}

/** The common shape of the three wasm decoders' results. */
interface CodecOutput {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  bitDepth?: number;
  errors: { message: string }[];
}

/** A started decoder: `decode` it once, then `free` it. */
interface CodecSession {
  decode(data: Uint8Array): CodecOutput | Promise<CodecOutput>;
  free(): void;
}

const LABEL: Record<Exclude<AudioFormat, 'wav'>, string> = {
  mp3: 'MPEG audio (mpg123)',
  flac: 'FLAC',
  'ogg-flac': 'Ogg FLAC',
  'ogg-vorbis': 'Ogg Vorbis',
};

async function startDecoder(format: Exclude<AudioFormat, 'wav'>): Promise<CodecSession> {
  switch (format) {
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder');
      const d = new MPEGDecoder({ enableGapless: true });
      await d.ready;
      return { decode: (x) => quietly('mpg123-decoder:', () => d.decode(x)), free: () => d.free() };
    }
    case 'flac':
    case 'ogg-flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      const d = new FLACDecoder();
      await d.ready;
      return { decode: (x) => d.decodeFile(x), free: () => d.free() };
    }
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      const d = new OggVorbisDecoder();
      await d.ready;
      return { decode: (x) => d.decodeFile(x), free: () => d.free() };
    }
  }
}

/**
 * Runs a synchronous decoder call with its own `console.error` lines (prefix
 * `tag`) suppressed: the same errors come back in the result's `errors` and
 * end up in our HitrankError. Synchronous, so no other code's logging can be
 * caught in between.
 */
function quietly<T>(tag: string, fn: () => T): T {
  const original = console.error;
  console.error = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].startsWith(tag)) return;
    original(...args);
  };
  try {
    return fn();
  } finally {
    console.error = original;
  }
}

/**
 * The FLAC decoder scales integers by 1 / (2^(b−1) − 1); libsndfile (hence
 * soundfile/librosa) and {@link decodeWav} use 1 / 2^(b−1). Recover the
 * integers (exact for b ≤ 24: the float32 error is below 0.25 of a step) and
 * rescale, so a FLAC file decodes to the same floats as the WAV it came from.
 */
function rescaleFlac(channels: Float32Array[], bitDepth: number | undefined, label: string): Float32Array[] {
  if (bitDepth === undefined || !Number.isInteger(bitDepth) || bitDepth < 4 || bitDepth > 32) {
    throw new HitrankError('E_CORRUPT_FILE', `the ${label} decoder reported a bit depth of ${bitDepth}; expected 4 to 32.`);
  }
  const full = 2 ** (bitDepth - 1);
  const step = full - 1;
  return channels.map((ch) => {
    const out = new Float32Array(ch.length);
    if (bitDepth <= 24) for (let i = 0; i < ch.length; i++) out[i] = Math.round(ch[i] * step) / full;
    else for (let i = 0; i < ch.length; i++) out[i] = (ch[i] * step) / full;
    return out;
  });
}

function withCause(err: HitrankError, cause: unknown): HitrankError {
  err.cause = cause;
  return err;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Decodes an audio file held in memory (WAV, MP3, FLAC, Ogg FLAC, Ogg Vorbis),
 * choosing the decoder from the magic bytes (see {@link sniffAudioFormat}),
 * never from a file name.
 *
 * Output is the file's own sample rate and channels (use `loadAudio`'s
 * options, or `toMono`/`resample` from `hitrank/dsp`, to convert). MP3 is
 * decoded gaplessly (encoder delay and padding from the LAME/Xing header are
 * trimmed, as ffmpeg does); single-channel MP3 streams give one channel.
 * Compressed formats decode to float32 in [-1, 1]; FLAC gives exactly
 * `int / 2^(bits−1)` like libsndfile (and {@link decodeWav}), so a FLAC file
 * and the WAV it was made from decode to the same floats.
 *
 * librosa equivalent: `librosa.load(path, sr=None, mono=False)` on the bytes.
 *
 * Part of a file: `options.start` / `options.frames` return only those frames,
 * equal bit for bit to slicing the whole decode; WAV, MPEG-1 MP3, FLAC and
 * Ogg Vorbis files are then decoded only around them (a 30-s window of a
 * 4-min MP3, FLAC or Ogg Vorbis file: ≈ 7× less decoding), other files whole.
 * {@link audioInfo} gives the length first. A FLAC file that decodes to fewer
 * samples than its STREAMINFO names (a damaged frame stops the decoder) is
 * `E_CORRUPT_FILE` unless `allowDecodeErrors`.
 *
 * @param bytes - the whole file.
 * @param options - see {@link DecodeAudioOptions} (default: the whole file; damaged frames are an error).
 * @returns the sample rate and one `Float32Array` per channel.
 * @throws HitrankError `E_UNSUPPORTED` for an unknown or unsupported format (the
 *   message says what was found: Ogg Opus, AAC, MP4, …) or when a decoder cannot
 *   start; `E_CORRUPT_FILE` when decoding fails, yields no samples, or reports
 *   damaged frames (unless `allowDecodeErrors`); the errors of {@link decodeWav} for WAV.
 */
export async function decodeAudio(bytes: Uint8Array | ArrayBuffer, options: DecodeAudioOptions = {}): Promise<DecodedAudio> {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new HitrankError('E_PARAM', `decodeAudio expects a Uint8Array or ArrayBuffer, got ${typeof bytes}.`);
  }
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const range = checkFrameRequest(options.start, options.frames, 'decodeAudio');
  const sniff = sniffAudioFormat(data);
  if (sniff.format === undefined) {
    throw new HitrankError(
      'E_UNSUPPORTED',
      `cannot decode ${sniff.found}; supported formats are WAV, MP3 (MPEG audio), FLAC, Ogg FLAC and Ogg Vorbis.`,
    );
  }
  if (sniff.format === 'wav') return decodeWav(data, range);
  const whole = range.start === 0 && range.frames === -1;
  if (!whole && sniff.format === 'mp3') {
    const part = await decodeMp3Part(data, range.start, range.frames);
    if (part) return part;
  }
  if (!whole && sniff.format === 'flac') {
    const part = await decodeFlacPart(data, sniff.audioStart, range.start, range.frames);
    if (part) return part;
  }
  if (!whole && sniff.format === 'ogg-vorbis') {
    const part = await decodeVorbisPart(data, sniff.audioStart, range.start, range.frames);
    if (part) return part;
  }
  const out = await decodeCompressed(data, sniff.format, sniff.audioStart, options);
  return whole ? out : sliceFrames(out, range);
}

/** Decodes a whole compressed file (everything but WAV). */
async function decodeCompressed(
  data: Uint8Array,
  format: Exclude<AudioFormat, 'wav'>,
  audioStart: number,
  options: DecodeAudioOptions,
): Promise<DecodedAudio> {
  const label = LABEL[format];
  const stream = data.subarray(audioStart);
  let session: CodecSession;
  try {
    session = await startDecoder(format);
  } catch (e) {
    throw withCause(new HitrankError('E_UNSUPPORTED', `the ${label} decoder could not start: ${describe(e)}.`), e);
  }
  let out: CodecOutput;
  try {
    out = await session.decode(stream);
  } catch (e) {
    throw withCause(
      new HitrankError('E_CORRUPT_FILE', `the ${label} decoder failed on this ${data.length}-byte file: ${describe(e)}.`),
      e,
    );
  } finally {
    session.free();
  }
  const errors = Array.isArray(out?.errors) ? out.errors : [];
  const firstError = errors.length > 0 ? ` (${errors.length} decoder error(s), first: ${errors[0]?.message})` : '';
  const n = out?.samplesDecoded;
  const channels = Array.isArray(out?.channelData) ? out.channelData : [];
  if (!Number.isInteger(n) || n <= 0 || channels.length === 0) {
    throw new HitrankError('E_CORRUPT_FILE', `the ${data.length}-byte ${label} file decoded to no samples${firstError}; it is corrupt or truncated.`);
  }
  if (!Number.isInteger(out.sampleRate) || out.sampleRate <= 0) {
    throw new HitrankError('E_CORRUPT_FILE', `the ${label} decoder reported sample rate ${out.sampleRate}; the file is corrupt.`);
  }
  if (options.allowDecodeErrors !== true && errors.length > 0) {
    throw new HitrankError(
      'E_CORRUPT_FILE',
      `the ${label} file has damaged frames${firstError}; pass allowDecodeErrors: true to keep the ${n} samples decoded around them.`,
    );
  }
  let channelData = channels.map((ch, c) => {
    if (!(ch instanceof Float32Array) || ch.length < n) {
      throw new HitrankError('E_CORRUPT_FILE', `the ${label} decoder returned ${ch?.length} samples for channel ${c}; expected ${n}.`);
    }
    return ch.length === n ? ch : ch.slice(0, n);
  });
  if (format === 'flac' || format === 'ogg-flac') channelData = rescaleFlac(channelData, out.bitDepth, label);
  if (format === 'flac' && options.allowDecodeErrors !== true) {
    // The FLAC parser stops at a damaged frame without reporting it: compare with STREAMINFO's length.
    const total = readFlacStreamInfo(data, audioStart)?.totalSamples ?? 0;
    if (total > 0 && n !== total) {
      throw new HitrankError(
        'E_CORRUPT_FILE',
        `the ${label} file decoded to ${n} samples per channel, but its STREAMINFO says ${total}; it is damaged or truncated. Pass allowDecodeErrors: true to keep the ${n} samples.`,
      );
    }
  }
  // libmpg123 always renders two channels; keep one for single-channel streams.
  if (format === 'mp3' && channelData.length === 2 && mpegChannels(data, audioStart) === 1) {
    channelData = [channelData[0]];
  }
  return { sampleRate: out.sampleRate, channelData };
}

/** Frames of warm-up decoded before the first frame wanted (plus ≥ 1024 bytes: the bit reservoir reaches ≤ 511 bytes back). */
const MP3_WARMUP_FRAMES = 8;
/**
 * libmpg123's synthesis filterbank cycles through 16 buffer offsets, 36 steps
 * per MPEG-1 frame: starting on a frame that is a multiple of 4 from the
 * stream's first audio frame puts it on the same offset as a whole decode,
 * hence the same float rounding (measured: other starts differ by ≈ 1 ulp;
 * MPEG-2's half-size frames showed no such period, so they are decoded whole).
 */
const MP3_PHASE_FRAMES = 4;

/**
 * Samples `start … start + frames − 1` of the whole decode of a clean MPEG-1
 * Layer III file, decoding only the frames they depend on; `null` when that
 * cannot be done exactly (see {@link indexMpegFrames} and
 * {@link mpegSampleLayout}) or the partial decode is not what it must be
 * (damaged frames, an unexpected sample count): the caller decodes the whole
 * file instead.
 *
 * @internal
 */
export async function decodeMp3Part(data: Uint8Array, start: number, frames: number): Promise<DecodedAudio | null> {
  const ix = indexMpegFrames(data);
  if (!ix || ix.samplesPerFrame !== 1152) return null;
  const layout = mpegSampleLayout(ix);
  if (!layout) return null;
  const spf = ix.samplesPerFrame;
  const nf = ix.offsets.length - 1;
  const { from, to } = clampFrames({ start, frames }, layout.length);
  if (to <= from) return { sampleRate: ix.sampleRate, channelData: Array.from({ length: ix.channels }, () => new Float32Array(0)) };
  // Positions in the output of the audio frames (frame k gives k·spf … (k + 1)·spf − 1).
  const p0 = from + layout.skip;
  const p1 = to + layout.skip;
  const k0 = Math.floor(p0 / spf);
  let s0 = Math.max(0, k0 - MP3_WARMUP_FRAMES);
  while (s0 > 0 && ix.offsets[k0] - ix.offsets[s0] < 1024) s0--;
  s0 -= s0 % MP3_PHASE_FRAMES;
  const s1 = Math.min(nf, Math.ceil(p1 / spf) + 1);
  const session = await startDecoder('mp3');
  let out: CodecOutput;
  try {
    out = await session.decode(data.subarray(ix.offsets[s0], ix.offsets[s1]));
  } catch {
    return null;
  } finally {
    session.free();
  }
  const expected = (s1 - s0) * spf;
  if (!out || (out.errors?.length ?? 0) > 0 || out.samplesDecoded !== expected || out.sampleRate !== ix.sampleRate) return null;
  const a = p0 - s0 * spf;
  const channels = out.channelData.slice(0, ix.channels);
  if (channels.length !== ix.channels || channels.some((ch) => !(ch instanceof Float32Array) || ch.length < a + (to - from))) return null;
  return { sampleRate: out.sampleRate, channelData: channels.map((ch) => ch.slice(a, a + (to - from))) };
}

/**
 * Samples `start … start + frames − 1` of a native FLAC file with a fixed
 * block size, decoding only the frames that hold them (FLAC frames are
 * independent: the samples are exactly those of a whole decode); `null` when
 * the stream or a frame cannot be located that way, or the decoder reports
 * anything unexpected — the caller decodes the whole file instead.
 *
 * @internal
 */
export async function decodeFlacPart(data: Uint8Array, audioStart: number, start: number, frames: number): Promise<DecodedAudio | null> {
  const info = readSeekableFlac(data, audioStart);
  if (!info) return null;
  const total = info.totalSamples;
  const { from, to } = clampFrames({ start, frames }, total);
  if (to <= from) return { sampleRate: info.sampleRate, channelData: Array.from({ length: info.channels }, () => new Float32Array(0)) };
  const bs = info.blockSize;
  const f0 = Math.floor(from / bs);
  const f1 = Math.floor((to - 1) / bs);
  const extents = locateFlacFrames(data, info, f0, f1);
  if (!extents) return null;
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const decoder = new FLACDecoder();
  let out: CodecOutput;
  try {
    await decoder.ready;
    // The decoding happens inside the call (the promise is already settled): its error lines are ours to report.
    const pending = quietly('@wasm-audio-decoders/flac:', () => decoder.decodeFrames(extents.map(([a, b]) => data.subarray(a, b))));
    out = (await pending) as CodecOutput;
  } catch {
    return null;
  } finally {
    decoder.free();
  }
  const expected = Math.min(total, (f1 + 1) * bs) - f0 * bs;
  if (!out || (out.errors?.length ?? 0) > 0 || out.samplesDecoded !== expected || out.sampleRate !== info.sampleRate) return null;
  if (out.channelData.length !== info.channels) return null;
  const a = from - f0 * bs;
  const channels = rescaleFlac(out.channelData.map((ch) => ch.subarray(a, a + (to - from))), out.bitDepth, LABEL.flac);
  return { sampleRate: out.sampleRate, channelData: channels };
}
