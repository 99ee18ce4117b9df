/**
 * Stable argsort of float64 keys in O(n): an LSD radix sort on the 64-bit
 * order-preserving image of each double (per 32-bit half: three 11/11/10-bit
 * digits, or two 16-bit digits for n ≥ 2^17; passes whose digit is the same
 * for every key are skipped). Small inputs use a stable insertion sort.
 * Internal to the metrics layer.
 *
 * Conventions: −0 and +0 sort as equal (so ties among zeros keep index order,
 * like numpy's stable sort); NaN must have been rejected by the caller.
 *
 * @internal
 * @module
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const SMALL = 64;
const WIDE = 1 << 17;

/**
 * Indices that sort `values` (ascending, or descending with `descending`),
 * ties kept in their current order (stable). With `initialOrder` the sort
 * starts from that permutation instead of the identity, so ties keep the
 * order of `initialOrder` — sorting by key B then (stably) by key A gives
 * lexicographic (A, B) order.
 *
 * @param values - finite numbers (NaN is not allowed).
 * @param descending - sort largest first (ties still in current order).
 * @param initialOrder - starting permutation of `0..n-1` (not modified).
 * @returns a new Int32Array permutation.
 * @internal
 */
export function argsortStable(
  values: ArrayLike<number>,
  descending = false,
  initialOrder?: Int32Array,
): Int32Array {
  return sortKeys(values, descending, initialOrder).order;
}

/** A stable argsort plus, when it was computed, the sorted order-preserving keys. @internal */
export interface SortedKeys {
  /** The permutation (or the permuted payload, when one was given). */
  order: Int32Array;
  /** High 32 bits of the sorted keys (equal keys ⇔ equal values), or null for small inputs. */
  hi: Uint32Array | null;
  /** Low 32 bits of the sorted keys, or null. */
  lo: Uint32Array | null;
  /** The sorted item indices when the keys are null (small inputs), else null. */
  items: Int32Array | null;
}

/**
 * {@link argsortStable} that also returns the sorted keys (for tie detection
 * without random access to the values) and can carry a payload: position i of
 * the starting sequence (item `initialOrder[i]`, or i) carries `payload[i]`,
 * and `order` then returns the payloads in sorted order instead of the item
 * indices.
 *
 * @param values - finite numbers.
 * @param descending - largest first.
 * @param initialOrder - starting permutation.
 * @param payload - values carried along (length n), not modified.
 * @returns order (or payload) and keys.
 * @internal
 */
export function sortKeys(
  values: ArrayLike<number>,
  descending = false,
  initialOrder?: Int32Array,
  payload?: Int32Array,
): SortedKeys {
  const n = values.length;
  const item = new Int32Array(n);
  if (initialOrder) item.set(initialOrder);
  else for (let i = 0; i < n; i++) item[i] = i;
  const out = payload ? Int32Array.from(payload) : item;
  if (n < 2) return { order: out, hi: null, lo: null, items: item };
  if (n < SMALL) {
    for (let i = 1; i < n; i++) {
      const cur = item[i];
      const curOut = out[i];
      const v = values[cur];
      let j = i - 1;
      while (j >= 0 && (descending ? values[item[j]] < v : values[item[j]] > v)) {
        item[j + 1] = item[j];
        out[j + 1] = out[j];
        j--;
      }
      item[j + 1] = cur;
      out[j + 1] = curOut;
    }
    return { order: out, hi: null, lo: null, items: item };
  }

  // Order-preserving unsigned 64-bit keys (hi, lo), laid out in the starting order.
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  let kh = new Uint32Array(n);
  let kl = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[item[i]];
    f64[0] = v === 0 ? 0 : v; // fold −0 onto +0
    let h = u32[HI];
    let l = u32[LO];
    if (h & 0x80000000) {
      h = ~h;
      l = ~l;
    } else {
      h |= 0x80000000;
    }
    if (descending) {
      h = ~h;
      l = ~l;
    }
    kh[i] = h >>> 0;
    kl[i] = l >>> 0;
  }

  // Digits: [word (0 = lo, 1 = hi), shift, bits], least significant first.
  const digits: [number, number, number][] =
    n >= WIDE
      ? [[0, 0, 16], [0, 16, 16], [1, 0, 16], [1, 16, 16]]
      : [[0, 0, 11], [0, 11, 11], [0, 22, 10], [1, 0, 11], [1, 11, 11], [1, 22, 10]];
  const radix = n >= WIDE ? 65536 : 2048;
  const hist = new Uint32Array(digits.length * radix);
  for (let i = 0; i < n; i++) {
    const l = kl[i];
    const h = kh[i];
    if (n >= WIDE) {
      hist[l & 0xffff]++;
      hist[65536 + (l >>> 16)]++;
      hist[131072 + (h & 0xffff)]++;
      hist[196608 + (h >>> 16)]++;
    } else {
      hist[l & 0x7ff]++;
      hist[2048 + ((l >>> 11) & 0x7ff)]++;
      hist[4096 + (l >>> 22)]++;
      hist[6144 + (h & 0x7ff)]++;
      hist[8192 + ((h >>> 11) & 0x7ff)]++;
      hist[10240 + (h >>> 22)]++;
    }
  }

  let src = out;
  let dst = new Int32Array(n);
  let kh2 = new Uint32Array(n);
  let kl2 = new Uint32Array(n);
  for (let pass = 0; pass < digits.length; pass++) {
    const [word, shift, bits] = digits[pass];
    const mask = (1 << bits) - 1;
    const base = pass * radix;
    // Skip a pass whose digit is the same for every key.
    let skip = false;
    for (let d = 0; d < radix; d++) {
      const c = hist[base + d];
      if (c === n) {
        skip = true;
        break;
      }
      if (c !== 0) break;
    }
    if (skip) continue;
    let sum = 0;
    for (let d = 0; d < radix; d++) {
      const c = hist[base + d];
      hist[base + d] = sum;
      sum += c;
    }
    const keyArr = word === 0 ? kl : kh;
    for (let i = 0; i < n; i++) {
      const d = (keyArr[i] >>> shift) & mask;
      const p = hist[base + d]++;
      dst[p] = src[i];
      kh2[p] = kh[i];
      kl2[p] = kl[i];
    }
    const ts = src;
    src = dst;
    dst = ts;
    const th = kh;
    kh = kh2;
    kh2 = th;
    const tl = kl;
    kl = kl2;
    kl2 = tl;
  }
  return { order: src, hi: kh, lo: kl, items: null };
}
