// The `jynet` feature preset against the reference inputs of
// ../shared/fixtures/jynet (librosa 0.10.2 + scipy resample_poly, MANIFEST.md
// "Front end used for the reference inputs").
import { beforeAll, describe, expect, it } from 'vitest';
import { readF32 } from '../helpers/fixtures.js';
import { JYNET_FEATURES, jynetFeatures, jynetFeaturesFrom22k, type JynetFeatures, type JynetStandardizer } from '../../src/dsp/jynetFeatures.js';
import { melSpectrogram, resample } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';

const NFFTS = [512, 1024, 2048, 4096, 8192, 16384];
const shipped: JynetStandardizer = {
  mean: NFFTS.map((n) => readF32('jynet', 'standardizers', `mean_${n}.f32`)),
  std: NFFTS.map((n) => readF32('jynet', 'standardizers', `std_${n}.f32`)),
};

/**
 * Tolerance of a standardised input, derived from the mel manifest's f64 tier
 * (|ΔP| ≤ 1e-5·P): Δlog(1 + 10⁴P) ≤ 1e-5, plus two float32 roundings of
 * log1p values ≤ 16 (2 · 9.5e-7), divided by the smallest std of the scale,
 * plus the float32 rounding of the result (|x| < 8: 4.8e-7).
 */
function tolerance(scale: number): number {
  const minStd = Math.min(...shipped.std[scale]);
  return (1e-5 + 2 * 9.5e-7) / minStd + 4.8e-7;
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('jynetFeatures (jynet preset)', () => {
  let y16: Float32Array;
  let feats: JynetFeatures;
  beforeAll(() => {
    y16 = resample(readF32('mel', 'signals', 'music30.f32'), { from: 22050, to: 16000, quality: 'scipy' });
    feats = jynetFeatures(y16, { standardize: 'shipped', shippedStats: shipped });
  });

  it('reproduces reference/music30/input_<n>.f32 (shipped scalers) within the derived mel tolerance', () => {
    expect(y16.length).toBe(480000);
    expect(feats.shape).toEqual([911, 128]);
    expect(feats.nFfts).toEqual(NFFTS);
    expect(feats.sourceFrames).toBe(938);
    NFFTS.forEach((n, i) => {
      const ref = readF32('jynet', 'reference', 'music30', `input_${n}.f32`);
      const err = maxAbs(feats.inputs[i], ref);
      // measured 1.2e-6 … 5.6e-6; limits 1.3e-5 (n_fft 512) … 4.7e-6 (16384)
      expect(err, `input_${n}`).toBeLessThanOrEqual(tolerance(i));
    });
  });

  it('jynetFeaturesFrom22k resamples with the scipy filter first', () => {
    const f = jynetFeaturesFrom22k(readF32('mel', 'signals', 'music30.f32'), {
      standardize: 'shipped',
      shippedStats: { mean: shipped.mean.slice(0, 1), std: shipped.std.slice(0, 1) },
      nFfts: [512],
    });
    expect(maxAbs(f.inputs[0], feats.inputs[0])).toBe(0);
  });

  it("'self' standardises every bin to mean 0, population std 1 over the 911 frames", () => {
    const f = jynetFeatures(y16, { nFfts: [1024, 8192] });
    expect(f.standardize).toBe('self');
    for (const x of f.inputs) {
      for (const m of [0, 5, 64, 127]) {
        let s = 0;
        let s2 = 0;
        for (let t = 0; t < 911; t++) s += x[t * 128 + m];
        const mu = s / 911;
        for (let t = 0; t < 911; t++) s2 += (x[t * 128 + m] - mu) ** 2;
        expect(Math.abs(mu)).toBeLessThan(1e-5);
        expect(Math.abs(Math.sqrt(s2 / 911) - 1)).toBeLessThan(1e-5);
      }
    }
  });

  it("'none' is log(1 + 10000·S) of melSpectrogram, transposed to time-major and cropped to the first 911 frames", () => {
    const f = jynetFeatures(y16, { standardize: 'none', nFfts: [2048] });
    const S = melSpectrogram(y16, { sampleRate: 16000, nFft: 2048, hopLength: 512, nMels: 128 });
    const T = S.shape[1];
    for (const [t, m] of [[0, 0], [910, 127], [300, 40]]) {
      expect(f.inputs[0][t * 128 + m]).toBeCloseTo(Math.log(1 + 10000 * S.data[m * T + t]), 5);
    }
    const shipped2048 = (f.inputs[0][300 * 128 + 40] - shipped.mean[2][40]) / shipped.std[2][40];
    expect(feats.inputs[2][300 * 128 + 40]).toBeCloseTo(shipped2048, 5);
  });

  it('appends zero frames to a short clip (before standardisation, as make_ex_data.py)', () => {
    const short = y16.subarray(0, 16000 * 5); // 5 s → 157 frames
    const raw = jynetFeatures(short, { standardize: 'none', nFfts: [512] });
    expect(raw.sourceFrames).toBe(157);
    expect(raw.inputs[0].subarray(157 * 128).every((v) => v === 0)).toBe(true);
    expect(raw.inputs[0].subarray(156 * 128, 157 * 128).some((v) => v !== 0)).toBe(true);
    // self-standardised: the padded rows hold −mean/std, identical in every padded frame
    const self = jynetFeatures(short, { nFfts: [512] }).inputs[0];
    expect(Array.from(self.subarray(200 * 128, 201 * 128))).toEqual(Array.from(self.subarray(900 * 128, 901 * 128)));
    // a silent clip: every bin constant → std 1, all zeros
    const silent = jynetFeatures(new Float32Array(16000), { nFfts: [512], frames: 40 });
    expect(silent.inputs[0].every((v) => v === 0)).toBe(true);
  });

  it('documents the preset', () => {
    expect(JYNET_FEATURES).toMatchObject({ sampleRate: 16000, hopLength: 512, nMels: 128, log1pScale: 10000, frames: 911 });
    expect(JYNET_FEATURES.nFfts).toEqual(NFFTS);
  });

  it('rejects bad options with clear errors', () => {
    const y = y16.subarray(0, 16000);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(HitrankError);
        return (e as HitrankError).code;
      }
      return 'none';
    };
    expect(code(() => jynetFeatures(y, { standardize: 'shipped' }))).toBe('E_MISSING_DATA');
    expect(code(() => jynetFeatures(y, { standardize: 'shipped', shippedStats: { mean: shipped.mean.slice(0, 5), std: shipped.std } }))).toBe('E_SHAPE');
    const badStd = shipped.std.map((s) => s.slice());
    badStd[3][7] = 0;
    expect(code(() => jynetFeatures(y, { standardize: 'shipped', shippedStats: { mean: shipped.mean, std: badStd } }))).toBe('E_PARAM');
    expect(code(() => jynetFeatures(y, { standardize: 'zscore' as never }))).toBe('E_PARAM');
    expect(code(() => jynetFeatures(y, { frames: 0 }))).toBe('E_PARAM');
    expect(code(() => jynetFeatures(new Float32Array(0)))).toBe('E_EMPTY');
    expect(code(() => jynetFeatures(Float32Array.of(0, NaN, 1)))).toBe('E_NAN');
  });
});
