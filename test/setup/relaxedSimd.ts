// Every test file runs with WebAssembly relaxed SIMD on, as the hitrank command
// and fitParallel turn it on: otherwise the first fitParallel in a file would
// switch hitrank's wasm kernels to fused multiply-add halfway through it, and
// in-process and worker runs would differ in the last bits.
import { enableRelaxedSimd } from '../../src/node/relaxedSimd.js';

enableRelaxedSimd();
