// extractHighlighterFeatures: the highlighter's chunked features made by
// extractFeatures (workers + cache, whole-song recipe, chunked in the calling
// thread) are bit for bit those of highlighterFeatures on loadAudio's output.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/audio/index.js';
import { highlighterFeatures, resampledLength, type ChunkedMel, type HighlighterFeatureOptions } from '../../src/dsp/index.js';
import { extractFeatures, extractHighlighterFeatures, loadAudio } from '../../src/node/index.js';
import type { ManifestRow } from '../../src/data/index.js';
import { chirp, noise, sine } from './synth.js';
import { sameBits } from '../helpers/bits.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-hlextract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 44.1 kHz stereo, 7 s + 44099 samples: ⌊n / 44100⌋ = 7 whole seconds, while
// the resampled song has ⌈n / 2⌉ = 8 · 22050 samples — the seconds must be
// counted at the file's rate, as highlighterFeatures does.
const N44 = 7 * 44100 + 44099;
const N22 = Math.round(5.6 * 22050);
const rows: ManifestRow[] = [];
const add = (id: string, file: string): void => {
  rows.push({ id, audio: join(dir, file), artists: [id], hitScore: rows.length });
};

beforeAll(() => {
  const L = chirp(100, 5000, 0.5, 44100, N44);
  const nz = noise(0.1, N44, 'hl-extract');
  const R = sine(700, 0.3, 44100, N44).map((v, i) => v + nz[i]);
  writeFileSync(join(dir, 'stereo44.wav'), encodeWav([L, R], 44100));
  writeFileSync(join(dir, 'mono22.wav'), encodeWav(chirp(3000, 200, 0.6, 22050, N22), 22050));
  writeFileSync(join(dir, 'short.wav'), encodeWav(sine(440, 0.5, 22050, 2 * 22050), 22050)); // < one 3-s chunk
  add('stereo44', 'stereo44.wav');
  add('short', 'short.wav');
  add('mono22', 'mono22.wav');
  add('missing', 'missing.wav');
});

async function reference(path: string, opts: HighlighterFeatureOptions = {}): Promise<ChunkedMel> {
  const a = await loadAudio(path, { mono: true });
  return highlighterFeatures(a.channelData[0], { ...opts, inputSampleRate: a.sampleRate });
}

function expectSame(got: ChunkedMel, want: ChunkedMel, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  expect(got.seconds, what).toBe(want.seconds);
  expect(got.chunkSeconds, what).toBe(want.chunkSeconds);
  expect(sameBits(got.data, want.data), `${what}: bit-identical values`).toBe(true);
}

describe('extractHighlighterFeatures', () => {
  it('equals highlighterFeatures(loadAudio(…)) bit for bit (44.1 kHz stereo, 22.05 kHz mono) in workers; failures listed; a rerun hits the cache', async () => {
    expect(Math.floor(resampledLength(N44, 44100, 22050) / 22050)).toBe(8); // the trap the test sets
    const cacheDir = join(dir, 'cache');
    const first = await extractHighlighterFeatures(rows, { jobs: 2, cacheDir });
    expect(first.stats).toMatchObject({ total: 4, cached: 0, extracted: 3, failed: 1, workers: 2 });
    expect(first.ids).toEqual(['stereo44', 'mono22']);
    expect(first.indices).toEqual([0, 2]);
    expect(first.failed.map((f) => [f.id, f.index, f.code])).toEqual([
      ['short', 1, 'E_TOO_SHORT'],
      ['missing', 3, 'E_IO'],
    ]);
    expect(first.failed[0].message).toContain(rows[1].audio);
    expect(first.chunkSeconds).toBe(3);
    expect(first.features).toMatchObject({ sampleRate: 22050, nFft: 2048, hopLength: 512, nMels: 128, scale: 'log1p', frames: null });

    const want = [await reference(rows[0].audio), await reference(rows[2].audio)];
    expect(want[0].seconds).toBe(7);
    expect(want[0].shape).toEqual([2, Math.floor((1 + Math.floor(resampledLength(N44, 44100, 22050) / 512)) / 2), 128]);
    expect(want[1].shape[0]).toBe(1);
    first.mels.forEach((m, k) => expectSame(m, want[k], first.ids[k]));

    const second = await extractHighlighterFeatures(rows, { jobs: 1, cacheDir });
    expect(second.stats).toMatchObject({ total: 4, cached: 3, extracted: 0, failed: 1, corrupt: 0, workers: 0 });
    expect(second.ids).toEqual(first.ids);
    second.mels.forEach((m, k) => expectSame(m, want[k], `${second.ids[k]} (from the cache)`));
  });

  it('passes the feature options through (mel bands, chunk length): still highlighterFeatures bit for bit', async () => {
    const opts = { nMels: 16, chunkSeconds: 2, padMode: 'constant' as const };
    const res = await extractHighlighterFeatures([rows[0], rows[2]], { jobs: 1, features: opts });
    expect(res.chunkSeconds).toBe(2);
    expectSame(res.mels[0], await reference(rows[0].audio, opts), 'stereo44');
    expectSame(res.mels[1], await reference(rows[2].audio, opts), 'mono22');
    expect(res.mels[0].shape).toEqual([3, expect.any(Number), 16]);
  });
});

describe("extractFeatures collect: 'songs'", () => {
  it('collects features of different lengths, each with its shape and exact source length', async () => {
    const { resolveHighlighterFeatures } = await import('../../src/dsp/highlighterFeatures.js');
    const { chunkSeconds: _c, ...recipe } = resolveHighlighterFeatures();
    await expect(extractFeatures([rows[0], rows[2]], { jobs: 1, features: recipe, segment: 'whole' })).rejects.toThrow(/collect: 'songs'/);
    const res = await extractFeatures([rows[0], rows[2]], { jobs: 1, features: recipe, segment: 'whole', collect: 'songs' });
    expect(res.dataset.mels).toBeUndefined();
    expect(res.melShape).toEqual([128, 0]);
    expect(res.songs.map((s) => [s.id, s.index, s.status, s.sourceSamples, s.sourceSampleRate])).toEqual([
      ['stereo44', 0, 'extracted', N44, 44100],
      ['mono22', 1, 'extracted', N22, 22050],
    ]);
    expect(res.songs[0].shape).toEqual([128, 1 + Math.floor(resampledLength(N44, 44100, 22050) / 512)]);
    expect(res.songs[1].shape).toEqual([128, 1 + Math.floor(N22 / 512)]);
    for (const s of res.songs) expect(s.data!.length).toBe(s.shape[0] * s.shape[1]);
  });
});
