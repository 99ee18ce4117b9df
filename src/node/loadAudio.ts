/**
 * `librosa.load` for Node: read a file, decode it, optionally down-mix and
 * resample.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { resample, toMono } from '../dsp/index.js';
import { HitrankError, assertInteger } from '../errors.js';
import { audioLayout } from '../audio/audioInfo.js';
import { decodeAudio } from '../audio/decodeAudio.js';
import { sliceFrames } from '../audio/frameRange.js';
import type { DecodedAudio } from '../audio/types.js';

/** Options of {@link loadAudio}. */
export interface LoadAudioOptions {
  /**
   * Resample every channel to this rate in Hz (an integer) with `resample`
   * from `hitrank/dsp` (polyphase Kaiser filter, its default `'hq'` design).
   * Default: keep the file's own rate. The paper's rate is 22050.
   */
  sampleRate?: number;
  /**
   * Down-mix to one channel by averaging the channels (`toMono`, as
   * `librosa.to_mono`), before resampling. Default `false` (keep the
   * file's channels). The paper uses mono.
   */
  mono?: boolean;
  /**
   * Accept compressed files whose decoder reports damaged frames, keeping the
   * audio decoded around them (see `DecodeAudioOptions.allowDecodeErrors`).
   * Default `false`: they throw `E_CORRUPT_FILE`.
   */
  allowDecodeErrors?: boolean;
  /**
   * Start reading this many seconds into the file (librosa's `offset`):
   * sample `round(offset · rate)` at the file's own rate. Default 0. WAV,
   * FLAC and MPEG-1 MP3 files are then decoded only from there.
   */
  offset?: number;
  /**
   * Read only this many seconds (librosa's `duration`): `round(duration ·
   * rate)` samples at the file's own rate, fewer at the end of the file.
   * Default: to the end. Down-mixing and resampling apply to the part read,
   * as in librosa.
   */
  duration?: number;
}

function withPath(path: string, e: unknown): unknown {
  if (!(e instanceof HitrankError)) return e;
  const err = new HitrankError(e.code, `${path}: ${e.detail}`);
  err.cause = e;
  return err;
}

/**
 * Reads and decodes an audio file: WAV (PCM 8/16/24/32-bit, float 32/64),
 * MP3, FLAC, Ogg FLAC or Ogg Vorbis, recognised by content (magic bytes), not
 * by extension. Then, if asked, down-mixes to mono and resamples.
 *
 * librosa equivalent: `librosa.load(path, sr=sampleRate ?? None, mono=mono,
 * offset=offset, duration=duration)`.
 * Unlike librosa, whose defaults are `sr=22050, mono=True`, the defaults here
 * keep the file as it is; pass `{ sampleRate: 22050, mono: true }` for the
 * paper's input. Resampling uses `resample`'s polyphase filter (the
 * algorithm of scipy's `resample_poly` with a sharper Kaiser design, ≥ 80 dB
 * above the new Nyquist), not librosa's default soxr.
 *
 * @param path - the file to read.
 * @param opts - optional `sampleRate` and `mono` conversions (defaults: none), `offset` / `duration` in seconds (default: the whole file) and `allowDecodeErrors`.
 * @returns the (converted) sample rate and one `Float32Array` per channel (one when `mono`).
 * @throws HitrankError `E_IO` naming the path when it cannot be read (missing,
 *   a directory, no permission); `E_UNSUPPORTED` for an unknown format;
 *   `E_CORRUPT_FILE` when decoding fails or gives no samples; `E_PARAM` /
 *   `E_SAMPLE_RATE` for bad options. Decoding errors are prefixed with the path.
 *
 * @example
 * ```ts
 * const { sampleRate, channelData } = await loadAudio('song.mp3', { sampleRate: 22050, mono: true });
 * const mel = logMel(channelData[0], { sampleRate });
 * const chorus = await loadAudio('song.mp3', { offset: 60, duration: 30 }); // decodes ≈ 30 s, not the whole song
 * ```
 */
export async function loadAudio(path: string, opts: LoadAudioOptions = {}): Promise<DecodedAudio> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HitrankError('E_PARAM', `loadAudio needs a non-empty path string, got ${JSON.stringify(path)}.`);
  }
  if (opts.sampleRate !== undefined) assertInteger(opts.sampleRate, 'sampleRate', 1, 1e7);
  if (opts.mono !== undefined && typeof opts.mono !== 'boolean') {
    throw new HitrankError('E_PARAM', `mono must be a boolean, got ${JSON.stringify(opts.mono)}.`);
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error)?.message ?? String(e);
    const err = new HitrankError('E_IO', `cannot read audio file ${path}: ${why}.`);
    err.cause = e;
    throw err;
  }
  const offset = opts.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isFinite(offset) || offset < 0) {
    throw new HitrankError('E_PARAM', `offset must be a finite number of seconds ≥ 0, got ${String(offset)}.`);
  }
  const duration = opts.duration;
  if (duration !== undefined && (typeof duration !== 'number' || !Number.isFinite(duration) || duration <= 0)) {
    throw new HitrankError('E_PARAM', `duration must be a finite number of seconds > 0, got ${String(duration)}.`);
  }
  const part = (rate: number) => ({
    start: Math.round(offset * rate),
    frames: opts.duration === undefined ? -1 : Math.round(opts.duration * rate),
  });
  let audio: DecodedAudio;
  try {
    const whole = offset === 0 && opts.duration === undefined;
    const info = whole ? null : ((await audioLayout(bytes))?.info ?? null);
    audio = await decodeAudio(bytes, { allowDecodeErrors: opts.allowDecodeErrors, ...(info ? part(info.sampleRate) : {}) });
    // Length unknown without decoding (MPEG-2 MP3, Ogg FLAC, unusual layouts): cut the whole decode.
    if (!whole && !info) audio = sliceFrames(audio, part(audio.sampleRate));
  } catch (e) {
    throw withPath(path, e);
  }
  let { sampleRate, channelData } = audio;
  if (opts.mono === true && channelData.length > 1) channelData = [toMono(channelData)];
  if (opts.sampleRate !== undefined && opts.sampleRate !== sampleRate) {
    const to = opts.sampleRate;
    const from = sampleRate;
    channelData = channelData.map((ch) => resample(ch, { from, to }));
    sampleRate = to;
  }
  return { sampleRate, channelData };
}
