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
import { mpegChannels, sniffAudioFormat } from './sniffAudioFormat.js';
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
 * @param bytes - the whole file.
 * @param options - see {@link DecodeAudioOptions} (default: damaged frames are an error).
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
  const sniff = sniffAudioFormat(data);
  if (sniff.format === undefined) {
    throw new HitrankError(
      'E_UNSUPPORTED',
      `cannot decode ${sniff.found}; supported formats are WAV, MP3 (MPEG audio), FLAC, Ogg FLAC and Ogg Vorbis.`,
    );
  }
  if (sniff.format === 'wav') return decodeWav(data);
  const format = sniff.format;
  const label = LABEL[format];
  const stream = data.subarray(sniff.audioStart);
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
  // libmpg123 always renders two channels; keep one for single-channel streams.
  if (format === 'mp3' && channelData.length === 2 && mpegChannels(data, sniff.audioStart) === 1) {
    channelData = [channelData[0]];
  }
  return { sampleRate: out.sampleRate, channelData };
}
