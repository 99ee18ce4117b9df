// The hitrank CLI from code: `hitrank demo-data` then `hitrank features --json`,
// run in-process with runCli (the same as the `hitrank` executable, which the
// shell would run as `npx hitrank features data/manifest.csv --json`).
//   npx tsx examples/features-cli.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-cli-example-'));
try {
  const songs = process.env.HITRANK_EXAMPLE_SMOKE === '1' ? '6' : '20';
  let code = await runCli(['demo-data', dir, '--songs', songs, '--seconds', '3', '--quiet']);
  if (code !== 0) throw new Error(`demo-data exited with ${code}`);

  // Capture the --json document instead of printing it.
  let json = '';
  code = await runCli(['features', join(dir, 'manifest.csv'), '--json', '--jobs', '2'], {
    stdout: { write: (t: string) => (json += t) },
  });
  const out = JSON.parse(json);
  console.log(`hitrank features → exit ${code}: ${out.songs} songs, ${out.extracted} extracted, ${out.cached} cached, shape [${out.melShape}]`);

  // Exit codes: 0 ok, 1 some songs failed, 2 usage, 3 bad input, 4 internal, 130 interrupted.
  code = await runCli(['features', join(dir, 'no-such-manifest.csv')], { stderr: { write: (t: string) => process.stdout.write(`  stderr: ${t}`) } });
  console.log(`missing manifest → exit ${code}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
