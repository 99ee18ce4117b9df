import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAudio, decodeWav, encodeWav } from '../../src/audio/index.js';
import { logMel, midSegment, resample, toMono } from '../../src/dsp/index.js';
import {
  FEATURE_FILE_HEADER_BYTES,
  decodeFeatureFile,
  extractFeatures,
  featureCacheKey,
  featureCachePath,
  featureSpecJson,
  readManifest,
  writeDemoDataset,
  writeManifest,
  type ExtractFeaturesResult,
  type Manifest,
} from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-extract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = fileURLToPath(new URL('.', import.meta.url));

let manifest: Manifest;
let reference: ExtractFeaturesResult;

/** Every file under the cache folder (relative paths). */
function cacheFiles(cacheDir: string): string[] {
  let out: string[] = [];
  for (const d of readdirSync(cacheDir)) out = out.concat(readdirSync(join(cacheDir, d)).map((f) => join(d, f)));
  return out.sort();
}

beforeAll(async () => {
  // 8 demo songs of 2–3 s plus a stereo 44.1 kHz song (exercises mono + resampling).
  const { manifestPath } = await writeDemoDataset(join(dir, 'demo'), { songs: 8, seconds: [2, 3], seed: 'extract-test' });
  const m = await readManifest(manifestPath);
  const L = new Float32Array(44100 * 2).map((_, n) => 0.4 * Math.sin((2 * Math.PI * 440 * n) / 44100));
  const R = new Float32Array(44100 * 2).map((_, n) => 0.2 * Math.sin((2 * Math.PI * 660 * n) / 44100));
  writeFileSync(join(dir, 'demo', 'audio', 'stereo.wav'), encodeWav([L, R], 44100));
  const rows = [...m.rows, { ...m.rows[0], id: 'stereo', audio: join(dir, 'demo', 'audio', 'stereo.wav') }];
  await writeManifest(join(dir, 'demo', 'all.csv'), rows, { tagNames: m.tagNames });
  manifest = await readManifest(join(dir, 'demo', 'all.csv'));
  reference = await extractFeatures(manifest, { jobs: 1 });
});

