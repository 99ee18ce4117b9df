import { describe, expect, it } from 'vitest';
import { melFilterbank, sparseMelFilterbank } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';
import { readF32, readF64 } from '../helpers/fixtures.js';

describe('melFilterbank vs librosa.filters.mel', () => {
  it('Slaney/slaney float32 basis is bit-identical to librosa (double-rounding recipe)', () => {
    const ref = readF32('mel', 'common', 'melfb_slaney.f32');
    const fb = melFilterbank({ sampleRate: 22050, nFft: 4096, nMels: 128 });
    expect(fb.shape).toEqual([128, 2049]);
    expect(fb.data.length).toBe(ref.length);
    let mism = 0;
    for (let i = 0; i < ref.length; i++) if (fb.data[i] !== ref[i]) mism++;
    expect(mism).toBe(0);
  });

  it('agrees with the float64 construction to float32 rounding', () => {
    const ref = readF64('mel', 'common', 'melfb_slaney.f64');
    const fb = melFilterbank({ sampleRate: 22050, nFft: 4096 });
    let worst = 0;
    let zeroMism = 0;
    for (let i = 0; i < ref.length; i++) {
      if (ref[i] === 0) zeroMism += fb.data[i] === 0 ? 0 : 1;
      else worst = Math.max(worst, Math.abs(fb.data[i] - ref[i]) / ref[i]);
    }
    expect(zeroMism).toBe(0);
    expect(worst).toBeLessThan(1.5e-7);
  });

  it('HTK scale without normalisation matches to 1 float32 ulp (MANIFEST §6)', () => {
    const ref = readF32('mel', 'common', 'melfb_htk_nonorm.f32');
    const fb = melFilterbank({ sampleRate: 22050, nFft: 4096, htk: true, norm: null });
    let worstUlps = 0;
    let edgeOnly = 0;
    for (let i = 0; i < ref.length; i++) {
      if (fb.data[i] === ref[i]) continue;
      const d = Math.abs(fb.data[i] - ref[i]);
      // V8's Math.log10 / ** differ from glibc by 1 ulp on the top edge frequency
      // (11024.999999999998 vs librosa's 11025.000000000002), which turns
      // librosa's 7.2e-15 weight at the Nyquist bin of band 127 into 0 here.
      // Such vanishing edge weights are counted separately, everything else is ≤ 1 ulp.
      if (Math.max(Math.abs(ref[i]), Math.abs(fb.data[i])) < 1e-13) {
        edgeOnly++;
        continue;
      }
      worstUlps = Math.max(worstUlps, d / (Math.abs(ref[i]) * 2 ** -23));
    }
    expect(worstUlps).toBeLessThanOrEqual(1);
    expect(edgeOnly).toBeLessThanOrEqual(1);
  });

  it('sparse form covers every non-zero weight in one run per band', () => {
    const b = sparseMelFilterbank({ sampleRate: 22050, nFft: 4096 });
    const dense = melFilterbank({ sampleRate: 22050, nFft: 4096 });
    let nnz = 0;
    for (const v of dense.data) if (v !== 0) nnz++;
    let covered = 0;
    for (let m = 0; m < 128; m++) for (let j = 0; j < b.length[m]; j++) if (b.weights[b.offset[m] + j] !== 0) covered++;
    expect(covered).toBe(nnz);
    expect(nnz).toBe(4037); // MANIFEST: 4037 non-zero Slaney entries
    expect(b.emptyBands).toEqual([]);
  });

  it('reports empty bands and rejects bad options', () => {
    const b = sparseMelFilterbank({ sampleRate: 8000, nFft: 64, nMels: 128 });
    expect(b.emptyBands.length).toBeGreaterThan(0);
    expect(() => melFilterbank({ nMels: 0 })).toThrow(HitrankError);
    expect(() => melFilterbank({ fmin: 2000, fmax: 1000 })).toThrow(/fmax/);
  });
});
