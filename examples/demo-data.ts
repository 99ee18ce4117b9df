// The synthetic demo dataset: write a small seeded set of songs with a planted
// hit signal, read its manifest back, extract the paper's Mid-30 log-mel
// features in worker threads through the feature cache, peek at the truth, and
// compute the HL-30 highlighter's chunked input the same way.
//   npx tsx examples/demo-data.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spearmanRho } from '../src/metrics/index.js';
import { extractFeatures, extractHighlighterFeatures, readManifest, writeDemoDataset } from '../src/node/index.js';

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const dir = mkdtempSync(join(tmpdir(), 'hitrank-demo-'));
try {
  // 1. Songs: WAVs + manifest.csv + truth.json (seeded: same files every run).
  const songs = smoke ? 12 : 40;
  const { manifestPath, dataset: truth } = await writeDemoDataset(dir, { songs, seconds: [4, 8], seed: 'example' });
  console.log(`wrote ${songs} songs to ${dir}`);

  // 2. The manifest, as any dataset on disk would be read.
  const manifest = await readManifest(manifestPath);
  console.log(`manifest: ${manifest.rows.length} rows, ${manifest.tagNames?.length} descriptor columns`);

  // 3. Features: decode → mono → 22050 Hz → middle 30 s → 128-band log-mel, cached.
  const cacheDir = join(dir, '.hitrank-cache');
  const first = await extractFeatures(manifest, { cacheDir, jobs: 2 });
  const again = await extractFeatures(manifest, { cacheDir, jobs: 2 });
  console.log(
    `features ${first.melShape.join('×')}: first run extracted ${first.stats.extracted} in ${first.stats.seconds.toFixed(1)} s, ` +
      `second run ${again.stats.cached} from the cache in ${again.stats.seconds.toFixed(2)} s`,
  );

  // 4. The planted truth: the audio effect ranks the hit scores; the loudest mel band tracks brightness.
  const ds = first.dataset;
  const audioEffect = Float64Array.from(truth.songs, (s) => s.audioEffect);
  console.log(`Spearman(hit score, planted audio effect) = ${spearmanRho(ds.hitScores, audioEffect).toFixed(2)}`);
  const [nMels, frames] = ds.melShape!;
  const centroid = Float64Array.from(ds.mels!, (m) => {
    let num = 0;
    let den = 0;
    for (let b = 0; b < nMels; b++) {
      for (let t = 0; t < frames; t++) {
        const p = 10 ** (m[b * frames + t] / 10);
        num += b * p;
        den += p;
      }
    }
    return num / den;
  });
  const brightness = Float64Array.from(truth.songs, (s) => s.brightness);
  console.log(`Spearman(mel centroid, planted brightness) = ${spearmanRho(centroid, brightness).toFixed(2)}`);
  const h = Array.from(ds.hitScores).sort((a, b) => b - a);
  console.log(`top hit score ${h[0].toExponential(2)}, median ${h[h.length >> 1].toExponential(2)} (long tail)`);

  // 5. The HL-30 highlighter's input (whole-song log1p mel in 3-s chunks), through the same workers and cache.
  const hl = await extractHighlighterFeatures(manifest, { cacheDir, jobs: 2 });
  console.log(
    `highlighter features: ${hl.mels.length} songs, e.g. ${hl.ids[0]} → [${hl.mels[0].shape.join(' × ')}] (chunks × frames × mels), ` +
      `${hl.stats.extracted} extracted, ${hl.failed.length} too short`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
