// Every loss and its gradient, computed 100 times, leaves tf.memory().numTensors unchanged.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fuseScores,
  listnetLoss,
  multiObjectiveLoss,
  multiObjectiveLossParts,
  rankHingeLoss,
  ranknetLoss,
  rateLoss,
} from '../../src/losses/index.js';
import { tf, useBackend } from '../helpers/tf.js';

const FI = [0.9, -0.3, 0.2, 1.7];
const FJ = [0.1, 0.4, 0.2, -0.6];
const YI = [10, 1, 4, 2];
const YJ = [2, 5, 4, 0.5];

type Pairwise = (a: tf.Tensor, b: tf.Tensor) => tf.Scalar;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`no tensor leaks on ${backend}`, () => {
    let yi: tf.Tensor1D;
    let yj: tf.Tensor1D;
    beforeAll(async () => {
      await useBackend(backend);
      yi = tf.tensor1d(YI);
      yj = tf.tensor1d(YJ);
    });

    // `loss` is differentiated (tf.valueAndGrads runs it inside a tidy); `direct`
    // calls the library outside any tidy and returns every tensor it received,
    // so a tensor leaked inside hitrank/losses shows up in numTensors.
    interface Case {
      loss: Pairwise;
      direct?: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor[];
      inputs?: 1 | 2;
    }
    const cases: Record<string, () => Case> = {
      rateLoss: () => ({ loss: (a) => rateLoss(a, YI), inputs: 1 }),
      'rankHingeLoss (array labels)': () => ({ loss: (a, b) => rankHingeLoss(a, b, YI, YJ, { ties: 'skip' }) }),
      'rankHingeLoss (tensor labels)': () => ({ loss: (a, b) => rankHingeLoss(a, b, yi, yj, { ties: 'skip' }) }),
      'rankHingeLoss paper': () => ({ loss: (a, b) => rankHingeLoss(a, b, yi, yj, { ties: 'paper' }) }),
      'ranknetLoss delta0': () => ({ loss: (a, b) => ranknetLoss(a, b, yi, yj, { ties: 'delta0' }) }),
      multiObjectiveLoss: () => ({ loss: (a, b) => multiObjectiveLoss(a, b, yi, YJ, { w: 0.3 }) }),
      'multiObjectiveLoss ranknet': () => ({ loss: (a, b) => multiObjectiveLoss(a, b, YI, YJ, { w: 0.3, rank: 'ranknet' }) }),
      multiObjectiveLossParts: () => ({
        loss: (a, b) => {
          const p = multiObjectiveLossParts(a, b, yi, yj);
          tf.dispose([p.rate, p.rank]);
          return p.loss;
        },
        direct: (a, b) => Object.values(multiObjectiveLossParts(a, b, yi, yj)),
      }),
      'fused Eq. 4': () => ({
        loss: (a, b) => rateLoss(fuseScores(a, b, { mu: 0.3 }), YI),
        direct: (a, b) => {
          const f = fuseScores(a, b, { mu: 0.3 });
          return [f, rateLoss(f, YI)];
        },
      }),
      'fused Siamese Eq. 3': () => ({
        loss: (a, b) => multiObjectiveLoss(fuseScores(a, b), fuseScores(b, a, { mode: 'additive' }), yi, yj),
        direct: (a, b) => {
          const fi = fuseScores(a, b);
          const fj = fuseScores(b, a, { mode: 'additive' });
          return [fi, fj, multiObjectiveLoss(fi, fj, yi, yj)];
        },
      }),
      listnetLoss: () => ({
        loss: (a, b) => listnetLoss(tf.stack([a, b]), [[1, 0, -1, 2], [0, 0, 0, 0]], { weights: [[2], [1]] }),
        direct: (a) => [listnetLoss(a, [1, 0, -1, 2], { weights: [1, 2, 3, 4], reduction: 'sumByNonzeroWeights' })],
      }),
    };

    for (const [name, make] of Object.entries(cases)) {
      it(`${name}: value and gradients ×100`, () => {
        const c = make();
        const xs = [tf.tensor1d(FI), tf.tensor1d(FJ)].slice(0, c.inputs ?? 2);
        const direct = c.direct ?? ((a: tf.Tensor, b: tf.Tensor) => [c.loss(a, b)]);
        const run = (): void => {
          const { value, grads } = tf.valueAndGrads((...x: tf.Tensor[]) => c.loss(x[0], x[1]))(xs);
          expect(Number.isFinite(value.dataSync()[0])).toBe(true);
          tf.dispose([value, ...grads]);
          tf.dispose(direct(xs[0], xs[1] ?? xs[0]));
        };
        run(); // warm-up (lets a backend allocate anything it keeps)
        const before = tf.memory().numTensors;
        for (let k = 0; k < 100; k++) run();
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose(xs);
      });
    }

    it('throwing on bad input leaks nothing either', () => {
      const before = tf.memory().numTensors;
      const a = tf.tensor1d([1, 2]);
      expect(() => multiObjectiveLoss(a, [1, 2], [1, 2], [1])).toThrow();
      expect(() => listnetLoss([1, 2], [1, 0], { weights: [[1], [2]] })).toThrow();
      a.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
