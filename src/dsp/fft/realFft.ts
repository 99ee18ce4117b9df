import { ComplexFft } from './complexFft.js';

/**
 * FFT of one real, windowed frame of even length n through a complex FFT of
 * n/2 points (the standard "pack even and odd samples" real FFT): with
 * `z[m] = x[2m] + i·x[2m+1]` and `Z = FFT_{n/2}(z)`,
 * `X[k] = (Z[k] + Z*[n/2−k]) / 2 + e^{−2πik/n}·(Z[k] − Z*[n/2−k]) / 2i`
 * for k = 0 … n/2 — the bins `np.fft.rfft` returns, each computed from its own
 * frame only.
 *
 * @internal
 */
export class RealFft {
  /** Frame length (a power of two ≥ 2). */
  readonly n: number;
  private readonly half: ComplexFft;
  private readonly z: number[];
  /** `2·rev[k]` of the half-length plan. */
  private readonly slot: number[];
  /** cos and −sin of 2πk/n for k = 0 … n/2, interleaved. */
  private readonly tw: number[];

  /**
   * @param n - frame length, a power of two ≥ 2.
   */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 2 || (n & (n - 1)) !== 0) {
      throw new RangeError(`real FFT length must be a power of two ≥ 2, got ${n}.`);
    }
    this.n = n;
    this.half = new ComplexFft(n / 2);
    this.z = this.half.createBuffer();
    this.slot = Array.from(this.half.rev, (r) => 2 * r);
    this.tw = [];
    for (let k = 0; k <= n / 2; k++) {
      const a = (2 * Math.PI * k) / n;
      this.tw.push(Math.cos(a), -Math.sin(a));
    }
  }

  /**
   * Bins 0 … n/2 of the FFT of `a[aOff + i]·win[i]`, i < n.
   *
   * @param a - samples.
   * @param aOff - index of the frame's first sample in `a`.
   * @param win - window, n values.
   * @param re - receives the real parts (n/2 + 1 values).
   * @param im - receives the imaginary parts (n/2 + 1 values).
   */
  forward(a: Float32Array, aOff: number, win: number[], re: Float64Array, im: Float64Array): void {
    const n = this.n;
    const z = this.z;
    for (let i = 0; i < n; i++) z[i] = a[aOff + i] * win[i];
    this.half.forward(z);
    const M = n >> 1;
    const slot = this.slot;
    const tw = this.tw;
    for (let k = 0; k <= M; k++) {
      const s = slot[k & (M - 1)];
      const u = slot[(M - k) & (M - 1)];
      const zr = z[s];
      const zi = z[s + 1];
      const ur = z[u];
      const ui = z[u + 1];
      // Even part (Z[k] + Z*[M−k]) / 2, odd part (Z[k] − Z*[M−k]) / 2i.
      const er = 0.5 * (zr + ur);
      const ei = 0.5 * (zi - ui);
      const or = 0.5 * (zi + ui);
      const oi = 0.5 * (ur - zr);
      const wr = tw[2 * k];
      const wi = tw[2 * k + 1];
      re[k] = er + (or * wr - oi * wi);
      im[k] = ei + (or * wi + oi * wr);
    }
  }
}
