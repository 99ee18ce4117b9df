// hitrank in a real browser (issue 9): the BUILT package, bundled by esbuild
// for the browser, runs in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) and gives Node's numbers:
// - decodeWav + logMel of the music30 fixture: same decoded samples, log-mel
//   within the mel MANIFEST's 2e-5 dB of Node's and of librosa's;
// - decodeAudio (MP3, Ogg Vorbis, FLAC wasm decoders) → toMono → resample →
//   Mid-30 → logMel on the repository's test audio: same as Node;
// - tfjs ops and hitrank's Eq. 3 loss with gradients on every backend that
//   starts (cpu, wasm; webgl and webgpu when their packages are installed):
//   within 1e-4 of Node's cpu backend;
// - SiameseHitModel fit → predict → save/load on cpu and wasm: within 1e-4 of
//   Node (skipped, with the reason printed, while the built package has no
//   SiameseHitModel);
// - the browser example (examples/browser) loads, draws a dropped song's
//   log-mel and, when SiameseHitModel exists, scores it with an uploaded model.
// The same functions (./page/checks.ts) compute both sides.
//
// Without /usr/bin/chromium the whole file is skipped with a loud warning
// (.ci/run installs the `chromium` package first, so CI always has it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, type BrowserBundle } from '../../scripts/browser/bundle.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, processesMentioning, type ChromiumSession } from '../../scripts/browser/chromium.js';
import { buildExample, type BuiltExample } from '../../scripts/browser/example.js';
import { distDir, fixturesRoot, testAudioDir, tfjsWasmDir } from '../../scripts/browser/paths.js';
import { startStaticServer, type StaticServer } from '../../scripts/browser/server.js';
import { FIXTURES_URL_PATH, TEST_AUDIO_URL_PATH, WASM_URL_PATH } from '../../scripts/browser/urls.js';
import { readF32, readRaw } from '../helpers/fixtures.js';
import { useBackend } from '../helpers/tf.js';
import { ensureFreshDist } from './dist.js';
import { BACKENDS, type BackendName, type BackendReport, type BrowserTestApi } from './page/api.js';
import {
  audioToLogMel,
  hashFloat32,
  makeSiameseCheckInput,
  makeTfCheckInput,
  runSiameseCheck,
  runTfCheck,
  type HitrankModule,
  type LossesModule,
  type SiameseHitModelClass,
  type TfCheckOutput,
} from './page/checks.js';

/** MANIFEST.md (mel) §6, tier f64: |ΔdB| (top_db = 80). */
const DB_TOL = 2e-5;
/** Issue 9: browser backends vs Node, absolute. */
const TF_TOL = 1e-4;

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) {
  console.warn(
    '\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' +
      `!!! BROWSER TESTS SKIPPED: ${CHROMIUM_PATH} not found.\n` +
      '!!! Install it with `apt-get install -y chromium` (Debian; .ci/run does this).\n' +
      '!!! hitrank is NOT checked in a browser on this machine.\n' +
      '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n',
  );
}

const PACKAGE_MODULE = [
  "export * as hitrank from 'hitrank';",
  "export * as losses from 'hitrank/losses';",
  "export * as training from 'hitrank/training';",
].join('\n');

