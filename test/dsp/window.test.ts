import { describe, expect, it } from 'vitest';
import { getWindow, hammingWindow, hannWindow } from '../../src/dsp/index.js';
import { HitrankError } from '../../src/errors.js';
import { readF32, readF64 } from '../helpers/fixtures.js';

describe('windows', () => {
  it('periodic Hamming 4096 equals scipy.signal.get_window to 1e-15', () => {
    const ref = readF64('mel', 'common', 'hamming4096.f64');
    const w = hammingWindow(4096);
    expect(w.length).toBe(4096);
    let worst = 0;
    for (let i = 0; i < 4096; i++) worst = Math.max(worst, Math.abs(w[i] - ref[i]));
    expect(worst).toBeLessThanOrEqual(1e-15);
    const ref32 = readF32('mel', 'common', 'hamming4096.f32');
    let mism = 0;
    for (let i = 0; i < 4096; i++) if (Math.fround(w[i]) !== ref32[i]) mism++;
    expect(mism).toBe(0);
  });

  it('symmetric windows are symmetric and hit 1 at the centre for odd lengths', () => {
    const w = hammingWindow(9, { periodic: false });
    for (let i = 0; i < 9; i++) expect(w[i]).toBeCloseTo(w[8 - i], 15);
    expect(w[4]).toBeCloseTo(1, 15);
    expect(w[0]).toBeCloseTo(0.08, 15);
    const h = hannWindow(8);
    expect(h[0]).toBe(0);
    expect(h[4]).toBeCloseTo(1, 15);
  });

  it('rejects unknown names and bad lengths', () => {
    expect(() => getWindow('kaiser' as never, 16)).toThrow(HitrankError);
    expect(() => hammingWindow(0)).toThrow(/window length/);
    expect(getWindow('ones', 4)).toEqual(new Float64Array([1, 1, 1, 1]));
  });
});
