/**
 * hitrank/node — Node-only helpers: audio decoding (WAV, MP3, FLAC, Ogg
 * Vorbis), WAV encoding and atomic file writes.
 *
 * @module hitrank/node
 */
// The browser-safe decoders of hitrank/audio, re-exported for Node users.
export * from '../audio/index.js';
export { loadAudio, type LoadAudioOptions } from './loadAudio.js';
export { writeFileAtomic } from './writeFileAtomic.js';
