// The training commands as users run them: child processes on a tiny generated
// manifest — features → train → rank → evaluate → report — checked by exit
// code, files written and --json output; then bad input.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestRow } from '../../src/data/index.js';
import { extractFeatures, fileHandler, readManifest, writeManifest } from '../../src/node/index.js';
import { SiameseHitModel } from '../../src/training/index.js';
import { cliJson, cliMain as main, repoRoot as root, runHitrank, tsxLoader as tsx, type CliRun } from '../helpers/cli.js';
import { useBackend } from '../helpers/tf.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-pipeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = CliRun;
const hitrank = (...args: string[]): Run => runHitrank(dir, args);
const json = cliJson;

const data = join(dir, 'data');
const manifest = join(data, 'manifest.csv');
const model = join(dir, 'model');
const evalDir = join(dir, 'eval');

beforeAll(() => {
  const r = hitrank('demo-data', 'data', '--songs', '9', '--seconds', '3', '--seed', '4', '--quiet');
  expect(r.code).toBe(0);
});

describe('features → train → rank → evaluate → report', () => {
  it('features: every song extracted (exit 0)', () => {
    const r = hitrank('features', manifest, '--segment', '3', '--jobs', '1', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, songs: 9, failedCount: 0, melShape: [128, 33] });
  });

  it('train: saves model.json, weights.bin, hitrank.json and train.json (exit 0)', () => {
    const r = hitrank('train', manifest, '--out', 'model', '--segment', '3', '--epochs', '2', '--val-fraction', '0.25', '--seed', '3', '--jobs', '2', '--json');
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({ command: 'train', ok: true, exitCode: 0, out: model, row: 'i', sizes: { train: 7, validation: 2 } });
    for (const f of ['model.json', 'weights.bin', 'hitrank.json', 'train.json']) expect(existsSync(join(model, f)), f).toBe(true);
    const card = JSON.parse(readFileSync(join(model, 'hitrank.json'), 'utf8'));
    expect(card.melShape).toEqual([128, 33]);
    const rec = JSON.parse(readFileSync(join(model, 'train.json'), 'utf8'));
    expect(rec).toMatchObject({ format: 'hitrank/train', features: { preset: 'paper', segment: { kind: 'mid', seconds: 3 } } });
    expect(rec.epochs).toHaveLength(2);
    expect(rec.predictions.ids).toHaveLength(2);
    expect(r.stderr).toMatch(/train {2}2\/2/); // progress on stderr
  });

  it('train --jobs 1 and --jobs 2 (worker threads) give the same model: results do not depend on the core count', () => {
    const r = hitrank('train', manifest, '--out', 'model-j1', '--segment', '3', '--epochs', '2', '--val-fraction', '0.25', '--seed', '3', '--jobs', '1', '--json');
    expect(r.code).toBe(0);
    const one = JSON.parse(readFileSync(join(dir, 'model-j1', 'train.json'), 'utf8'));
    const two = JSON.parse(readFileSync(join(model, 'train.json'), 'utf8'));
    expect(one.settings['training threads']).toBe(1);
    expect(two.settings['training threads']).toBe(2);
    expect(one.predictions.ids).toEqual(two.predictions.ids);
    (one.predictions.predicted as number[]).forEach((v, i) => expect(Math.abs(v - two.predictions.predicted[i])).toBeLessThan(1e-5));
    expect(one.epochs.map((e: { loss: number }) => e.loss)).not.toEqual([]);
    one.epochs.forEach((e: { loss: number }, i: number) => expect(Math.abs(e.loss - two.epochs[i].loss)).toBeLessThan(1e-5));
  });

  it('train --rating-only --tags: row b, a tag branch in the card', () => {
    const r = hitrank('train', manifest, '--out', 'model-b', '--segment', '3', '--epochs', '1', '--rating-only', '--tags', '--val-fraction', '0.25');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^train: Table-1 row \(b\), rating only \(w = 0\), tags/);
    const card = JSON.parse(readFileSync(join(dir, 'model-b', 'hitrank.json'), 'utf8'));
    expect(card.tagNames).toHaveLength(12);
    expect(card.options).toMatchObject({ w: 0, tags: true, audio: true });
  });

  it('rank: files sorted by score; a missing file is listed (exit 1), the rest ranked', () => {
    const files = ['song-0001', 'song-0002', 'song-0003'].map((s) => join(data, 'audio', `${s}.wav`));
    const r = hitrank('rank', 'model', ...files, 'ghost.wav', '--json');
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.songs).toHaveLength(3);
    const scores = out.songs.map((s: { score: number }) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(out.songs.map((s: { rank: number }) => s.rank)).toEqual([1, 2, 3]);
    for (const s of out.songs) expect(s.hitScore).toBeGreaterThanOrEqual(0);
    expect(out.failed).toMatchObject([{ id: 'ghost.wav', code: 'E_IO', argument: true, line: 5 }]);
    const human = hitrank('rank', 'model', ...files, 'ghost.wav');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/rank {2}score {6}hit score {3}song\n {3}1 /);
    expect(human.stdout).toContain('ghost.wav (argument 5): E_IO: cannot read audio file');
  });

  it('rank --manifest --top 3 (exit 0); a tag model needs --manifest (exit 2)', () => {
    const r = hitrank('rank', 'model', '--manifest', manifest, '--top', '3', '--json');
    expect(r.code).toBe(0);
    expect(json(r).songs.map((s: { id: string }) => s.id)).toHaveLength(3);
    const t = hitrank('rank', 'model-b', join(data, 'audio', 'song-0001.wav'));
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('this model uses tag-like features');
  });

  it('rank --manifest of 600 songs --no-cache: scored batch by batch while features stream, the same scores as predicting the whole set at once, no cache written', async () => {
    // 600 rows cycling over the 9 demo songs (RANK_BATCH is 256: three batches), a missing file at row 300.
    const m = await readManifest(manifest);
    const rows: ManifestRow[] = Array.from({ length: 600 }, (_, i) => ({ ...m.rows[i % 9], id: `s${i}` }));
    rows[300] = { ...rows[300], id: 'gone', audio: join(data, 'audio', 'gone.wav') };
    mkdirSync(join(dir, 'catalogue'), { recursive: true });
    const big = join(dir, 'catalogue', 'big.csv');
    await writeManifest(big, rows, { tagNames: m.tagNames });
    const r = hitrank('rank', 'model', '--manifest', big, '--jobs', '2', '--no-cache', '--json');
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'catalogue', '.hitrank-cache'))).toBe(false); // --no-cache: nothing written
    expect(hitrank('rank', 'model', '--manifest', big, '--no-cache', '--cache', 'c').code).toBe(2);
    const out = json(r);
    expect(out.failed).toMatchObject([{ id: 'gone', code: 'E_IO', line: 302 }]);
    expect(out.songs).toHaveLength(599);
    // The reference: every feature in memory, one predict call.
    await useBackend('wasm');
    const { dataset } = await extractFeatures(rows.filter((x) => x.id !== 'gone'), { segment: { seconds: 3 }, jobs: 1 });
    const net = await SiameseHitModel.load(fileHandler(model));
    const want = await net.predict(dataset);
    net.dispose();
    const got = new Map<string, number>(out.songs.map((s: { id: string; score: number }) => [s.id, s.score]));
    dataset.ids.forEach((id, i) => expect(got.get(id), id).toBe(want[i]));
  });

  it('evaluate --folds 3 --quick: rows a and i, results.json + report.html; a rerun resumes every task with equal numbers', () => {
    const r = hitrank('evaluate', manifest, '--folds', '3', '--quick', '--segment', '3', '--out', 'eval', '--jobs', '2', '--json');
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({ command: 'evaluate', ok: true, folds: 3, foldsRun: [0, 1, 2], trained: 6, resumed: 0 });
    expect(out.rows.map((x: { row: string }) => x.row)).toEqual(['a', 'i']);
    expect(out.rows[1]).toMatchObject({ network: 'siamese', sampler: 'ab', paper: { ndcg: 0.1127, kendall: 0.1852, spearman: 0.2713 } });
    expect(out.rows[0].ndcg.n).toBe(3);
    for (const f of ['results.json', 'report.html']) expect(existsSync(join(evalDir, f)), f).toBe(true);
    expect(readdirSync(join(evalDir, 'tasks')).sort()).toEqual(['a-fold0.json', 'a-fold1.json', 'a-fold2.json', 'i-fold0.json', 'i-fold1.json', 'i-fold2.json']);
    // Same run again: nothing retrained (checkpoints), same numbers.
    const again = json(hitrank('evaluate', manifest, '--folds', '3', '--quick', '--segment', '3', '--out', 'eval', '--jobs', '1', '--json'));
    expect(again).toMatchObject({ resumed: 6, trained: 0 });
    expect(again.rows).toEqual(out.rows);
    // The human table.
    const human = hitrank('evaluate', manifest, '--folds', '3', '--quick', '--segment', '3', '--out', 'eval');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^\(a\) +Simple CNN \(rating only\) +— +audio \(mid 3 s\)/m);
    expect(human.stdout).toMatch(/│ +0\.1127 +0\.1852 +0\.2713/);
    expect(human.stdout).toContain('Paper: Yu, Yang, Hung & Chen');
  });

  it('report: one self-contained HTML file with the table and SVG charts, no external URLs', () => {
    const r = hitrank('report', 'eval', '--out', 'r.html', '--json');
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, kind: 'evaluate', report: join(dir, 'r.html') });
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<table>');
    expect(html).toContain('<td>(i)</td>');
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(8);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script|<link /i);
    const t = hitrank('report', 'model');
    expect(t.code).toBe(0);
    expect(readFileSync(join(model, 'report.html'), 'utf8')).toContain('Training curves');
  });
});

