// Float64 closed forms and numerical-derivative helpers for the losses that the
// PyTorch fixtures do not cover (ranknet, listnet). Written independently of
// src/ from the definitions in their TSDoc.

export type Ties = 'skip' | 'paper' | 'delta0';

/** Central finite difference of a float64 function of one vector. */
export function finiteDiff(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, k) => {
    const up = x.slice();
    const dn = x.slice();
    up[k] += h;
    dn[k] -= h;
    return (f(up) - f(dn)) / (2 * h);
  });
}

function deltas(yi: number[], yj: number[], ties: Ties): { delta: number[]; counted: number[]; P: number } {
  const delta = yi.map((y, p) => {
    const d = Math.sign(y - yj[p]);
    return d === 0 && ties === 'paper' ? 1 : d;
  });
  const counted = yi.map((y, p) => (y === yj[p] && ties === 'skip' ? 0 : 1));
  return { delta, counted, P: Math.max(1, counted.reduce((a: number, b) => a + b, 0)) };
}

/** (1/P)·Σ log(1 + exp(−δ·(fi − fj))) over counted pairs (float64, naive log1p form). */
export function ranknet64(fi: number[], fj: number[], yi: number[], yj: number[], ties: Ties): number {
  const { delta, counted, P } = deltas(yi, yj, ties);
  let s = 0;
  for (let p = 0; p < fi.length; p++) s += counted[p] * Math.log1p(Math.exp(-delta[p] * (fi[p] - fj[p])));
  return s / P;
}

/** d ranknet / d fi = −δ·σ(−δΔ)/P (and the negative for fj). */
export function ranknetGradFi64(fi: number[], fj: number[], yi: number[], yj: number[], ties: Ties): number[] {
  const { delta, counted, P } = deltas(yi, yj, ties);
  return fi.map((_, p) => {
    const z = -delta[p] * (fi[p] - fj[p]);
    return (counted[p] * -delta[p] * (1 / (1 + Math.exp(-z)))) / P;
  });
}

/**
 * TF-Ranking SoftmaxLoss in float64 on a batch of lists (see listnetLoss TSDoc):
 * labels < 0 invalid (label 0, logit ln 1e-10), labels × weights, w_l = Σ labels,
 * p = labels / w_l (uniform if w_l ≤ 0), CE_l = −Σ p·logsoftmax(s/T), loss = Σ w_l·CE_l / D.
 */
export function softmaxLoss64(
  scores: number[][],
  labels: number[][],
  opts: { weights?: number[][]; reduction?: 'sumOverBatchSize' | 'sumByNonzeroWeights'; temperature?: number } = {},
): number {
  const T = opts.temperature ?? 1;
  let total = 0;
  let nonzero = 0;
  scores.forEach((s, l) => {
    const valid = labels[l].map((y) => y >= 0);
    const lab = labels[l].map((y, i) => (valid[i] ? y : 0) * (opts.weights ? opts.weights[l][opts.weights[l].length === 1 ? 0 : i] : 1));
    const logits = s.map((v, i) => (valid[i] ? v / T : Math.log(1e-10)));
    const wl = lab.reduce((a, b) => a + b, 0);
    const padded = wl > 0 ? lab : lab.map(() => 1e-10);
    const ps = padded.reduce((a, b) => a + b, 0);
    const mx = Math.max(...logits);
    const lse = mx + Math.log(logits.reduce((a, v) => a + Math.exp(v - mx), 0));
    const ce = -padded.reduce((a, pv, i) => a + (pv / ps) * (logits[i] - lse), 0);
    total += wl * ce;
    if (wl !== 0) nonzero++;
  });
  const D = (opts.reduction ?? 'sumOverBatchSize') === 'sumOverBatchSize' ? scores.length : Math.max(nonzero, 1);
  return total / D;
}
