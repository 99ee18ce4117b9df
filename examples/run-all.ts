// Runs every example in this folder as a smoke test (CI calls `npm run examples`).
// Each example must exit 0 on its own synthesised data, quickly, with no arguments.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const examples = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run-all.ts')
  .sort();
let failed = 0;
for (const f of examples) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HITRANK_EXAMPLE_SMOKE: '1' },
    encoding: 'utf8',
  });
  const ms = (performance.now() - t0).toFixed(0);
  if (r.status === 0) {
    console.log(`ok   ${f} (${ms} ms)`);
  } else {
    failed++;
    console.log(`FAIL ${f} (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
  }
}
console.log(`examples: ${examples.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
