// ranknetLoss against hand-derived float64 closed forms and finite differences
// (no PyTorch fixture covers it; TF-Ranking's docstring values are used where they apply).
import { beforeAll, describe, expect, it } from 'vitest';
import { ranknetLoss } from '../../src/losses/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { finiteDiff, ranknet64, ranknetGradFi64, type Ties } from './closedForm.js';

function lossAndGrads(fi: number[], fj: number[], yi: number[], yj: number[], ties: Ties): { value: number; gi: number[]; gj: number[] } {
  const a = tf.tensor1d(fi);
  const b = tf.tensor1d(fj);
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => ranknetLoss(x, y, yi, yj, { ties }))([a, b]);
  const out = { value: value.dataSync()[0], gi: Array.from(grads[0].dataSync()), gj: Array.from(grads[1].dataSync()) };
  tf.dispose([value, ...grads, a, b]);
  return out;
}

function close(got: number, ref: number, what: string, tol = 1e-5): void {
  expect(Math.abs(got - ref) / Math.max(1, Math.abs(ref)), `${what}: got ${got}, expected ${ref}`).toBeLessThanOrEqual(tol);
}
function closeVec(got: number[], ref: number[], what: string, tol = 1e-5): void {
  const scale = Math.max(1, ...ref.map(Math.abs));
  got.forEach((g, k) => expect(Math.abs(g - ref[k]) / scale, `${what}[${k}]: got ${g}, expected ${ref[k]}`).toBeLessThanOrEqual(tol));
}

// Pairs 2 and 3 tied; pair 1 mis-ranked.
const FI = [0.5, -1, 2, 0.3];
const FJ = [0, 0.5, 2, 1.2];
const YI = [3, 1, 2, 5];
const YJ = [1, 4, 2, 5];

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ranknetLoss on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('one pair: log(1 + e^0.2) = 0.7981389 (TF-Ranking PairwiseLogisticLoss docstring, ×2 for its Keras list-size reduction)', () => {
      const r = lossAndGrads([0.6], [0.8], [1], [0], 'skip');
      close(r.value, Math.log1p(Math.exp(0.2)), 'value');
      close(r.value, 2 * 0.39906943, 'TF-Ranking keras value × 2', 1e-6);
      const s = 1 / (1 + Math.exp(-0.2));
      closeVec(r.gi, [-s], 'd/dfi = −σ(0.2)');
      closeVec(r.gj, [s], 'd/dfj = +σ(0.2)');
    });

    for (const ties of ['skip', 'paper', 'delta0'] as const) {
      it(`ties '${ties}': value and gradient equal the float64 closed form (1/P)Σ log(1 + e^(−δΔf)), −δσ(−δΔf)/P`, () => {
        const r = lossAndGrads(FI, FJ, YI, YJ, ties);
        close(r.value, ranknet64(FI, FJ, YI, YJ, ties), 'value');
        const gi = ranknetGradFi64(FI, FJ, YI, YJ, ties);
        closeVec(r.gi, gi, 'grad fi');
        closeVec(r.gj, gi.map((g) => -g), 'grad fj');
        // the closed-form gradient is itself right: finite differences of the float64 loss
        closeVec(finiteDiff((x) => ranknet64(x, FJ, YI, YJ, ties), FI), gi, 'closed form vs finite differences', 1e-8);
      });
    }

    it('the three tie conventions give different answers on tied pairs (skip: P=2; paper: δ=+1, P=4; delta0: log 2 constant, P=4)', () => {
      const skip = lossAndGrads(FI, FJ, YI, YJ, 'skip').value;
      const paper = lossAndGrads(FI, FJ, YI, YJ, 'paper').value;
      const d0 = lossAndGrads(FI, FJ, YI, YJ, 'delta0');
      // pair 0: δ=+1, Δf=0.5; pair 1: δ=−1, Δf=−1.5 → −δΔf = −1.5; pair 2: tied, Δf=0; pair 3: tied, Δf=−0.9
      const untied = Math.log1p(Math.exp(-0.5)) + Math.log1p(Math.exp(-1.5));
      close(skip, untied / 2, 'skip by hand');
      close(paper, (untied + Math.log(2) + Math.log1p(Math.exp(0.9))) / 4, 'paper by hand');
      close(d0.value, (untied + 2 * Math.log(2)) / 4, 'delta0 by hand');
      expect(Math.abs(d0.gi[2])).toBe(0);
      expect(Math.abs(d0.gi[3])).toBe(0);
    });

    it('gradient at Δf = 0 is the true derivative −δ/2 per pair (TF-Ranking relu/abs form gives 0 there)', () => {
      const r = lossAndGrads([0.25, 0.25], [0.25, 0.25], [2, 1], [1, 2], 'skip');
      close(r.value, Math.log(2), 'value log 2');
      closeVec(r.gi, [-0.25, 0.25], 'grad fi = −δ·½ / P');
    });

    it('is numerically stable for large score differences (softplus): no Infinity/NaN', () => {
      const r = lossAndGrads([100, -100], [-100, 100], [1, 1], [0, 0], 'skip');
      // pair 0 right by 200: ≈ e^−200 ≈ 0; pair 1 wrong by 200: ≈ 200
      close(r.value, 100, 'value (0 + 200)/2');
      closeVec(r.gi, [0, -0.5], 'grad fi');
      expect(r.gi.every(Number.isFinite) && r.gj.every(Number.isFinite)).toBe(true);
    });

    it('all pairs tied under skip → 0 with zero gradient (no 0/0)', () => {
      const r = lossAndGrads([1, 2], [0, 5], [3, 3], [3, 3], 'skip');
      expect(r.value).toBe(0);
      expect([...r.gi, ...r.gj].every((g) => g === 0)).toBe(true);
    });

    it('tf gradient agrees with a finite difference of the tf loss itself', () => {
      const h = 1e-2;
      const base = lossAndGrads(FI, FJ, YI, YJ, 'skip');
      FI.forEach((_, k) => {
        const up = FI.slice();
        const dn = FI.slice();
        up[k] += h;
        dn[k] -= h;
        const fd = (lossAndGrads(up, FJ, YI, YJ, 'skip').value - lossAndGrads(dn, FJ, YI, YJ, 'skip').value) / (2 * h);
        expect(Math.abs(fd - base.gi[k]), `fi[${k}]`).toBeLessThan(1e-3);
      });
    });
  });
}
