// Rank a catalogue in bounded memory: stream the songs' features (worker
// threads run a few songs ahead, in input order) and score them batch by
// batch while the next batch is being computed — what `hitrank rank` does.
// A model is trained first on a seeded demo set so there is something to
// score with.
//   npx tsx examples/stream-features.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import { extractFeatures, readManifest, streamFeatures, writeDemoDataset } from '../src/node/index.js';
import { spearmanRho } from '../src/metrics/index.js';
import { SiameseHitModel } from '../src/training/index.js';

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const dir = mkdtempSync(join(tmpdir(), 'hitrank-stream-'));
try {
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error('wasm backend did not start');
  // Two seeded sets of 4-s songs: one to train on, one "catalogue" to rank.
  const train = await writeDemoDataset(join(dir, 'train'), { songs: smoke ? 40 : 120, seconds: [4, 4], seed: 'stream-train' });
  const cat = await writeDemoDataset(join(dir, 'catalogue'), { songs: smoke ? 60 : 300, seconds: [4, 4], seed: 'stream-catalogue' });
  const segment = { seconds: 4 };

  const { dataset } = await extractFeatures(await readManifest(train.manifestPath), { segment, jobs: 2 });
  const model = new SiameseHitModel({ seed: 3 });
  await model.fit(dataset, { sampler: 'ab', epochs: smoke ? 2 : 6, learningRate: 0.02 });

  // The catalogue, streamed: at most `prefetch` songs are computed ahead of this loop.
  const catalogue = await readManifest(cat.manifestPath);
  const stream = await streamFeatures(catalogue, { segment, jobs: 2, prefetch: 8 });
  const ids: string[] = [];
  const scores: number[] = [];
  for await (const batch of stream.batches(32)) {
    for (const f of batch.failed) console.log(`skipped ${f.row.id}: ${f.error!.message}`);
    const s = await model.predict(batch.dataset); // while this runs, the workers compute the next songs
    ids.push(...batch.dataset.ids);
    scores.push(...s);
    console.log(`scored ${ids.length}/${catalogue.rows.length} songs (features: ${stream.stats.extracted} extracted, ${stream.stats.failed} failed)`);
  }
  const truth = new Map(catalogue.rows.map((r) => [r.id, r.hitScore]));
  const top = ids.map((id, i) => ({ id, score: scores[i] })).sort((a, b) => b.score - a.score).slice(0, 5);
  console.log(`top 5: ${top.map((t) => t.id).join(', ')}`);
  console.log(`Spearman(score, true hit score) over the catalogue = ${spearmanRho(Float64Array.from(scores), Float64Array.from(ids, (id) => truth.get(id)!)).toFixed(2)}`);
  model.dispose();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
