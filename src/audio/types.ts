/**
 * Shapes shared by the Node audio helpers.
 *
 * @module
 */

/**
 * Decoded PCM audio, shaped like Web Audio's `AudioBuffer`: one
 * `Float32Array` per channel, all of the same length, samples in [-1, 1) for
 * integer sources (float sources are passed through unscaled).
 *
 * librosa equivalent: the `(y, sr)` pair of `librosa.load(..., mono=False)`,
 * with `y` split into rows (channels).
 */
export interface DecodedAudio {
  /** Sample rate in Hz (a positive integer). */
  sampleRate: number;
  /** One array per channel (channel 0 = left for stereo); every array has the same length (frames). */
  channelData: Float32Array[];
}

/**
 * The containers/codecs `loadAudio` and `decodeAudio` recognise by their magic
 * bytes: RIFF/RF64 WAVE, MPEG audio Layer I/II/III (bare or after ID3v2 tags),
 * Ogg Vorbis, native FLAC and Ogg FLAC.
 */
export type AudioFormat = 'wav' | 'mp3' | 'ogg-vorbis' | 'flac' | 'ogg-flac';
