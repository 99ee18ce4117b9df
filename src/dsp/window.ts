import { assertInteger, HitrankError } from '../errors.js';
import type { WindowName } from './types.js';

/** Options of {@link hammingWindow} and {@link hannWindow}. */
export interface WindowOptions {
  /**
   * `true` (default): periodic window for spectral analysis, as
   * `scipy.signal.get_window(name, n, fftbins=True)` and librosa use;
   * `false`: symmetric window (`scipy.signal.windows.hamming(n, sym=True)`).
   */
  periodic?: boolean;
}

/**
 * Generalised Hamming window `alpha − (1 − alpha)·cos(2πn/M)`, computed the way
 * scipy does (`general_cosine` over `linspace(−π, π, M)`), so values agree with
 * scipy to the last bit or so.
 */
function generalHamming(n: number, alpha: number, periodic: boolean): Float64Array {
  assertInteger(n, 'window length', 1);
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = 1;
    return out;
  }
  const m = periodic ? n + 1 : n;
  const step = (2 * Math.PI) / (m - 1);
  for (let i = 0; i < n; i++) {
    const fac = i * step + -Math.PI;
    out[i] = alpha * 1 + (1 - alpha) * Math.cos(fac);
  }
  if (!periodic) out[n - 1] = alpha * 1 + (1 - alpha) * Math.cos(Math.PI);
  return out;
}

/**
 * Hamming window, `0.54 − 0.46·cos(2πn/N)` (periodic) — the window of the paper
 * (§2.5). Equivalent to `scipy.signal.get_window('hamming', n)` /
 * `librosa.filters.get_window('hamming', n)`.
 *
 * @param n - window length in samples (≥ 1).
 * @param opts - {@link WindowOptions}; `periodic` defaults to `true`.
 * @returns the window in double precision.
 * @example
 * ```ts
 * const w = hammingWindow(4096); // w[0] = 0.08, w[2048] = 1
 * ```
 */
export function hammingWindow(n: number, opts: WindowOptions = {}): Float64Array {
  return generalHamming(n, 0.54, opts.periodic ?? true);
}

/**
 * Hann window, `0.5 − 0.5·cos(2πn/N)` (periodic) — librosa's default STFT window
 * (`scipy.signal.get_window('hann', n)`).
 *
 * @param n - window length in samples (≥ 1).
 * @param opts - {@link WindowOptions}; `periodic` defaults to `true`.
 * @returns the window in double precision.
 */
export function hannWindow(n: number, opts: WindowOptions = {}): Float64Array {
  return generalHamming(n, 0.5, opts.periodic ?? true);
}

/**
 * A window by name, like `librosa.filters.get_window(name, n, fftbins=true)`.
 *
 * @param name - `'hamming'`, `'hann'` or `'ones'` (rectangular).
 * @param n - window length in samples.
 * @param opts - {@link WindowOptions}.
 * @returns the window in double precision.
 */
export function getWindow(name: WindowName, n: number, opts: WindowOptions = {}): Float64Array {
  switch (name) {
    case 'hamming':
      return hammingWindow(n, opts);
    case 'hann':
      return hannWindow(n, opts);
    case 'ones':
      assertInteger(n, 'window length', 1);
      return new Float64Array(n).fill(1);
    default:
      throw new HitrankError('E_PARAM', `unknown window '${String(name)}'; expected 'hamming', 'hann' or 'ones'.`);
  }
}
