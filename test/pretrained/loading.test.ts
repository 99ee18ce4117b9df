// How the pretrained models are found, read and checked: lazily (nothing read
// before loadPretrained, the hit model's tagger only when needed), offline
// (file: URLs from the package folder, no fetch), over http, with every file
// checked against its SHA-256 (a flipped byte is E_CORRUPT_FILE naming the
// file and both hashes); the files are real tf.io artefacts
// (tf.loadLayersModel reads them); bad inputs are refused clearly.
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf, useBackend } from '../helpers/tf.js';
import { readF32, repoRoot } from '../helpers/fixtures.js';
import { startStaticServer, type StaticServer } from '../../scripts/browser/server.js';
import { registerHitrankLayers, registerTaggerLayers } from '../../src/models/index.js';
import {
  defaultFetchBytes,
  defaultPretrainedRoot,
  listPretrained,
  loadPretrained,
  pretrainedInfo,
  readPretrainedFiles,
  resolvePretrainedRoot,
  topTags,
  type FetchBytes,
  type HspCnnRet30,
} from '../../src/pretrained/index.js';
import { CARD_SHA256 } from '../../src/pretrained/checksums.js';

const PRETRAINED = join(repoRoot, 'pretrained');
const xte = readF32('hsp_cnn', 'xte.f32');
const tags = readF32('hsp_cnn', 'tags.f32');
const mel = { data: xte, shape: [128, 323] as [number, number] };

/** Runs `p` and returns the HitrankError's code and message (or 'no error'). */
async function failure(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return { code: (e as { code?: string }).code ?? 'no code', message: (e as Error).message };
  }
  return { code: 'no error', message: '' };
}

function counting(): { fetchBytes: FetchBytes; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetchBytes: async (u) => {
      urls.push(u);
      return defaultFetchBytes(u);
    },
  };
}

beforeAll(async () => {
  await useBackend('cpu');
});

describe('where the files are', () => {
  it("defaults to the package's pretrained/ folder as a file: URL (found from the module's own location)", () => {
    expect(defaultPretrainedRoot()).toBe(pathToFileURL(PRETRAINED).href + '/');
    expect(resolvePretrainedRoot()).toBe(defaultPretrainedRoot());
  });

  it('resolves baseUrl given as a path, a relative path, a URL or a URL string', () => {
    const want = pathToFileURL(PRETRAINED).href + '/';
    expect(resolvePretrainedRoot(PRETRAINED)).toBe(want);
    expect(resolvePretrainedRoot(relative(process.cwd(), PRETRAINED) || '.')).toBe(want);
    expect(resolvePretrainedRoot(pathToFileURL(PRETRAINED))).toBe(want);
    expect(resolvePretrainedRoot('https://cdn.example/hitrank@0.1.0/pretrained')).toBe('https://cdn.example/hitrank@0.1.0/pretrained/');
  });

  it('lists the models and their cards without reading anything', () => {
    expect(listPretrained()).toEqual(['hsp-cnn-ret30', 'jynet-mtat']);
    const info = pretrainedInfo('hsp-cnn-ret30');
    expect(info.license).toBe('Apache-2.0');
    expect(info.caveat).toMatch(/KKBOX/);
    expect(info.caveat).toMatch(/Taiwan/);
    expect(info.featurePreset).toBe('hspCnn');
    expect(info.fusion?.default).toBe('additive');
    expect(pretrainedInfo('jynet-mtat').featurePreset).toBe('jynet');
    expect(pretrainedInfo('jynet-mtat').standardize).toBe('self');
    expect(pretrainedInfo('jynet-mtat').tags).toHaveLength(188);
  });
});

