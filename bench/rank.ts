// Ranking a catalogue: features and scores for N songs, two ways, in one run.
//
//   (a) extract everything, then predict — extractFeatures (all features in
//       memory), then one SiameseHitModel.predict over the whole set;
//   (b) streamed — streamFeatures(…).batches(256), predict per batch while the
//       worker threads compute the next songs (what `hitrank rank` does).
//
// Prints the time ratio, the cores kept busy and the peak external memory
// (ArrayBuffers: the features, also those moved over from the workers), and
// checks both give the same scores.
// Songs: 40-s 44.1 kHz stereo WAVs synthesised from a seed, listed many times
// under their own ids (no cache, so every row is computed).
//
//   node --expose-gc --import tsx bench/rank.ts      (HITRANK_BENCH_QUICK=1: fewer rows)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { encodeWav } from '../src/audio/index.js';
import { extractFeatures, readManifest, streamFeatures } from '../src/node/index.js';
import { SiameseHitModel } from '../src/training/index.js';
import { printTable } from './timing.js';

const quick = process.env.HITRANK_BENCH_QUICK === '1';
const SR = 44100;
const SECONDS = 40;
const FILES = 8;
const ROWS = quick ? 400 : 1600;
const BATCH = 256;
const cores = availableParallelism();
const dir = mkdtempSync(join(tmpdir(), 'hitrank-bench-rank-'));
const rng = seedrandom('bench-rank');

function song(): Uint8Array {
  const n = SR * SECONDS;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  const f = 110 * (1 + Math.floor(rng() * 8));
  const bright = rng();
  for (let i = 0; i < n; i++) {
    const v = 0.3 * Math.sin((2 * Math.PI * f * i) / SR) + 0.1 * bright * Math.sin((2 * Math.PI * 3 * f * i) / SR) + 0.05 * (rng() - 0.5);
    l[i] = v;
    r[i] = 0.8 * v;
  }
  return encodeWav([l, r], SR);
}

const lines = ['id,audio,artist,hitScore'];
for (let s = 0; s < FILES; s++) writeFileSync(join(dir, `s${s}.wav`), song());
for (let r = 0; r < ROWS; r++) lines.push(`r${r},s${r % FILES}.wav,artist${r % 50},${(0.001 * (1 + (r % FILES))).toFixed(4)}`);
writeFileSync(join(dir, 'catalogue.csv'), lines.join('\n'));
const catalogue = await readManifest(join(dir, 'catalogue.csv'));

await tf.setBackend('wasm');
await tf.ready();
// A model to score with: trained briefly on the first files (the numbers do not matter here).
const trainSet = (await extractFeatures({ ...catalogue, rows: catalogue.rows.slice(0, 4 * FILES) }, { jobs: cores })).dataset;
const model = new SiameseHitModel({ seed: 1 });
await model.fit(trainSet, { epochs: 1, sampler: 'ab' });

/** Runs `fn`, sampling the external memory of the process (ArrayBuffers, including those transferred from workers) every 5 ms (and whenever `poke` is called). */
async function measure<T>(fn: (poke: () => void) => Promise<T>): Promise<{ value: T; ms: number; busy: number; peakMB: number }> {
  if (global.gc) global.gc();
  const base = process.memoryUsage().external;
  let peak = base;
  const poke = (): void => {
    peak = Math.max(peak, process.memoryUsage().external);
  };
  const timer = setInterval(poke, 5);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn(poke);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  clearInterval(timer);
  poke();
  return { value, ms, busy: (c.user + c.system) / 1000 / ms, peakMB: (peak - base) / 2 ** 20 };
}

const whole = await measure(async (poke) => {
  const { dataset } = await extractFeatures(catalogue, { jobs: cores });
  poke();
  return model.predict(dataset);
});
const streamed = await measure(async (poke) => {
  const stream = await streamFeatures(catalogue, { jobs: cores });
  const parts: Float32Array[] = [];
  for await (const batch of stream.batches(BATCH)) {
    poke();
    parts.push(await model.predict(batch.dataset));
  }
  const out = new Float32Array(ROWS);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
});
let same = whole.value.length === streamed.value.length;
for (let i = 0; same && i < whole.value.length; i++) same = whole.value[i] === streamed.value[i];
model.dispose();
rmSync(dir, { recursive: true, force: true });

const perSong = (ms: number): string => (ms / ROWS).toFixed(1);
console.log(
  `\nRanking ${ROWS} songs (${SECONDS}-s 44.1 kHz stereo WAV → Mid-30 log-mel [128 × 323] → simple-CNN score), ${cores} worker threads, ` +
    `wasm backend (Node ${process.version}, load ${loadavg().map((v) => v.toFixed(2)).join(' ')})\n`,
);
printTable([
  ['pipeline', 'ms / song', 'time / (a)', 'cores busy', 'peak feature memory (MB)'],
  ['(a) extractFeatures, then one predict', perSong(whole.ms), '1.00', `${whole.busy.toFixed(2)} of ${cores}`, whole.peakMB.toFixed(0)],
  [`(b) streamFeatures, predict per ${BATCH} songs`, perSong(streamed.ms), (streamed.ms / whole.ms).toFixed(2), `${streamed.busy.toFixed(2)} of ${cores}`, streamed.peakMB.toFixed(0)],
]);
console.log(
  `\nscores of (b) ${same ? 'equal' : 'DIFFER FROM'} (a) bit for bit; memory: (a) holds every song's features ` +
    `(${((ROWS * 128 * 323 * 4) / 2 ** 20).toFixed(0)} MB for ${ROWS} songs, growing with the catalogue), ` +
    `(b) at most ${BATCH} + the prefetch window (${4 * cores}) songs, whatever the catalogue's size: ` +
    `${(whole.peakMB / Math.max(streamed.peakMB, 1)).toFixed(1)}× less here.`,
);
if (!same) process.exitCode = 1;
