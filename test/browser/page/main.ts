// The browser test page: imports the BUILT hitrank package (through the
// virtual module `hitrank-browser:package`, which re-exports `hitrank`,
// `hitrank/losses` and `hitrank/training` as resolved by the package's own
// `exports` map) plus tfjs and its backends, and exposes `window.hitrankTest`
// (./api.ts) for test/browser/browser.test.ts to drive with page.evaluate.
//
// Adding a check: write it in ./checks.ts as a function of the modules it
// needs (so Node runs the very same code), add a method here that selects the
// backend and calls it, declare the method in ./api.ts, compare in the test.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { OPTIONAL_BACKENDS } from 'hitrank-browser:optional-backends';
import * as pkg from 'hitrank-browser:package';
import { WASM_URL_PATH } from '../../../scripts/browser/urls.js';
import type { BackendName, BackendReport, BrowserTestApi } from './api.js';
import { BACKENDS } from './api.js';
import {
  audioToLogMel,
  runSiameseCheck,
  runTfCheck,
  type HitrankModule,
  type LossesModule,
  type SiameseHitModelClass,
} from './checks.js';

const hitrank = pkg.hitrank as HitrankModule;
const losses = pkg.losses as LossesModule;

setWasmPaths(WASM_URL_PATH);

function siameseClass(): SiameseHitModelClass | null {
  const fromRoot = Reflect.get(hitrank, 'SiameseHitModel') as SiameseHitModelClass | undefined;
  const training = pkg.training as { SiameseHitModel?: SiameseHitModelClass } | null;
  return fromRoot ?? training?.SiameseHitModel ?? null;
}

async function useBackend(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) {
    throw new Error(`tfjs backend '${name}' did not start (setBackend → ${ok}, current backend '${tf.getBackend()}').`);
  }
}

function bundled(name: BackendName): boolean {
  return name === 'cpu' || name === 'wasm' || OPTIONAL_BACKENDS[name];
}

async function backendDetails(name: BackendName): Promise<BackendReport['details']> {
  const env = tf.env();
  switch (name) {
    case 'wasm':
      return {
        simd: (await env.getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean,
        threads: (await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) as boolean,
        crossOriginIsolated: self.crossOriginIsolated,
      };
    case 'webgl': {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return {
        webglVersion: env.getNumber('WEBGL_VERSION'),
        float32Render: env.getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
        renderer: gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null,
      };
    }
    case 'webgpu': {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
      const adapter = gpu ? await gpu.requestAdapter() : null;
      return { adapter: adapter?.info ? `${adapter.info.vendor}/${adapter.info.architecture}/${adapter.info.description}` : null };
    }
    default:
      return {};
  }
}

const api: BrowserTestApi = {
  version: hitrank.VERSION,

  async probeBackends() {
    const out: BackendReport[] = [];
    for (const name of BACKENDS) {
      const report: BackendReport = { name, bundled: bundled(name), ok: false, details: {} };
      if (!report.bundled) {
        report.error = `@tensorflow/tfjs-backend-${name} is not installed`;
      } else {
        try {
          await useBackend(name);
          report.ok = true;
          report.details = await backendDetails(name);
        } catch (e) {
          report.error = (e as Error).message;
        }
      }
      out.push(report);
    }
    await useBackend('cpu');
    return out;
  },

  async logMelFromUrl(url, options) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
    return audioToLogMel(hitrank, new Uint8Array(await res.arrayBuffer()), options);
  },

  async tfCheck(backend, input) {
    await useBackend(backend);
    return runTfCheck(tf, losses, input);
  },

  siameseUnavailable() {
    return siameseClass() ? null : 'SiameseHitModel is exported neither by `hitrank` nor by `hitrank/training` in dist/.';
  },

  // The SiameseHitModel end-to-end check (issue 9): fit a few steps, predict,
  // save → load → predict, on the chosen backend.
  async siameseCheck(backend, input, predictOn) {
    const cls = siameseClass();
    if (!cls) throw new Error(api.siameseUnavailable() ?? 'unavailable');
    await useBackend(backend);
    return runSiameseCheck(tf, cls, input, { backends: predictOn, use: (b) => useBackend(b as BackendName) });
  },
};

(window as unknown as { hitrankTest: BrowserTestApi }).hitrankTest = api;
document.body.dataset.ready = 'true';