describe('lazy, offline loading', () => {
  it('reads nothing until asked; the hit model reads only its own files; its tagger is loaded on first use', async () => {
    const { fetchBytes, urls } = counting();
    listPretrained();
    pretrainedInfo('jynet-mtat');
    expect(urls).toEqual([]);
    const hit = await loadPretrained('hsp-cnn-ret30', { fetchBytes });
    const base = defaultPretrainedRoot();
    expect(urls.map((u) => u.slice(base.length)).sort()).toEqual(['hsp-cnn-ret30/card.json', 'hsp-cnn-ret30/model.json', 'hsp-cnn-ret30/weights.bin']);
    hit.score(mel, tags); // scoring features needs no tagger
    expect(urls).toHaveLength(3);
    const tagger = await hit.loadTagger();
    expect(await hit.loadTagger()).toBe(tagger); // loaded once
    expect(urls.slice(3).map((u) => u.slice(base.length)).sort()).toEqual([
      'jynet-mtat/card.json',
      'jynet-mtat/model.json',
      'jynet-mtat/standardizers.bin',
      'jynet-mtat/weights.bin',
    ]);
    const before = tf.memory().numTensors;
    hit.dispose(); // disposes the tagger it loaded too
    expect(tf.memory().numTensors).toBeLessThan(before - 40);
  });

  it('uses no network: loading works with fetch removed', async () => {
    const saved = globalThis.fetch;
    const calls: string[] = [];
    globalThis.fetch = (async (u: string) => {
      calls.push(String(u));
      throw new Error('network is off');
    }) as typeof fetch;
    try {
      const jy = await loadPretrained('jynet-mtat');
      expect(jy.tags).toHaveLength(188);
      jy.dispose();
    } finally {
      globalThis.fetch = saved;
    }
    expect(calls).toEqual([]);
  });

  it('loads over http with fetch (as in a browser), the same numbers', async () => {
    let server: StaticServer | null = null;
    try {
      server = await startStaticServer({ mounts: { '/models/': PRETRAINED } });
      const viaHttp = await loadPretrained('hsp-cnn-ret30', { baseUrl: `${server.url}/models/` });
      const local = await loadPretrained('hsp-cnn-ret30');
      expect(viaHttp.score(mel, tags).logit).toBe(local.score(mel, tags).logit);
      expect(server.log.filter((l) => l.startsWith('200 /models/hsp-cnn-ret30/')).length).toBe(3);
      viaHttp.dispose();
      local.dispose();
      const missing = await failure(loadPretrained('hsp-cnn-ret30', { baseUrl: `${server.url}/nothing/` }));
      expect(missing.code).toBe('E_IO');
      expect(missing.message).toMatch(/404/);
    } finally {
      await server?.close();
    }
  });
});

describe('integrity', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hitrank-pretrained-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function copy(name: string): string {
    const d = mkdtempSync(join(dir, `${name}-`));
    cpSync(PRETRAINED, d, { recursive: true });
    return d;
  }

  it('the shipped cards are the ones whose SHA-256 hitrank was built with', async () => {
    const { createHash } = await import('node:crypto');
    for (const n of listPretrained()) {
      expect(createHash('sha256').update(readFileSync(join(PRETRAINED, n, 'card.json'))).digest('hex')).toBe(CARD_SHA256[n]);
    }
  });

  it('a flipped byte in weights.bin is E_CORRUPT_FILE naming the file and both hashes, before any model is built', async () => {
    const d = copy('weights');
    const file = join(d, 'hsp-cnn-ret30', 'weights.bin');
    const b = readFileSync(file);
    b[1234] ^= 0x01;
    writeFileSync(file, b);
    const { createHash } = await import('node:crypto');
    const got = createHash('sha256').update(b).digest('hex');
    const card = JSON.parse(readFileSync(join(d, 'hsp-cnn-ret30', 'card.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    const before = tf.memory().numTensors;
    const e = await failure(loadPretrained('hsp-cnn-ret30', { baseUrl: d }));
    expect(e.code).toBe('E_CORRUPT_FILE');
    expect(e.message).toContain('hsp-cnn-ret30/weights.bin');
    expect(e.message).toContain(got);
    expect(e.message).toContain(card.files['weights.bin'].sha256);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a changed card, a truncated standardizers.bin and a missing model.json are refused', async () => {
    const d = copy('card');
    const cardPath = join(d, 'jynet-mtat', 'card.json');
    writeFileSync(cardPath, readFileSync(cardPath, 'utf8').replace('"self"', '"shipped"'));
    const e1 = await failure(loadPretrained('jynet-mtat', { baseUrl: d }));
    expect(e1.code).toBe('E_CORRUPT_FILE');
    expect(e1.message).toContain('jynet-mtat/card.json');
    expect(e1.message).toContain(CARD_SHA256['jynet-mtat']);

    const d2 = copy('trunc');
    truncateSync(join(d2, 'jynet-mtat', 'standardizers.bin'), 6000);
    const e2 = await failure(loadPretrained('jynet-mtat', { baseUrl: d2 }));
    expect(e2.code).toBe('E_CORRUPT_FILE');
    expect(e2.message).toContain('standardizers.bin');
    expect(e2.message).toMatch(/6000 bytes, expected 6144/);

    const d3 = copy('missing');
    rmSync(join(d3, 'hsp-cnn-ret30', 'model.json'));
    const e3 = await failure(loadPretrained('hsp-cnn-ret30', { baseUrl: d3 }));
    expect(e3.code).toBe('E_IO');
    expect(e3.message).toContain('hsp-cnn-ret30/model.json');

    expect((await failure(loadPretrained('hsp-cnn-ret31' as 'hsp-cnn-ret30'))).code).toBe('E_PARAM');
    expect((await failure(loadPretrained('jynet-mtat', { fetchBytes: async () => 'nope' as unknown as Uint8Array }))).code).toBe('E_PARAM');
  });
});

describe('the files are tf.io artefacts', () => {
  it('tf.loadLayersModel reads hsp-cnn-ret30 (after registerHitrankLayers) and gives the same [pt, tag]', async () => {
    const files = await readPretrainedFiles('hsp-cnn-ret30');
    expect(files.modelJson.format).toBe('layers-model');
    registerHitrankLayers();
    const w = files.files['weights.bin'];
    const m = await tfl.loadLayersModel(
      tf.io.fromMemory({ modelTopology: files.modelJson.modelTopology, weightSpecs: files.modelJson.weightsManifest[0].weights, weightData: w.slice().buffer }),
    );
    const hit = await loadPretrained('hsp-cnn-ret30');
    const [pt, tag] = tf.tidy(() => (m.predict([tf.tensor3d(xte, [1, 128, 323]), tf.tensor2d(tags, [1, 50])]) as tf.Tensor[]).map((t) => t.dataSync()[0]));
    const s = hit.score(mel, tags);
    expect(pt).toBe(s.pt);
    expect(tag).toBe(s.tag);
    m.dispose();
    hit.dispose();
  });

  it('tf.loadLayersModel reads jynet-mtat (after registerTaggerLayers) and gives the same 188 tags', async () => {
    const files = await readPretrainedFiles('jynet-mtat');
    registerTaggerLayers();
    const m = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: files.modelJson.modelTopology,
        weightSpecs: files.modelJson.weightsManifest[0].weights,
        weightData: files.files['weights.bin'].slice().buffer,
      }),
    );
    const inputs = [512, 1024, 2048, 4096, 8192, 16384].map((n) => readF32('jynet', 'reference', 'music30', `input_${n}.f32`));
    const viaTfjs = tf.tidy(() => (m.predict(inputs.map((x) => tf.tensor3d(x, [1, 911, 128]))) as tf.Tensor).dataSync());
    const jy = await loadPretrained('jynet-mtat');
    const ours = jy.predict(inputs, { clip: false });
    expect(Array.from(viaTfjs)).toEqual(Array.from(ours));
    m.dispose();
    jy.dispose();
  });
});

