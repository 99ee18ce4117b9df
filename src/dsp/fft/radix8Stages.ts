// Butterfly stages of the radix-8 decimation-in-frequency FFT of ./complexFft.ts.
//
// Data are interleaved complex doubles (`x[2i]` real, `x[2i + 1]` imaginary) in
// plain arrays: in V8 (Node 20) these kernels run ~1.5× faster on plain double
// arrays than on Float64Array. A stage on blocks of length L (q = L/8) maps the
// eight points `x_m = x[i0 + m·q]` of every butterfly to the eight residues
// `y_r = (Σ_m x_m·W8^{mr})·w^{rj}`, `w = e^{−2πi/L}`, and stores residue r in slot
// bitrev3(r) — so after all stages bin k sits at slot bitrev(k) and no reordering
// pass is needed.

const S = Math.SQRT1_2;

/**
 * Radix-8 stage with twiddles on every block of length `L` (L ≥ 16).
 * `tw[t0 + 14j + 2(r−1)]`, `+1` hold cos / −sin of 2π·r·j/L.
 *
 * @internal
 */
export function radix8Stage(x: number[], n: number, L: number, tw: number[], t0: number): void {
  const q = L >> 3;
  const q2 = 2 * q;
  const end = 2 * n;
  for (let b = 0; b < end; b += 2 * L) {
    for (let j = 0, t = t0; j < q; j++, t += 14) {
      const i0 = b + 2 * j;
      const i1 = i0 + q2;
      const i2 = i1 + q2;
      const i3 = i2 + q2;
      const i4 = i3 + q2;
      const i5 = i4 + q2;
      const i6 = i5 + q2;
      const i7 = i6 + q2;
      // Radix-2 layer: a_m = x_m + x_{m+4}, b_m = (x_m − x_{m+4})·W8^m.
      const x0r = x[i0];
      const x0i = x[i0 + 1];
      const x4r = x[i4];
      const x4i = x[i4 + 1];
      const a0r = x0r + x4r;
      const a0i = x0i + x4i;
      const b0r = x0r - x4r;
      const b0i = x0i - x4i;
      const x1r = x[i1];
      const x1i = x[i1 + 1];
      const x5r = x[i5];
      const x5i = x[i5 + 1];
      const a1r = x1r + x5r;
      const a1i = x1i + x5i;
      const u1r = x1r - x5r;
      const u1i = x1i - x5i;
      const b1r = S * (u1r + u1i);
      const b1i = S * (u1i - u1r);
      const x2r = x[i2];
      const x2i = x[i2 + 1];
      const x6r = x[i6];
      const x6i = x[i6 + 1];
      const a2r = x2r + x6r;
      const a2i = x2i + x6i;
      const b2r = x2i - x6i;
      const b2i = x6r - x2r;
      const x3r = x[i3];
      const x3i = x[i3 + 1];
      const x7r = x[i7];
      const x7i = x[i7 + 1];
      const a3r = x3r + x7r;
      const a3i = x3i + x7i;
      const u3r = x3r - x7r;
      const u3i = x3i - x7i;
      const b3r = S * (u3i - u3r);
      const b3i = -S * (u3r + u3i);
      // Even residues: 4-point DFT of a.
      let pr = a0r + a2r;
      let pi = a0i + a2i;
      let mr = a0r - a2r;
      let mi = a0i - a2i;
      let sr = a1r + a3r;
      let si = a1i + a3i;
      let dr = a1r - a3r;
      let di = a1i - a3i;
      x[i0] = pr + sr;
      x[i0 + 1] = pi + si;
      let yr = pr - sr;
      let yi = pi - si;
      let wr = tw[t + 6];
      let wi = tw[t + 7];
      x[i1] = yr * wr - yi * wi; // r4
      x[i1 + 1] = yr * wi + yi * wr;
      yr = mr + di;
      yi = mi - dr;
      wr = tw[t + 2];
      wi = tw[t + 3];
      x[i2] = yr * wr - yi * wi; // r2
      x[i2 + 1] = yr * wi + yi * wr;
      yr = mr - di;
      yi = mi + dr;
      wr = tw[t + 10];
      wi = tw[t + 11];
      x[i3] = yr * wr - yi * wi; // r6
      x[i3 + 1] = yr * wi + yi * wr;
      // Odd residues: 4-point DFT of b.
      pr = b0r + b2r;
      pi = b0i + b2i;
      mr = b0r - b2r;
      mi = b0i - b2i;
      sr = b1r + b3r;
      si = b1i + b3i;
      dr = b1r - b3r;
      di = b1i - b3i;
      yr = pr + sr;
      yi = pi + si;
      wr = tw[t];
      wi = tw[t + 1];
      x[i4] = yr * wr - yi * wi; // r1
      x[i4 + 1] = yr * wi + yi * wr;
      yr = pr - sr;
      yi = pi - si;
      wr = tw[t + 8];
      wi = tw[t + 9];
      x[i5] = yr * wr - yi * wi; // r5
      x[i5 + 1] = yr * wi + yi * wr;
      yr = mr + di;
      yi = mi - dr;
      wr = tw[t + 4];
      wi = tw[t + 5];
      x[i6] = yr * wr - yi * wi; // r3
      x[i6 + 1] = yr * wi + yi * wr;
      yr = mr - di;
      yi = mi + dr;
      wr = tw[t + 12];
      wi = tw[t + 13];
      x[i7] = yr * wr - yi * wi; // r7
      x[i7 + 1] = yr * wi + yi * wr;
    }
  }
}

