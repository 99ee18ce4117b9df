// Shared loader and comparison helpers for the sklearn/scipy metric fixtures
// (../shared/fixtures/metrics, see its MANIFEST.md).
import { expect } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { readF64, readJson } from '../helpers/fixtures.js';

export interface AtK {
  k: number;
  subset_indices: number[];
  ndcg: number | null;
  kendall_tau_b: number | null;
  spearman_rho: number | null;
}

export interface MetricCase {
  name: string;
  n: number;
  y_true: (number | null)[] | string;
  y_score: (number | null)[] | string;
  input_has_nan: boolean;
  ties_in_y_true: boolean;
  ties_in_y_score: boolean;
  ignore_ties_value_well_defined: boolean;
  full: {
    ndcg_all: number | null;
    ndcg_all_ignore_ties: number | null;
    kendall_tau_b: number | null;
    spearman_rho: number | null;
    ndcg_at: { k: number; ndcg: number | null; ndcg_ignore_ties: number | null }[];
  };
  at10: AtK;
  at50: AtK;
  library_errors: Record<string, string>;
}

/** null inside an input array means NaN (MANIFEST "Per-case schema"). */
export function inputArray(a: (number | null)[]): Float64Array {
  return Float64Array.from(a, (v) => (v === null ? NaN : v));
}

export function loadCases(): MetricCase[] {
  return readJson<{ cases: MetricCase[] }>('metrics', 'cases.json').cases;
}

export function loadLarge(): { c: MetricCase; yTrue: Float64Array; yScore: Float64Array } {
  const c = readJson<{ case: MetricCase }>('metrics', 'large_n10000.json').case;
  return {
    c,
    yTrue: readF64('metrics', c.y_true as string),
    yScore: readF64('metrics', c.y_score as string),
  };
}

/** nDCG tolerance from the MANIFEST: |a − b| ≤ 1e-12 · max(1, |b|); null ⇔ NaN. */
export function expectNdcg(actual: number, expected: number | null, what: string): number {
  if (expected === null) {
    expect(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`).toBe(true);
    return 0;
  }
  const err = Math.abs(actual - expected);
  expect(err, `${what}: got ${actual}, sklearn ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
  return err;
}

/** Correlation tolerance from the MANIFEST: 1e-12 absolute; null ⇔ NaN. */
export function expectCorr(actual: number, expected: number | null, what: string): number {
  if (expected === null) {
    expect(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`).toBe(true);
    return 0;
  }
  const err = Math.abs(actual - expected);
  expect(err, `${what}: got ${actual}, scipy ${expected}`).toBeLessThanOrEqual(1e-12);
  return err;
}

export function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected HitrankError ${code}`).toBeInstanceOf(HitrankError);
  expect((caught as HitrankError).code).toBe(code);
}
