// AssemblyScript source of hitrank's WebAssembly kernels for the simple CNN
// (src/models/engine/). Built twice by scripts/build-wasm.ts: with SIMD128
// (mul + add) and with relaxed SIMD (fused multiply-add). Every function works
// on raw float32 pointers into the module's memory, which the TypeScript side
// lays out; nothing here allocates.
//
// Conventions: sizes and strides are in floats; matrices are row-major unless
// a stride says otherwise.

// @ts-nocheck — AssemblyScript, not TypeScript (v128, f32x4, usize, @inline).

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * 4 rows × 8 columns of C (+)= A·B over K: A element (r, k) at pa + r·rs + k·cs.
 * Four rows, not six: V8 keeps one of the 16 SIMD registers as scratch, and
 * with 12 accumulators its allocator spills (6 × 8 ran at 38 GFLOP/s, 4 × 8
 * at 56, same loop otherwise).
 */
@inline function tile4x8(pa: usize, rs: usize, cs: usize, pb: usize, lb: usize, pc: usize, lc: usize, K: i32, acc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const r2 = rs + rs, r3 = r2 + rs;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa + rs);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa + r2);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa + r3);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    pb += lb;
    pa += cs;
  }
  if (acc) {
    c00 = f32x4.add(c00, v128.load(pc)); c01 = f32x4.add(c01, v128.load(pc, 16));
    c10 = f32x4.add(c10, v128.load(pc + lc)); c11 = f32x4.add(c11, v128.load(pc + lc, 16));
    c20 = f32x4.add(c20, v128.load(pc + 2 * lc)); c21 = f32x4.add(c21, v128.load(pc + 2 * lc, 16));
    c30 = f32x4.add(c30, v128.load(pc + 3 * lc)); c31 = f32x4.add(c31, v128.load(pc + 3 * lc, 16));
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + lc, c10); v128.store(pc + lc, c11, 16);
  v128.store(pc + 2 * lc, c20); v128.store(pc + 2 * lc, c21, 16);
  v128.store(pc + 3 * lc, c30); v128.store(pc + 3 * lc, c31, 16);
}

/** One row × 8 columns of C (+)= A·B. */
@inline function tile1x8(pa: usize, cs: usize, pb: usize, lb: usize, pc: usize, K: i32, acc: i32): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let k = 0; k < K; k++) {
    const x = v128.load32_splat(pa);
    c0 = madd(x, v128.load(pb), c0);
    c1 = madd(x, v128.load(pb, 16), c1);
    pb += lb;
    pa += cs;
  }
  if (acc) {
    c0 = f32x4.add(c0, v128.load(pc));
    c1 = f32x4.add(c1, v128.load(pc, 16));
  }
  v128.store(pc, c0);
  v128.store(pc, c1, 16);
}

/** Columns j0 … N − 1 of one row of C (+)= A·B, one at a time. */
function tailColumns(pa: usize, cs: usize, b: usize, lb: usize, pc: usize, j0: i32, N: i32, K: i32, acc: i32): void {
  for (let j = j0; j < N; j++) {
    let s: f32 = 0;
    let p = pa;
    let q = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      s += load<f32>(p) * load<f32>(q);
      p += cs;
      q += lb;
    }
    const o = pc + (<usize>j << 2);
    store<f32>(o, acc ? load<f32>(o) + s : s);
  }
}

/** Rows of A per block (a multiple of 4) and the depth of one pass over K: a 256 × 8 panel of B stays in L1. */
const MC: i32 = 96;
const KC: i32 = 256;

/**
 * C[M, N] = A·B (acc = 0) or C += A·B (acc = 1). A[M, K] is read with any
 * strides (element (r, k) at a + 4·(r·rsA + k·csA)), so Aᵀ costs nothing;
 * B[K, N] has rows ldb floats apart, C rows ldc floats apart. Blocked over K
 * (KC) and M (MC) so that a panel of B is reused from L1 by every row block.
 * With `scratch` (room for KC·N floats; 0 = none) B's 8-column panels are
 * packed first (whole cache lines; helps when A is read transposed). Packing
 * A as well made it slower: the unrolled packed tile spilled registers.
 */
