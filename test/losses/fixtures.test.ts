// Parity of hitrank/losses with the PyTorch float64 reference fixtures
// (../shared/fixtures/losses, MANIFEST.md): values and gradients of Eq. 1–4
// for every case, setting and tie convention, on the cpu and wasm backends.
// Tolerances are the manifest's float32 recommendation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fuseScores,
  multiObjectiveLoss,
  multiObjectiveLossParts,
  rankHingeLoss,
  rateLoss,
  type TieConvention,
} from '../../src/losses/index.js';
import { readJson } from '../helpers/fixtures.js';
import { tf, useBackend } from '../helpers/tf.js';

type Conv = 'skip' | 'paper_ge' | 'delta0';
const CONVS: readonly Conv[] = ['skip', 'paper_ge', 'delta0'];
const TIES: Record<Conv, TieConvention> = { skip: 'skip', paper_ge: 'paper', delta0: 'delta0' };

interface LossSetting {
  m: number;
  w: number;
  rate: number;
  rank: Record<Conv, number>;
  loss: Record<Conv, number>;
  grad_fi: Record<Conv, number[]>;
  grad_fj: Record<Conv, number[]>;
  kink_pairs?: Partial<Record<Conv, number[]>>;
  grads_relu_at_kink?: Record<Conv, { grad_fi: number[]; grad_fj: number[] }>;
}
interface LossCase {
  name: string;
  B: number;
  fi: number[];
  fj: number[];
  yi: number[];
  yj: number[];
  tied_pairs: number[];
  settings: LossSetting[];
}
interface Eq4Case {
  name: string;
  a_theta: number[];
  b_phi: number[];
  y: number[];
  settings: { mu: number; fused: number[]; loss_eq4: number; grad_a_theta: number[]; grad_b_phi: number[] }[];
}
interface FusedSiamese {
  mu: number;
  m: number;
  w: number;
  a_i: number[];
  b_i: number[];
  a_j: number[];
  b_j: number[];
  yi: number[];
  yj: number[];
  fi: number[];
  fj: number[];
  loss: Record<Conv, number>;
  grads: Record<Conv, Record<'a_i' | 'b_i' | 'a_j' | 'b_j', number[]>>;
}
interface LinearCase {
  name: string;
  B: number;
  d: number;
  xi: number[][];
  xj: number[][];
  yi: number[];
  yj: number[];
  v: number[];
  b: number;
  m: number;
  w: number;
  fi: number[];
  fj: number[];
  rate: number;
  rank: Record<Conv, number>;
  loss: Record<Conv, number>;
  grad_v: Record<Conv, number[]>;
  grad_b: Record<Conv, number>;
}

const lossCases = readJson<{ cases: LossCase[] }>('losses', 'loss_cases.json').cases;
const fusion = readJson<{ eq4_cases: Eq4Case[]; fused_siamese_eq3: FusedSiamese[] }>('losses', 'fusion_cases.json');
const linear = readJson<{ cases: LinearCase[] }>('losses', 'linear_e2e_cases.json').cases;

// Worst errors seen, normalised as the manifest's tolerance is (printed at the end).
const worst: Record<string, { loss: number; grad: number; n: number }> = {};
function note(key: string, kind: 'loss' | 'grad', e: number): void {
  const w = (worst[key] ??= { loss: 0, grad: 0, n: 0 });
  w[kind] = Math.max(w[kind], e);
  w.n++;
}

/** |a − ref| / max(1, |ref|) ≤ 1e-5 (manifest: losses). */
function expectLoss(key: string, got: number, ref: number, what: string): void {
  const e = Math.abs(got - ref) / Math.max(1, Math.abs(ref));
  note(key, 'loss', e);
  expect(e, `${what}: got ${got}, reference ${ref}`).toBeLessThanOrEqual(1e-5);
}

