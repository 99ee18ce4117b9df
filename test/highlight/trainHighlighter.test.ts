import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { tf, useBackend } from '../helpers/tf.js';
import { trainHighlighter, type HighlighterEpochLog } from '../../src/highlight/index.js';
import { buildHighlighter, type HighlighterOptions } from '../../src/models/highlighter/index.js';
import type { ChunkedMel } from '../../src/dsp/highlighterFeatures.js';

const TINY: HighlighterOptions = { nMels: 6, filters: [4, 4, 6], attentionUnits: [6, 6, 6], classifierUnits: 6, seed: 3 };

/** Random chunked features; class k raises mel band k in one chunk. */
function songs(n: number, seed: string): { feats: ChunkedMel[]; labels: number[] } {
  const rng = seedrandom(seed);
  const feats: ChunkedMel[] = [];
  const labels: number[] = [];
  for (let s = 0; s < n; s++) {
    const chunks = 4 + Math.floor(rng() * 4);
    const frames = 11 + Math.floor(rng() * 2); // frames per chunk differ between songs
    const data = Float32Array.from({ length: chunks * frames * 6 }, () => rng());
    const label = s % 3;
    const c = Math.floor(rng() * chunks);
    for (let t = 0; t < frames; t++) data[(c * frames + t) * 6 + label] += 3;
    feats.push({ data, shape: [chunks, frames, 6], seconds: chunks * 3, chunkSeconds: 3 });
    labels.push(label);
  }
  return { feats, labels };
}

async function rejects(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code ?? 'other';
  }
  return 'none';
}

describe('trainHighlighter', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('learns, reports every epoch, and is reproducible from its seed', async () => {
    const { feats, labels } = songs(12, 'a');
    const val = songs(6, 'b');
    const logs: HighlighterEpochLog[] = [];
    const run = () => trainHighlighter(feats, labels, { ...TINY, epochs: 6, learningRate: 1e-2, validation: { songs: val.feats, labels: val.labels }, onEpoch: (l) => void logs.push(l) });
    const before = tf.memory().numTensors;
    const a = await run();
    expect(a.highlighter.config.numClasses).toBe(3);
    expect(a.history).toHaveLength(6);
    expect(logs).toEqual(a.history);
    expect(a.history[5].loss).toBeLessThan(a.history[0].loss);
    expect(a.history[5].valLoss).toBeGreaterThan(0);
    expect(a.history[5].valAccuracy).toBeGreaterThanOrEqual(0);
    const b = await run();
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss));
    a.highlighter.dispose();
    b.highlighter.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("takes class names, continues an existing highlighter, and trains with batchNormOver: 'song'", async () => {
    const { feats, labels } = songs(6, 'c');
    const names = labels.map((l) => ['rock', 'jazz', 'folk'][l]);
    const { highlighter } = await trainHighlighter(feats, names, { ...TINY, epochs: 1 });
    expect(highlighter.config.classNames).toEqual(['folk', 'jazz', 'rock']);
    const w0 = highlighter.trainableVariables()[0].dataSync().slice();
    const again = await trainHighlighter(feats, names, { highlighter, epochs: 1, batchNormOver: 'song', songsPerStep: 2 });
    expect(again.highlighter).toBe(highlighter);
    expect(Array.from(highlighter.trainableVariables()[0].dataSync())).not.toEqual(Array.from(w0));
    expect(await rejects(trainHighlighter(feats, names.map(() => 'metal'), { highlighter, epochs: 1 }))).toBe('E_PARAM');
    highlighter.dispose();
  });

  it('rejects mismatched or bad inputs', async () => {
    const { feats, labels } = songs(4, 'd');
    expect(await rejects(trainHighlighter(feats, labels.slice(1), TINY))).toBe('E_SHAPE');
    expect(await rejects(trainHighlighter([], [], TINY))).toBe('E_EMPTY');
    expect(await rejects(trainHighlighter(feats, [0, 1, 2, 7], { ...TINY, numClasses: 3 }))).toBe('E_PARAM');
    expect(await rejects(trainHighlighter(feats, [0, 1, 0.5, 1], TINY))).toBe('E_PARAM');
    expect(await rejects(trainHighlighter(feats, labels, { ...TINY, batchNormOver: 'all' as 'song' }))).toBe('E_PARAM');
    const wrongMels = buildHighlighter({ ...TINY, nMels: 7, numClasses: 3 });
    expect(await rejects(trainHighlighter(feats, labels, { highlighter: wrongMels }))).toBe('E_SHAPE');
    wrongMels.dispose();
  });
});
