// `npm run bench` runs every benchmark; `npm run bench -- logmel` runs one.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const skip = new Set(['run.ts', 'timing.ts']);
const all = readdirSync(here).filter((f) => f.endsWith('.ts') && !skip.has(f)).map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length ? all.filter((n) => wanted.some((w) => n.includes(w))) : all;
if (!chosen.length) {
  console.error(`no benchmark matches ${wanted.join(' ')}; have: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen) {
  console.log(`\n##### bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
