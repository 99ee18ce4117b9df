/**
 * Loads hitrank's WebAssembly kernels (built from `wasm/simpleCnnKernels.ts`
 * by `scripts/build-wasm.ts` and embedded as base64, so nothing is fetched):
 * the relaxed-SIMD build (fused multiply-add) where the runtime validates it,
 * else the SIMD128 build. One instance per thread and flavour, with its own
 * growable memory.
 *
 * @module
 */
import { HitrankError } from '../../errors.js';
import { RELAXED_SIMD_KERNELS_WASM, SIMD_KERNELS_WASM } from './simpleCnnKernelsWasm.js';

/** Which build of the kernels runs: `'relaxed-simd'` (fused multiply-add) or `'simd'` (multiply, then add). */
export type WasmKernelFlavour = 'relaxed-simd' | 'simd';

/** The functions the kernel module exports (pointers are byte offsets, sizes and strides in floats). */
export interface WasmKernelExports {
  memory: WebAssembly.Memory;
  gemm(a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, acc: number, scratch: number): void;
  transposeClips(x: number, n: number, rows: number, cols: number, out: number): void;
  biasLeaky(y: number, m: number, n: number, bias: number, alpha: number): void;
  leakyGrad(g: number, y: number, n: number, alpha: number): void;
  multiply(a: number, m: number, out: number, n: number): void;
  columnSums(z: number, m: number, n: number, out: number, acc: number): void;
  maxPool2(x: number, n: number, t: number, c: number, y: number): void;
  maxPool2Grad(x: number, dy: number, n: number, t: number, c: number, dx: number): void;
  dropout(x: number, out: number, mask: number, rows: number, per: number, seeds: number, threshold: number, keep: number): void;
}

// (module (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd))
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);
// (module (func (result v128) v128.const i32x4 0 0 0 0))
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  11,
]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** What {@link wasmKernelSupport} reports. */
export interface WasmKernelSupport {
  /** WebAssembly SIMD128 validates: the kernels run. */
  simd: boolean;
  /** Relaxed SIMD validates too: the fused multiply-add build runs. */
  relaxedSimd: boolean;
}

let simdKnown: boolean | null = null;
let relaxedKnown = false;

/**
 * Which kernel builds this runtime can run, checked now (Node 20 validates
 * relaxed SIMD only after `enableRelaxedSimd()` of `hitrank/node`; Node ≥ 22
 * and Chromium ≥ 114 always do).
 *
 * @returns see {@link WasmKernelSupport}.
 */
export function wasmKernelSupport(): WasmKernelSupport {
  // Called on every scoring pass (resolveCnnKernels): SIMD support never
  // changes, and relaxed SIMD, once on, stays on — only "not yet" is re-checked.
  simdKnown ??= validates(SIMD_PROBE);
  if (simdKnown && !relaxedKnown) relaxedKnown = validates(RELAXED_PROBE);
  return { simd: simdKnown, relaxedSimd: relaxedKnown };
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bin = atob(text);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Bytes the kernel module keeps for itself at the start of its memory. */
const RESERVED_BYTES = 65536;

const modules = new Map<WasmKernelFlavour, WebAssembly.Module>();

/** A kernel module instance and the memory it works in. */
export class WasmKernels {
  /** The build that runs. */
  readonly flavour: WasmKernelFlavour;
  /** The module's exports. */
  readonly fn: WasmKernelExports;

  /** @param flavour - the build to instantiate (it must validate here). */
  constructor(flavour: WasmKernelFlavour) {
    let module = modules.get(flavour);
    if (!module) {
      // Synchronous compilation: the modules are ≈ 3 KB, far below browsers' main-thread limit.
      module = new WebAssembly.Module(decodeBase64(flavour === 'relaxed-simd' ? RELAXED_SIMD_KERNELS_WASM : SIMD_KERNELS_WASM));
      modules.set(flavour, module);
    }
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new HitrankError('E_UNSUPPORTED', 'hitrank wasm kernel aborted');
        },
      },
    });
    this.flavour = flavour;
    this.fn = instance.exports as unknown as WasmKernelExports;
  }

  /** First byte callers may use. */
  get base(): number {
    return RESERVED_BYTES;
  }

  /** Grows the memory so that bytes `[0, end)` exist. */
  reserve(end: number): void {
    const have = this.fn.memory.buffer.byteLength;
    if (end > have) this.fn.memory.grow(Math.ceil((end - have) / 65536));
  }

  /** An int32 view of `length` values at byte offset `ptr` (valid until the memory grows). */
  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.fn.memory.buffer, ptr, length);
  }

  /** A float view of `length` floats at byte offset `ptr` (valid until the memory grows). */
  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.fn.memory.buffer, ptr, length);
  }
}

/**
 * A new kernel instance with its own memory: the relaxed-SIMD build when it
 * validates (unless `flavour` asks for one), else the SIMD128 build. The
 * compiled module is shared; instances are cheap.
 *
 * @param flavour - force a build; default the fastest available.
 * @returns the instance.
 * @throws HitrankError `E_UNSUPPORTED` when WebAssembly SIMD (or the forced build) is not available.
 */
export function wasmKernels(flavour?: WasmKernelFlavour): WasmKernels {
  const support = wasmKernelSupport();
  const want = flavour ?? (support.relaxedSimd ? 'relaxed-simd' : 'simd');
  if (want === 'relaxed-simd' ? !support.relaxedSimd : !support.simd) {
    throw new HitrankError(
      'E_UNSUPPORTED',
      want === 'relaxed-simd'
        ? 'this runtime does not validate WebAssembly relaxed SIMD (Node 20 needs enableRelaxedSimd() from hitrank/node, or --experimental-wasm-relaxed-simd).'
        : 'this runtime has no WebAssembly SIMD128: use the tfjs ops (cnnKernels: "tfjs").',
    );
  }
  return new WasmKernels(want);
}