/** max|a − ref| / max(1, max|ref|) ≤ 1e-5 (manifest: gradient vectors). */
function expectGrad(key: string, got: ArrayLike<number>, ref: number[], what: string): void {
  expect(got.length, `${what}: length`).toBe(ref.length);
  let err = 0;
  let scale = 1;
  for (let k = 0; k < ref.length; k++) {
    err = Math.max(err, Math.abs(got[k] - ref[k]));
    scale = Math.max(scale, Math.abs(ref[k]));
  }
  note(key, 'grad', err / scale);
  expect(err / scale, `${what}: got [${Array.from(got).join(', ')}], reference [${ref.join(', ')}]`).toBeLessThanOrEqual(1e-5);
}

function num(t: tf.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

/** Value and gradients of a scalar function of 1-D inputs, all tensors disposed. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Scalar, xs: number[][]): { value: number; grads: Float32Array[] } {
  const ts = xs.map((x) => tf.tensor1d(x));
  const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => f(...a))(ts);
  const out = { value: num(value), grads: grads.map((g) => g.dataSync() as Float32Array) };
  tf.dispose([...grads, ...ts]);
  return out;
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`losses fixtures on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    for (const labels of ['tensor', 'array'] as const) {
      it(`loss_cases.json: Eq. 1–3 values and d/dfi, d/dfj for every case × setting × tie convention (${labels} labels)`, () => {
        const key = `loss_cases.json/${backend}`;
        let checked = 0;
        for (const c of lossCases) {
          const yi = labels === 'tensor' ? tf.tensor1d(c.yi) : c.yi;
          const yj = labels === 'tensor' ? tf.tensor1d(c.yj) : c.yj;
          for (const s of c.settings) {
            for (const conv of CONVS) {
              const opts = { margin: s.m, w: s.w, ties: TIES[conv] };
              const what = `${c.name} m=${s.m} w=${s.w} ${conv}`;
              const p = multiObjectiveLossParts(c.fi, c.fj, yi, yj, opts);
              expectLoss(key, num(p.rate), s.rate, `${what} rate`);
              expectLoss(key, num(p.rank), s.rank[conv], `${what} rank`);
              expectLoss(key, num(p.loss), s.loss[conv], `${what} loss`);
              expectLoss(key, num(rankHingeLoss(c.fi, c.fj, yi, yj, opts)), s.rank[conv], `${what} rankHingeLoss`);
              const r = valueAndGrads((a, b) => multiObjectiveLoss(a, b, yi, yj, opts), [c.fi, c.fj]);
              expectLoss(key, r.value, s.loss[conv], `${what} loss (valueAndGrads)`);
              expectGrad(key, r.grads[0], s.grad_fi[conv], `${what} grad_fi`);
              expectGrad(key, r.grads[1], s.grad_fj[conv], `${what} grad_fj`);
              checked++;
            }
            expectLoss(key, num(rateLoss([...c.fi, ...c.fj], [...c.yi, ...c.yj])), s.rate, `${c.name} rateLoss(concat)`);
          }
          if (labels === 'tensor') tf.dispose([yi as tf.Tensor, yj as tf.Tensor]);
        }
        expect(checked).toBe(11 * 6 * 3);
      });
    }

    it('kinks: the active-pair set equals the clamp convention (active at m − δΔf = 0), not relu', () => {
      let kinkSettings = 0;
      for (const c of lossCases) {
        for (const s of c.settings) {
          for (const conv of CONVS) {
            const opts = { margin: s.m, ties: TIES[conv] };
            // Active pairs under clamp, decided in float64 from the fixture inputs.
            const expected: number[] = [];
            for (let p = 0; p < c.B; p++) {
              const d = Math.sign(c.yi[p] - c.yj[p]);
              const tied = d === 0;
              if (tied && conv === 'skip') continue;
              const delta = tied ? (conv === 'paper_ge' ? 1 : 0) : d;
              const arg = s.m - delta * (c.fi[p] - c.fj[p]);
              if (arg >= 0 && delta !== 0) expected.push(p);
            }
            // Our active set: pairs with a non-zero rank-loss gradient.
            const g = valueAndGrads((a, b) => rankHingeLoss(a, b, c.yi, c.yj, opts), [c.fi, c.fj]).grads[0];
            const active = Array.from(g.keys()).filter((p) => g[p] !== 0);
            expect(active, `${c.name} m=${s.m} ${conv}`).toEqual(expected);
            const kinks = s.kink_pairs?.[conv] ?? [];
            for (const k of kinks) expect(active, `${c.name} kink pair ${k} must be active`).toContain(k);
            if (kinks.length) kinkSettings++;
          }
        }
      }
      // B1_kink_m1 (m = 1) and B4_kinks (both margins) carry the kinks.
      expect(kinkSettings).toBeGreaterThanOrEqual(9);
    });

    it('kinks: relu would differ — a tf.relu hinge reproduces grads_relu_at_kink, ours reproduces the clamp grads', () => {
      let compared = 0;
      let differing = 0;
      for (const c of lossCases) {
        for (const s of c.settings) {
          if (!s.grads_relu_at_kink) continue;
          for (const conv of CONVS) {
            const ties = TIES[conv];
            const reluLoss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
              tf.tidy(() => {
                const sign = c.yi.map((y, p) => Math.sign(y - c.yj[p]));
                const delta = tf.tensor1d(sign.map((d) => (d === 0 && ties === 'paper' ? 1 : d)));
                const counted = sign.map((d) => (d === 0 && ties === 'skip' ? 0 : 1));
                const nCounted = counted.reduce((x: number, y) => x + y, 0);
                const hinge = tf.relu(tf.sub(s.m, tf.mul(delta, tf.sub(a, b))));
                const rank = nCounted ? tf.div(tf.sum(tf.mul(hinge, tf.tensor1d(counted))), nCounted) : tf.mul(tf.sum(hinge), 0);
                const rate = tf.mean(tf.squaredDifference(tf.concat([a, b]), tf.tensor1d([...c.yi, ...c.yj])));
                return tf.add(tf.mul(rate, 1 - s.w), tf.mul(rank, s.w)) as tf.Scalar;
              });
            const relu = valueAndGrads(reluLoss, [c.fi, c.fj]).grads;
            const ours = valueAndGrads((a, b) => multiObjectiveLoss(a, b, c.yi, c.yj, { margin: s.m, w: s.w, ties }), [c.fi, c.fj]).grads;
            const key = `loss_cases.json/${backend}`;
            expectGrad(key, relu[0], s.grads_relu_at_kink[conv].grad_fi, `${c.name} relu grad_fi ${conv}`);
            expectGrad(key, relu[1], s.grads_relu_at_kink[conv].grad_fj, `${c.name} relu grad_fj ${conv}`);
            expectGrad(key, ours[0], s.grad_fi[conv], `${c.name} clamp grad_fi ${conv}`);
            compared++;
            if (s.grads_relu_at_kink[conv].grad_fi.some((v, k) => v !== s.grad_fi[conv][k])) differing++;
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
      expect(differing, 'the fixture must contain settings where relu and clamp differ').toBeGreaterThan(0);
    });

    it('fusion_cases.json: Eq. 4 fused scores, loss and gradients w.r.t. both branches', () => {
      const key = `fusion_cases.json/${backend}`;
      for (const c of fusion.eq4_cases) {
        for (const s of c.settings) {
          const what = `${c.name} mu=${s.mu}`;
          const fused = fuseScores(c.a_theta, c.b_phi, { mu: s.mu });
          expectGrad(key, fused.dataSync(), s.fused, `${what} fused`);
          fused.dispose();
          const r = valueAndGrads((a, b) => rateLoss(fuseScores(a, b, { mu: s.mu }), c.y), [c.a_theta, c.b_phi]);
          expectLoss(key, r.value, s.loss_eq4, `${what} loss_eq4`);
          expectGrad(key, r.grads[0], s.grad_a_theta, `${what} grad_a_theta`);
          expectGrad(key, r.grads[1], s.grad_b_phi, `${what} grad_b_phi`);
        }
      }
    });

    it('fusion_cases.json: fused Siamese Eq. 3 loss and gradients w.r.t. a_i, b_i, a_j, b_j (all tie conventions)', () => {
      const key = `fusion_cases.json/${backend}`;
      for (const c of fusion.fused_siamese_eq3) {
        for (const conv of CONVS) {
          const what = `fused siamese mu=${c.mu} ${conv}`;
          const f = (ai: tf.Tensor, bi: tf.Tensor, aj: tf.Tensor, bj: tf.Tensor): tf.Scalar =>
            multiObjectiveLoss(fuseScores(ai, bi, { mu: c.mu }), fuseScores(aj, bj, { mu: c.mu }), c.yi, c.yj, {
              margin: c.m,
              w: c.w,
              ties: TIES[conv],
            });
          const r = valueAndGrads(f, [c.a_i, c.b_i, c.a_j, c.b_j]);
          expectLoss(key, r.value, c.loss[conv], `${what} loss`);
          (['a_i', 'b_i', 'a_j', 'b_j'] as const).forEach((name, k) => expectGrad(key, r.grads[k], c.grads[conv][name], `${what} grad ${name}`));
        }
      }
    });

    it('linear_e2e_cases.json: shared-weight linear Siamese fi = xi·v + b, values and grad_v, grad_b', () => {
      const key = `linear_e2e_cases.json/${backend}`;
      for (const c of linear) {
        const xi = tf.tensor2d(c.xi);
        const xj = tf.tensor2d(c.xj);
        const score = (x: tf.Tensor2D, v: tf.Tensor, b: tf.Tensor): tf.Tensor1D =>
          tf.add(tf.reshape(tf.matMul(x, tf.reshape(v, [c.d, 1])), [c.B]), b) as tf.Tensor1D;
        for (const conv of CONVS) {
          const opts = { margin: c.m, w: c.w, ties: TIES[conv] };
          const what = `${c.name} ${conv}`;
          const v = tf.tensor1d(c.v);
          const b = tf.scalar(c.b);
          const fi = score(xi, v, b);
          const fj = score(xj, v, b);
          expectGrad(key, fi.dataSync(), c.fi, `${what} fi`);
          expectGrad(key, fj.dataSync(), c.fj, `${what} fj`);
          const p = multiObjectiveLossParts(fi, fj, c.yi, c.yj, opts);
          expectLoss(key, num(p.rate), c.rate, `${what} rate`);
          expectLoss(key, num(p.rank), c.rank[conv], `${what} rank`);
          expectLoss(key, num(p.loss), c.loss[conv], `${what} loss`);
          const { value, grads } = tf.valueAndGrads((vv: tf.Tensor, bb: tf.Tensor) =>
            multiObjectiveLoss(score(xi, vv, bb), score(xj, vv, bb), c.yi, c.yj, opts),
          )([v, b]);
          expectLoss(key, num(value), c.loss[conv], `${what} loss (valueAndGrads)`);
          expectGrad(key, grads[0].dataSync(), c.grad_v[conv], `${what} grad_v`);
          expectGrad(key, grads[1].dataSync(), [c.grad_b[conv]], `${what} grad_b`);
          tf.dispose([...grads, v, b, fi, fj]);
        }
        tf.dispose([xi, xj]);
      }
    });
  });
}

afterAll(() => {
  const lines = Object.entries(worst).map(
    ([k, w]) => `${k}: max normalised error loss ${w.loss.toExponential(2)}, grad ${w.grad.toExponential(2)} (${w.n} checks)`,
  );
  console.info(`[losses parity, tolerance 1e-5]\n${lines.join('\n')}`);
});
