// Property tests: the fast implementations (radix argsort, Knight's O(n log n)
// tau-b, average ranks, tie-averaged nDCG) against direct O(n²)/textbook
// definitions, on random inputs full of ties, zeros of both signs and negatives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kendallTauB, ndcgAtK, rankData, spearmanRho } from '../../src/metrics/index.js';
import { argsortStable } from '../../src/metrics/argsort.js';
import { countInversions, countInversionsFenwick } from '../../src/metrics/kendall.js';

function bruteTauB(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  let tx = 0;
  let ty = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i] - x[j]);
      const dy = Math.sign(y[i] - y[j]);
      s += dx * dy;
      if (dx === 0) tx++;
      if (dy === 0) ty++;
    }
  }
  const n0 = (n * (n - 1)) / 2;
  if (tx === n0 || ty === n0) return NaN;
  return s / Math.sqrt(n0 - tx) / Math.sqrt(n0 - ty);
}

function bruteRanks(x: ArrayLike<number>): number[] {
  const a = Array.from(x);
  return a.map((v) => {
    let less = 0;
    let eq = 0;
    for (const w of a) {
      if (w < v) less++;
      else if (w === v) eq++;
    }
    return less + (eq + 1) / 2;
  });
}

function brutePearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, v) => s + v, 0) / n;
  const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** The MANIFEST generator's own re-derivation (tie-averaged nDCG), written plainly. */
function bruteNdcg(yt: number[], ys: number[], k: number): number {
  const n = yt.length;
  const disc = (r: number) => (r < k ? 1 / Math.log2(r + 2) : 0);
  const order = yt.map((_, i) => i).sort((a, b) => ys[b] - ys[a] || a - b);
  let dcg = 0;
  for (let pos = 0; pos < n; ) {
    let end = pos;
    while (end + 1 < n && ys[order[end + 1]] === ys[order[pos]]) end++;
    let g = 0;
    let d = 0;
    for (let i = pos; i <= end; i++) {
      g += yt[order[i]];
      d += disc(i);
    }
    dcg += (g / (end - pos + 1)) * d;
    pos = end + 1;
  }
  const ideal = [...yt].sort((a, b) => b - a);
  let idcg = 0;
  for (let r = 0; r < n; r++) idcg += ideal[r] * disc(r);
  return idcg === 0 ? 0 : dcg / idcg;
}

// Values with many ties, both zeros, negatives, tiny and huge magnitudes.
const tiedValue = fc.oneof(
  fc.integer({ min: -4, max: 4 }),
  fc.constantFrom(0, -0, 1e-300, -1e-300, 5e-324, 1e300, -1e300, 0.1, 0.30000000000000004),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
);
const pairArrays = (minLength: number, maxLength: number) =>
  fc.integer({ min: minLength, max: maxLength }).chain((n) =>
    fc.tuple(fc.array(tiedValue, { minLength: n, maxLength: n }), fc.array(tiedValue, { minLength: n, maxLength: n })),
  );

describe('argsortStable (radix)', () => {
  it('equals a stable comparator sort, ascending and descending, both code paths', () => {
    fc.assert(
      fc.property(fc.array(tiedValue, { minLength: 0, maxLength: 400 }), fc.boolean(), (xs, desc) => {
        const got = Array.from(argsortStable(xs, desc));
        const want = xs.map((_, i) => i).sort((a, b) => (desc ? xs[b] - xs[a] : xs[a] - xs[b]) || a - b);
        expect(got).toEqual(want);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps the order of initialOrder among ties (lexicographic sort)', () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i % 7);
    const init = Int32Array.from({ length: 1000 }, (_, i) => 999 - i);
    const got = argsortStable(x, false, init);
    for (let i = 1; i < 1000; i++) {
      const a = got[i - 1];
      const b = got[i];
      expect(x[a] < x[b] || (x[a] === x[b] && a > b)).toBe(true);
    }
  });
});

describe('kendallTauB', () => {
  it('equals the O(n²) definition of tau-b (ties in both inputs)', () => {
    fc.assert(
      fc.property(pairArrays(1, 300), ([x, y]) => {
        const got = kendallTauB(x, y);
        const want = Math.min(1, Math.max(-1, bruteTauB(x, y)));
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('equals the O(n²) definition on 3000 values with heavy ties', () => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const x = Float64Array.from({ length: 3000 }, () => Math.floor(rnd() * 50));
    const y = Float64Array.from(x, (v) => v + Math.floor(rnd() * 80));
    expect(Math.abs(kendallTauB(x, y) - bruteTauB(x, y))).toBeLessThanOrEqual(1e-12);
  });

  it('counts inversions exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (a) => {
        let want = 0;
        for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] > a[j]) want++;
        const seq = Int32Array.from(a);
        expect(countInversionsFenwick(seq, 21)).toBe(want);
        expect(countInversions(seq)).toBe(want);
        expect(Array.from(seq)).toEqual([...a].sort((p, q) => p - q));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('is 1 / −1 for monotone relations and NaN for constant input or n = 1', () => {
    const x = Float64Array.from({ length: 500 }, (_, i) => i * 0.37);
    expect(kendallTauB(x, x.map((v) => Math.exp(v / 100)))).toBeCloseTo(1, 12);
    expect(kendallTauB(x, x.map((v) => -v))).toBeCloseTo(-1, 12);
    expect(kendallTauB(x, new Float64Array(500).fill(3))).toBeNaN();
    expect(kendallTauB([1], [2])).toBeNaN();
  });
});

describe('spearmanRho and rankData', () => {
  it('rankData equals scipy rankdata(method="average") by definition', () => {
    fc.assert(
      fc.property(fc.array(tiedValue, { maxLength: 300 }), (x) => {
        expect(Array.from(rankData(x))).toEqual(bruteRanks(x));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('equals the Pearson correlation of average ranks; NaN for constant input', () => {
    fc.assert(
      fc.property(pairArrays(1, 300), ([x, y]) => {
        const got = spearmanRho(x, y);
        const constant = (a: number[]) => a.every((v) => v === a[0]);
        if (x.length < 2 || constant(x) || constant(y)) {
          expect(got).toBeNaN();
          return;
        }
        const want = brutePearson(bruteRanks(x), bruteRanks(y));
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12);
      }),
      { seed: 42, numRuns: 400 },
    );
  });
});

describe('ndcgAtK', () => {
  const nonNeg = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e3 }));
  it('equals the textbook tie-averaged nDCG@k for every k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200 }).chain((n) =>
          fc.tuple(
            fc.array(nonNeg, { minLength: n, maxLength: n }),
            fc.array(tiedValue, { minLength: n, maxLength: n }),
            fc.integer({ min: 1, max: 2 * n }),
          ),
        ),
        ([yt, ys, k]) => {
          const got = ndcgAtK(yt, ys, k);
          const want = bruteNdcg(yt, ys, Math.min(k, yt.length));
          expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        },
      ),
      { seed: 42, numRuns: 400 },
    );
  });

  it('gives 1 for a perfect ranking and is invariant to a monotone transform of the predictions', () => {
    const yt = Float64Array.from({ length: 300 }, (_, i) => ((i * 7919) % 301) / 3);
    expect(ndcgAtK(yt, yt, 30)).toBeCloseTo(1, 14);
    const ys = Float64Array.from(yt, (v, i) => Math.sin(v + i));
    expect(ndcgAtK(yt, ys, 30)).toBe(ndcgAtK(yt, ys.map((v) => 5 * v + 2), 30));
  });
});
