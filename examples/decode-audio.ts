// Decode an audio file the way the paper's pipeline needs it: mono, 22050 Hz.
// For a WAV, FLAC, MPEG-1 MP3 or Ogg Vorbis file, also read only the part a middle segment needs
// (audioInfo + resampleInputRange + decodeAudio's start/frames + resample's
// inputWindow) and check it equals cutting the fully decoded, resampled song.
//
//   npx tsx examples/decode-audio.ts              # synthesises a 2-s stereo chord, round-trips it through a WAV
//   npx tsx examples/decode-audio.ts song.mp3     # any WAV / MP3 / FLAC / Ogg Vorbis file
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { resample, resampleInputRange, resampledLength, toMono } from '../src/dsp/index.js';
import { audioInfo, decodeAudio, decodeWav, encodeWav, loadAudio, sniffAudioFormat, wavInfo, writeFileAtomic } from '../src/node/index.js';

/** A 2-s stereo C-major chord at 44.1 kHz with a little seeded noise; the right channel lags by 5 ms. */
function synthChord(seed: string): { sampleRate: number; channelData: Float32Array[] } {
  const sampleRate = 44100;
  const n = 2 * sampleRate;
  const rng = seedrandom(seed);
  const notes = [261.63, 329.63, 392.0]; // C4 E4 G4
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const tr = Math.max(0, t - 0.005);
    const env = Math.min(1, t / 0.02) * Math.exp(-1.2 * t);
    let l = 0;
    let r = 0;
    for (const f of notes) {
      l += Math.sin(2 * Math.PI * f * t);
      r += Math.sin(2 * Math.PI * f * tr);
    }
    left[i] = 0.25 * env * l + 0.01 * (2 * rng() - 1);
    right[i] = 0.25 * env * r + 0.01 * (2 * rng() - 1);
  }
  return { sampleRate, channelData: [left, right] };
}

function peak(x: Float32Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return m;
}

async function main(): Promise<void> {
  let path = process.argv[2];
  let cleanup = (): void => {};
  if (path === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'hitrank-example-'));
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    const chord = synthChord('hitrank-example');
    path = join(dir, 'chord.wav');
    await writeFileAtomic(path, encodeWav(chord.channelData, chord.sampleRate, { bitDepth: 16 }));
    console.log(`wrote ${path}: 2.000 s stereo chord at ${chord.sampleRate} Hz, 16-bit`);
  }
  try {
    const native = await loadAudio(path);
    const audio = await loadAudio(path, { mono: true, sampleRate: 22050 });
    const y = audio.channelData[0];
    console.log(`file:      ${native.channelData.length} channel(s) at ${native.sampleRate} Hz`);
    console.log(`decoded:   ${y.length} samples, mono, ${audio.sampleRate} Hz`);
    console.log(`duration:  ${(y.length / audio.sampleRate).toFixed(3)} s`);
    console.log(`peak:      ${peak(y).toFixed(4)} (${(20 * Math.log10(peak(y))).toFixed(2)} dBFS)`);
    // librosa.load(path, sr=22050, mono=True, offset=0.5, duration=1.0)
    const clip = await loadAudio(path, { offset: 0.5, duration: 1, mono: true, sampleRate: 22050 });
    console.log(`offset 0.5 s, duration 1 s: ${clip.channelData[0].length} samples at ${clip.sampleRate} Hz`);
    const bytes = new Uint8Array(readFileSync(path));
    if (sniffAudioFormat(bytes).format === 'wav') {
      // soundfile.info / soundfile.read(start=, frames=) for WAV files.
      const w = wavInfo(bytes);
      const first = decodeWav(bytes, { start: 0, frames: Math.min(w.frames, 441) });
      console.log(`wav:       ${w.channels} ch, ${w.bitsPerSample}-bit ${w.encoding}, ${w.frames} frames; first 10 ms read alone: ${first.channelData[0].length} frames`);
    }
    await middleOnly(bytes, y);
  } finally {
    cleanup();
  }
}

/** The middle second at 22050 Hz, decoding only the input samples it depends on. */
async function middleOnly(bytes: Uint8Array, whole: Float32Array): Promise<void> {
  const info = audioInfo(bytes);
  if (!info) {
    console.log('middle:    this format is decoded whole (its length is not known without decoding)');
    return;
  }
  const nOut = resampledLength(info.frames, info.sampleRate, 22050);
  const L = Math.min(22050, nOut);
  const outputRange = { start: Math.floor((nOut - L) / 2), length: L };
  const need = resampleInputRange(info.frames, { from: info.sampleRate, to: 22050, outputRange });
  const part = await decodeAudio(bytes, { start: need.start, frames: need.length });
  const mono = part.channelData.length > 1 ? toMono(part.channelData) : part.channelData[0];
  const mid = resample(mono, { from: info.sampleRate, to: 22050, outputRange, inputWindow: { start: need.start, total: info.frames } });
  const same = mid.every((v, i) => v === whole[outputRange.start + i]);
  console.log(`middle:    ${L} samples from ${need.length} of ${info.frames} input frames (${info.format}); equal to the full decode: ${same}`);
  if (!same) throw new Error('partial decoding differs from the full decode');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