describe('interrupted evaluate', () => {
  it('SIGINT mid-run: exit 130, finished (row, fold) tasks kept; the rerun resumes them', async () => {
    const args = ['evaluate', manifest, '--folds', '3', '--rows', 'a,i', '--epochs', '25', '--segment', '3', '--out', 'eval-int', '--jobs', '2', '--json'];
    const child = spawn(process.execPath, ['--import', tsx, main, ...args], { cwd: dir });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!sent && /training {2}[1-5]\/6/.test(stderr)) {
        sent = true; // one signal: a second one means "exit now"
        child.kill('SIGINT');
      }
    });
    const code = await exited;
    const kept = readdirSync(join(dir, 'eval-int', 'tasks')).filter((f) => f.endsWith('.json'));
    if (code === 130) {
      expect(stderr).toContain('interrupted; finished work is kept');
      expect(JSON.parse(stdout)).toMatchObject({ ok: false, exitCode: 130, error: { code: 'E_INTERRUPTED' } });
      expect(kept.length).toBeGreaterThanOrEqual(1);
      expect(kept.length).toBeLessThan(6);
      expect(existsSync(join(dir, 'eval-int', 'results.json'))).toBe(false);
    } else {
      expect(code).toBe(0); // finished before the signal landed
    }
    const rerun = json(hitrank(...args));
    expect(rerun).toMatchObject({ ok: true, resumed: kept.length, trained: 6 - kept.length });
  }, 60_000);
});

