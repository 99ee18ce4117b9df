// Input handling, validation errors, options and the name registry of hitrank/losses.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fuseScores,
  listnetLoss,
  lossByName,
  multiObjectiveLoss,
  multiObjectiveLossParts,
  negInvLog10Inverse,
  PAIRWISE_LOSS_NAMES,
  PAIRWISE_LOSSES,
  rankHingeLoss,
  ranknetLoss,
  rateLoss,
  type TieConvention,
} from '../../src/losses/index.js';
import { HitrankError } from '../../src/errors.js';
import { readF32 } from '../helpers/fixtures.js';
import { tf, useBackend } from '../helpers/tf.js';

function expectCode(f: () => unknown, code: string, mentions?: string): void {
  let thrown: unknown;
  try {
    tf.dispose(f() as tf.Tensor);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected ${code}`).toBeInstanceOf(HitrankError);
  expect((thrown as HitrankError).code).toBe(code);
  if (mentions) expect((thrown as Error).message).toContain(mentions);
}

function val(t: tf.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

const FI = [0.9, -0.3, 0.2, 1.7];
const FJ = [0.1, 0.4, 0.2, -0.6];
const YI = [10, 1, 4, 2];
const YJ = [2, 5, 4, 0.5];

beforeAll(async () => {
  await useBackend('cpu');
});

describe('inputs', () => {
  it('tensors [B], columns [B, 1] and plain arrays give the same loss', () => {
    const ref = val(multiObjectiveLoss(FI, FJ, YI, YJ));
    const t = [FI, FJ, YI, YJ].map((x) => tf.tensor1d(x));
    const c = [FI, FJ, YI, YJ].map((x) => tf.tensor2d(x, [x.length, 1]));
    expect(val(multiObjectiveLoss(t[0], t[1], t[2], t[3]))).toBeCloseTo(ref, 6);
    expect(val(multiObjectiveLoss(c[0], c[1], c[2], c[3]))).toBeCloseTo(ref, 6);
    expect(val(multiObjectiveLoss(Float32Array.from(FI), Float64Array.from(FJ), t[2], YJ))).toBeCloseTo(ref, 6);
    tf.dispose([...t, ...c]);
  });

  it('array labels are ordered in float64; tensor labels in float32 (documented)', () => {
    const yi = [1 + 1e-12];
    const yj = [1];
    // float64: yi > yj → counted with δ = +1: hinge 1 − (0 − 0) = 1
    expect(val(rankHingeLoss([0], [0], yi, yj))).toBe(1);
    // float32: the two labels round to the same value → a tie, skipped → 0
    const ti = tf.tensor1d(yi);
    const tj = tf.tensor1d(yj);
    expect(val(rankHingeLoss([0], [0], ti, tj))).toBe(0);
    tf.dispose([ti, tj]);
  });

  it('no gradient flows into the labels through δ or the tie mask; the rate term\'s label gradient is the MSE one', () => {
    const xs = [FI, FJ, YI, YJ].map((x) => tf.tensor1d(x));
    for (const ties of ['skip', 'paper', 'delta0'] as TieConvention[]) {
      const rank = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => rankHingeLoss(a, b, c, d, { ties }))(xs);
      expect(Array.from(rank[2].dataSync()).every((g) => g === 0)).toBe(true);
      expect(Array.from(rank[3].dataSync()).every((g) => g === 0)).toBe(true);
      const rn = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => ranknetLoss(a, b, c, d, { ties }))(xs);
      expect(Array.from(rn[2].dataSync()).every((g) => g === 0)).toBe(true);
      const w = 0.3;
      const multi = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => multiObjectiveLoss(a, b, c, d, { ties, w }))(xs);
      // d/dyi of (1 − w)·mean over 2B of (f − y)² = −(1 − w)·2(fi − yi)/(2B)
      multi[2].dataSync().forEach((g, p) => expect(g).toBeCloseTo((-(1 - w) * 2 * (FI[p] - YI[p])) / 8, 5));
      tf.dispose([...rank, ...rn, ...multi]);
    }
    tf.dispose(xs);
  });
});

describe('validation', () => {
  it('mismatched lengths → E_SHAPE naming the lengths', () => {
    expectCode(() => rateLoss([1, 2], [1]), 'E_SHAPE', '2');
    expectCode(() => rankHingeLoss([1, 2], [1, 2], [1, 2], [1]), 'E_SHAPE', 'yj 1');
    expectCode(() => ranknetLoss([1], [1, 2], [1], [1]), 'E_SHAPE', 'fj 2');
    expectCode(() => multiObjectiveLoss([1, 2, 3], [1, 2], [1, 2], [1, 2]), 'E_SHAPE', 'fi 3');
    expectCode(() => multiObjectiveLossParts([1], [1], [1, 2], [1]), 'E_SHAPE');
    expectCode(() => fuseScores([1, 2], [1]), 'E_SHAPE');
    expectCode(() => listnetLoss([1, 2], [1, 2, 3]), 'E_SHAPE');
    expectCode(() => listnetLoss([[1, 2], [3]], [[1, 2], [3, 4]]), 'E_SHAPE', 'scores[1]');
    const m = tf.zeros([3, 2]);
    expectCode(() => rateLoss(m, [1, 2, 3]), 'E_SHAPE', '[3, 2]');
    const a = tf.zeros([2, 1]);
    const b = tf.zeros([2]);
    expectCode(() => fuseScores(a, b), 'E_SHAPE');
    tf.dispose([m, a, b]);
  });

  it('empty input → E_EMPTY; non-finite array input → E_NAN', () => {
    expectCode(() => rankHingeLoss([], [], [], []), 'E_EMPTY');
    expectCode(() => rateLoss([], []), 'E_EMPTY');
    expectCode(() => listnetLoss([], []), 'E_EMPTY');
    expectCode(() => rankHingeLoss([NaN], [0], [1], [0]), 'E_NAN', 'fi');
    expectCode(() => multiObjectiveLoss([0], [0], [1], [Infinity]), 'E_NAN', 'yj');
    expectCode(() => listnetLoss([0, 1], [1, NaN]), 'E_NAN', 'labels');
  });

  it('bad options → E_PARAM naming the value', () => {
    expectCode(() => rankHingeLoss(FI, FJ, YI, YJ, { margin: -1 }), 'E_PARAM', '-1');
    expectCode(() => rankHingeLoss(FI, FJ, YI, YJ, { margin: NaN }), 'E_PARAM', 'NaN');
    expectCode(() => rankHingeLoss(FI, FJ, YI, YJ, { ties: 'ge' as TieConvention }), 'E_PARAM', 'ge');
    expectCode(() => ranknetLoss(FI, FJ, YI, YJ, { ties: 'x' as TieConvention }), 'E_PARAM');
    expectCode(() => multiObjectiveLoss(FI, FJ, YI, YJ, { w: 1.5 }), 'E_PARAM', '1.5');
    expectCode(() => multiObjectiveLoss(FI, FJ, YI, YJ, { rank: 'listnet' as 'ranknet' }), 'E_PARAM', 'listnet');
    expectCode(() => fuseScores([1], [2], { mu: 2 }), 'E_PARAM', '2');
    expectCode(() => fuseScores([1], [2], { mode: 'mean' as 'convex' }), 'E_PARAM', 'mean');
    expectCode(() => listnetLoss([1], [1], { reduction: 'mean' as 'sumOverBatchSize' }), 'E_PARAM', 'mean');
    expectCode(() => listnetLoss([1], [1], { temperature: 0 }), 'E_PARAM', '0');
    expectCode(() => listnetLoss([1, 2], [1, 0], { weights: [1, -2] }), 'E_PARAM', '-2');
    expectCode(() => listnetLoss([1, 2], [1, 0], { weights: [1, 2, 3] }), 'E_SHAPE');
  });
});

describe('options and compositions', () => {
  it('multiObjectiveLossParts: loss = (1 − w)·rate + w·rank, rate over both songs of each pair', () => {
    const w = 0.3;
    const p = multiObjectiveLossParts(FI, FJ, YI, YJ, { w });
    const [loss, rate, rank] = [val(p.loss), val(p.rate), val(p.rank)];
    expect(loss).toBeCloseTo((1 - w) * rate + w * rank, 6);
    expect(rate).toBeCloseTo(val(rateLoss([...FI, ...FJ], [...YI, ...YJ])), 6);
    expect(rank).toBeCloseTo(val(rankHingeLoss(FI, FJ, YI, YJ)), 6);
  });

  it("rank: 'ranknet' swaps the ranking term of Eq. 3", () => {
    const w = 0.6;
    const got = val(multiObjectiveLoss(FI, FJ, YI, YJ, { w, rank: 'ranknet', ties: 'paper' }));
    const rate = val(rateLoss([...FI, ...FJ], [...YI, ...YJ]));
    expect(got).toBeCloseTo((1 - w) * rate + w * val(ranknetLoss(FI, FJ, YI, YJ, { ties: 'paper' })), 5);
  });

  it("fuseScores 'additive' = a + μ·b reproduces the authors' released logit pt + 0.5·tag (fixtures/hsp_cnn)", () => {
    const pt = readF32('hsp_cnn', 'intermediates', 'pt.f32');
    const tag = readF32('hsp_cnn', 'intermediates', 'tag.f32');
    const logit = readF32('hsp_cnn', 'intermediates', 'logit.f32');
    const ret30 = readF32('hsp_cnn', 'intermediates', 'ret30.f32');
    const fused = fuseScores(pt, tag, { mode: 'additive' });
    expect(Math.abs(fused.dataSync()[0] - logit[0])).toBeLessThan(1e-7);
    // and the target transform maps it to the released ret30
    expect(Math.abs(negInvLog10Inverse(fused.dataSync())[0] - ret30[0]) / ret30[0]).toBeLessThan(1e-5);
    fused.dispose();
    // convex differs (0.5·pt + 0.5·tag), as the manifest says
    expect(Math.abs(val(fuseScores(pt, tag)) - 0.5 * (pt[0] + tag[0]))).toBeLessThan(1e-7);
  });

  it('fuseScores keeps the shape of [N, 1] model outputs and its gradient is (1 − μ, μ)', () => {
    const a = tf.tensor2d([[1], [2]]);
    const b = tf.tensor2d([[3], [5]]);
    const f = fuseScores(a, b, { mu: 0.25 });
    expect(f.shape).toEqual([2, 1]);
    expect(Array.from(f.dataSync())).toEqual([1.5, 2.75]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(fuseScores(x, y, { mu: 0.25 })))([a, b]);
    expect(Array.from(g[0].dataSync())).toEqual([0.75, 0.75]);
    expect(Array.from(g[1].dataSync())).toEqual([0.25, 0.25]);
    tf.dispose([a, b, f, ...g]);
  });
});

describe('registry', () => {
  it('lossByName returns each registered pairwise loss; names are listed in PAIRWISE_LOSS_NAMES', () => {
    expect([...PAIRWISE_LOSS_NAMES].sort()).toEqual(Object.keys(PAIRWISE_LOSSES).sort());
    expect(lossByName('rankHinge')).toBe(rankHingeLoss);
    expect(lossByName('ranknet')).toBe(ranknetLoss);
    expect(lossByName('multiObjective')).toBe(multiObjectiveLoss);
    const opts = { margin: 0.5, w: 0.3, ties: 'skip' as const };
    expect(val(lossByName('rate')(FI, FJ, YI, YJ, opts))).toBeCloseTo(val(rateLoss([...FI, ...FJ], [...YI, ...YJ])), 6);
    expect(val(lossByName('multiObjective')(FI, FJ, YI, YJ, opts))).toBeCloseTo(val(multiObjectiveLoss(FI, FJ, YI, YJ, opts)), 6);
  });

  it('unknown names → E_PARAM listing the known ones', () => {
    expectCode(() => lossByName('hinge'), 'E_PARAM', 'rankHinge');
    expectCode(() => lossByName('toString'), 'E_PARAM');
  });
});