export function gemm(a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32, M: i32, N: i32, K: i32, acc: i32, scratch: usize): void {
  const rs = <usize>rsA << 2;
  const cs = <usize>csA << 2;
  const lb = <usize>ldb << 2;
  const lc = <usize>ldc << 2;
  const N8 = N & ~7;
  if (K == 0) {
    if (!acc) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * lc, 0, <usize>N << 2);
    return;
  }
  // Pack each K-block of B's 8-column panels contiguously (panel j at
  // scratch + j·kc·4): a panel then fills whole cache lines, half as many.
  const pack = scratch != 0 && M >= 48 && N8 > 0;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const ak = a + <usize>k0 * cs;
    const bk = b + <usize>k0 * lb;
    const accK = acc | (k0 > 0 ? 1 : 0);
    if (pack) {
      for (let j = 0; j < N8; j += 8) {
        let src = bk + (<usize>j << 2);
        let dst = scratch + <usize>j * <usize>kc * 4;
        for (let k = 0; k < kc; k++) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
          src += lb;
          dst += 32;
        }
      }
    }
    for (let i0 = 0; i0 < M; i0 += MC) {
      const i1 = min(i0 + MC, M);
      const full = i0 + (i1 - i0) / 4 * 4; // rows covered by whole 4-row tiles
      for (let j = 0; j < N8; j += 8) {
        const pb = pack ? scratch + <usize>j * <usize>kc * 4 : bk + (<usize>j << 2);
        const pl: usize = pack ? 32 : lb;
        let i = i0;
        for (; i < full; i += 4) tile4x8(ak + <usize>i * rs, rs, cs, pb, pl, c + <usize>i * lc + (<usize>j << 2), lc, kc, accK);
        for (; i < i1; i++) tile1x8(ak + <usize>i * rs, cs, pb, pl, c + <usize>i * lc + (<usize>j << 2), kc, accK);
      }
      if (N8 < N) for (let i = i0; i < i1; i++) tailColumns(ak + <usize>i * rs, cs, bk, lb, c + <usize>i * lc, N8, N, kc, accK);
    }
  }
}

