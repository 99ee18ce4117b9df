// The pretrained browser test page: the BUILT hitrank/pretrained (resolved by
// the package's exports map) loads the shipped models over http with fetch,
// checks them by SHA-256 with Web Crypto, and scores the reference inputs on
// the cpu and wasm backends. Driven by ../browser.test.ts via page.evaluate.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as pkg from 'hitrank-browser:pretrained';
import { FIXTURES_URL_PATH, WASM_URL_PATH } from '../../../scripts/browser/urls.js';
import type * as Pretrained from '../../../src/pretrained/index.js';
import type * as Audio from '../../../src/audio/index.js';

const P = pkg.pretrained as typeof Pretrained;
const A = pkg.audio as typeof Audio;
setWasmPaths(WASM_URL_PATH);

/** Where the page finds the model folders (the test server mounts pretrained/ there). */
export const PRETRAINED_URL_PATH = '/models/pretrained/';

async function bytes(path: string): Promise<ArrayBuffer> {
  const r = await fetch(`${FIXTURES_URL_PATH}${path}`);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.arrayBuffer();
}
const f32 = async (path: string) => new Float32Array(await bytes(path));

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** What the test reads back from one backend. */
export interface PretrainedPageResult {
  backend: string;
  logit: number;
  convexRet30: number;
  tags188StoredErr: number;
  tags50SelfErr: number;
  topSelf: string[];
  tensorsBefore: number;
  tensorsAfter: number;
}

const api = {
  async run(backend: 'cpu' | 'wasm'): Promise<PretrainedPageResult> {
    const ok = await tf.setBackend(backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== backend) throw new Error(`tfjs backend ${backend} did not start (running ${tf.getBackend()})`);
    const tensorsBefore = tf.memory().numTensors;
    const hit = await P.loadPretrained('hsp-cnn-ret30', { baseUrl: PRETRAINED_URL_PATH });
    const mel = { data: await f32('hsp_cnn/xte.f32'), shape: [128, 323] as [number, number] };
    const tags = await f32('hsp_cnn/tags.f32');
    const s = hit.score(mel, tags);
    const convex = hit.score(mel, tags, { fusion: 'convex' });
    const jy = await P.loadPretrained('jynet-mtat', { baseUrl: new URL(PRETRAINED_URL_PATH, location.href) });
    const inputs = await Promise.all([512, 1024, 2048, 4096, 8192, 16384].map((n) => f32(`jynet/reference/music30/input_${n}.f32`)));
    const tags188StoredErr = maxAbs(jy.predict(inputs), await f32('jynet/reference/music30/tags188_flipped.f32'));
    const wav = A.decodeWav(new Uint8Array(await bytes('jynet/reference/dangerous_symphony30_16k.wav')));
    const self = jy.tagAudio(wav.channelData[0]);
    const tags50SelfErr = maxAbs(self, await f32('jynet/reference/dangerous_symphony30/tags50_flipped_selfstd.f32'));
    const topSelf = P.topTags(self, jy.card.tags.slice(0, 50), 5).map((t) => t.tag);
    hit.dispose();
    jy.dispose();
    return { backend, logit: s.logit, convexRet30: convex.ret30, tags188StoredErr, tags50SelfErr, topSelf, tensorsBefore, tensorsAfter: tf.memory().numTensors };
  },

  /** Without baseUrl a bundled page cannot tell where the package is: the error must say what to do. */
  defaultRootError(): string {
    try {
      return `no error: ${P.defaultPretrainedRoot()}`;
    } catch (e) {
      return `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
  },

  /** A byte flipped in transit is caught by the Web Crypto SHA-256 check. */
  async corruptedInTransit(): Promise<string> {
    try {
      await P.loadPretrained('hsp-cnn-ret30', {
        baseUrl: PRETRAINED_URL_PATH,
        fetchBytes: async (u) => {
          const b = new Uint8Array(await (await fetch(u)).arrayBuffer());
          if (u.endsWith('weights.bin')) b[100] ^= 0x80;
          return b;
        },
      });
      return 'no error';
    } catch (e) {
      return `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
  },

  /** The TypeScript SHA-256 (for insecure contexts) equals Web Crypto's in this browser. */
  async shaAgree(): Promise<boolean> {
    const b = new Uint8Array(await bytes('hsp_cnn/xte.f32'));
    return !!globalThis.crypto?.subtle && P.sha256HexSync(b) === (await P.sha256Hex(b));
  },
};

export type PretrainedPageApi = typeof api;
(window as unknown as { pretrainedTest: PretrainedPageApi }).pretrainedTest = api;
document.body.dataset.ready = 'true';