describe('bad inputs are refused with a clear error', () => {
  let hit: HspCnnRet30;
  beforeAll(async () => {
    hit = await loadPretrained('hsp-cnn-ret30');
  });
  afterAll(() => hit?.dispose());

  it('checks the mel (shape, raw power), the tags and the fusion options', async () => {
    const code = (f: () => unknown) => failure(f).then((e) => e.code);
    expect(await code(() => hit.score({ data: xte.subarray(0, 128 * 300), shape: [128, 300] }, tags))).toBe('E_SHAPE');
    const db = xte.map((v) => 10 * Math.log10(v + 1e-10));
    const e = await failure(() => hit.score({ data: db, shape: [128, 323] }, tags));
    expect(e.code).toBe('E_PARAM');
    expect(e.message).toMatch(/RAW power mel/);
    const nan = xte.slice();
    nan[7] = NaN;
    expect(await code(() => hit.score({ data: nan, shape: [128, 323] }, tags))).toBe('E_NAN');
    expect(await code(() => hit.score(mel, tags.subarray(0, 49)))).toBe('E_SHAPE');
    expect(await code(() => hit.score(mel, tags.map((v, i) => (i === 3 ? 1.5 : v))))).toBe('E_PARAM');
    expect(await code(() => hit.score(mel, tags, { fusion: 'mean' as 'convex' }))).toBe('E_PARAM');
    expect(await code(() => hit.score(mel, tags, { mu: 2 }))).toBe('E_PARAM');
    expect(await code(() => hit.scoreBatch([mel], []))).toBe('E_SHAPE');
    expect(hit.scoreBatch([], [])).toEqual([]);
    expect(await code(() => hit.scoreAudio(new Float32Array(22050), { segment: 'hl30' as 'clip', tags }))).toBe('E_PARAM');
    expect(await code(() => topTags([0.1, 0.2], ['a']))).toBe('E_SHAPE');
    expect(topTags([0.1, 0.3, 0.2], ['a', 'b', 'c'], 2)).toEqual([
      { tag: 'b', score: 0.3 },
      { tag: 'c', score: 0.2 },
    ]);
  });

  it('scoreAudio with given tags needs no tagger; a short song is zero-padded and flagged', async () => {
    const y = Float32Array.from({ length: 10 * 22050 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 22050));
    const s = await hit.scoreAudio(y, { tags });
    expect(s.padded).toBe(true);
    expect(Number.isFinite(s.logit)).toBe(true);
    const at44 = await hit.scoreAudio(Float32Array.from({ length: 10 * 44100 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 44100)), { tags, sampleRate: 44100 });
    expect(Math.abs(at44.logit - s.logit)).toBeLessThan(1e-3);
  });

  it('a disposed model refuses to score', async () => {
    const h = await loadPretrained('hsp-cnn-ret30');
    h.dispose();
    expect((await failure(() => h.score(mel, tags))).code).toBe('E_PARAM');
  });
});
