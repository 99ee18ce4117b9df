/**
 * Turns on WebAssembly relaxed SIMD in Node versions that keep it behind a
 * flag, so that hitrank's wasm kernels use fused multiply-add.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { wasmKernelSupport } from '../models/index.js';

/**
 * Makes WebAssembly relaxed SIMD available to this process, for hitrank's
 * simple-CNN kernels (fused multiply-add: ≈ 10 % faster training on an x86
 * CPU with FMA). Node ≥ 22 has it on already and nothing changes; Node 20
 * keeps it behind `--experimental-wasm-relaxed-simd`, which this sets with
 * `v8.setFlagsFromString`: the flag only lets more WebAssembly validate
 * (modules compiled before are unaffected, and tfjs-backend-wasm does not use
 * it), and it holds for the whole process, worker threads included.
 * `fitParallel`, `parallelTrainingExecutor` and the `hitrank` command call it.
 *
 * Results change in the last bits when it is turned on (a fused multiply-add
 * rounds once instead of twice), so call it — or not — before training when
 * you compare runs bit for bit.
 *
 * @returns whether relaxed SIMD is available now.
 *
 * @example
 * ```ts
 * import { enableRelaxedSimd } from 'hitrank/node';
 * enableRelaxedSimd(); // true on Node ≥ 20 on x86-64 and arm64
 * ```
 */
export function enableRelaxedSimd(): boolean {
  if (wasmKernelSupport().relaxedSimd) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return wasmKernelSupport().relaxedSimd;
}
