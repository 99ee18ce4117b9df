// The interface the test page exposes as `window.hitrankTest` (types only).
import type { LogMelReport, SiameseCheckInput, SiameseCheckOutput, TfCheckInput, TfCheckOutput } from './checks.js';

/** tfjs backends the browser test tries. */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'webgpu';

/** The backends the browser test tries, in order. */
export const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgl', 'webgpu'];

/** Whether one tfjs backend started in the page, and what it runs on. */
export interface BackendReport {
  /** Backend name. */
  name: BackendName;
  /** Whether its package was bundled (webgl / webgpu are optional packages). */
  bundled: boolean;
  /** `await tf.setBackend(name) === true && tf.getBackend() === name`. */
  ok: boolean;
  /** Why it did not start. */
  error?: string;
  /** Backend facts: wasm SIMD/threads, WebGL version and renderer, WebGPU adapter… */
  details: Record<string, string | number | boolean | null>;
}

/** `window.hitrankTest`. */
export interface BrowserTestApi {
  /** hitrank's VERSION, as built. */
  version: string;
  /** Tries every backend of {@link BACKENDS}. */
  probeBackends(): Promise<BackendReport[]>;
  /** Fetches an encoded audio file and runs `audioToLogMel` on it (see checks.ts). */
  logMelFromUrl(url: string, options: { wavOnly?: boolean; mid30?: boolean }): Promise<LogMelReport>;
  /** Runs `runTfCheck` on `backend`. */
  tfCheck(backend: BackendName, input: TfCheckInput): Promise<TfCheckOutput>;
  /** `null` when SiameseHitModel is in the built package, else why not. */
  siameseUnavailable(): string | null;
  /** Runs `runSiameseCheck`: trains on `backend`, then also predicts on each of `predictOn`. */
  siameseCheck(backend: BackendName, input: SiameseCheckInput, predictOn: BackendName[]): Promise<SiameseCheckOutput>;
}
