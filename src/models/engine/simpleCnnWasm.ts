/**
 * The simple CNN's forward and backward passes on hitrank's WebAssembly
 * kernels, outside TensorFlow.js: every matrix product runs in one GEMM
 * micro-kernel (4 × 8 tiles, strided A so that Aᵀ costs nothing), bias,
 * leaky ReLU, pooling and dropout run as fused passes over the module's
 * memory, and the backward pass reuses what the forward pass left there.
 *
 * Layouts inside: time-major activations ([clip, frame, channel]); the
 * first convolution reads the transposed log-mel, whose rows overlap as its
 * im2col matrix (row t of the [T, K·nMels] window matrix starts at frame t),
 * so no im2col copy is made.
 *
 * @module
 */
import { HitrankError } from '../../errors.js';
import { wasmKernels, type WasmKernelFlavour, type WasmKernels } from './wasmKernels.js';

/** The shape of a simple CNN (see `buildSimpleCnn`). */
export interface SimpleCnnGeometry {
  /** Mel bands of the input. */
  nMels: number;
  /** Kernel widths of conv1 and conv2. */
  kernelSizes: [number, number];
  /** Output channels of conv1, conv2 and the two 1×1 layers. */
  filters: [number, number, number, number];
  /** Leaky ReLU slope (every layer). */
  leakyAlpha: number;
}

/** Frames after each stage for an input of `frames` (p2 < 1: too short). */
export function stages(frames: number, g: SimpleCnnGeometry): { t1: number; p1: number; t2: number; p2: number } {
  const t1 = frames - g.kernelSizes[0] + 1;
  const p1 = Math.floor(t1 / 2);
  const t2 = p1 - g.kernelSizes[1] + 1;
  const p2 = Math.floor(t2 / 2);
  return { t1, p1, t2, p2 };
}

/** One dropout layer's draw: a mulberry32 seed per clip (see `fillDropoutMask`) and the rate. */
export interface DropoutSeeds {
  /** Seed of each clip's mask. */
  seeds: Int32Array;
  /** Drop probability in [0, 1). */
  rate: number;
}

/** Memory regions of the 10 weights (trainableWeights order; conv1's rows permuted to k·nMels + c) and of their gradients. */
const WEIGHTS = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3', 'w4', 'b4', 'w5', 'b5'] as const;
const GRADIENTS = ['dw1', 'db1', 'dw2', 'db2', 'dw3', 'db3', 'dw4', 'db4', 'dw5', 'db5'] as const;

interface Layout {
  n: number;
  frames: number;
  end: number;
  [region: string]: number;
}

/**
 * Forward and backward passes of one simple CNN geometry on the wasm
 * kernels. Weights come in and gradients go out in the layer layouts of
 * `buildSimpleCnn` (TF Conv2D kernels), in `trainableWeights` order:
 * conv1 kernel, bias, conv2 kernel, bias, then the three 1×1 layers.
 *
 * The last forward pass is the one {@link backward} differentiates (what it
 * needs stays in the module's memory); a backward pass after another
 * forward pass throws.
 */
export class SimpleCnnWasm {
  /** The network shape. */
  readonly geometry: SimpleCnnGeometry;
  /** The kernel instance. */
  readonly kernels: WasmKernels;
  private layout: Layout | null = null;
  private tape = 0;

  /**
   * @param geometry - the network shape.
   * @param flavour - force a kernel build; default the fastest available.
   */
  constructor(geometry: SimpleCnnGeometry, flavour?: WasmKernelFlavour) {
    this.geometry = geometry;
    this.kernels = wasmKernels(flavour);
  }

  /** The 10 weight sizes in trainableWeights order. */
  weightSizes(): number[] {
    const { nMels, kernelSizes: [k1, k2], filters: [f1, f2, f3, f4] } = this.geometry;
    return [nMels * k1 * f1, f1, k2 * f1 * f2, f2, f2 * f3, f3, f3 * f4, f4, f4, 1];
  }