describe('extractFeatures', () => {
  it('computes loadAudio → mono → resample → Mid-30 → logMel for every song, as a HitDataset', () => {
    const ds = reference.dataset;
    expect(ds.ids).toEqual(manifest.rows.map((r) => r.id));
    expect(Array.from(ds.hitScores)).toEqual(manifest.rows.map((r) => r.hitScore));
    expect(ds.artists).toEqual(manifest.rows.map((r) => r.artists));
    expect(ds.melShape).toEqual([128, 323]);
    expect(ds.tagNames).toEqual(manifest.tagNames);
    expect(Array.from(ds.tags![3])).toEqual(Array.from(Float32Array.from(manifest.rows[3].tags!)));
    expect(reference.padded).toEqual(ds.ids); // all shorter than 30 s
    expect(reference.stats).toMatchObject({ total: 9, cached: 0, extracted: 9, failed: 0, workers: 0 });
    // The stereo song equals the pipeline written out by hand.
    const y = toMono([
      new Float32Array(44100 * 2).map((_, n) => 0.4 * Math.sin((2 * Math.PI * 440 * n) / 44100)),
      new Float32Array(44100 * 2).map((_, n) => 0.2 * Math.sin((2 * Math.PI * 660 * n) / 44100)),
    ]);
    // Quantise like the 16-bit WAV did.
    const q = (ch: Float32Array): Float32Array => ch.map((v) => Math.max(-32768, Math.min(32767, Math.round(v * 32768))) / 32768);
    const yq = toMono([
      q(new Float32Array(44100 * 2).map((_, n) => 0.4 * Math.sin((2 * Math.PI * 440 * n) / 44100))),
      q(new Float32Array(44100 * 2).map((_, n) => 0.2 * Math.sin((2 * Math.PI * 660 * n) / 44100))),
    ]);
    expect(yq.length).toBe(y.length);
    const seg = midSegment(resample(yq, { from: 44100, to: 22050 }), { sampleRate: 22050 });
    const want = logMel(seg.samples, { sampleRate: 22050 }).data;
    const got = ds.mels![8];
    let maxErr = 0;
    for (let i = 0; i < want.length; i++) maxErr = Math.max(maxErr, Math.abs(want[i] - got[i]));
    expect(maxErr).toBeLessThan(1e-3); // dB; rounding-half-even vs Math.round on a few samples at most
  });

  it('a song longer than the segment: only the middle is resampled, with the numbers of resampling the whole song', async () => {
    const path = join(dir, 'demo', 'audio', 'stereo.wav');
    const res = await extractFeatures([{ ...manifest.rows[8], audio: path }], { jobs: 1, segment: { seconds: 0.75 } });
    const audio = decodeWav(new Uint8Array(readFileSync(path)));
    const full = resample(toMono(audio.channelData), { from: 44100, to: 22050 });
    const seg = midSegment(full, { sampleRate: 22050, seconds: 0.75 });
    expect(seg.padded).toBe(false);
    expect(seg.start).toBeGreaterThan(0);
    const want = logMel(seg.samples, { sampleRate: 22050 });
    expect(res.dataset.melShape).toEqual(want.shape);
    expect(Array.from(res.dataset.mels![0])).toEqual(Array.from(want.data));
  });

  it('WAV files of any rate, depth and channel count: decoding only the part Mid-S reads gives the full pipeline\'s numbers bit for bit', async () => {
    const cases = [
      { name: 'mono22k16.wav', rate: 22050, channels: 1, bitDepth: 16, float: false, seconds: 1.3 },
      { name: 'stereo48kf32.wav', rate: 48000, channels: 2, bitDepth: 32, float: true, seconds: 1.7 },
      { name: 'three44k24.wav', rate: 44100, channels: 3, bitDepth: 24, float: false, seconds: 2.05 },
      { name: 'mono8k8.wav', rate: 8000, channels: 1, bitDepth: 8, float: false, seconds: 1.01 },
    ] as const;
    for (const c of cases) {
      const n = Math.round(c.rate * c.seconds) + 1; // odd lengths
      const chans = Array.from({ length: c.channels }, (_, ch) =>
        Float32Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * (220 + 110 * ch) * i) / c.rate) + 0.05 * Math.sin(i * 0.77 + ch)));
      const path = join(dir, c.name);
      writeFileSync(path, encodeWav(chans, c.rate, { bitDepth: c.bitDepth, float: c.float }));
      const res = await extractFeatures([{ ...manifest.rows[0], id: c.name, audio: path }], { jobs: 1, segment: { seconds: 0.75 } });
      const audio = decodeWav(new Uint8Array(readFileSync(path)));
      const mono = audio.channelData.length > 1 ? toMono(audio.channelData) : audio.channelData[0];
      const full = c.rate === 22050 ? mono : resample(mono, { from: c.rate, to: 22050 });
      const seg = midSegment(full, { sampleRate: 22050, seconds: 0.75 });
      expect(seg.padded, c.name).toBe(false);
      const want = logMel(seg.samples, { sampleRate: 22050 });
      expect(Array.from(res.dataset.mels![0]), c.name).toEqual(Array.from(want.data));
      expect(res.songs[0].sourceSamples, c.name).toBe(n);
    }
  });

  it('MP3, FLAC and Ogg Vorbis files: decoding only the frames Mid-S reads gives the full pipeline\'s numbers bit for bit', async () => {
    const names = [
      'song-44k-stereo-cbr.mp3',
      'song-44k-stereo-vbr.mp3',
      'song-48k-mono-notag.mp3',
      'song-22k-mono-mpeg2.mp3',
      'song-22k-stereo.flac',
      'song-44k-stereo.ogg',
      'song-48k-mono.ogg',
      'song-48k-mono-q10.ogg',
    ];
    for (const name of names) {
      const path = fileURLToPath(new URL(`./data/${name}`, import.meta.url));
      const seconds = name.endsWith('.flac') ? 1 : 2;
      const res = await extractFeatures([{ ...manifest.rows[0], id: name, audio: path }], { jobs: 1, segment: { seconds } });
      const audio = await decodeAudio(new Uint8Array(readFileSync(path)));
      const mono = audio.channelData.length > 1 ? toMono(audio.channelData) : audio.channelData[0];
      const full = audio.sampleRate === 22050 ? mono : resample(mono, { from: audio.sampleRate, to: 22050 });
      const seg = midSegment(full, { sampleRate: 22050, seconds });
      expect(seg.padded, name).toBe(false);
      const want = logMel(seg.samples, { sampleRate: 22050 });
      expect(Array.from(res.dataset.mels![0]), name).toEqual(Array.from(want.data));
      expect(res.songs[0].sourceSamples, name).toBe(mono.length);
    }
  });

  it('jobs: 2 (worker threads) gives byte-identical features to jobs: 1', async () => {
    const par = await extractFeatures(manifest, { jobs: 2 });
    expect(par.stats.workers).toBe(2);
    expect(par.dataset.ids).toEqual(reference.dataset.ids);
    par.dataset.mels!.forEach((m, i) => {
      expect(Buffer.from(m.buffer).equals(Buffer.from(reference.dataset.mels![i].buffer)), `song ${i}`).toBe(true);
    });
  });

  it('cache: miss then hit (same bytes), corrupt file → re-extracted and overwritten', async () => {
    const cacheDir = join(dir, 'cache-a');
    const first = await extractFeatures(manifest, { jobs: 2, cacheDir });
    expect(first.stats).toMatchObject({ cached: 0, extracted: 9, failed: 0 });
    const files = cacheFiles(cacheDir);
    expect(files).toHaveLength(9);
    expect(files.every((f) => f.endsWith('.hrmel'))).toBe(true);
    const second = await extractFeatures(manifest, { jobs: 1, cacheDir });
    expect(second.stats).toMatchObject({ cached: 9, extracted: 0, corrupt: 0 });
    second.dataset.mels!.forEach((m, i) => expect(Array.from(m)).toEqual(Array.from(reference.dataset.mels![i])));
    // Corrupt two files: truncate one, flip a payload bit in another.
    const spec = featureSpecJson({ features: reference.features, segment: reference.segment });
    const p0 = featureCachePath(cacheDir, featureCacheKey(readFileSync(manifest.rows[0].audio), spec));
    const p1 = featureCachePath(cacheDir, featureCacheKey(readFileSync(manifest.rows[1].audio), spec));
    writeFileSync(p0, readFileSync(p0).subarray(0, 1000));
    const b = readFileSync(p1);
    b[500] ^= 0x40;
    writeFileSync(p1, b);
    const third = await extractFeatures(manifest, { jobs: 1, cacheDir });
    expect(third.stats).toMatchObject({ cached: 7, extracted: 2, corrupt: 2 });
    expect(Array.from(third.dataset.mels![0])).toEqual(Array.from(reference.dataset.mels![0]));
    expect(Array.from(third.dataset.mels![1])).toEqual(Array.from(reference.dataset.mels![1]));
    expect(decodeFeatureFile(readFileSync(p0), spec).data).toEqual(reference.dataset.mels![0]);
  });

  it('missing and unreadable files fail alone, with path and reason; the rest is done and cached', async () => {
    const bad = join(dir, 'demo', 'audio', 'garbage.wav');
    writeFileSync(bad, 'this is not audio at all, just text'.repeat(20));
    const rows = [
      manifest.rows[0],
      { ...manifest.rows[1], id: 'gone', audio: join(dir, 'nope', 'missing.wav') },
      manifest.rows[2],
      { ...manifest.rows[3], id: 'garbage', audio: bad },
    ];
    const cacheDir = join(dir, 'cache-b');
    for (const jobs of [1, 2]) {
      const res = await extractFeatures(rows, { jobs, cacheDir });
      expect(res.dataset.ids).toEqual([rows[0].id, rows[2].id]);
      expect(res.failed.map((f) => [f.id, f.index, f.code])).toEqual([
        ['gone', 1, 'E_IO'],
        ['garbage', 3, 'E_UNSUPPORTED'],
      ]);
      expect(res.failed[0].message).toContain(`cannot read audio file ${join(dir, 'nope', 'missing.wav')}: no such file`);
      expect(res.failed[1].message).toContain(bad);
      expect(Array.from(res.dataset.hitScores)).toEqual([rows[0].hitScore, rows[2].hitScore]);
    }
    expect(cacheFiles(cacheDir)).toHaveLength(2);
  });

  it('reports progress after every song and stops on abort', async () => {
    const seen: number[] = [];
    await extractFeatures(manifest.rows.slice(0, 3), { jobs: 1, onProgress: (p) => seen.push(p.done) });
    expect(seen).toEqual([1, 2, 3]);
    const ac = new AbortController();
    const run = extractFeatures(manifest, {
      jobs: 2,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done === 1) ac.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
  });

  it('validates options before doing any work', async () => {
    await expect(extractFeatures([], {})).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(extractFeatures(manifest, { jobs: 0 })).rejects.toThrow(/jobs must be an integer/);
    await expect(extractFeatures(manifest, { collect: false })).rejects.toThrow(/cacheDir/);
    await expect(extractFeatures(manifest, { segment: 'whole' })).rejects.toThrow(/different shapes/);
    await expect(extractFeatures(manifest, { features: 'nope' as 'paper' })).rejects.toThrow(/unknown feature preset/);
  });

  it('a killed run keeps every finished song, leaves only complete cache files, and a rerun completes', async () => {
    const cacheDir = join(dir, 'cache-kill');
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'scripts', 'extractChild.ts'), manifest.path, cacheDir, '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    await new Promise<void>((res) => {
      child.stdout.on('data', (d) => {
        out += d;
        // Kill hard as soon as a couple of songs are done (more are in flight on the 2 workers).
        if (/done 2\b/.test(out)) {
          child.kill('SIGKILL');
          res();
        }
      });
      void exit.then(() => res());
    });
    const { signal } = await exit;
    expect(err).toBe('');
    expect(signal === 'SIGKILL' || out.includes('finished')).toBe(true);
    // Every .hrmel file present is complete and valid; temporaries are never named .hrmel.
    const spec = featureSpecJson({ features: reference.features, segment: reference.segment });
    const done = cacheFiles(cacheDir).filter((f) => f.endsWith('.hrmel'));
    expect(done.length).toBeGreaterThanOrEqual(2);
    for (const f of done) {
      const st = statSync(join(cacheDir, f));
      expect(st.size).toBe(FEATURE_FILE_HEADER_BYTES + 128 * 323 * 4);
      expect(() => decodeFeatureFile(readFileSync(join(cacheDir, f)), spec)).not.toThrow();
    }
    // Rerun: reads the finished songs back, does only the rest, same numbers as a clean run.
    const rerun = await extractFeatures(manifest, { jobs: 2, cacheDir });
    expect(rerun.stats).toMatchObject({ cached: done.length, extracted: 9 - done.length, failed: 0, corrupt: 0 });
    rerun.dataset.mels!.forEach((m, i) => expect(Buffer.from(m.buffer).equals(Buffer.from(reference.dataset.mels![i].buffer))).toBe(true));
    // …and the temporaries the kill may have left are gone.
    expect(cacheFiles(cacheDir).filter((f) => f.endsWith('.hrmel'))).toHaveLength(9);
    expect(cacheFiles(cacheDir)).toHaveLength(9);
  });

  it('content addressing: a copied file under another name is served from the cache', async () => {
    const cacheDir = join(dir, 'cache-a'); // filled above
    const copy = join(dir, 'renamed.wav');
    copyFileSync(manifest.rows[4].audio, copy);
    const res = await extractFeatures([{ ...manifest.rows[4], id: 'copy', audio: copy }], { jobs: 1, cacheDir });
    expect(res.stats.cached).toBe(1);
  });
});
