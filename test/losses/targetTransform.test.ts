import { describe, expect, it } from 'vitest';
import {
  fitTargetTransform,
  fitZscore,
  negInvLog10,
  negInvLog10Inverse,
  targetTransformFromJSON,
  type TargetTransformKind,
} from '../../src/losses/index.js';
import { HitrankError } from '../../src/errors.js';

function expectCode(f: () => unknown, code: string, mentions?: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HitrankError);
    expect((e as HitrankError).code).toBe(code);
    if (mentions) expect((e as Error).message).toContain(mentions);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('target transforms', () => {
  it('negInvLog10: y ↦ −1/log10(y) (authors\' norm), exact on powers of ten', () => {
    expect(Array.from(negInvLog10([0.1, 0.01, 0.001]))).toEqual([1, 0.5, 1 / 3]);
    // the released model's ret30 → its logit scale (fixtures/hsp_cnn: ret30 0.0016162551 ↔ logit 0.35823131)
    expect(negInvLog10([0.0016162551])[0]).toBeCloseTo(0.35823131, 6);
  });

  it('negInvLog10Inverse: t ↦ 10^(−1/t), t ≤ 0 clamped to 0 (authors\' denorm); round-trips', () => {
    expect(Array.from(negInvLog10Inverse([1, 0.5, 0, -3]))).toEqual([0.1, 0.01, 0, 0]);
    const y = [1e-7, 3.2e-5, 0.004, 0.5, 0.999];
    negInvLog10Inverse(negInvLog10(y)).forEach((v, i) => expect(Math.abs(v - y[i]) / y[i]).toBeLessThan(1e-13));
  });

  it('negInvLog10 is increasing, so the ranking of songs is unchanged', () => {
    const t = negInvLog10([1e-6, 1e-5, 2e-5, 0.3]);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
  });

  it('negInvLog10 outside (0, 1) → E_PARAM naming the value; NaN → E_NAN', () => {
    expectCode(() => negInvLog10([0.2, 0]), 'E_PARAM', 'got 0 at index 1');
    expectCode(() => negInvLog10([1]), 'E_PARAM', 'got 1 at index 0');
    expectCode(() => negInvLog10([-0.5]), 'E_PARAM', '-0.5');
    expectCode(() => negInvLog10([NaN]), 'E_NAN');
    expectCode(() => fitTargetTransform('negInvLog10', [0.1, 1.5]), 'E_PARAM', '1.5');
    expectCode(() => negInvLog10Inverse([Infinity]), 'E_NAN');
  });

  it('zscore: population mean/std as sklearn StandardScaler (ddof = 0), zero std → 1', () => {
    expect(fitZscore([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(fitZscore([7, 7])).toEqual({ mean: 7, std: 1 });
    expectCode(() => fitZscore([]), 'E_EMPTY');
    const tt = fitTargetTransform('zscore', [1, 2, 3, 4]);
    expect(Array.from(tt.forward([2.5, 4]))).toEqual([0, 1.5 / Math.sqrt(1.25)]);
    expect(Array.from(tt.inverse(tt.forward([1, 9])))).toEqual([1, 9]);
  });

  it('fitted transforms are JSON-serialisable ({ kind, params }) and restore to the same mapping', () => {
    const y = [0.01, 0.002, 0.3];
    for (const kind of ['none', 'negInvLog10', 'zscore'] as TargetTransformKind[]) {
      const tt = fitTargetTransform(kind, y);
      const json = JSON.parse(JSON.stringify(tt));
      expect(Object.keys(json).sort()).toEqual(['kind', 'params']);
      expect(json.kind).toBe(kind);
      const back = targetTransformFromJSON(json);
      expect(Array.from(back.forward(y))).toEqual(Array.from(tt.forward(y)));
      expect(Array.from(back.inverse([0.2, 1]))).toEqual(Array.from(tt.inverse([0.2, 1])));
    }
    expect(JSON.parse(JSON.stringify(fitTargetTransform('zscore', [1, 3]))).params).toEqual({ mean: 2, std: 1 });
    expect(Array.from(fitTargetTransform('none', y).forward(y))).toEqual(y);
  });

  it('bad kinds and parameters → E_PARAM', () => {
    expectCode(() => fitTargetTransform('log' as TargetTransformKind, [0.1]), 'E_PARAM', "'log'");
    expectCode(() => targetTransformFromJSON({ kind: 'zscore', params: { mean: 0, std: 0 } }), 'E_PARAM');
    expectCode(() => targetTransformFromJSON({ kind: 'zscore', params: {} }), 'E_PARAM');
  });
});
