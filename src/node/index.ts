/**
 * hitrank/node — Node-only helpers: audio decoding (WAV, MP3, FLAC, Ogg
 * Vorbis), WAV encoding and atomic file writes.
 *
 * @module hitrank/node
 */
export type { DecodedAudio, AudioFormat } from './types.js';
export { decodeWav } from './decodeWav.js';
export { encodeWav, type EncodeWavOptions } from './encodeWav.js';
export { sniffAudioFormat, type SniffResult, type KnownAudioFormat, type UnknownAudioFormat } from './sniffAudioFormat.js';
export { decodeAudio, type DecodeAudioOptions } from './decodeAudio.js';
export { loadAudio, type LoadAudioOptions } from './loadAudio.js';
export { writeFileAtomic } from './writeFileAtomic.js';
