// Helpers shared by the model tests: seeded random arrays and error measures.
import seedrandom from 'seedrandom';

/** Float32Array of `n` normal-ish values (sum of uniforms) from `seed`. */
export function randn(n: number, seed: string, scale = 1): Float32Array {
  const rng = seedrandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng() + rng() + rng() - 1.5) * 2 * scale;
  return out;
}

/** Float32Array of small integers in [lo, hi] (creates ties on purpose). */
export function randInt(n: number, seed: string, lo: number, hi: number): Float32Array {
  const rng = seedrandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + Math.floor(rng() * (hi - lo + 1));
  return out;
}

/** max |a − b| / max |b| (norm-relative error; 0 when both are all zero). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  if (m === 0) return d;
  return d / m;
}

/** max |a − b|. */
export function absErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
