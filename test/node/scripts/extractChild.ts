// Child process for the interrupted-extraction test: extracts a manifest into a
// cache and prints one line per finished song, so the parent can kill it mid-run.
import { extractFeatures, readManifest } from '../../../src/node/index.js';

const [manifestPath, cacheDir, jobs] = process.argv.slice(2);
const manifest = await readManifest(manifestPath);
await extractFeatures(manifest, {
  cacheDir,
  jobs: Number(jobs),
  collect: false,
  onProgress: (p) => process.stdout.write(`done ${p.done}\n`),
});
process.stdout.write('finished\n');
