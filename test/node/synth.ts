// Deterministic test signals shared by the decoder tests and by
// test/node/data/make-data.ts, which encoded the committed MP3/OGG/FLAC files.
import seedrandom from 'seedrandom';

/** One synthesised test clip: its sample rate and channels. */
export interface SynthClip {
  sampleRate: number;
  channelData: Float32Array[];
}

/** `amp · sin(2π f n / sr)` for n = 0..frames-1, computed in double, stored float32. */
export function sine(freq: number, amp: number, sampleRate: number, frames: number): Float32Array {
  const y = new Float32Array(frames);
  for (let n = 0; n < frames; n++) y[n] = amp * Math.sin((2 * Math.PI * freq * n) / sampleRate);
  return y;
}

/**
 * Linear chirp `amp · sin(2π (f0 t + (f1 − f0) t² / (2T)))`, t = n / sr, T = frames / sr
 * (no two lags look alike, so alignment checks are meaningful).
 */
export function chirp(f0: number, f1: number, amp: number, sampleRate: number, frames: number): Float32Array {
  const y = new Float32Array(frames);
  const T = frames / sampleRate;
  for (let n = 0; n < frames; n++) {
    const t = n / sampleRate;
    y[n] = amp * Math.sin(2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * T)));
  }
  return y;
}

/** Uniform noise in [-amp, amp) from a seeded generator. */
export function noise(amp: number, frames: number, seed: string): Float32Array {
  const rng = seedrandom(seed);
  const y = new Float32Array(frames);
  for (let n = 0; n < frames; n++) y[n] = amp * (2 * rng() - 1);
  return y;
}

/** A chirp with seeded noise bursts every 0.5 s (transients make the encoder switch to short blocks). */
export function song(f0: number, f1: number, sampleRate: number, frames: number, seed: string): Float32Array {
  const y = chirp(f0, f1, 0.4, sampleRate, frames);
  const burst = noise(0.5, frames, seed);
  const period = Math.round(sampleRate / 2);
  for (let n = 0; n < frames; n++) y[n] += burst[n] * Math.exp(-(n % period) / (0.01 * sampleRate));
  return y;
}

/** The clips behind test/node/data/*: name → signal (see data/README.md). */
export const clips = {
  /** tone-44k-stereo.mp3 (with an ID3v2 tag): 1 s, 44100 Hz, L = chirp 200→2000 Hz, R = 1000 Hz sine. */
  mp3Stereo: (): SynthClip => ({
    sampleRate: 44100,
    channelData: [chirp(200, 2000, 0.5, 44100, 44100), sine(1000, 0.3, 44100, 44100)],
  }),
  /** tone-22k-mono.mp3 (no tag; starts with an MPEG frame sync): 1 s, 22050 Hz, chirp 300→3000 Hz. */
  mp3Mono: (): SynthClip => ({ sampleRate: 22050, channelData: [chirp(300, 3000, 0.5, 22050, 22050)] }),
  /** tone-22k-mono.ogg (Ogg Vorbis): 1 s, 22050 Hz, chirp 100→4000 Hz. */
  oggMono: (): SynthClip => ({ sampleRate: 22050, channelData: [chirp(100, 4000, 0.5, 22050, 22050)] }),
  /** tone-16k-stereo.flac (lossless, 16-bit): 0.5 s, 16000 Hz, L = 300 Hz sine, R = seeded noise. */
  /** song-44k-stereo-{cbr,vbr}.mp3: 6 s, 44100 Hz, two chirps with noise bursts. */
  mp3SongStereo: (): SynthClip => ({
    sampleRate: 44100,
    channelData: [song(100, 4000, 44100, 6 * 44100, 'hitrank-song-l'), song(300, 1500, 44100, 6 * 44100, 'hitrank-song-r')],
  }),
  /** song-48k-mono-notag.mp3: 6 s, 48000 Hz. */
  mp3Song48: (): SynthClip => ({ sampleRate: 48000, channelData: [song(150, 3000, 48000, 6 * 48000, 'hitrank-song-48')] }),
  /** song-22k-mono-mpeg2.mp3: 6 s, 22050 Hz (MPEG-2). */
  mp3Song22: (): SynthClip => ({ sampleRate: 22050, channelData: [song(150, 3000, 22050, 6 * 22050, 'hitrank-song-22')] }),
  /** song-22k-stereo.flac: 2.5 s, 22050 Hz, two chirps. */
  flacSong: (): SynthClip => ({
    sampleRate: 22050,
    channelData: [chirp(100, 3000, 0.4, 22050, 55125), chirp(500, 900, 0.3, 22050, 55125)],
  }),
  flacStereo: (): SynthClip => ({
    sampleRate: 16000,
    channelData: [sine(300, 0.4, 16000, 8000), noise(0.05, 8000, 'hitrank-flac')],
  }),
};
