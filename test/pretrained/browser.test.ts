// The pretrained models in a real browser: the BUILT hitrank/pretrained,
// bundled by esbuild for the browser, in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core), loads pretrained/ over http with
// fetch, checks it with Web Crypto, and reproduces the fixtures on cpu and
// wasm: the authors' logit within 1e-5, JYnet within 1e-4.
// Skipped, loudly, without /usr/bin/chromium (CI installs it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../scripts/browser/bundle.js';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, type ChromiumSession } from '../../scripts/browser/chromium.js';
import { fixturesRoot, repoRoot, tfjsWasmDir } from '../../scripts/browser/paths.js';
import { startStaticServer, type StaticServer } from '../../scripts/browser/server.js';
import { FIXTURES_URL_PATH, WASM_URL_PATH } from '../../scripts/browser/urls.js';
import { ensureFreshDist } from '../browser/dist.js';
import type { PretrainedPageApi, PretrainedPageResult } from './page/main.js';
import { join } from 'node:path';

const HAVE_CHROMIUM = chromiumAvailable();
if (!HAVE_CHROMIUM) console.warn(`\n!!! PRETRAINED BROWSER TEST SKIPPED: ${CHROMIUM_PATH} not found (apt-get install -y chromium).\n`);

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>hitrank pretrained</title></head>
<body><script type="module" src="/main.js"></script></body></html>`;

describe.skipIf(!HAVE_CHROMIUM)('hitrank/pretrained in headless Chromium (built package)', () => {
  let server: StaticServer | null = null;
  let session: ChromiumSession | null = null;
  let inputs: string[] = [];

  function inPage<R>(fn: (api: PretrainedPageApi, arg: string) => Promise<R> | R, arg = ''): Promise<R> {
    return session!.page.evaluate(
      ({ src, arg }) => (0, eval)(src)((window as unknown as { pretrainedTest: PretrainedPageApi }).pretrainedTest, arg),
      { src: fn.toString(), arg },
    ) as Promise<R>;
  }

  beforeAll(async () => {
    console.log(`[pretrained browser] ${await ensureFreshDist()}`);
    const bundle = await bundleForBrowser('test/pretrained/page/main.ts', {
      virtualModules: { 'hitrank-browser:pretrained': "export * as pretrained from 'hitrank/pretrained';\nexport * as audio from 'hitrank/audio';" },
    });
    inputs = bundle.inputs;
    server = await startStaticServer({
      files: { '/index.html': PAGE, '/main.js': bundle.js },
      mounts: { [WASM_URL_PATH]: tfjsWasmDir, [FIXTURES_URL_PATH]: fixturesRoot, '/models/pretrained/': join(repoRoot, 'pretrained') },
    });
    session = await launchChromium();
    await session.page.goto(`${server.url}/`);
    try {
      await session.page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 30_000 });
    } catch (e) {
      throw new Error(`the page did not start:\n${session.console.join('\n')}\n${server.log.join('\n')}`, { cause: e });
    }
  }, 240_000);

  afterAll(async () => {
    await session?.close();
    await server?.close();
  });

  it('bundles the built dist/pretrained (not src/)', () => {
    expect(inputs).toContain('dist/pretrained/index.js');
    expect(inputs.filter((f) => f.startsWith('src/'))).toEqual([]);
  });

  it.each(['cpu', 'wasm'] as const)('loads both models over http and reproduces the fixtures on %s', async (backend) => {
    const r = (await inPage((api, b) => api.run(b as 'cpu' | 'wasm'), backend)) as PretrainedPageResult;
    console.log(`[pretrained browser] ${JSON.stringify(r)}`);
    expect(r.backend).toBe(backend);
    expect(Math.abs(r.logit - 0.3582316)).toBeLessThan(1e-5);
    expect(r.convexRet30).toBeCloseTo(0.00405, 5);
    expect(r.tags188StoredErr).toBeLessThanOrEqual(1e-4);
    expect(r.tags50SelfErr).toBeLessThanOrEqual(1e-4);
    expect(r.topSelf.slice(0, 3)).toEqual(['classical', 'strings', 'violin']);
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    expect(server!.log).toContain('200 /models/pretrained/jynet-mtat/weights.bin');
  });

  it('without baseUrl a bundled page gets a clear E_UNSUPPORTED telling it to pass one', async () => {
    const msg = await inPage((api) => api.defaultRootError());
    expect(msg).toMatch(/^E_UNSUPPORTED: .*pass \{ baseUrl \}/);
  });

  it('a byte corrupted in transit is E_CORRUPT_FILE (Web Crypto SHA-256), and the TS SHA-256 agrees with Web Crypto', async () => {
    const msg = await inPage((api) => api.corruptedInTransit());
    expect(msg).toMatch(/^E_CORRUPT_FILE: .*hsp-cnn-ret30\/weights\.bin/);
    expect(await inPage((api) => api.shaAgree())).toBe(true);
  });
});
