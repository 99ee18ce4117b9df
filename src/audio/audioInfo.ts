import { wavInfo } from './decodeWav.js';
import { readSeekableFlac } from './flacFrames.js';
import { indexMpegFrames, mpegSampleLayout } from './mpegFrames.js';
import { sniffAudioFormat } from './sniffAudioFormat.js';
import type { AudioFormat } from './types.js';

/** What {@link audioInfo} knows of a file without decoding it. */
export interface AudioInfo {
  /** Container / codec, as {@link sniffAudioFormat} names it. */
  format: AudioFormat;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** Channels that `decodeAudio` returns. */
  channels: number;
  /** Frames (samples per channel) that `decodeAudio` returns for the whole file. */
  frames: number;
}

/**
 * The length and layout of an audio file without decoding it — from the
 * header of a WAV file, the STREAMINFO of a FLAC file (fixed block size,
 * known length), the frame headers and LAME gapless tag of an MPEG-1 Layer
 * III file (32 / 44.1 / 48 kHz MP3) — exactly what `decodeAudio` then
 * returns. `null` for everything else (Ogg, MPEG-2 MP3s, unusual layouts),
 * whose length takes a decode. Like `soundfile.info`.
 *
 * Together with `decodeAudio(bytes, { start, frames })`, this is how to read
 * the middle of a song without decoding all of it (what `extractFeatures`
 * does for Mid-30).
 *
 * @param bytes - the whole file.
 * @returns format, rate, channels and length, or `null`.
 * @example
 * ```ts
 * const info = audioInfo(bytes);
 * if (info) {
 *   const L = 30 * info.sampleRate;
 *   const mid = await decodeAudio(bytes, { start: Math.max(0, Math.floor((info.frames - L) / 2)), frames: L });
 * }
 * ```
 */
export function audioInfo(bytes: Uint8Array | ArrayBuffer): AudioInfo | null {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const sniff = sniffAudioFormat(data);
  const format = sniff.format;
  if (format === 'flac') {
    const f = readSeekableFlac(data, sniff.audioStart);
    return f ? { format, sampleRate: f.sampleRate, channels: f.channels, frames: f.totalSamples } : null;
  }
  if (format === 'wav') {
    const w = wavInfo(data);
    return { format, sampleRate: w.sampleRate, channels: w.channels, frames: w.frames };
  }
  if (format !== 'mp3') return null;
  const ix = indexMpegFrames(data);
  if (!ix || ix.samplesPerFrame !== 1152) return null;
  const layout = mpegSampleLayout(ix);
  return layout ? { format, sampleRate: ix.sampleRate, channels: ix.channels, frames: layout.length } : null;
}