const TEST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>hitrank browser test</title></head>
<body><script type="module" src="/main.js"></script></body></html>`;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function countDifferent(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) n++;
  return n;
}

/** Largest |Δ| over every field of two TfCheckOutputs. */
function tfCheckDiff(a: TfCheckOutput, b: TfCheckOutput): number {
  return Math.max(
    maxAbsDiff(a.matMul, b.matMul),
    maxAbsDiff(a.conv, b.conv),
    Math.abs(a.loss - b.loss),
    maxAbsDiff(a.parts, b.parts),
    maxAbsDiff(a.grads, b.grads),
  );
}

describe.skipIf(!HAVE_CHROMIUM)('hitrank in headless Chromium (built package vs Node)', () => {
  let server: StaticServer | null = null;
  let session: ChromiumSession | null = null;
  let pageBundle: BrowserBundle;
  let example: BuiltExample;
  let hitrank: HitrankModule;
  let losses: LossesModule;
  let siamese: SiameseHitModelClass | null = null;
  let backends: BackendReport[] = [];
  const t0 = performance.now();
  const measured: Record<string, string> = {};

  /** Runs `fn` in the page with `window.hitrankTest` as its first argument (`fn` must not use outer variables). */
  function inPage<A, R>(fn: (api: BrowserTestApi, arg: A) => Promise<R> | R, arg: A): Promise<R> {
    return session!.page.evaluate(
      ({ src, arg }) => (0, eval)(src)((window as unknown as { hitrankTest: BrowserTestApi }).hitrankTest, arg),
      { src: fn.toString(), arg },
    ) as Promise<R>;
  }

  function started(): BackendName[] {
    return backends.filter((b) => b.ok).map((b) => b.name);
  }

  beforeAll(async () => {
    console.log(`[browser] ${await ensureFreshDist()}`);
    hitrank = (await import(pathToFileURL(join(distDir, 'index.js')).href)) as HitrankModule;
    losses = (await import(pathToFileURL(join(distDir, 'losses', 'index.js')).href)) as LossesModule;
    const training = (await import(pathToFileURL(join(distDir, 'training', 'index.js')).href).catch(() => null)) as {
      SiameseHitModel?: SiameseHitModelClass;
    } | null;
    siamese = (Reflect.get(hitrank, 'SiameseHitModel') as SiameseHitModelClass | undefined) ?? training?.SiameseHitModel ?? null;

    pageBundle = await bundleForBrowser('test/browser/page/main.ts', { virtualModules: { 'hitrank-browser:package': PACKAGE_MODULE } });
    example = await buildExample();
    const files: Record<string, string> = { '/index.html': TEST_PAGE, '/main.js': pageBundle.js };
    for (const [name, body] of Object.entries(example.files)) files[`/example/${name}`] = body;
    server = await startStaticServer({
      files,
      mounts: { [WASM_URL_PATH]: tfjsWasmDir, [FIXTURES_URL_PATH]: fixturesRoot, [TEST_AUDIO_URL_PATH]: testAudioDir },
    });
    session = await launchChromium();
    await session.page.goto(`${server.url}/`);
    try {
      await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    } catch (e) {
      throw new Error(`the test page did not start:\n${session.console.join('\n')}\n${server.log.join('\n')}\n${(e as Error).message}`, { cause: e });
    }
    backends = await inPage((api) => api.probeBackends(), null);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (Object.keys(measured).length) {
      console.log(
        `[browser] measured (total ${((performance.now() - t0) / 1000).toFixed(1)} s):\n` +
          Object.entries(measured)
            .map(([k, v]) => `  ${k}: ${v}`)
            .join('\n'),
      );
    }
  });

  it('the page bundles the BUILT package (dist/, resolved by the name "hitrank"), not src/', () => {
    expect(pageBundle.inputs).toContain('dist/index.js');
    expect(pageBundle.inputs).toContain('dist/losses/index.js');
    expect(pageBundle.inputs.filter((f) => f.startsWith('src/'))).toEqual([]);
  });

  it('runs the same hitrank version as Node', async () => {
    expect(await inPage((api) => api.version, null)).toBe(hitrank.VERSION);
  });

  it('tfjs backends: cpu and wasm start (wasm fetched its .wasm from the server); webgl / webgpu reported', () => {
    const table = backends
      .map((b) => `${b.name}=${b.ok ? 'ok' : `no (${b.error})`}${Object.keys(b.details).length ? ' ' + JSON.stringify(b.details) : ''}`)
      .join('; ');
    measured['backends'] = table;
    console.log(`[browser] backends: ${table}`);
    expect(backends.map((b) => b.name)).toEqual([...BACKENDS]);
    for (const name of ['cpu', 'wasm'] as const) {
      const b = backends.find((x) => x.name === name)!;
      expect(b.error ?? '').toBe('');
      expect(b.ok).toBe(true);
    }
    expect(server!.log.some((l) => /^200 \/tfjs-wasm\/tfjs-backend-wasm.*\.wasm$/.test(l))).toBe(true);
    for (const b of backends) {
      if (b.bundled && !b.ok) console.warn(`[browser] ${b.name} is installed but did not start in headless Chromium: ${b.error}`);
    }
  });

  it('decodeWav + logMel of music30.wav: the same samples and log-mel as Node, within 2e-5 dB of librosa', async () => {
    const url = `${FIXTURES_URL_PATH}mel/signals/music30.wav`;
    const inBrowser = await inPage((api, u) => api.logMelFromUrl(u, { wavOnly: true }), url);
    const inNode = await audioToLogMel(hitrank, readRaw('mel', 'signals', 'music30.wav'), { wavOnly: true });
    const librosa = readF32('mel', 'music30', 'mel_db_top80.f32');
    // MANIFEST: the WAV decodes bit-exactly to music30.f32.
    expect(inBrowser.decodedHash).toBe(hashFloat32([readF32('mel', 'signals', 'music30.f32')]));
    expect(inBrowser.decodedHash).toBe(inNode.decodedHash);
    expect([inBrowser.sampleRate, inBrowser.channels, inBrowser.length]).toEqual([22050, 1, 661500]);
    expect(inBrowser.shape).toEqual([128, 323]);
    const vsNode = maxAbsDiff(inBrowser.data, inNode.data);
    const vsLibrosa = maxAbsDiff(inBrowser.data, librosa);
    measured['music30 log-mel'] =
      `browser vs Node max |ΔdB| ${vsNode.toExponential(2)} (${countDifferent(inBrowser.data, inNode.data)} of ` +
      `${inNode.data.length} values differ); browser vs librosa ${vsLibrosa.toExponential(2)}`;
    expect(vsNode).toBeLessThanOrEqual(DB_TOL);
    expect(vsLibrosa).toBeLessThanOrEqual(DB_TOL);
  });

  for (const file of ['tone-22k-mono.mp3', 'tone-44k-stereo.mp3', 'tone-22k-mono.ogg', 'tone-16k-stereo.flac', 'tone-16k-stereo.oga']) {
    it(`decodeAudio → toMono → resample → Mid-30 → logMel of ${file}: as in Node`, async () => {
      const inBrowser = await inPage((api, u) => api.logMelFromUrl(u, { mid30: true }), `${TEST_AUDIO_URL_PATH}${file}`);
      const inNode = await audioToLogMel(hitrank, new Uint8Array(readFileSync(join(testAudioDir, file))), { mid30: true });
      expect(inBrowser.decodedHash).toBe(inNode.decodedHash);
      expect([inBrowser.sampleRate, inBrowser.channels, inBrowser.length]).toEqual([inNode.sampleRate, inNode.channels, inNode.length]);
      expect(inBrowser.shape).toEqual([128, 323]);
      const d = maxAbsDiff(inBrowser.data, inNode.data);
      measured[file] = `decoded samples identical; log-mel max |ΔdB| ${d.toExponential(2)}`;
      expect(d).toBeLessThanOrEqual(DB_TOL);
    });
  }

  it('tfjs matMul, conv2d and the Eq. 3 loss with gradients: every started backend within 1e-4 of Node cpu', async () => {
    const input = makeTfCheckInput(seedrandom('hitrank-browser-tf'));
    const tf = await useBackend('cpu');
    const ref = await runTfCheck(tf, losses, input);
    expect(ref.leakedTensors).toBe(0);
    expect(ref.grads.some((g) => g !== 0)).toBe(true);
    const diffs: string[] = [];
    for (const b of started()) {
      const out = await inPage((api, a) => api.tfCheck(a.b, a.input), { b, input });
      const d = tfCheckDiff(out, ref);
      diffs.push(`${b} ${d.toExponential(2)}`);
      expect(out.leakedTensors, `${b} leaks tensors`).toBe(0);
      expect(d, `${b} vs Node cpu`).toBeLessThanOrEqual(TF_TOL);
    }
    measured['tf check max |Δ| vs Node cpu'] = diffs.join(', ');
    expect(started()).toEqual(expect.arrayContaining(['cpu', 'wasm']));
  });

  // The issue's end-to-end check: build a SiameseHitModel, train a few steps,
  // predict — in the browser and in Node, same code (checks.ts), same inputs.
  // Training is compared on cpu and wasm; webgl / webgpu are compared on the
  // forward pass of the cpu-trained weights. (Training on webgl drifts from
  // Node by ~1e-3 after 6 Adagrad steps: Adagrad divides each gradient by its
  // own magnitude, so float32 rounding differences in near-zero gradients
  // become full-size steps. Reported, not asserted.)
  it('SiameseHitModel fit → predict → save/load: trained on cpu and wasm within 1e-4 of Node; cpu-trained weights predict within 1e-4 on webgl', async (ctx) => {
    const reason = await inPage((api) => api.siameseUnavailable(), null);
    if (reason || !siamese) {
      console.warn(`[browser] SKIPPED SiameseHitModel browser check: ${reason ?? 'not in the Node build'}`);
      ctx.skip();
      return;
    }
    const input = makeSiameseCheckInput(seedrandom('hitrank-browser-siamese'));
    const tf = await useBackend('cpu');
    const ref = await runSiameseCheck(tf, siamese, input);
    expect(ref.predictions.every(Number.isFinite)).toBe(true);
    expect(new Set(ref.predictions).size).toBeGreaterThan(1);
    expect(ref.reloadedPredictions).toEqual(ref.predictions);
    const notes: string[] = [];
    const train = async (b: BackendName, predictOn: BackendName[]) => {
      const t = performance.now();
      const out = await inPage((api, a) => api.siameseCheck(a.b, a.input, a.predictOn), { b, input, predictOn });
      const d = maxAbsDiff(out.predictions, ref.predictions);
      notes.push(
        `trained on ${b}: predictions ${d.toExponential(2)}, epoch losses ${maxAbsDiff(out.epochLosses, ref.epochLosses).toExponential(2)} ` +
          `(${(performance.now() - t).toFixed(0)} ms)`,
      );
      expect(maxAbsDiff(out.reloadedPredictions, out.predictions), `${b}: save → load changed the predictions`).toBe(0);
      return { out, d };
    };

    const others = started().filter((b) => b !== 'cpu');
    const cpu = await train('cpu', others);
    expect(cpu.d, 'trained on cpu vs Node cpu').toBeLessThanOrEqual(TF_TOL);
    for (const b of others) {
      const p = cpu.out.predictionsOn[b];
      if (typeof p === 'string') {
        notes.push(`cpu-trained weights on ${b}: FAILED ${p}`);
        if (b !== 'webgpu') throw new Error(`predict on ${b} failed: ${p}`);
        console.warn(`[browser] SiameseHitModel.predict failed on webgpu (reported, not asserted): ${p}`);
        continue;
      }
      const d = maxAbsDiff(p, ref.predictions);
      notes.push(`cpu-trained weights on ${b}: predictions ${d.toExponential(2)}`);
      if (b !== 'webgpu') expect(d, `cpu-trained weights predicting on ${b} vs Node cpu`).toBeLessThanOrEqual(TF_TOL);
    }
    const wasm = await train('wasm', []);
    expect(wasm.d, 'trained on wasm vs Node cpu').toBeLessThanOrEqual(TF_TOL);
    if (started().includes('webgl')) await train('webgl', []);
    measured['SiameseHitModel max |Δ| vs Node cpu'] = notes.join('; ');
  });

  it('the browser example draws the log-mel of a dropped song (and scores it with an uploaded model)', async () => {
    const page = session!.page;
    await page.goto(`${server!.url}/example/?backend=cpu`);
    try {
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    } catch (e) {
      throw new Error(`the example page did not start:\n${session!.console.join('\n')}\n${server!.log.slice(-10).join('\n')}\n${(e as Error).message}`, {
        cause: e,
      });
    }
    const wav = readFileSync(join(fixturesRoot, 'mel', 'signals', 'music30.wav'));
    await page.setInputFiles('#audio-file', { name: 'music30.wav', mimeType: 'audio/wav', buffer: wav });
    await page.waitForSelector('#audio-status[data-state="done"], #audio-status[data-state="error"]', { timeout: 30_000 });
    const status = await page.$eval('#audio-status', (el) => ({ state: (el as HTMLElement).dataset.state, text: el.textContent, shape: (el as HTMLElement).dataset.shape }));
    expect(status.state, status.text ?? '').toBe('done');
    expect(status.shape).toBe('128x323');
    // The canvas holds the picture: 323 × 128 pixels, far from uniform.
    const pixels = await page.$eval('#mel', (c) => {
      const cv = c as HTMLCanvasElement;
      const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { w: cv.width, h: cv.height, colours: seen.size };
    });
    expect([pixels.w, pixels.h]).toEqual([323, 128]);
    expect(pixels.colours).toBeGreaterThan(50);
    expect(await page.$eval('#model-status', (el) => (el as HTMLElement).dataset.state)).toBe('none');

    if (!siamese) {
      console.warn('[browser] SKIPPED the example\'s model panel: SiameseHitModel is not in the built package yet.');
      return;
    }
    // A tiny model trained in Node on [128, 323] mels, saved as model.json + weights.bin, uploaded.
    const tf = await useBackend('cpu');
    const spec = makeSiameseCheckInput(seedrandom('hitrank-browser-example'));
    const song = await audioToLogMel(hitrank, wav, { wavOnly: true, mid30: true });
    // The song's own log-mel, shifted by a level that grows with the hit score, plus a little pattern per song.
    const mels = spec.hitScores.map((s, i) => Float32Array.from(song.data, (v, j) => v + 3000 * s + ((i * 7 + j) % 13) - 6));
    const ds = { ids: spec.ids, hitScores: Float64Array.from(spec.hitScores), mels, melShape: [128, 323] as [number, number] };
    const model = new siamese({ audio: true, tags: false, w: 0.5, seed: 3 });
    await model.fit(ds, { epochs: 1, batchPairs: 4 });
    const expected = (await model.predict({ ids: ['song'], hitScores: Float64Array.of(0), mels: [Float32Array.from(song.data)], melShape: [128, 323] }))[0];
    let artifacts: import('@tensorflow/tfjs-core').io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    model.dispose();
    const a = artifacts as unknown as import('@tensorflow/tfjs-core').io.ModelArtifacts;
    const weights = tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]);
    const modelJson = JSON.stringify({
      modelTopology: a.modelTopology,
      format: a.format,
      generatedBy: a.generatedBy,
      userDefinedMetadata: a.userDefinedMetadata,
      weightsManifest: [{ paths: ['./weights.bin'], weights: a.weightSpecs }],
    });
    await page.setInputFiles('#model-files', [
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(modelJson) },
      { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weights) },
    ]);
    await page.waitForFunction(() => document.getElementById('score')?.dataset.score || document.getElementById('model-status')?.dataset.state === 'error', null, {
      timeout: 30_000,
    });
    const shown = await page.$eval('#score', (el) => Number((el as HTMLElement).dataset.score));
    const modelText = await page.$eval('#model-status', (el) => el.textContent);
    expect(Number.isFinite(shown), modelText ?? '').toBe(true);
    measured['example score vs Node predict'] = `|Δ| ${Math.abs(shown - expected).toExponential(2)}`;
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(TF_TOL);
  });

  it('closes Chromium with no process left behind', async () => {
    const dir = session!.userDataDir;
    expect(processesMentioning(dir).length).toBeGreaterThan(0);
    await session!.close();
    const deadline = Date.now() + 5_000;
    while (processesMentioning(dir).length && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 100));
    expect(processesMentioning(dir)).toEqual([]);
    await server!.close();
    server = null;
  });
});
