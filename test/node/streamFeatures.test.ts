import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures, readManifest, streamFeatures, writeDemoDataset, type ExtractFeaturesResult, type ExtractProgress, type Manifest, type StreamedSong } from '../../src/node/index.js';
import { sameBits } from '../helpers/bits.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let manifest: Manifest;
let reference: ExtractFeaturesResult;
const MISSING = 5; // index of the row whose file does not exist

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond()` holds (polling), failing after `ms`. */
async function until(cond: () => boolean, ms = 20000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await sleep(20);
  }
}

beforeAll(async () => {
  const { manifestPath } = await writeDemoDataset(join(dir, 'demo'), { songs: 12, seconds: [2, 3], seed: 'stream-test' });
  const m = await readManifest(manifestPath);
  const rows = [...m.rows];
  rows.splice(MISSING, 0, { ...m.rows[0], id: 'missing', audio: join(dir, 'demo', 'audio', 'no-such-file.wav') });
  manifest = { ...m, rows };
  reference = await extractFeatures(manifest, { jobs: 1 });
});

async function readAll(stream: AsyncIterable<StreamedSong>): Promise<StreamedSong[]> {
  const out: StreamedSong[] = [];
  for await (const s of stream) out.push(s);
  return out;
}

describe('streamFeatures', () => {
  it('hands every song over in input order, bit-identical to extractFeatures, failures in place', async () => {
    const stream = await streamFeatures(manifest, { jobs: 2, prefetch: 3 });
    expect(stream.melShape).toEqual([128, 323]);
    expect(stream.tagNames).toEqual(manifest.tagNames);
    const songs = await readAll(stream);
    expect(songs.map((s) => s.index)).toEqual(manifest.rows.map((_, i) => i));
    expect(songs.map((s) => s.row.id)).toEqual(manifest.rows.map((r) => r.id));
    const failed = songs.filter((s) => s.status === 'failed');
    expect(failed.map((s) => s.index)).toEqual([MISSING]);
    expect(failed[0].error!.code).toBe('E_IO');
    expect(failed[0].error!.message).toContain('no-such-file.wav');
    expect(failed[0].data).toBeUndefined();
    const ok = songs.filter((s) => s.status !== 'failed');
    expect(ok.map((s) => s.row.id)).toEqual(reference.dataset.ids);
    ok.forEach((s, k) => {
      expect(s.status).toBe('extracted');
      expect(s.shape).toEqual([128, 323]);
      expect(sameBits(s.data!, reference.dataset.mels![k])).toBe(true);
      expect(s.sourceSamples).toBe(reference.songs[k].sourceSamples);
      expect(s.sourceSampleRate).toBe(reference.songs[k].sourceSampleRate);
      expect(s.padded).toBe(true);
    });
    expect(stream.stats).toMatchObject({ total: 13, extracted: 12, failed: 1, cached: 0, workers: 2 });
  });

  it('runs exactly `prefetch` songs ahead of a consumer that waits, then goes on when it reads', async () => {
    const seen: ExtractProgress[] = [];
    const prefetch = 4;
    const stream = await streamFeatures(manifest, { jobs: 2, prefetch, onProgress: (p) => seen.push(p) });
    const first = await stream.next();
    expect(first.done).toBe(false);
    // The workers fill the window (the song just read plus `prefetch` more) and stop there.
    await until(() => seen.length >= 1 + prefetch);
    await sleep(400);
    expect(seen.length).toBe(1 + prefetch);
    const rest = await readAll(stream);
    expect(rest.length).toBe(manifest.rows.length - 1);
    expect(seen.length).toBe(manifest.rows.length);
  });

  it('leaving the loop early stops the workers: no song finishes afterwards', async () => {
    let finished = 0;
    const stream = await streamFeatures(manifest, { jobs: 2, prefetch: 2, onProgress: () => finished++ });
    let read = 0;
    for await (const s of stream) {
      expect(s.index).toBe(read);
      if (++read === 2) break;
    }
    const atBreak = finished;
    expect(atBreak).toBeLessThanOrEqual(2 + 2);
    await sleep(400);
    expect(finished).toBe(atBreak);
    expect((await stream.next()).done).toBe(true);
  });

  it('next() called again before the last call settled: every call gets its own song, in order; close() ends waiting calls', async () => {
    const stream = await streamFeatures(manifest, { jobs: 2, prefetch: 2 });
    const got = await Promise.all([stream.next(), stream.next(), stream.next()]);
    expect(got.map((r) => r.value?.index)).toEqual([0, 1, 2]);
    const pending = stream.next();
    await stream.close();
    const last = await pending;
    expect(last.done === true || last.value?.index === 3).toBe(true);
    expect((await stream.next()).done).toBe(true);
    // In the calling thread too: two calls at once compute two songs, once each.
    let finished = 0;
    const one = await streamFeatures(manifest, { jobs: 1, onProgress: () => finished++ });
    const pair = await Promise.all([one.next(), one.next()]);
    expect(pair.map((r) => r.value?.index)).toEqual([0, 1]);
    expect(finished).toBe(2);
    await one.close();
  });

  it('jobs: 1 computes each song when it is read, with the same features', async () => {
    let finished = 0;
    const stream = await streamFeatures(manifest, { jobs: 1, onProgress: () => finished++ });
    await sleep(100);
    expect(finished).toBe(0);
    const a = await stream.next();
    expect(finished).toBe(1);
    expect(sameBits(a.value!.data!, reference.dataset.mels![0])).toBe(true);
    const songs = [a.value!, ...(await readAll(stream))];
    expect(songs.filter((s) => s.status !== 'failed').every((s, k) => sameBits(s.data!, reference.dataset.mels![k]))).toBe(true);
    expect(stream.stats).toMatchObject({ workers: 0, extracted: 12, failed: 1 });
  });

  it('reads back from the cache on a second pass, and keepData: false only fills it', async () => {
    const cacheDir = join(dir, 'cache');
    const fill = await streamFeatures(manifest, { jobs: 2, cacheDir, keepData: false });
    const filled = await readAll(fill);
    expect(filled.every((s) => s.data === undefined)).toBe(true);
    expect(fill.stats).toMatchObject({ extracted: 12, failed: 1 });
    const again = await streamFeatures(manifest, { jobs: 2, cacheDir });
    const songs = (await readAll(again)).filter((s) => s.status !== 'failed');
    expect(songs.every((s) => s.status === 'cached')).toBe(true);
    songs.forEach((s, k) => expect(sameBits(s.data!, reference.dataset.mels![k])).toBe(true));
  });

  it('an abort rejects the stream with the reason, and an onProgress that throws stops it', async () => {
    const ac = new AbortController();
    const stream = await streamFeatures(manifest, { jobs: 2, prefetch: 2, signal: ac.signal });
    await stream.next();
    ac.abort(new Error('stop now'));
    await expect(readAll(stream)).rejects.toThrow('stop now');

    const boom = await streamFeatures(manifest, {
      jobs: 1,
      onProgress: (p) => {
        if (p.done === 3) throw new Error('progress failed');
      },
    });
    await expect(readAll(boom)).rejects.toThrow('progress failed');
  });

  it('batches(n): datasets of n successful songs in input order, failures with the batch they were met in', async () => {
    const stream = await streamFeatures(manifest, { jobs: 2 });
    const batches = [];
    for await (const b of stream.batches(5)) batches.push(b);
    expect(batches.map((b) => b.dataset.ids.length)).toEqual([5, 5, 2]);
    expect(batches.map((b) => b.failed.map((f) => f.row.id))).toEqual([[], ['missing'], []]);
    const ids = batches.flatMap((b) => b.dataset.ids);
    expect(ids).toEqual(reference.dataset.ids);
    const mels = batches.flatMap((b) => b.dataset.mels!);
    mels.forEach((m, k) => expect(sameBits(m, reference.dataset.mels![k])).toBe(true));
    const b1 = batches[1].dataset;
    expect(b1.melShape).toEqual([128, 323]);
    expect(b1.tagNames).toEqual(manifest.tagNames);
    expect(Array.from(b1.hitScores)).toEqual(batches[1].songs.map((s) => s.row.hitScore));
    expect(b1.tags!.map((t) => Array.from(t))).toEqual(batches[1].songs.map((s) => Array.from(Float32Array.from(s.row.tags!))));
    expect(() => stream.batches(0)).toThrow(/batch size/);
    const noData = await streamFeatures(manifest, { jobs: 1, keepData: false, cacheDir: join(dir, 'cache-b') });
    expect(() => noData.batches(4)).toThrow(/keepData: false/);
    await noData.close();
  });

  it('refuses bad options before any work', async () => {
    await expect(streamFeatures(manifest, { keepData: false })).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(streamFeatures(manifest, { prefetch: 0 })).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(streamFeatures(manifest, { prefetch: 1.5 })).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(streamFeatures([], {})).rejects.toMatchObject({ code: 'E_EMPTY' });
  });
});
