// HL-30 in the CLI, as users run it (child processes on a tiny generated
// manifest): highlighter train → highlighter show → features / train / rank /
// evaluate with --segment hl30 --highlighter DIR; then bad input.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliJson, runHitrank, type CliRun } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-hlcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Run = CliRun;
const hitrank = (...args: string[]): Run => runHitrank(dir, args);
const json = cliJson;

const manifest = join(dir, 'data', 'manifest.csv');
const hl = join(dir, 'hl');
// A small model keeps training to a second or two; the defaults are the published sizes.
const TINY = ['--n-mels', '16', '--filters', '4,4,4', '--attention-units', '4,4,4', '--classifier-units', '4'];

beforeAll(() => {
  // 8 songs of 32–38 s (longer than 30 s, so the highlighter picks a window) at 8 kHz.
  const r = hitrank('demo-data', 'data', '--songs', '8', '--seconds', '32-38', '--seed', '5', '--sample-rate', '8000', '--quiet');
  expect(r.code).toBe(0);
});

describe('hitrank highlighter + --segment hl30', () => {
  it('highlighter train: saves model.json, weights.bin and a card with the weights SHA-256 (exit 0)', () => {
    const r = hitrank('highlighter', 'train', '--manifest', manifest, '--labels', 'tag_brightness,tag_drum_level,tag_energy', '--out', 'hl', '--epochs', '2', '--seed', '1', ...TINY, '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out).toMatchObject({ command: 'highlighter', subcommand: 'train', ok: true, out: hl, epochs: 2, songs: { train: 8, validation: 0 } });
    expect(out.classNames.length).toBeGreaterThanOrEqual(2);
    expect(out.classNames.every((c: string) => ['brightness', 'drum_level', 'energy'].includes(c))).toBe(true);
    for (const f of ['model.json', 'weights.bin', 'hitrank.json']) expect(existsSync(join(hl, f)), f).toBe(true);
    const card = JSON.parse(readFileSync(join(hl, 'hitrank.json'), 'utf8'));
    expect(card).toMatchObject({ format: 'hitrank/highlighter-card', weightsSha256: out.weightsSha256, options: { epochs: 2, nMels: 16, filters: [4, 4, 4] } });
    expect(card.training.history).toHaveLength(2);
    expect(out.weightsSha256).toMatch(/^[0-9a-f]{64}$/);
    // Features went through the feature cache next to the manifest.
    expect(out.features).toMatchObject({ cacheDir: join(dir, 'data', '.hitrank-cache'), total: 8, cached: 0, extracted: 8, failed: 0 });
  });

  it('highlighter train --jobs 2 (worker threads) gives the weights of --jobs 1; a rerun reads every song from --cache', () => {
    const args = ['highlighter', 'train', manifest, '--epochs', '1', '--seed', '3', ...TINY, '--json'];
    const one = json(hitrank(...args, '--out', 'hl-j1', '--jobs', '1', '--cache', 'cache-j1'));
    const two = json(hitrank(...args, '--out', 'hl-j2', '--jobs', '2', '--cache', 'cache-j2'));
    expect(one.features).toMatchObject({ cacheDir: join(dir, 'cache-j1'), cached: 0, extracted: 8, workers: 0 });
    expect(two.features).toMatchObject({ cacheDir: join(dir, 'cache-j2'), cached: 0, extracted: 8, workers: 2 });
    expect(two.weightsSha256).toBe(one.weightsSha256);
    const again = hitrank(...args.slice(0, -1), '--out', 'hl-j1b', '--jobs', '2', '--cache', 'cache-j1');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/features of 8 songs: 8 cached, 0 extracted, 0 failed/);
    const card = JSON.parse(readFileSync(join(dir, 'hl-j1b', 'hitrank.json'), 'utf8'));
    expect(card.weightsSha256).toBe(one.weightsSha256);
  });

  it('highlighter show: each file’s 30-s window; a missing file is listed (exit 1)', () => {
    const files = ['song-0001', 'song-0002'].map((s) => join('data', 'audio', `${s}.wav`));
    const r = hitrank('highlighter', 'show', ...files, 'missing.wav', '--highlighter', 'hl', '--json');
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.songs).toHaveLength(2);
    for (const s of out.songs) {
      expect(s.end - s.start).toBe(30);
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(Math.floor(s.seconds));
      expect(s.wholeSong).toBe(false);
    }
    expect(out.failed).toMatchObject([{ id: 'missing.wav', line: 4, argument: true, code: 'E_IO' }]);
    const text = hitrank('highlighter', 'show', files[0], '--highlighter', 'hl');
    expect(text.stdout).toMatch(/^\s+\d+ s\s+\d+ s\s+3\d\.\d s {2}data\/audio\/song-0001\.wav$/m);
  });

  it('features / train / rank with --segment hl30: HL-30 features keyed by the highlighter; train.json records it', () => {
    const f = hitrank('features', manifest, '--segment', 'hl30', '--highlighter', 'hl', '--jobs', '2', '--json');
    expect(f.code, f.stderr).toBe(0);
    const fo = json(f);
    const id = fo.highlighter.id;
    expect(fo).toMatchObject({ songs: 8, extracted: 8, failedCount: 0, melShape: [128, 323], segment: { kind: 'highlight', seconds: 30 } });
    expect(fo.segment.highlighter).toBe(id);
    expect(fo.workers).toBe(2);

    const t = hitrank('train', manifest, '--segment', 'hl30', '--highlighter', 'hl', '--out', 'model', '--epochs', '1', '--rating-only', '--val-fraction', '0.25', '--jobs', '1', '--json');
    expect(t.code, t.stderr).toBe(0);
    const to = json(t);
    expect(to.row).toBe('c'); // rating only on HL-30
    const rec = JSON.parse(readFileSync(join(dir, 'model', 'train.json'), 'utf8'));
    expect(rec.features).toMatchObject({ segment: { kind: 'highlight', seconds: 30, highlighter: id }, highlighter: { dir: hl, id } });
    expect(t.stderr).toMatch(/features {2}8\/8/);

    // rank finds the highlighter through train.json, or takes --highlighter
    const songs = ['song-0003', 'song-0004', 'song-0005'].map((s) => join('data', 'audio', `${s}.wav`));
    const r = hitrank('rank', 'model', ...songs, '--jobs', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).songs).toHaveLength(3);
    const r2 = hitrank('rank', 'model', songs[0], '--segment', 'hl30', '--highlighter', 'hl', '--jobs', '1');
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/^rank: 1 song with/);
  });

  it('another highlighter: different cache keys (features re-extracted) and rank refuses it for this model', () => {
    const t = hitrank('highlighter', 'train', manifest, '--out', 'hl2', '--epochs', '1', '--seed', '2', ...TINY, '--json');
    expect(t.code, t.stderr).toBe(0); // default labels: the tag_ columns
    const a = json(hitrank('features', manifest, '--highlighter', 'hl', '--jobs', '1', '--json'));
    expect(a).toMatchObject({ cached: 8, extracted: 0 });
    const b = json(hitrank('features', manifest, '--highlighter', 'hl2', '--jobs', '1', '--json'));
    expect(b).toMatchObject({ cached: 0, extracted: 8 });
    expect(b.segment.highlighter).not.toBe(a.segment.highlighter);
    const r = hitrank('rank', 'model', join('data', 'audio', 'song-0001.wav'), '--highlighter', 'hl2');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('rank with the highlighter the model was trained with');
  });

  it('evaluate runs rows c, d with --highlighter (a on Mid-30, c on HL-30)', () => {
    const r = hitrank('evaluate', manifest, '--highlighter', 'hl', '--rows', 'a,c', '--folds', '3', '--epochs', '1', '--jobs', '1', '--out', 'eval', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = json(r);
    expect(out.rows.map((x: { row: string; feature: string }) => [x.row, x.feature])).toEqual([
      ['a', 'audio (Mid-30)'],
      ['c', 'audio (HL-30)'],
    ]);
    expect(out.highlighter).toMatchObject({ dir: hl, rows: ['c'] });
  });

  it('bad input: hl30 without --highlighter → 2; missing or damaged highlighter → 3 naming the folder; no labels → 2', () => {
    for (const args of [
      ['features', manifest, '--segment', 'hl30'],
      ['train', manifest, '--segment', 'hl30', '--out', 'm'],
      ['evaluate', manifest, '--segment', 'hl30'],
      ['evaluate', manifest, '--rows', 'c'],
    ]) {
      const r = hitrank(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('--highlighter DIR');
      expect(r.stderr).toContain('hitrank highlighter train');
    }
    expect(hitrank('features', manifest, '--highlighter', 'hl', '--segment', 'mid30').code).toBe(2);

    const missing = hitrank('features', manifest, '--highlighter', 'no-such-hl', '--json');
    expect(missing.code).toBe(3);
    expect(json(missing).error.message).toContain(join(dir, 'no-such-hl'));
    expect(missing.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace

    const bad = join(dir, 'hl-bad');
    cpSync(hl, bad, { recursive: true });
    const w = readFileSync(join(bad, 'weights.bin'));
    w[w.length - 1] ^= 0x55;
    writeFileSync(join(bad, 'weights.bin'), w);
    const damaged = hitrank('train', manifest, '--highlighter', 'hl-bad', '--out', 'm2');
    expect(damaged.code).toBe(3);
    expect(damaged.stderr).toContain('hl-bad');
    expect(damaged.stderr).toContain('damaged');
    writeFileSync(join(bad, 'weights.bin'), w.subarray(0, 64));
    const truncated = hitrank('highlighter', 'show', join('data', 'audio', 'song-0001.wav'), '--highlighter', 'hl-bad');
    expect(truncated.code).toBe(3);
    expect(truncated.stderr).toContain('truncated');

    const noLabels = hitrank('highlighter', 'train', manifest, '--out', 'x', '--labels', 'nope');
    expect(noLabels.code).toBe(2);
    expect(noLabels.stderr).toContain('no such manifest column');
    expect(hitrank('highlighter', 'fly').code).toBe(2);
    const showJobs = hitrank('highlighter', 'show', join('data', 'audio', 'song-0001.wav'), '--highlighter', 'hl', '--jobs', '2');
    expect(showJobs.code).toBe(2);
    expect(showJobs.stderr).toContain('--jobs is an option of highlighter train');
  });
});
