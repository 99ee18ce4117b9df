// `hitrank demo` from code, at a tiny size: synthetic songs → features →
// Table-1 rows (a) rating only and (i) Siamese A/B with 3-fold CV → the table
// beside the paper's → report.html. The real demo is `npm run demo` (≈ 5 min).
//   npx tsx examples/cli-demo.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-demo-example-'));
try {
  const songs = process.env.HITRANK_EXAMPLE_SMOKE === '1' ? '30' : '90';
  let json = '';
  const code = await runCli(
    ['demo', '--out', dir, '--songs', songs, '--seconds', '3', '--folds', '3', '--epochs', '2', '--rows', 'a,i', '--jobs', '1', '--json', '--quiet'],
    { stdout: { write: (t: string) => (json += t) } },
  );
  const out = JSON.parse(json);
  if (code !== 0) throw new Error(`demo exited with ${code}: ${json}`);
  for (const r of out.rows) {
    console.log(`(${r.row}) ${r.network.padEnd(7)} nDCG@10% ${r.ndcg.mean.toFixed(3)} ± ${r.ndcg.std.toFixed(3)}   paper ${r.paper.ndcg}`);
  }
  const html = readFileSync(out.report, 'utf8');
  console.log(`report.html: ${(html.length / 1024).toFixed(0)} KB, ${(html.match(/<svg /g) ?? []).length} charts, ${out.timing.seconds.toFixed(1)} s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
