// HL-30 features through extractFeatures: a saved highlighter picks each
// song's window (in worker threads and in the calling thread alike), the cache
// key carries the highlighter's identity, and damaged highlighter folders are
// clear errors naming the folder.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractHighlight } from '../../src/highlight/index.js';
import { buildHighlighter, type HighlighterOptions } from '../../src/models/index.js';
import { FEATURE_PRESETS, logMel, resample } from '../../src/dsp/index.js';
import {
  extractFeatures,
  featureSpecJson,
  loadAudio,
  loadHighlighter,
  readHighlighterInfo,
  readManifest,
  saveHighlighter,
  writeDemoDataset,
  type Manifest,
} from '../../src/node/index.js';
import { useBackend } from '../helpers/tf.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-hlseg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY: HighlighterOptions = { nMels: 16, filters: [4, 4, 4], attentionUnits: [4, 4, 4], classifierUnits: 4, numClasses: 2 };
let manifest: Manifest;
let hlA: string;
let hlB: string;

beforeAll(async () => {
  await useBackend('wasm');
  // Songs longer than 30 s, so the highlighter runs (shorter ones are taken whole).
  const { manifestPath } = await writeDemoDataset(join(dir, 'demo'), { songs: 4, seconds: [33, 40], seed: 'hl-seg', sampleRate: 8000 });
  manifest = await readManifest(manifestPath);
  hlA = join(dir, 'hlA');
  hlB = join(dir, 'hlB');
  for (const [d, seed] of [
    [hlA, 1],
    [hlB, 2],
  ] as const) {
    const h = buildHighlighter({ ...TINY, seed });
    await saveHighlighter(h, d, { training: { epochs: 0 } });
    h.dispose();
  }
});

describe('saved highlighters', () => {
  it('save → info → load keeps the identity; different weights give a different identity', async () => {
    const a = await readHighlighterInfo(hlA);
    const b = await readHighlighterInfo(hlB);
    expect(a.id).toMatch(/^[0-9a-f]{64}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.card?.weightsSha256).toBe(a.weightsSha256);
    expect(JSON.parse(readFileSync(join(hlA, 'hitrank.json'), 'utf8')).weightsSha256).toBe(a.weightsSha256);
    const { highlighter, info } = await loadHighlighter(hlA);
    expect(info.id).toBe(a.id);
    expect(highlighter.config.nMels).toBe(16);
    highlighter.dispose();
  });

  it('a missing folder, a damaged weights file and a hit-model folder are clear errors naming the path', async () => {
    await expect(readHighlighterInfo(join(dir, 'nope'))).rejects.toThrow(/E_IO.*nope/);
    const bad = join(dir, 'bad');
    cpSync(hlA, bad, { recursive: true });
    const w = readFileSync(join(bad, 'weights.bin'));
    w[10] ^= 0xff; // same size, one byte flipped: only the recorded SHA-256 can tell
    writeFileSync(join(bad, 'weights.bin'), w);
    await expect(readHighlighterInfo(bad)).rejects.toThrow(/E_CORRUPT_FILE.*bad.*damaged/);
    writeFileSync(join(bad, 'weights.bin'), w.subarray(0, 100)); // truncated
    await expect(loadHighlighter(bad)).rejects.toThrow(/E_CORRUPT_FILE.*bad/);
    const notHl = join(dir, 'nothl');
    cpSync(hlA, notHl, { recursive: true });
    const mj = JSON.parse(readFileSync(join(notHl, 'model.json'), 'utf8'));
    mj.userDefinedMetadata = { hitrank: { format: 'hitrank/model-card' } };
    writeFileSync(join(notHl, 'model.json'), JSON.stringify(mj));
    await expect(readHighlighterInfo(notHl)).rejects.toThrow(/E_CORRUPT_FILE.*nothl.*no hitrank highlighter/);
  });
});

describe('extractFeatures with an HL-30 segment', () => {
  it('computes logMel of extractHighlight’s window, the same in workers and in this thread', async () => {
    const cacheDir = join(dir, 'cache');
    const inWorkers = await extractFeatures(manifest, { cacheDir, jobs: 2, segment: { highlighter: hlA }, backend: 'wasm' });
    expect(inWorkers.failed).toEqual([]);
    expect(inWorkers.stats.workers).toBe(2);
    const info = await readHighlighterInfo(hlA);
    expect(inWorkers.segment).toEqual({ kind: 'highlight', seconds: 30, highlighter: info.id });
    expect(inWorkers.highlighter?.dir).toBe(info.dir);
    expect(inWorkers.melShape).toEqual([128, 323]);
    const here = await extractFeatures(manifest, { jobs: 1, segment: { highlighter: hlA } });
    expect(here.stats.workers).toBe(0);
    here.dataset.mels!.forEach((m, i) => expect(m).toEqual(inWorkers.dataset.mels![i]));

    // By hand: decode → resample to 22050 → extractHighlight (whole seconds counted at the
    // file's rate, as the highlighter's training features count them) → logMel.
    const { highlighter } = await loadHighlighter(hlA);
    let moved = 0;
    for (const [i, row] of manifest.rows.entries()) {
      const a = await loadAudio(row.audio, { mono: true });
      const y = resample(a.channelData[0], { from: a.sampleRate, to: 22050 });
      const h = extractHighlight(y, highlighter, { sampleRate: 22050, seconds: Math.floor(a.channelData[0].length / a.sampleRate) });
      if (h.startSecond > 0) moved++;
      const S = logMel(h.samples, { sampleRate: 22050 });
      expect(here.dataset.mels![i]).toEqual(S.data);
      expect(here.padded.includes(row.id)).toBe(h.padded);
    }
    highlighter.dispose();
    expect(moved).toBeGreaterThan(0); // some window is not at the start: the model chose it

    // A second run is served from the cache; another highlighter is not.
    const again = await extractFeatures(manifest, { cacheDir, jobs: 1, segment: { highlighter: hlA }, collect: false });
    expect(again.stats.cached).toBe(manifest.rows.length);
    const other = await extractFeatures(manifest, { cacheDir, jobs: 1, segment: { highlighter: hlB }, collect: false });
    expect(other.stats.cached).toBe(0);
  });

  it('the cache key differs between highlighters and from Mid-30', async () => {
    const a = await readHighlighterInfo(hlA);
    const b = await readHighlighterInfo(hlB);
    const features = FEATURE_PRESETS.paper;
    const ka = featureSpecJson({ features, segment: { kind: 'highlight', seconds: 30, highlighter: a.id } });
    const kb = featureSpecJson({ features, segment: { kind: 'highlight', seconds: 30, highlighter: b.id } });
    const km = featureSpecJson({ features, segment: { kind: 'mid', seconds: 30 } });
    expect(new Set([ka, kb, km]).size).toBe(3);
    expect(ka).toContain(a.id);
  });

  it('a bad highlighter folder fails the run before any work, naming the folder', async () => {
    await expect(extractFeatures(manifest, { jobs: 2, segment: { highlighter: join(dir, 'missing-hl') } })).rejects.toThrow(/E_IO.*missing-hl/);
    await expect(extractFeatures(manifest, { jobs: 1, segment: { highlighter: hlA, seconds: 2.5 } })).rejects.toThrow(/E_PARAM/);
  });
});
