// Locates the shared reference fixtures (../shared/fixtures from the repo root)
// and reads their raw little-endian arrays. Fails loudly when one is missing:
// a missing fixture must never turn into a skipped or vacuous test.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixturesRoot = resolve(repoRoot, '..', 'shared', 'fixtures');

/** Absolute path of a fixture file; throws if it does not exist. */
export function fixturePath(...parts: string[]): string {
  const p = join(fixturesRoot, ...parts);
  if (!existsSync(p)) {
    throw new Error(
      `Missing reference fixture ${p}. The tests need ../shared/fixtures beside the repository ` +
        `(see README, "Tests"); never skip or regenerate it locally.`,
    );
  }
  return p;
}

function readBytes(parts: string[]): Buffer {
  return readFileSync(fixturePath(...parts));
}

/** Reads a raw little-endian float32 fixture file. */
export function readF32(...parts: string[]): Float32Array {
  const b = readBytes(parts);
  const out = new Float32Array(b.byteLength / 4);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
  return out;
}

/** Reads a raw little-endian float64 fixture file. */
export function readF64(...parts: string[]): Float64Array {
  const b = readBytes(parts);
  const out = new Float64Array(b.byteLength / 8);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(i * 8, true);
  return out;
}

/** Reads and parses a JSON fixture file. */
export function readJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readBytes(parts).toString('utf8')) as T;
}

/** Reads a fixture file's raw bytes. */
export function readRaw(...parts: string[]): Uint8Array {
  const b = readBytes(parts);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
