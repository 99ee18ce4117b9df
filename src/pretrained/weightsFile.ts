/**
 * The binary part of a pretrained model folder: float32 tensors concatenated
 * little-endian in manifest order — tf.io's `weights.bin` layout, described by
 * a tf.io `weightsManifest` (`[{ paths, weights: [{ name, shape, dtype }] }]`).
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import type { PretrainedTensorSpec } from './cards.js';

/** A named float32 tensor: its spec and values. */
export interface NamedFloat32 {
  /** Tensor name. */
  name: string;
  /** Shape. */
  shape: number[];
  /** Values, C order. */
  data: Float32Array;
}

/** One group of a tf.io weights manifest. */
export interface WeightsManifestGroup {
  /** Files holding the group's bytes, concatenated in order (relative to model.json). */
  paths: string[];
  /** The tensors, in byte order. */
  weights: PretrainedTensorSpec[];
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** {@link encodeFloat32Tensors}' result. */
export interface EncodedFloat32Tensors {
  /** The tensors' values, concatenated little-endian (a `weights.bin`). */
  bytes: Uint8Array;
  /** Their specs, in byte order (a weights manifest group's `weights`). */
  specs: PretrainedTensorSpec[];
}

/**
 * Concatenates float32 tensors little-endian (tf.io's weight layout).
 *
 * @param tensors - the tensors, in the order wanted.
 * @returns the bytes and their tf.io specs.
 * @throws HitrankError `E_SHAPE` when a tensor's length does not match its shape.
 */
export function encodeFloat32Tensors(tensors: readonly NamedFloat32[]): EncodedFloat32Tensors {
  const total = tensors.reduce((s, t) => s + t.data.length, 0);
  const bytes = new Uint8Array(4 * total);
  const dv = new DataView(bytes.buffer);
  let off = 0;
  const specs = tensors.map((t) => {
    if (t.data.length !== count(t.shape)) {
      throw new HitrankError('E_SHAPE', `tensor '${t.name}' has ${t.data.length} values but shape [${t.shape.join(', ')}].`);
    }
    for (let i = 0; i < t.data.length; i++, off += 4) dv.setFloat32(off, t.data[i], true);
    return { name: t.name, shape: [...t.shape], dtype: 'float32' as const };
  });
  return { bytes, specs };
}

/**
 * Splits bytes written by {@link encodeFloat32Tensors} back into named arrays.
 *
 * @param bytes - the concatenated little-endian float32 data.
 * @param specs - the tensors' specs, in byte order.
 * @param what - how to name the data in errors (e.g. the file's URL).
 * @returns the arrays by name.
 * @throws HitrankError `E_CORRUPT_FILE` when the sizes do not add up, a dtype is
 *   not float32 or a name repeats.
 */
export function decodeFloat32Tensors(bytes: Uint8Array, specs: readonly PretrainedTensorSpec[], what: string): Record<string, Float32Array> {
  const need = 4 * specs.reduce((s, t) => s + count(t.shape), 0);
  if (bytes.length !== need) {
    throw new HitrankError('E_CORRUPT_FILE', `${what} has ${bytes.length} bytes, but its manifest describes ${need} (${specs.length} float32 tensors).`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Record<string, Float32Array> = {};
  let off = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32') throw new HitrankError('E_CORRUPT_FILE', `${what}: tensor '${s.name}' has dtype '${String(s.dtype)}', expected 'float32'.`);
    if (Object.prototype.hasOwnProperty.call(out, s.name)) throw new HitrankError('E_CORRUPT_FILE', `${what}: tensor '${s.name}' is listed twice.`);
    const a = new Float32Array(count(s.shape));
    for (let i = 0; i < a.length; i++, off += 4) a[i] = dv.getFloat32(off, true);
    out[s.name] = a;
  }
  return out;
}