/**
 * The first radix-8 stage (L = n ≥ 16) fused with loading two windowed real
 * frames: real parts `a[aOff + i]·win[i]`, imaginary parts `b[bOff + i]·win[i]`.
 * Same arithmetic as {@link radix8Stage} on the loaded values.
 *
 * @internal
 */
export function radix8LoadStage(
  x: number[],
  n: number,
  tw: number[],
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  win: number[],
): void {
  const q = n >> 3;
  const q2 = 2 * q;
  for (let j = 0, t = 0; j < q; j++, t += 14) {
    const i0 = 2 * j;
    const i1 = i0 + q2;
    const i2 = i1 + q2;
    const i3 = i2 + q2;
    const i4 = i3 + q2;
    const i5 = i4 + q2;
    const i6 = i5 + q2;
    const i7 = i6 + q2;
    const k0 = j;
    const k1 = k0 + q;
    const k2 = k1 + q;
    const k3 = k2 + q;
    const k4 = k3 + q;
    const k5 = k4 + q;
    const k6 = k5 + q;
    const k7 = k6 + q;
    let w = win[k0];
    const x0r = a[aOff + k0] * w;
    const x0i = b[bOff + k0] * w;
    w = win[k4];
    const x4r = a[aOff + k4] * w;
    const x4i = b[bOff + k4] * w;
    const a0r = x0r + x4r;
    const a0i = x0i + x4i;
    const b0r = x0r - x4r;
    const b0i = x0i - x4i;
    w = win[k1];
    const x1r = a[aOff + k1] * w;
    const x1i = b[bOff + k1] * w;
    w = win[k5];
    const x5r = a[aOff + k5] * w;
    const x5i = b[bOff + k5] * w;
    const a1r = x1r + x5r;
    const a1i = x1i + x5i;
    const u1r = x1r - x5r;
    const u1i = x1i - x5i;
    const b1r = S * (u1r + u1i);
    const b1i = S * (u1i - u1r);
    w = win[k2];
    const x2r = a[aOff + k2] * w;
    const x2i = b[bOff + k2] * w;
    w = win[k6];
    const x6r = a[aOff + k6] * w;
    const x6i = b[bOff + k6] * w;
    const a2r = x2r + x6r;
    const a2i = x2i + x6i;
    const b2r = x2i - x6i;
    const b2i = x6r - x2r;
    w = win[k3];
    const x3r = a[aOff + k3] * w;
    const x3i = b[bOff + k3] * w;
    w = win[k7];
    const x7r = a[aOff + k7] * w;
    const x7i = b[bOff + k7] * w;
    const a3r = x3r + x7r;
    const a3i = x3i + x7i;
    const u3r = x3r - x7r;
    const u3i = x3i - x7i;
    const b3r = S * (u3i - u3r);
    const b3i = -S * (u3r + u3i);
    let pr = a0r + a2r;
    let pi = a0i + a2i;
    let mr = a0r - a2r;
    let mi = a0i - a2i;
    let sr = a1r + a3r;
    let si = a1i + a3i;
    let dr = a1r - a3r;
    let di = a1i - a3i;
    x[i0] = pr + sr;
    x[i0 + 1] = pi + si;
    let yr = pr - sr;
    let yi = pi - si;
    let wr = tw[t + 6];
    let wi = tw[t + 7];
    x[i1] = yr * wr - yi * wi;
    x[i1 + 1] = yr * wi + yi * wr;
    yr = mr + di;
    yi = mi - dr;
    wr = tw[t + 2];
    wi = tw[t + 3];
    x[i2] = yr * wr - yi * wi;
    x[i2 + 1] = yr * wi + yi * wr;
    yr = mr - di;
    yi = mi + dr;
    wr = tw[t + 10];
    wi = tw[t + 11];
    x[i3] = yr * wr - yi * wi;
    x[i3 + 1] = yr * wi + yi * wr;
    pr = b0r + b2r;
    pi = b0i + b2i;
    mr = b0r - b2r;
    mi = b0i - b2i;
    sr = b1r + b3r;
    si = b1i + b3i;
    dr = b1r - b3r;
    di = b1i - b3i;
    yr = pr + sr;
    yi = pi + si;
    wr = tw[t];
    wi = tw[t + 1];
    x[i4] = yr * wr - yi * wi;
    x[i4 + 1] = yr * wi + yi * wr;
    yr = pr - sr;
    yi = pi - si;
    wr = tw[t + 8];
    wi = tw[t + 9];
    x[i5] = yr * wr - yi * wi;
    x[i5 + 1] = yr * wi + yi * wr;
    yr = mr + di;
    yi = mi - dr;
    wr = tw[t + 4];
    wi = tw[t + 5];
    x[i6] = yr * wr - yi * wi;
    x[i6 + 1] = yr * wi + yi * wr;
    yr = mr - di;
    yi = mi + dr;
    wr = tw[t + 12];
    wi = tw[t + 13];
    x[i7] = yr * wr - yi * wi;
    x[i7 + 1] = yr * wi + yi * wr;
  }
}

