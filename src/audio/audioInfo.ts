import { wavInfo } from './decodeWav.js';
import { readSeekableFlac } from './flacFrames.js';
import { indexMpegFrames, mpegSampleLayout } from './mpegFrames.js';
import { indexVorbisPages, type VorbisPages } from './oggVorbisPages.js';
import { seekableVorbis } from './vorbisPart.js';
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
 * returns; for a single-stream Ogg Vorbis file, the last page's granule
 * position (what libsndfile reports), which is `decodeAudio`'s length for
 * every stream that starts at sample 0 (what encoders write; a stream cut out
 * of a longer one can differ). `null` for everything else (Ogg FLAC, chained
 * Ogg, MPEG-2 MP3s, unusual layouts), whose length takes a decode. Like
 * `soundfile.info`.
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
  if (format === 'ogg-vorbis') {
    const v = indexVorbisPages(data, sniff.audioStart);
    return v ? { format, sampleRate: v.sampleRate, channels: v.channels, frames: v.totalSamples } : null;
  }
  if (format !== 'mp3') return null;
  const ix = indexMpegFrames(data);
  if (!ix || ix.samplesPerFrame !== 1152) return null;
  const layout = mpegSampleLayout(ix);
  return layout ? { format, sampleRate: ix.sampleRate, channels: ix.channels, frames: layout.length } : null;
}

/**
 * {@link audioInfo}, but Ogg Vorbis files only once the stream is known to
 * start at sample 0 — checked by decoding its first audio page (≈ 1 ms),
 * which is why this is async — so the length is exactly `decodeAudio`'s.
 * `vorbis` is that verified page index, for `decodeVorbisPart`.
 *
 * @param bytes - the whole file.
 * @returns the layout (and the Vorbis page index), or `null` when the length takes a decode.
 * @internal
 */
export async function audioLayout(bytes: Uint8Array): Promise<{ info: AudioInfo; vorbis?: VorbisPages } | null> {
  const sniff = sniffAudioFormat(bytes);
  if (sniff.format !== 'ogg-vorbis') {
    const info = audioInfo(bytes);
    return info ? { info } : null;
  }
  // Unlike audioInfo, only a stream checked to start at sample 0: its granule positions are decodeAudio's sample numbers.
  const vorbis = await seekableVorbis(bytes, sniff.audioStart);
  if (!vorbis) return null;
  return { info: { format: 'ogg-vorbis', sampleRate: vorbis.sampleRate, channels: vorbis.channels, frames: vorbis.totalSamples }, vorbis };
}
