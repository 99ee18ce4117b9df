// Comparison rules of ../shared/fixtures/mel/MANIFEST.md §6 ("f64" tier).
export interface PowerErr {
  /** max |P − P_ref| / P_ref over bins within 80 dB of the peak (informational) */
  maxRel80: number;
  /** worst fraction of the limit |P − P_ref| ≤ rtol·P_ref + atolRel·max(P_ref) (must be ≤ 1) */
  worstFraction: number;
}

export function powerError(p: ArrayLike<number>, ref: ArrayLike<number>, rtol: number, atolRel: number): PowerErr {
  if (p.length !== ref.length) throw new Error(`length ${p.length} vs ${ref.length}`);
  let max = 0;
  for (let i = 0; i < ref.length; i++) if (ref[i] > max) max = ref[i];
  let maxRel80 = 0;
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(p[i] - ref[i]);
    const lim = rtol * ref[i] + atolRel * max;
    worst = Math.max(worst, d / lim);
    if (ref[i] >= max * 1e-8) maxRel80 = Math.max(maxRel80, d / ref[i]);
  }
  return { maxRel80, worstFraction: worst };
}

/** max |a − b| over all entries, or over entries where ref ≥ max(ref) − within (dB). */
export function maxAbsDiff(a: ArrayLike<number>, ref: ArrayLike<number>, within = Infinity): number {
  if (a.length !== ref.length) throw new Error(`length ${a.length} vs ${ref.length}`);
  let max = -Infinity;
  for (let i = 0; i < ref.length; i++) if (ref[i] > max) max = ref[i];
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] < max - within) continue;
    const d = Math.abs(a[i] - ref[i]);
    if (!(d <= worst)) worst = d; // NaN-propagating
  }
  return worst;
}