/** Per clip, x[n][rows][cols] → out[n][cols][rows]: 4 × 4 blocks transposed in registers. */
export function transposeClips(x: usize, n: i32, rows: i32, cols: i32, out: usize): void {
  const per = <usize>rows * <usize>cols << 2;
  const rowBytes = <usize>cols << 2;
  const outRow = <usize>rows << 2;
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  for (let b = 0; b < n; b++) {
    const src = x + <usize>b * per;
    const dst = out + <usize>b * per;
    for (let r = 0; r < rows4; r += 4) {
      const s0 = src + <usize>r * rowBytes;
      for (let c = 0; c < cols4; c += 4) {
        const o = <usize>c << 2;
        const a = v128.load(s0 + o);
        const bb = v128.load(s0 + rowBytes + o);
        const cc = v128.load(s0 + 2 * rowBytes + o);
        const d = v128.load(s0 + 3 * rowBytes + o);
        const t0 = v128.shuffle<f32>(a, bb, 0, 4, 1, 5);
        const t1 = v128.shuffle<f32>(a, bb, 2, 6, 3, 7);
        const t2 = v128.shuffle<f32>(cc, d, 0, 4, 1, 5);
        const t3 = v128.shuffle<f32>(cc, d, 2, 6, 3, 7);
        const q = dst + <usize>c * outRow + (<usize>r << 2);
        v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
        v128.store(q + outRow, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
        v128.store(q + 2 * outRow, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
        v128.store(q + 3 * outRow, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
      }
      for (let c = cols4; c < cols; c++) {
        for (let i = 0; i < 4; i++) {
          store<f32>(dst + <usize>c * outRow + (<usize>(r + i) << 2), load<f32>(s0 + <usize>i * rowBytes + (<usize>c << 2)));
        }
      }
    }
    for (let r = rows4; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        store<f32>(dst + <usize>c * outRow + (<usize>r << 2), load<f32>(src + <usize>r * rowBytes + (<usize>c << 2)));
      }
    }
  }
}

/** y[r, j] = leaky(y[r, j] + bias[j]) over an [M, N] matrix; slope alpha below 0. */
export function biasLeaky(y: usize, M: i32, N: i32, bias: usize, alpha: f32): void {
  const va = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  const N4 = N & ~3;
  let p = y;
  for (let r = 0; r < M; r++) {
    let j = 0;
    for (; j < N4; j += 4) {
      const z = f32x4.add(v128.load(p), v128.load(bias + (<usize>j << 2)));
      v128.store(p, v128.bitselect(z, f32x4.mul(z, va), f32x4.gt(z, zero)));
      p += 16;
    }
    for (; j < N; j++) {
      const z = load<f32>(p) + load<f32>(bias + (<usize>j << 2));
      store<f32>(p, z > 0 ? z : z * alpha);
      p += 4;
    }
  }
}

/** g[i] *= (y[i] > 0 ? 1 : alpha): a leaky ReLU's backward pass, from its output. */
export function leakyGrad(g: usize, y: usize, n: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(g + o);
    v128.store(g + o, v128.bitselect(d, f32x4.mul(d, va), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    if (!(load<f32>(y + o) > 0)) store<f32>(g + o, load<f32>(g + o) * alpha);
  }
}

/** out[i] = a[i] · m[i] (out may be a). */
export function multiply(a: usize, m: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(m + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(m + o));
  }
}

/** out[j] (+)= Σ_r z[r, j] over an [M, N] matrix. */
export function columnSums(z: usize, M: i32, N: i32, out: usize, acc: i32): void {
  if (!acc) memory.fill(out, 0, <usize>N << 2);
  const N4 = N & ~3;
  let p = z;
  for (let r = 0; r < M; r++) {
    let j = 0;
    for (; j < N4; j += 4) {
      const o = out + (<usize>j << 2);
      v128.store(o, f32x4.add(v128.load(o), v128.load(p)));
      p += 16;
    }
    for (; j < N; j++) {
      const o = out + (<usize>j << 2);
      store<f32>(o, load<f32>(o) + load<f32>(p));
      p += 4;
    }
  }
}

/**
 * Max pooling by 2 over time, per clip: x[n][T][C] → y[n][T/2][C] (an odd
 * last frame is dropped).
 */
export function maxPool2(x: usize, n: i32, T: i32, C: i32, y: usize): void {
  const half = T >> 1;
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  for (let b = 0; b < n; b++) {
    let src = x + <usize>b * <usize>T * rowBytes;
    let dst = y + <usize>b * <usize>half * rowBytes;
    for (let t = 0; t < half; t++) {
      let c = 0;
      for (; c < C4; c += 4) {
        const o = <usize>c << 2;
        const u = v128.load(src + o);
        const v = v128.load(src + rowBytes + o);
        v128.store(dst + o, v128.bitselect(u, v, f32x4.ge(u, v)));
      }
      for (; c < C; c++) {
        const o = <usize>c << 2;
        const u = load<f32>(src + o);
        const v = load<f32>(src + rowBytes + o);
        store<f32>(dst + o, u >= v ? u : v);
      }
      src += rowBytes << 1;
      dst += rowBytes;
    }
  }
}

/**
 * Backward pass of {@link maxPool2}: dx[n][T][C] from dy[n][T/2][C]; the
 * gradient goes to the first frame of a window when both are equal (as
 * TensorFlow's MaxPoolGrad), and an odd last frame gets 0.
 */
export function maxPool2Grad(x: usize, dy: usize, n: i32, T: i32, C: i32, dx: usize): void {
  const half = T >> 1;
  const rowBytes = <usize>C << 2;
  const C4 = C & ~3;
  const zero = f32x4.splat(0);
  for (let b = 0; b < n; b++) {
    let src = x + <usize>b * <usize>T * rowBytes;
    let out = dx + <usize>b * <usize>T * rowBytes;
    let g = dy + <usize>b * <usize>half * rowBytes;
    for (let t = 0; t < half; t++) {
      let c = 0;
      for (; c < C4; c += 4) {
        const o = <usize>c << 2;
        const first = f32x4.ge(v128.load(src + o), v128.load(src + rowBytes + o));
        const d = v128.load(g + o);
        v128.store(out + o, v128.bitselect(d, zero, first));
        v128.store(out + rowBytes + o, v128.bitselect(zero, d, first));
      }
      for (; c < C; c++) {
        const o = <usize>c << 2;
        const d = load<f32>(g + o);
        const first = load<f32>(src + o) >= load<f32>(src + rowBytes + o);
        store<f32>(out + o, first ? d : 0);
        store<f32>(out + rowBytes + o, first ? 0 : d);
      }
      src += rowBytes << 1;
      out += rowBytes << 1;
      g += rowBytes;
    }
    if (T & 1) memory.fill(out, 0, rowBytes);
  }
}

/**
 * Inverted dropout, drawing the masks: for each of `rows` rows of `per`
 * values, mulberry32 seeded with seeds[row] gives u (uint32) per value; the
 * mask is keep where u ≥ threshold, else 0 (bit for bit the masks of
 * fillDropoutMask in src/models/layers/seededDropout.ts). Writes the mask to
 * `mask` and x · mask to `out`.
 */
export function dropout(x: usize, out: usize, mask: usize, rows: i32, per: i32, seeds: usize, threshold: u32, keep: f32): void {
  const golden: i32 = 0x6d2b79f5;
  const vkeep = f32x4.splat(keep);
  const vthr = i32x4.splat(<i32>(threshold ^ 0x80000000)); // unsigned compare as signed, biased
  const bias = i32x4.splat(<i32>0x80000000);
  const one = i32x4.splat(1);
  const sixtyOne = i32x4.splat(61);
  const step4 = i32x4.splat(golden * 4);
  let p: usize = 0;
  for (let r = 0; r < rows; r++) {
    let s = load<i32>(seeds + (<usize>r << 2));
    let i = 0;
    // Four values at a time: lane l holds the state after i + l + 1 steps.
    let vs = i32x4(s + golden, s + 2 * golden, s + 3 * golden, s + 4 * golden);
    for (; i + 4 <= per; i += 4) {
      let z = i32x4.mul(v128.xor(vs, i32x4.shr_u(vs, 15)), v128.or(vs, one));
      z = v128.xor(i32x4.add(z, i32x4.mul(v128.xor(z, i32x4.shr_u(z, 7)), v128.or(z, sixtyOne))), z);
      const u = v128.xor(z, i32x4.shr_u(z, 14));
      const m = v128.and(i32x4.ge_s(v128.xor(u, bias), vthr), vkeep);
      v128.store(mask + p, m);
      v128.store(out + p, f32x4.mul(v128.load(x + p), m));
      vs = i32x4.add(vs, step4);
      p += 16;
    }
    s += i * golden;
    for (; i < per; i++) {
      s += golden;
      let z = (s ^ (<i32>(<u32>s >> 15))) * (1 | s);
      z = (z + (z ^ <i32>(<u32>z >> 7)) * (61 | z)) ^ z;
      const u = <u32>(z ^ <i32>(<u32>z >> 14));
      const m = select<f32>(keep, 0, u >= threshold); // branch-free: random bits mispredict
      store<f32>(mask + p, m);
      store<f32>(out + p, load<f32>(x + p) * m);
      p += 4;
    }
  }
}
