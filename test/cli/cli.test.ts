// The hitrank CLI as users run it: a child process (`node --import tsx src/cli/main.ts …`),
// checked by exit code, stdout/stderr and --json output. Usage errors run in-process (fast).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run.js';
import { VERSION } from '../../src/version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = join(root, 'src', 'cli', 'main.ts');
const dir = mkdtempSync(join(tmpdir(), 'hitrank-cli-'));
// The children run in a temporary cwd, so tsx's loader is passed by absolute URL.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hitrank(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', tsx, main, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function inProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd: dir });
  return { code, stdout, stderr };
}

describe('hitrank CLI: help, version, usage errors (exit 2)', () => {
  it('--help lists the commands and the exit codes; no arguments prints it with exit 2', async () => {
    const h = await inProcess('--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/features\s+compute/);
    expect(h.stdout).toMatch(/demo-data\s+write/);
    expect(h.stdout).toContain('Exit codes:');
    expect(h.stdout).toMatch(/3\s+bad input/);
    expect((await inProcess()).code).toBe(2);
    const f = await inProcess('features', '--help');
    expect(f.code).toBe(0);
    expect(f.stdout).toContain('Usage: hitrank features <manifest.csv|manifest.jsonl> [options]');
    expect((await inProcess('help', 'demo-data')).stdout).toContain('--songs N');
  });

  it('--version', async () => {
    expect(await inProcess('--version')).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('unknown command / option, missing or malformed arguments → 2 with a hint', async () => {
    const u = await inProcess('fetaures', 'x.csv');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('hitrank: unknown command "fetaures". Commands: features, train, rank, evaluate, highlighter, demo, report, demo-data');
    const o = await inProcess('features', 'm.csv', '--jbos', '2');
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/hitrank features: Unknown option '--jbos'.*\nRun 'hitrank features --help' for usage\./s);
    expect((await inProcess('features')).stderr).toContain('missing the manifest path');
    expect((await inProcess('features', 'm.csv', '--jobs', 'two')).stderr).toContain('--jobs must be an integer from 1 to 1024, got "two"');
    expect((await inProcess('features', 'a.csv', 'b.csv')).stderr).toContain('unexpected argument "b.csv"');
    const j = await inProcess('features', '--jobs', '0', 'm.csv', '--json');
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout)).toMatchObject({ command: 'features', ok: false, exitCode: 2, error: { code: 'E_USAGE' } });
  });
});