  private plan(n: number, frames: number): Layout {
    if (this.layout && this.layout.n === n && this.layout.frames === frames) return this.layout;
    const { nMels: c0, kernelSizes: [, k2], filters: [f1, f2, f3, f4] } = this.geometry;
    const { t1, p1, t2, p2 } = stages(frames, this.geometry);
    const r = n * p2;
    const pad2 = t2 + 2 * (k2 - 1);
    const sizes = this.weightSizes();
    const regions: [string, number][] = [
      ['x', n * c0 * frames],
      ['xT', n * frames * c0],
      ...WEIGHTS.map((name, i): [string, number] => [name, sizes[i]]),
      ['seeds', n],
      ['scratch', 256 * (Math.max(f1, f2, f3, f4) + 8)], // gemm's packed B panels (KC · N)
      ['w2flip', k2 * f2 * f1],
      ['w3T', f3 * f2],
      ['w4T', f4 * f3],
      ['y1', n * t1 * f1],
      ['p1', n * p1 * f1],
      ['y2', n * t2 * f2],
      ['p2', r * f2],
      ['m1', r * f2],
      ['d1', r * f2],
      ['y3', r * f3],
      ['m2', r * f3],
      ['d2', r * f3],
      ['y4', r * f4],
      ['m3', r * f4],
      ['d3', r * f4],
      ['y5', r],
      // backward
      ['g5', r],
      ['g4', r * f4],
      ['g3', r * f3],
      ['g2', r * f2],
      ['gpad', n * pad2 * f2],
      ['gp1', n * p1 * f1],
      ['gy1', n * t1 * f1],
      ...GRADIENTS.map((name, i): [string, number] => [name, sizes[i]]),
    ];
    const layout: Layout = { n, frames, end: 0 };
    let at = this.kernels.base;
    for (const [name, floats] of regions) {
      layout[name] = at;
      at += Math.ceil((floats * 4) / 64) * 64; // 64-byte aligned regions
    }
    layout.end = at;
    this.kernels.reserve(at);
    this.layout = layout;
    return layout;
  }

  /**
   * Scores `n` clips.
   *
   * @param x - `n` log-mels `[nMels, frames]` one after another (mel-major).
   * @param n - clips.
   * @param frames - frames per clip.
   * @param weights - the 10 weights (see the class comment).
   * @param masks - the three dropout layers' draws for training (null = no dropout at that layer), or null.
   * @returns one score per clip (a fresh array).
   */
  forward(x: Float32Array, n: number, frames: number, weights: readonly Float32Array[], masks: readonly (DropoutSeeds | null)[] | null): Float32Array {
    const g = this.geometry;
    const { nMels: c0, kernelSizes: [k1, k2], filters: [f1, f2, f3, f4], leakyAlpha: alpha } = g;
    const { t1, p1, t2, p2 } = stages(frames, g);
    if (p2 < 1) throw new HitrankError('E_TOO_SHORT', `simple CNN: ${frames} frames are too few for kernel widths [${k1}, ${k2}].`);
    if (x.length !== n * c0 * frames) throw new HitrankError('E_SHAPE', `simple CNN: input has ${x.length} values, expected ${n} × ${c0} × ${frames}.`);
    const sizes = this.weightSizes();
    weights.forEach((w, i) => {
      if (w.length !== sizes[i]) throw new HitrankError('E_SHAPE', `simple CNN: weight ${i} has ${w.length} values, expected ${sizes[i]}.`);
    });
    const L = this.plan(n, frames);
    const K = this.kernels;
    const fn = K.fn;
    const r = n * p2;

    K.f32(L.x, x.length).set(x);
    fn.transposeClips(L.x, n, c0, frames, L.xT);
    // conv1 kernel [c0, k1, 1, f1] → rows k·c0 + c, the order of the overlapping window rows.
    const w1 = K.f32(L.w1, k1 * c0 * f1);
    const src1 = weights[0];
    for (let c = 0; c < c0; c++) {
      for (let k = 0; k < k1; k++) w1.set(src1.subarray((c * k1 + k) * f1, (c * k1 + k + 1) * f1), (k * c0 + c) * f1);
    }
    // The others as they are (conv2's [1, k2, f1, f2] has rows k·f1 + c already).
    for (let i = 1; i < WEIGHTS.length; i++) K.f32(L[WEIGHTS[i]], sizes[i]).set(weights[i]);

    const framesBytes = frames * c0 * 4;
    for (let b = 0; b < n; b++) {
      fn.gemm(L.xT + b * framesBytes, c0, 1, L.w1, f1, L.y1 + b * t1 * f1 * 4, f1, t1, f1, k1 * c0, 0, L.scratch);
    }
    fn.biasLeaky(L.y1, n * t1, f1, L.b1, alpha);
    fn.maxPool2(L.y1, n, t1, f1, L.p1);
    for (let b = 0; b < n; b++) {
      fn.gemm(L.p1 + b * p1 * f1 * 4, f1, 1, L.w2, f2, L.y2 + b * t2 * f2 * 4, f2, t2, f2, k2 * f1, 0, L.scratch);
    }
    fn.biasLeaky(L.y2, n * t2, f2, L.b2, alpha);
    fn.maxPool2(L.y2, n, t2, f2, L.p2);
    const dropout = masks !== null;
    if (dropout && masks.length !== 3) throw new HitrankError('E_SHAPE', `simple CNN: expected 3 dropout draws, got ${masks.length}.`);
    const applyMask = (m: DropoutSeeds | null, region: string, src: number, dst: number, per: number): number => {
      if (!m) return src;
      if (m.seeds.length !== n) throw new HitrankError('E_SHAPE', `simple CNN: ${m.seeds.length} dropout seeds for ${n} clips.`);
      K.i32(L.seeds, n).set(m.seeds);
      const threshold = Math.min(Math.floor(m.rate * 4294967296), 4294967295);
      fn.dropout(src, dst, L[region], n, per, L.seeds, threshold, Math.fround(1 / (1 - m.rate)));
      return dst;
    };
    const in3 = dropout ? applyMask(masks[0], 'm1', L.p2, L.d1, p2 * f2) : L.p2;
    fn.gemm(in3, f2, 1, L.w3, f3, L.y3, f3, r, f3, f2, 0, L.scratch);
    fn.biasLeaky(L.y3, r, f3, L.b3, alpha);
    const in4 = dropout ? applyMask(masks[1], 'm2', L.y3, L.d2, p2 * f3) : L.y3;
    fn.gemm(in4, f3, 1, L.w4, f4, L.y4, f4, r, f4, f3, 0, L.scratch);
    fn.biasLeaky(L.y4, r, f4, L.b4, alpha);
    const in5 = dropout ? applyMask(masks[2], 'm3', L.y4, L.d3, p2 * f4) : L.y4;
    fn.gemm(in5, f4, 1, L.w5, 1, L.y5, 1, r, 1, f4, 0, L.scratch);
    fn.biasLeaky(L.y5, r, 1, L.b5, alpha);

    const y5 = K.f32(L.y5, r);
    const scores = new Float32Array(n);
    for (let b = 0; b < n; b++) {
      let s = 0;
      for (let t = 0; t < p2; t++) s += y5[b * p2 + t];
      scores[b] = s / p2;
    }
    this.tape++;
    this.inputs = { in3, in4, in5, masks: dropout ? [masks[0] !== null, masks[1] !== null, masks[2] !== null] : [false, false, false] };
    return scores;
  }

