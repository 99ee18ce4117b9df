/**
 * hitrank/audio — audio bytes in, PCM out, in any JavaScript runtime: WAV
 * decoding and encoding in TypeScript, MP3 / Ogg Vorbis / FLAC through small
 * WebAssembly decoders. Browser-safe (no Node built-ins); `hitrank/node` adds
 * file loading on top.
 *
 * @module hitrank/audio
 */
export type { DecodedAudio, AudioFormat } from './types.js';
export { decodeWav, wavInfo, type DecodeWavOptions, type WavInfo } from './decodeWav.js';
export { encodeWav, type EncodeWavOptions } from './encodeWav.js';
export { sniffAudioFormat, type SniffResult, type KnownAudioFormat, type UnknownAudioFormat } from './sniffAudioFormat.js';
export { decodeAudio, type DecodeAudioOptions } from './decodeAudio.js';
export { audioInfo, type AudioInfo } from './audioInfo.js';
