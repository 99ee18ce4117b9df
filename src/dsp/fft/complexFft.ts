import { radix2Last, radix4Last, radix8Last, radix8LoadStage, radix8Stage } from './radix8Stages.js';

/**
 * An FFT plan for one power-of-two length: in-place complex FFT on interleaved
 * doubles in a plain array (`x[2i]` real, `x[2i + 1]` imaginary), radix-8
 * decimation in frequency (4096 = 8⁴: four passes over the data) with one
 * twiddle-free radix-4 or radix-2 pass at the end when log2(n) is not a multiple
 * of 3. The spectrum is left in bit-reversed order — bin `k` is in slot
 * {@link ComplexFft.rev}`[k]` — because every caller post-processes the bins
 * anyway and reads them through the table there, instead of a reordering pass.
 *
 * Computes `X[k] = Σ x[m]·e^{−2πi·km/n}` in double precision, like numpy's
 * `np.fft.fft` (no scaling); tested against fft.js and a direct DFT.
 *
 * @internal
 */
export class ComplexFft {
  /** Transform length, a power of two ≥ 1. */
  readonly n: number;
  /** `rev[k]` is the slot of bin `k` in the transformed array (bit reversal of k). */
  readonly rev: Int32Array;
  /** Twiddles of the radix-8 stages (L = n, n/8, … ≥ 16): per j < L/8, cos/−sin of 2π·r·j/L for r = 1…7. */
  private readonly tw: number[];
  private readonly stageOffsets: number[];
  private readonly stageLengths: number[];
  /** Points per block left for the twiddle-free last pass: 8, 4, 2 or 1. */
  private readonly lastL: number;

  /**
   * @param n - transform length, a power of two ≥ 1.
   */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0) {
      throw new RangeError(`FFT length must be a power of two ≥ 1, got ${n}.`);
    }
    this.n = n;
    const bits = Math.round(Math.log2(n));
    this.rev = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      let r = 0;
      for (let b = 0, v = k; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
      this.rev[k] = r;
    }
    this.tw = [];
    this.stageOffsets = [];
    this.stageLengths = [];
    let L = n;
    for (; L >= 16; L >>= 3) {
      this.stageOffsets.push(this.tw.length);
      this.stageLengths.push(L);
      for (let j = 0; j < L >> 3; j++) {
        for (let r = 1; r <= 7; r++) {
          const a = (2 * Math.PI * r * j) / L;
          this.tw.push(Math.cos(a), -Math.sin(a));
        }
      }
    }
    this.lastL = L;
  }

  /** A zeroed work array of `2n` doubles (interleaved complex), the layout {@link forward} takes. */
  createBuffer(): number[] {
    return new Array<number>(2 * this.n).fill(0);
  }

  /**
   * Forward transform in place; afterwards bin `k` is at `x[2·rev[k]]`, `x[2·rev[k] + 1]`.
   *
   * @param x - interleaved complex data, length `2n` (from {@link createBuffer}).
   */
  forward(x: number[]): void {
    this.stages(x, 0);
  }

  /**
   * Transform of the complex signal `a[aOff + i]·win[i] + i·b[bOff + i]·win[i]`
   * (two windowed real frames packed as real and imaginary parts), loading the
   * frames inside the first pass. Result as {@link forward}.
   *
   * @param x - work array of `2n` doubles, receives the spectrum.
   * @param a - samples of the first frame.
   * @param aOff - index of the first frame's first sample in `a`.
   * @param b - samples of the second frame.
   * @param bOff - index of the second frame's first sample in `b`.
   * @param win - window, `n` values.
   */
  forwardRealPair(x: number[], a: Float32Array, aOff: number, b: Float32Array, bOff: number, win: number[]): void {
    const n = this.n;
    if (this.stageLengths.length === 0) {
      for (let i = 0; i < n; i++) {
        x[2 * i] = a[aOff + i] * win[i];
        x[2 * i + 1] = b[bOff + i] * win[i];
      }
      this.stages(x, 0);
      return;
    }
    radix8LoadStage(x, n, this.tw, a, aOff, b, bOff, win);
    this.stages(x, 1);
  }

  private stages(x: number[], from: number): void {
    const n = this.n;
    for (let s = from; s < this.stageLengths.length; s++) {
      radix8Stage(x, n, this.stageLengths[s], this.tw, this.stageOffsets[s]);
    }
    const last = this.lastL;
    if (last === 8) radix8Last(x, n);
    else if (last === 4) radix4Last(x, n);
    else if (last === 2) radix2Last(x, n);
  }
}