  private inputs: { in3: number; in4: number; in5: number; masks: boolean[] } | null = null;

  /** Number of the last forward pass (for checking that a backward pass belongs to it). */
  get tapeId(): number {
    return this.tape;
  }

  /**
   * Gradients of `Σ_b dScores[b] · score_b` with respect to the 10 weights of
   * the last forward pass.
   *
   * @param dScores - one value per clip.
   * @param tapeId - the {@link tapeId} read right after that forward pass.
   * @returns 10 fresh arrays in the weights' layouts.
   * @throws HitrankError `E_UNSUPPORTED` when another forward pass ran in between.
   */
  backward(dScores: Float32Array, tapeId: number): Float32Array[] {
    if (tapeId !== this.tape || !this.layout || !this.inputs) {
      throw new HitrankError('E_UNSUPPORTED', 'simple CNN (wasm kernels): this backward pass does not follow its forward pass — another forward pass ran in between.');
    }
    const L = this.layout;
    const { n, frames } = L;
    const g = this.geometry;
    const { nMels: c0, kernelSizes: [k1, k2], filters: [f1, f2, f3, f4], leakyAlpha: alpha } = g;
    const { t1, p1, t2, p2 } = stages(frames, g);
    const r = n * p2;
    if (dScores.length !== n) throw new HitrankError('E_SHAPE', `simple CNN: ${dScores.length} score gradients for ${n} clips.`);
    const K = this.kernels;
    const fn = K.fn;
    const { in3, in4, in5, masks } = this.inputs;

    // Global average, then conv2d_4 (f4 → 1) with its leaky ReLU.
    const g5 = K.f32(L.g5, r);
    for (let b = 0; b < n; b++) g5.fill(dScores[b] / p2, b * p2, (b + 1) * p2);
    fn.leakyGrad(L.g5, L.y5, r, alpha);
    fn.gemm(L.g5, r, 1, in5, f4, L.dw5, f4, 1, f4, r, 0, L.scratch); // dW5ᵀ = g5ᵀ · D3 ([1, r] · [r, f4])
    fn.columnSums(L.g5, r, 1, L.db5, 0);
    fn.gemm(L.g5, 1, 1, L.w5, f4, L.g4, f4, r, f4, 1, 0, L.scratch); // g4 = g5 · W5ᵀ (outer product)
    if (masks[2]) fn.multiply(L.g4, L.m3, L.g4, r * f4);
    fn.leakyGrad(L.g4, L.y4, r * f4, alpha);

    // conv2d_3 (f3 → f4)
    fn.gemm(in4, 1, f3, L.g4, f4, L.dw4, f4, f3, f4, r, 0, L.scratch);
    fn.columnSums(L.g4, r, f4, L.db4, 0);
    transposeInto(K.f32(L.w4, f3 * f4), f3, f4, K.f32(L.w4T, f4 * f3));
    fn.gemm(L.g4, f4, 1, L.w4T, f3, L.g3, f3, r, f3, f4, 0, L.scratch);
    if (masks[1]) fn.multiply(L.g3, L.m2, L.g3, r * f3);
    fn.leakyGrad(L.g3, L.y3, r * f3, alpha);

    // conv2d_2 (f2 → f3)
    fn.gemm(in3, 1, f2, L.g3, f3, L.dw3, f3, f2, f3, r, 0, L.scratch);
    fn.columnSums(L.g3, r, f3, L.db3, 0);
    transposeInto(K.f32(L.w3, f2 * f3), f2, f3, K.f32(L.w3T, f3 * f2));
    fn.gemm(L.g3, f3, 1, L.w3T, f2, L.g2, f2, r, f2, f3, 0, L.scratch);
    if (masks[0]) fn.multiply(L.g2, L.m1, L.g2, r * f2);

    // pool2, then conv2 (k2 × f1 → f2) into a zero-padded gradient per clip.
    const pad2 = t2 + 2 * (k2 - 1);
    const gpad = K.f32(L.gpad, n * pad2 * f2);
    gpad.fill(0);
    for (let b = 0; b < n; b++) {
      const at = L.gpad + (b * pad2 + (k2 - 1)) * f2 * 4;
      fn.maxPool2Grad(L.y2 + b * t2 * f2 * 4, L.g2 + b * p2 * f2 * 4, 1, t2, f2, at);
      fn.leakyGrad(at, L.y2 + b * t2 * f2 * 4, t2 * f2, alpha);
      // dW2 += P1_bᵀ (as windows) · dZ2_b
      fn.gemm(L.p1 + b * p1 * f1 * 4, 1, f1, at, f2, L.dw2, f2, k2 * f1, f2, t2, b > 0 ? 1 : 0, L.scratch);
      fn.columnSums(at, t2, f2, L.db2, b > 0 ? 1 : 0);
    }
    // dP1_b[s] = Σ_k' dZpad_b[s + k'] · W2flip[k'], W2flip[k'·f2 + o, c] = W2[(k2 − 1 − k')·f1 + c, o]
    const w2 = K.f32(L.w2, k2 * f1 * f2);
    const w2flip = K.f32(L.w2flip, k2 * f2 * f1);
    for (let kp = 0; kp < k2; kp++) {
      const k = k2 - 1 - kp;
      for (let c = 0; c < f1; c++) {
        for (let o = 0; o < f2; o++) w2flip[(kp * f2 + o) * f1 + c] = w2[(k * f1 + c) * f2 + o];
      }
    }
    for (let b = 0; b < n; b++) {
      fn.gemm(L.gpad + b * pad2 * f2 * 4, f2, 1, L.w2flip, f1, L.gp1 + b * p1 * f1 * 4, f1, p1, f1, k2 * f2, 0, L.scratch);
    }

    // pool1, conv1 (weights only: the input needs no gradient).
    fn.maxPool2Grad(L.y1, L.gp1, n, t1, f1, L.gy1);
    fn.leakyGrad(L.gy1, L.y1, n * t1 * f1, alpha);
    const framesBytes = frames * c0 * 4;
    for (let b = 0; b < n; b++) {
      fn.gemm(L.xT + b * framesBytes, 1, c0, L.gy1 + b * t1 * f1 * 4, f1, L.dw1, f1, k1 * c0, f1, t1, b > 0 ? 1 : 0, L.scratch);
    }
    fn.columnSums(L.gy1, n * t1, f1, L.db1, 0);

    const dw1 = K.f32(L.dw1, k1 * c0 * f1);
    const dK1 = new Float32Array(c0 * k1 * f1);
    for (let c = 0; c < c0; c++) {
      for (let k = 0; k < k1; k++) dK1.set(dw1.subarray((k * c0 + c) * f1, (k * c0 + c + 1) * f1), (c * k1 + k) * f1);
    }
    const sizes = this.weightSizes();
    return GRADIENTS.map((name, i) => (i === 0 ? dK1 : K.f32(L[name], sizes[i]).slice()));
  }
}

/** out[j, i] = a[i, j] for an [rows, cols] matrix. */
function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  }
}
