// listnetLoss (TF-Ranking SoftmaxLoss) against hand-derived float64 closed forms,
// TF-Ranking's own docstring values, and finite differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { listnetLoss, type ListnetLossOptions } from '../../src/losses/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { finiteDiff, softmaxLoss64 } from './closedForm.js';

function close(got: number, ref: number, what: string, tol = 1e-5): void {
  expect(Math.abs(got - ref) / Math.max(1, Math.abs(ref)), `${what}: got ${got}, expected ${ref}`).toBeLessThanOrEqual(tol);
}

/** Value and gradient w.r.t. the scores (a [L, n] tensor). */
function lossAndGrad(scores: number[][], labels: number[][], opts: ListnetLossOptions = {}): { value: number; grad: number[][] } {
  const s = tf.tensor2d(scores);
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => listnetLoss(x, labels, opts))([s]);
  const g = grads[0].arraySync() as number[][];
  const v = value.dataSync()[0];
  tf.dispose([value, ...grads, s]);
  return { value: v, grad: g };
}

const lse = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`listnetLoss on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    it('TF-Ranking docstring: [[1, 0]], [[0.6, 0.8]] → 0.7981389 = log(1 + e^0.2); a 1-D list gives the same', () => {
      const v = listnetLoss([0.6, 0.8], [1, 0]);
      close(v.dataSync()[0], Math.log1p(Math.exp(0.2)), 'closed form');
      close(v.dataSync()[0], 0.7981389, 'TF-Ranking value', 1e-6);
      v.dispose();
      close(lossAndGrad([[0.6, 0.8]], [[1, 0]]).value, 0.7981389, '2-D', 1e-6);
    });

    it('TF-Ranking docstring, ragged batch padded with label −1: → 0.83911896', () => {
      const scores = [[0.6, 0.8, 0], [0.5, 0.8, 0.4]];
      const labels = [[1, 0, -1], [0, 1, 0]];
      const { value } = lossAndGrad(scores, labels);
      // by hand: list 1 = −log softmax(0.6 | 0.6, 0.8, ln 1e−10); list 2 = lse(0.5, 0.8, 0.4) − 0.8; mean of the two
      const byHand = (lse([0.6, 0.8, Math.log(1e-10)]) - 0.6 + lse([0.5, 0.8, 0.4]) - 0.8) / 2;
      close(value, byHand, 'closed form');
      close(value, 0.83911896, 'TF-Ranking value', 1e-6);
    });

    it('labels are normalised to a distribution and the list is weighted by the label sum: 4·(lse(s) − Σ p_i s_i)', () => {
      const byHand = 4 * (lse([1, 2, 3]) - (0.5 * 1 + 0.25 * 2 + 0.25 * 3));
      for (const reduction of ['sumOverBatchSize', 'sumByNonzeroWeights'] as const) {
        const r = lossAndGrad([[1, 2, 3]], [[2, 1, 1]], { reduction });
        close(r.value, byHand, reduction);
        // d/ds_i = w·(softmax_i − p_i)
        const z = lse([1, 2, 3]);
        const soft = [1, 2, 3].map((s) => Math.exp(s - z));
        r.grad[0].forEach((g, i) => close(g, 4 * (soft[i] - [0.5, 0.25, 0.25][i]), `grad ${i}`));
      }
    });

    it('non-positive label sums: an all-zero or all-invalid list contributes 0 with zero gradient', () => {
      for (const labels of [[[0, 0, 0]], [[-1, -1, -1]]]) {
        const r = lossAndGrad([[0.3, -2, 5]], labels);
        expect(r.value).toBe(0);
        expect(r.grad[0].every((g) => g === 0)).toBe(true);
      }
    });

    it('reductions differ only in the denominator: sumOverBatchSize counts empty lists, sumByNonzeroWeights does not', () => {
      const scores = [[0.2, 0.9, -0.4], [1, 2, 3]];
      const labels = [[3, 1, 0], [0, 0, 0]];
      const one = 4 * (lse([0.2, 0.9, -0.4]) - (0.75 * 0.2 + 0.25 * 0.9));
      close(lossAndGrad(scores, labels, { reduction: 'sumOverBatchSize' }).value, one / 2, 'sumOverBatchSize');
      close(lossAndGrad(scores, labels, { reduction: 'sumByNonzeroWeights' }).value, one, 'sumByNonzeroWeights');
      const r = lossAndGrad(scores, labels, { reduction: 'sumByNonzeroWeights' });
      expect(r.grad[1].every((g) => g === 0)).toBe(true);
    });

    it('item weights multiply the labels before normalisation; per-list [L, 1] weights scale w_l', () => {
      const byHand = 3 * (lse([0.1, 0.2, 0.3]) - ((2 / 3) * 0.1 + (1 / 3) * 0.2));
      close(lossAndGrad([[0.1, 0.2, 0.3]], [[1, 1, 0]], { weights: [[2, 1, 5]] }).value, byHand, 'item weights');
      const scores = [[0.1, 0.2, 0.3], [1, -1, 0]];
      const labels = [[1, 1, 0], [0.5, 0, 2]];
      const weights = [[2], [0.5]];
      close(lossAndGrad(scores, labels, { weights }).value, softmaxLoss64(scores, labels, { weights }), 'per-list weights');
      close(lossAndGrad(scores, labels, { weights: 3 }).value, 3 * softmaxLoss64(scores, labels), 'scalar weight');
    });

    it('temperature divides the scores of valid items', () => {
      const scores = [[0.4, 1.6, -0.8]];
      const labels = [[1, 2, -1]];
      close(lossAndGrad(scores, labels, { temperature: 0.5 }).value, softmaxLoss64(scores, labels, { temperature: 0.5 }), 'T = 0.5');
    });

    it('gradient: closed form w·(softmax − p)/D on valid items, 0 on invalid ones; agrees with finite differences', () => {
      const scores = [[0.3, -0.2, 1.1, 0.7], [2.0, 0.5, -1.0, 0.0]];
      const labels = [[0.5, 0.1, -1, 0.2], [1, 0, 0.25, 0.75]];
      for (const reduction of ['sumOverBatchSize', 'sumByNonzeroWeights'] as const) {
        const r = lossAndGrad(scores, labels, { reduction });
        close(r.value, softmaxLoss64(scores, labels, { reduction }), `${reduction} value`);
        scores.forEach((row, l) => {
          const valid = labels[l].map((y) => y >= 0);
          const lab = labels[l].map((y, i) => (valid[i] ? y : 0));
          const w = lab.reduce((a, b) => a + b, 0);
          const logits = row.map((s, i) => (valid[i] ? s : Math.log(1e-10)));
          const z = lse(logits);
          const closed = row.map((_, i) => (valid[i] ? (w * (Math.exp(logits[i] - z) - lab[i] / w)) / 2 : 0));
          const fd = finiteDiff((x) => softmaxLoss64(scores.map((s2, l2) => (l2 === l ? x : s2)), labels, { reduction }), row);
          closed.forEach((c, i) => {
            close(r.grad[l][i], c, `${reduction} grad[${l}][${i}] vs closed form`);
            expect(Math.abs(fd[i] - c), `closed form vs finite difference [${l}][${i}]`).toBeLessThan(1e-8);
          });
        });
      }
    });
  });
}