describe('hitrank CLI: demo-data → features (child processes)', () => {
  const demo = join(dir, 'demo');
  const manifest = join(demo, 'manifest.csv');

  it('demo-data writes a tiny dataset (exit 0, --json parses)', () => {
    const r = hitrank('demo-data', 'demo', '--songs', '6', '--seconds', '2-3', '--seed', '11', '--json');
    expect(r.stderr).toContain('demo-data  6/6  100%');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ command: 'demo-data', ok: true, exitCode: 0, songs: 6, written: 6, manifest, seed: '11', seconds: [2, 3] });
    expect(readFileSync(manifest, 'utf8').split('\n')[0]).toMatch(/^id,audio,artist,hitScore,releaseDate,tag_tempo_bpm,/);
  });

  it('features: all extracted (exit 0), then all cached; human summary without --json', () => {
    const r = hitrank('features', manifest, '--jobs', '2', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ command: 'features', ok: true, songs: 6, cached: 0, extracted: 6, failedCount: 0, failed: [], melShape: [128, 323], workers: 2 });
    expect(out.cacheDir).toBe(join(demo, '.hitrank-cache'));
    const again = hitrank('features', 'demo/manifest.csv', '--jobs', '1');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^features: 6 songs: 6 cached, 0 extracted, 0 failed \(0:0\d, in-process\)/);
    expect(again.stdout).toContain(`cache ${join(demo, '.hitrank-cache')}`);
  });

  it('missing and unreadable audio: those songs listed with manifest line, the rest done, exit 1; fixed → 0', () => {
    const bad = join(demo, 'bad.csv');
    const text = readFileSync(manifest, 'utf8');
    const lines = text.trimEnd().split('\n');
    writeFileSync(join(demo, 'audio', 'broken.wav'), 'RIFF\u0000\u0000\u0000\u0000WAVEjunk');
    lines.push(lines[1].replace(/^song-0001,audio\/song-0001\.wav/, 'ghost,audio/ghost.wav'));
    lines.push(lines[2].replace(/^song-0002,audio\/song-0002\.wav/, 'broken,audio/broken.wav'));
    writeFileSync(bad, lines.join('\n') + '\n');
    const r = hitrank('features', bad, '--cache', 'cache2', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, exitCode: 1, songs: 8, extracted: 6, failedCount: 2 });
    expect(out.cacheDir).toBe(join(dir, 'cache2'));
    expect(out.failed.map((f: { id: string; line: number; code: string }) => [f.id, f.line, f.code])).toEqual([
      ['ghost', 8, 'E_IO'],
      ['broken', 9, 'E_CORRUPT_FILE'],
    ]);
    expect(out.failed[0].message).toContain('ghost.wav: no such file');
    const human = hitrank('features', bad, '--cache', 'cache2');
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('6 cached, 0 extracted, 2 failed');
    expect(human.stdout).toMatch(/ghost \(manifest line 8\): E_IO: cannot read audio file .*ghost\.wav: no such file/);
    // Fix the rows (drop them): everything is served from the cache.
    writeFileSync(bad, lines.slice(0, -2).join('\n') + '\n');
    const fixed = JSON.parse(hitrank('features', bad, '--cache', 'cache2', '--json').stdout);
    expect(fixed).toMatchObject({ ok: true, cached: 6, extracted: 0 });
  });

  it('bad manifests: every bad row with line and column, exit 3; missing manifest → 3', () => {
    const p = join(dir, 'bad-rows.csv');
    writeFileSync(p, 'id,audio,artist,hitScore\na,a.wav,x,0.1\nb,b.wav,x,abc\nc,,x,0.2\na,d.wav,x,0.3\n');
    const r = hitrank('features', p);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('bad-rows.csv:3: column hitScore: expected a number ≥ 0, got "abc"');
    expect(r.stderr).toContain('bad-rows.csv:4: column audio: expected an audio file path');
    expect(r.stderr).toContain('bad-rows.csv:5: column id: duplicate id "a" (first on line 2)');
    const j = hitrank('features', p, '--json');
    expect(j.code).toBe(3);
    const out = JSON.parse(j.stdout);
    expect(out.error.code).toBe('E_PARAM');
    expect(out.error.problems.map((q: { line: number }) => q.line)).toEqual([3, 4, 5]);
    const m = hitrank('features', 'nope.csv');
    expect(m.code).toBe(3);
    expect(m.stderr).toMatch(/cannot read manifest .*nope\.csv: no such file/);
  });

  it('SIGINT mid-run: exit 130, finished songs kept; the rerun completes from the cache', async () => {
    // More songs so the run is still going when the signal arrives.
    const big = hitrank('demo-data', 'demo-big', '--songs', '16', '--seconds', '2', '--quiet');
    expect(big.code).toBe(0);
    const bigManifest = join(dir, 'demo-big', 'manifest.csv');
    const child = spawn(process.execPath, ['--import', tsx, main, 'features', bigManifest, '--jobs', '1', '--json'], { cwd: dir });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && /features {2}\d+\/16/.test(stderr)) {
        sent = true; // one signal: a second one means "exit now"
        child.kill('SIGINT');
      }
    });
    const code = await exited;
    if (code === 130) {
      expect(stderr).toContain('interrupted; finished work is kept');
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, exitCode: 130, error: { code: 'E_INTERRUPTED' } });
    } else {
      expect(code).toBe(0); // finished before the signal landed
    }
    const rerun = JSON.parse(hitrank('features', bigManifest, '--json').stdout);
    expect(rerun).toMatchObject({ ok: true, songs: 16, failedCount: 0 });
    expect(rerun.cached).toBeGreaterThan(0);
    expect(rerun.cached + rerun.extracted).toBe(16);
  });
});
