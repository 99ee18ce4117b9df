// HL-30: train a music highlighter (Huang et al., ref. [13] of the paper) on
// song-level class labels, then let its attention pick each held-out song's
// 30-s highlight. The songs are synthesised from a seed: their class lives
// only in a planted "chorus" (a class-specific chord), so a good highlighter
// puts its window there.
//
//   npx tsx examples/highlight.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { extractHighlight, trainHighlighter } from '../src/highlight/index.js';

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const SR = 8000; // a small feature configuration keeps the example fast; the defaults are 22050 Hz, 2048/512, 128 mels
const CLASSES = ['blue', 'green', 'red', 'gold'];
const CHORDS = [200, 400, 800, 1600]; // base pitch of each class's chord (Hz)

function addTone(y: Float32Array, f: number, a: number, t0: number, t1: number): void {
  for (let i = Math.round(t0 * SR); i < Math.min(y.length, Math.round(t1 * SR)); i++) y[i] += a * Math.sin((2 * Math.PI * f * i) / SR);
}

/** A 60–90-s song: random short notes and drums, plus a 12–18-s chorus holding the class's chord. */
function song(rng: () => number, label: number): { pcm: Float32Array; chorus: [number, number] } {
  const seconds = 60 + Math.floor(rng() * 31);
  const len = 12 + Math.floor(rng() * 7);
  const start = Math.floor(rng() * (seconds - len + 1));
  const pcm = new Float32Array(seconds * SR);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.01 * (rng() * 2 - 1) + (i % (SR / 2) < 320 ? 0.3 * (rng() * 2 - 1) : 0);
  for (let t = 0; t < seconds; t += 0.25) {
    if (t < start || t >= start + len) addTone(pcm, 150 * 20 ** rng(), 0.25, t, t + 0.25); // verse: class-independent
  }
  for (const m of [1, 1.12, 1.26]) addTone(pcm, CHORDS[label] * m, 0.12, start, start + len); // the chorus
  return { pcm, chorus: [start, start + len] };
}

async function main(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
  const rng = seedrandom('hitrank-highlight-example');
  const nTrain = smoke ? 28 : 40;
  const train = Array.from({ length: nTrain }, (_, i) => song(rng, i % 4));
  const test = Array.from({ length: 6 }, (_, i) => song(rng, i % 4));

  const t0 = performance.now();
  const { highlighter, history } = await trainHighlighter(
    train.map((s) => s.pcm),
    train.map((_, i) => CLASSES[i % 4]),
    {
      // a reduced model; buildHighlighter's defaults are the published sizes
      nMels: 32,
      filters: [16, 32, 32],
      attentionUnits: [32, 32, 32],
      classifierUnits: 32,
      features: { sampleRate: SR, nFft: 1024, hopLength: 512 },
      epochs: smoke ? 8 : 12,
      learningRate: 3e-3,
      seed: 1,
    },
  );
  const last = history[history.length - 1];
  console.log(`trained on ${nTrain} songs in ${((performance.now() - t0) / 1000).toFixed(1)} s: loss ${history[0].loss.toFixed(2)} → ${last.loss.toFixed(2)}, accuracy ${(100 * last.accuracy).toFixed(0)} %`);
  console.log(`classes: ${highlighter.config.classNames?.join(', ')}; batch norm at inference: '${highlighter.config.bnAtInference}'\n`);

  console.log('song  length  planted chorus  HL-30 window  chorus inside');
  for (const [i, s] of test.entries()) {
    const h = extractHighlight(s.pcm, highlighter); // 30 s of samples + where they came from
    const inside = Math.max(0, Math.min(h.endSecond, s.chorus[1]) - Math.max(h.startSecond, s.chorus[0])) / (s.chorus[1] - s.chorus[0]);
    console.log(
      `${String(i).padStart(4)}  ${String(s.pcm.length / SR).padStart(4)} s  [${s.chorus[0]}, ${s.chorus[1]}) s`.padEnd(32) +
        `[${h.startSecond}, ${h.endSecond}) s`.padEnd(14) +
        `${(100 * inside).toFixed(0).padStart(4)} %`,
    );
  }
  highlighter.dispose();
}

await main();
