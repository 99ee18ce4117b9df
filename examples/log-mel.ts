// The paper's input features (§2.5) for one song: Mid-30 segment → 128-band log-mel.
//
//   npx tsx examples/log-mel.ts              # a 45-s song synthesised from seed 7
//   npx tsx examples/log-mel.ts song.wav     # any WAV/MP3/OGG/FLAC file (Node)
import seedrandom from 'seedrandom';
import { logMel, midSegment } from '../src/dsp/index.js';

/** A seeded toy song: a chord progression, a bass line and noise-burst drums. */
function synthSong(seconds: number, sampleRate: number, seed: string): Float32Array {
  const rng = seedrandom(seed);
  const y = new Float32Array(Math.round(seconds * sampleRate));
  const roots = [220, 174.6, 261.6, 196].map((f) => f * (0.9 + 0.2 * rng()));
  const beat = Math.round((60 / (90 + 60 * rng())) * sampleRate);
  for (let i = 0; i < y.length; i++) {
    const t = i / sampleRate;
    const root = roots[Math.floor(t / 2) % roots.length];
    let v = 0;
    for (const ratio of [1, 1.25, 1.5]) v += 0.1 * Math.sin(2 * Math.PI * root * ratio * t);
    v += 0.15 * Math.sin(Math.PI * root * t);
    const sinceBeat = i % beat;
    if (sinceBeat < 2000) v += 0.3 * (rng() * 2 - 1) * Math.exp(-sinceBeat / 300);
    y[i] = v;
  }
  return y;
}

async function loadPcm(): Promise<{ pcm: Float32Array; sampleRate: number; source: string }> {
  const path = process.argv[2];
  if (!path) return { pcm: synthSong(45, 22050, 'seed-7'), sampleRate: 22050, source: 'synthesised (seed-7)' };
  const { loadAudio } = await import('../src/node/index.js');
  const audio = await loadAudio(path, { sampleRate: 22050, mono: true });
  return { pcm: audio.channelData[0], sampleRate: audio.sampleRate, source: path };
}

const { pcm, sampleRate, source } = await loadPcm();
const seg = midSegment(pcm, { sampleRate, seconds: 30 });
const t0 = performance.now();
const mel = logMel(seg.samples, { sampleRate });
const ms = performance.now() - t0;
const [nMels, frames] = mel.shape;
let lo = Infinity;
let hi = -Infinity;
for (const v of mel.data) {
  lo = Math.min(lo, v);
  hi = Math.max(hi, v);
}
console.log(`source: ${source}, ${(pcm.length / sampleRate).toFixed(1)} s`);
console.log(`Mid-30: samples [${seg.start}, ${seg.end})${seg.padded ? ' (zero-padded)' : ''}`);
console.log(`log-mel: [${nMels} × ${frames}] in ${ms.toFixed(1)} ms, ${lo.toFixed(1)} … ${hi.toFixed(1)} dB`);
// A coarse picture: 16 mel bands (low at the bottom) × 64 time columns.
const shades = ' .:-=+*#%@';
for (let r = 15; r >= 0; r--) {
  let line = '';
  for (let c = 0; c < 64; c++) {
    const v = mel.data[Math.floor((r * nMels) / 16) * frames + Math.floor((c * frames) / 64)];
    line += shades[Math.min(9, Math.max(0, Math.floor(((v - lo) / (hi - lo + 1e-9)) * 10)))];
  }
  console.log(line);
}
if (nMels !== 128 || frames !== 323) throw new Error(`expected [128 × 323], got [${nMels} × ${frames}]`);