/**
 * Last stage when 8 points remain per block: an 8-point DFT, no twiddles.
 *
 * @internal
 */
export function radix8Last(x: number[], n: number): void {
  const end = 2 * n;
  for (let i0 = 0; i0 < end; i0 += 16) {
    const x0r = x[i0];
    const x0i = x[i0 + 1];
    const x4r = x[i0 + 8];
    const x4i = x[i0 + 9];
    const a0r = x0r + x4r;
    const a0i = x0i + x4i;
    const b0r = x0r - x4r;
    const b0i = x0i - x4i;
    const x1r = x[i0 + 2];
    const x1i = x[i0 + 3];
    const x5r = x[i0 + 10];
    const x5i = x[i0 + 11];
    const a1r = x1r + x5r;
    const a1i = x1i + x5i;
    const u1r = x1r - x5r;
    const u1i = x1i - x5i;
    const b1r = S * (u1r + u1i);
    const b1i = S * (u1i - u1r);
    const x2r = x[i0 + 4];
    const x2i = x[i0 + 5];
    const x6r = x[i0 + 12];
    const x6i = x[i0 + 13];
    const a2r = x2r + x6r;
    const a2i = x2i + x6i;
    const b2r = x2i - x6i;
    const b2i = x6r - x2r;
    const x3r = x[i0 + 6];
    const x3i = x[i0 + 7];
    const x7r = x[i0 + 14];
    const x7i = x[i0 + 15];
    const a3r = x3r + x7r;
    const a3i = x3i + x7i;
    const u3r = x3r - x7r;
    const u3i = x3i - x7i;
    const b3r = S * (u3i - u3r);
    const b3i = -S * (u3r + u3i);
    let pr = a0r + a2r;
    let pi = a0i + a2i;
    let mr = a0r - a2r;
    let mi = a0i - a2i;
    let sr = a1r + a3r;
    let si = a1i + a3i;
    let dr = a1r - a3r;
    let di = a1i - a3i;
    x[i0] = pr + sr;
    x[i0 + 1] = pi + si;
    x[i0 + 2] = pr - sr;
    x[i0 + 3] = pi - si;
    x[i0 + 4] = mr + di;
    x[i0 + 5] = mi - dr;
    x[i0 + 6] = mr - di;
    x[i0 + 7] = mi + dr;
    pr = b0r + b2r;
    pi = b0i + b2i;
    mr = b0r - b2r;
    mi = b0i - b2i;
    sr = b1r + b3r;
    si = b1i + b3i;
    dr = b1r - b3r;
    di = b1i - b3i;
    x[i0 + 8] = pr + sr;
    x[i0 + 9] = pi + si;
    x[i0 + 10] = pr - sr;
    x[i0 + 11] = pi - si;
    x[i0 + 12] = mr + di;
    x[i0 + 13] = mi - dr;
    x[i0 + 14] = mr - di;
    x[i0 + 15] = mi + dr;
  }
}

/**
 * Last stage when 4 points remain per block: a 4-point DFT (slots 0, 2, 1, 3).
 *
 * @internal
 */
export function radix4Last(x: number[], n: number): void {
  const end = 2 * n;
  for (let i0 = 0; i0 < end; i0 += 8) {
    const x0r = x[i0];
    const x0i = x[i0 + 1];
    const x1r = x[i0 + 2];
    const x1i = x[i0 + 3];
    const x2r = x[i0 + 4];
    const x2i = x[i0 + 5];
    const x3r = x[i0 + 6];
    const x3i = x[i0 + 7];
    const ar = x0r + x2r;
    const ai = x0i + x2i;
    const br = x0r - x2r;
    const bi = x0i - x2i;
    const cr = x1r + x3r;
    const ci = x1i + x3i;
    const dr = x1r - x3r;
    const di = x1i - x3i;
    x[i0] = ar + cr;
    x[i0 + 1] = ai + ci;
    x[i0 + 2] = ar - cr;
    x[i0 + 3] = ai - ci;
    x[i0 + 4] = br + di;
    x[i0 + 5] = bi - dr;
    x[i0 + 6] = br - di;
    x[i0 + 7] = bi + dr;
  }
}

/**
 * Last stage when 2 points remain per block: sum and difference.
 *
 * @internal
 */
export function radix2Last(x: number[], n: number): void {
  const end = 2 * n;
  for (let i0 = 0; i0 < end; i0 += 4) {
    const ar = x[i0];
    const ai = x[i0 + 1];
    const br = x[i0 + 2];
    const bi = x[i0 + 3];
    x[i0] = ar + br;
    x[i0 + 1] = ai + bi;
    x[i0 + 2] = ar - br;
    x[i0 + 3] = ai - bi;
  }
}