describe('bad input: clear messages and exit codes', () => {
  it('a missing manifest → 3; bad rows → 3 with every bad line', () => {
    const m = hitrank('train', 'nope.csv', '--out', 'x');
    expect(m.code).toBe(3);
    expect(m.stderr).toMatch(/cannot read manifest .*nope\.csv: no such file/);
    const p = join(dir, 'bad-rows.csv');
    writeFileSync(p, 'id,audio,artist,hitScore\na,a.wav,x,0.1\nb,b.wav,x,-1\nc,,x,0.2\n');
    const e = hitrank('evaluate', p, '--quick', '--json');
    expect(e.code).toBe(3);
    expect(json(e).error.problems.map((q: { line: number }) => q.line)).toEqual([3, 4]);
    expect(e.stderr).toContain('bad-rows.csv:3: column hitScore');
  });

  it('a missing audio file: listed with its manifest line, training goes on with the rest (exit 1)', () => {
    const lines = readFileSync(manifest, 'utf8').trimEnd().split('\n');
    lines.push(lines[1].replace(/^song-0001,[^,]+/, 'ghost,audio/ghost.wav'));
    const p = join(data, 'with-ghost.csv');
    writeFileSync(p, lines.join('\n') + '\n');
    const r = hitrank('train', p, '--out', 'model-g', '--segment', '3', '--epochs', '1', '--val-fraction', '0.25', '--json');
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out).toMatchObject({ ok: false, exitCode: 1, sizes: { train: 7, validation: 2 } });
    expect(out.failed).toMatchObject([{ id: 'ghost', line: 11, code: 'E_IO' }]);
    expect(existsSync(join(dir, 'model-g', 'model.json'))).toBe(true);
  });

  it('usage errors → 2: unknown flag, missing --out, hl30, bad sampler, HL-30 rows; an unknown --pretrained model', () => {
    const u = hitrank('train', manifest, '--out', 'm', '--epohcs', '3');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("Unknown option '--epohcs'");
    expect(hitrank('train', manifest).stderr).toContain('--out DIR is required');
    const h = hitrank('train', manifest, '--out', 'm', '--segment', 'hl30');
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('--segment hl30');
    expect(h.stderr).toContain('needs --highlighter DIR');
    expect(h.stderr).toContain('hitrank highlighter train');
    const pre = hitrank('rank', '--pretrained', 'no-such-model', join(data, 'audio', 'song-0001.wav'));
    if (existsSync(join(root, 'src', 'cli', 'commands', 'rankPretrained.ts'))) {
      expect(pre.code).toBe(3); // the build has pretrained models, just not this one
      expect(pre.stderr).toContain("unknown pretrained model 'no-such-model'");
    } else {
      expect(pre.code).toBe(2);
      expect(pre.stderr).toContain('pretrained models are not available in this build');
    }
    expect(hitrank('train', manifest, '--out', 'm', '--sampler', 'random').stderr).toContain('--sampler must be one of naive, ab, artist, ab+artist');
    expect(hitrank('evaluate', manifest, '--rows', 'c').code).toBe(2);
  });

  it('report of a folder without results → 3; a non-results JSON → 3', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = hitrank('report', 'empty');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('holds neither results.json');
    writeFileSync(join(dir, 'empty', 'results.json'), '{"format":"other"}');
    const b = hitrank('report', 'empty');
    expect(b.code).toBe(3);
    expect(b.stderr).toContain('is not a hitrank results file');
  });
});
