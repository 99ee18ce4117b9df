/**
 * A content-addressed, crash-safe cache of per-song features on disk.
 *
 * @module
 */
import { canonicalJson } from './canonicalJson.js';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import type { FeaturePreset } from '../dsp/index.js';
import { HitrankError } from '../errors.js';
import { VERSION } from '../version.js';
import { processAlive } from './processAlive.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** The 6 magic bytes every feature cache file starts with. */
export const FEATURE_FILE_MAGIC = 'HRMEL1';
/**
 * Layout version of feature cache files (bytes 6–7 of the header). Version 2
 * added the decoded song's exact sample count and rate; files of version 1
 * are rejected (a cache re-extracts them), and the version is part of
 * {@link featureSpecJson}, so their cache keys differ anyway.
 */
export const FEATURE_FILE_VERSION = 2;
/** Size of the feature file header in bytes; the Float32 payload follows it. */
export const FEATURE_FILE_HEADER_BYTES = 104;

/**
 * Which part of a song the features are computed from.
 *
 * - `{ kind: 'mid', seconds }` — the middle `seconds` (`midSegment`; the paper's
 *   Mid-30 is `seconds: 30`), shorter songs zero-padded at the end.
 * - `{ kind: 'whole' }` — the whole song (for presets that pick frames
 *   themselves, like `hspCnn`'s middle 323 frames).
 * - `{ kind: 'highlight', seconds, highlighter }` — the `seconds` a trained
 *   highlighter attends to most (`extractHighlight` of hitrank/highlight; the
 *   paper's HL-30 is `seconds: 30`), songs of at most `seconds` taken whole
 *   and zero-padded. `highlighter` is the highlighter's identity
 *   (`readHighlighterInfo(dir).id`, a SHA-256 of its configuration and
 *   weights), so features of another highlighter get other cache keys.
 */
export type SegmentChoice =
  | {
      /** The middle of the song. */
      kind: 'mid';
      /** Segment length in seconds. */
      seconds: number;
    }
  | {
      /** The whole song. */
      kind: 'whole';
    }
  | {
      /** The highlight chosen by a trained highlighter (HL-30). */
      kind: 'highlight';
      /** Segment length in whole seconds. */
      seconds: number;
      /** Hex SHA-256 identity of the highlighter (`SavedHighlighterInfo.id`). */
      highlighter: string;
    };

/** Everything that determines a song's features besides its audio bytes. */
export interface FeatureSpec {
  /** The resolved feature recipe (e.g. `FEATURE_PRESETS.paper` or `new LogMelExtractor(opts).features`). */
  features: FeaturePreset;
  /** The segment the features are computed on. */
  segment: SegmentChoice;
}

/** Features of one song as stored in the cache. */
export interface CachedFeatures {
  /** The feature matrix, row-major `[nMels × frames]`. */
  data: Float32Array;
  /** `[nMels, frames]`. */
  shape: [number, number];
  /** Whether the song was shorter than the segment and zero-padded. */
  padded: boolean;
  /** Duration of the decoded song in seconds (`sourceSamples / sourceSampleRate`). */
  sourceSeconds: number;
  /**
   * Samples of the decoded (mono) song at its own rate, before resampling and
   * segmenting: its whole seconds are `⌊sourceSamples / sourceSampleRate⌋`,
   * exactly what `highlighterFeatures` computes from the decoded audio.
   */
  sourceSamples: number;
  /** Sample rate of the decoded song in Hz (the file's rate). */
  sourceSampleRate: number;
}

/**
 * The canonical JSON of a {@link FeatureSpec} (keys sorted at every level),
 * plus the decoding pipeline (mono by channel mean, `resample`'s default
 * filter), the cache layout version and the hitrank version — any change of
 * these gives new cache keys, so stale features are never reused.
 *
 * @param spec - the feature recipe and segment.
 * @returns a JSON string, identical for equal specs.
 */
export function featureSpecJson(spec: FeatureSpec): string {
  return canonicalJson({
    cache: FEATURE_FILE_VERSION,
    library: VERSION,
    // 'hq-fft': integer decimation by FFT convolution (≤ 1 float32 ulp from the direct sums it replaced).
    input: { mono: 'mean', resample: 'hq-fft' },
    features: spec.features,
    segment: spec.segment,
  });
}

/**
 * The cache key of a song: hex SHA-256 of the audio file's bytes followed by
 * a NUL byte and {@link featureSpecJson}. Content-addressed: renaming or
 * moving a file keeps its key, editing the audio or any feature option
 * changes it.
 *
 * @param audioBytes - the raw bytes of the audio file.
 * @param specJson - {@link featureSpecJson} of the recipe.
 * @returns 64 hex digits.
 */
export function featureCacheKey(audioBytes: Uint8Array, specJson: string): string {
  return createHash('sha256').update(audioBytes).update('\u0000').update(specJson).digest('hex');
}

/**
 * Where the cache keeps the features of `key`: `<cacheDir>/<key[0..2]>/<key>.hrmel`
 * (256 sub-folders, like git's object store, so no folder grows too large).
 *
 * @param cacheDir - the cache folder.
 * @param key - a {@link featureCacheKey}.
 * @returns the file path.
 */
export function featureCachePath(cacheDir: string, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new HitrankError('E_PARAM', `feature cache key must be 64 hex digits, got ${JSON.stringify(key)}.`);
  return join(cacheDir, key.slice(0, 2), `${key}.hrmel`);
}

const LITTLE = endianness() === 'LE';

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function payloadBytes(data: Float32Array): Uint8Array {
  if (LITTLE) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

/**
 * Serialises features into the cache file format (all integers little-endian):
 *
 * | bytes | content |
 * |---|---|
 * | 0–5 | magic `HRMEL1` (ASCII) |
 * | 6–7 | uint16 layout version (1) |
 * | 8–11 | uint32 nMels (rows) |
 * | 12–15 | uint32 frames (columns) |
 * | 16–47 | SHA-256 of the spec JSON ({@link featureSpecJson}) |
 * | 48–79 | SHA-256 of the payload bytes |
 * | 80–83 | uint32 flags (bit 0: the song was zero-padded) |
 * | 84–87 | uint32 sample rate of the decoded song in Hz |
 * | 88–95 | float64 duration of the decoded song in seconds |
 * | 96–103 | uint64 samples of the decoded song (mono, at its own rate) |
 * | 104– | payload: nMels · frames float32, row-major |
 *
 * @param f - the features.
 * @param specJson - the recipe they were made with.
 * @returns the file bytes.
 */
export function encodeFeatureFile(f: CachedFeatures, specJson: string): Uint8Array {
  const [rows, frames] = f.shape;
  if (!(f.data instanceof Float32Array) || f.data.length !== rows * frames) {
    throw new HitrankError('E_SHAPE', `features have ${f.data?.length} values; shape [${rows}, ${frames}] needs ${rows * frames}.`);
  }
  if (!Number.isSafeInteger(f.sourceSamples) || f.sourceSamples < 0) {
    throw new HitrankError('E_PARAM', `sourceSamples must be a non-negative integer, got ${f.sourceSamples}.`);
  }
  if (!Number.isInteger(f.sourceSampleRate) || f.sourceSampleRate < 1 || f.sourceSampleRate > 0xffffffff) {
    throw new HitrankError('E_PARAM', `sourceSampleRate must be a positive integer (Hz), got ${f.sourceSampleRate}.`);
  }
  const payload = payloadBytes(f.data);
  const out = new Uint8Array(FEATURE_FILE_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 6; i++) out[i] = FEATURE_FILE_MAGIC.charCodeAt(i);
  view.setUint16(6, FEATURE_FILE_VERSION, true);
  view.setUint32(8, rows, true);
  view.setUint32(12, frames, true);
  out.set(sha256(new TextEncoder().encode(specJson)), 16);
  out.set(sha256(payload), 48);
  view.setUint32(80, f.padded ? 1 : 0, true);
  view.setUint32(84, f.sourceSampleRate, true);
  view.setFloat64(88, f.sourceSeconds, true);
  view.setBigUint64(96, BigInt(f.sourceSamples), true);
  out.set(payload, FEATURE_FILE_HEADER_BYTES);
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses and verifies a cache file made by {@link encodeFeatureFile}: magic,
 * version, exact size, the spec hash and the payload checksum.
 *
 * @param bytes - the file bytes.
 * @param specJson - the recipe the caller expects; a file made with another one is rejected.
 * @returns the features (a copy, aligned).
 * @throws HitrankError `E_CORRUPT_FILE` saying what does not match (a cache treats it as a miss).
 */
export function decodeFeatureFile(bytes: Uint8Array, specJson: string): CachedFeatures {
  const bad = (why: string): HitrankError => new HitrankError('E_CORRUPT_FILE', `feature cache file ${why}.`);
  if (bytes.length < FEATURE_FILE_HEADER_BYTES) throw bad(`is ${bytes.length} bytes, shorter than its ${FEATURE_FILE_HEADER_BYTES}-byte header`);
  for (let i = 0; i < 6; i++) {
    if (bytes[i] !== FEATURE_FILE_MAGIC.charCodeAt(i)) throw bad(`does not start with "${FEATURE_FILE_MAGIC}"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(6, true);
  if (version !== FEATURE_FILE_VERSION) throw bad(`has layout version ${version}, expected ${FEATURE_FILE_VERSION}`);
  const rows = view.getUint32(8, true);
  const frames = view.getUint32(12, true);
  const expected = FEATURE_FILE_HEADER_BYTES + rows * frames * 4;
  if (bytes.length !== expected) throw bad(`is ${bytes.length} bytes; its header [${rows}, ${frames}] needs ${expected}`);
  if (!equalBytes(bytes.subarray(16, 48), sha256(new TextEncoder().encode(specJson)))) {
    throw bad('was made with other feature options');
  }
  const payload = bytes.subarray(FEATURE_FILE_HEADER_BYTES);
  if (!equalBytes(bytes.subarray(48, 80), sha256(payload))) throw bad('fails its payload checksum');
  const sourceSampleRate = view.getUint32(84, true);
  const sourceSamples = view.getBigUint64(96, true);
  if (sourceSampleRate === 0 || sourceSamples > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw bad(`has an impossible source length (${sourceSamples} samples at ${sourceSampleRate} Hz)`);
  }
  const data = new Float32Array(rows * frames);
  if (LITTLE) {
    new Uint8Array(data.buffer).set(payload);
  } else {
    const pv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let i = 0; i < data.length; i++) data[i] = pv.getFloat32(i * 4, true);
  }
  return {
    data,
    shape: [rows, frames],
    padded: (view.getUint32(80, true) & 1) === 1,
    sourceSeconds: view.getFloat64(88, true),
    sourceSamples: Number(sourceSamples),
    sourceSampleRate,
  };
}

/** Result of {@link readCachedFeatures}. */
export type CacheLookup =
  | {
      /** The features were found and verified. */
      status: 'hit';
      /** The cached features. */
      features: CachedFeatures;
    }
  | {
      /** No file for this key. */
      status: 'miss';
    }
  | {
      /** A file exists but failed verification; it must be re-extracted and overwritten. */
      status: 'corrupt';
      /** Why the file was rejected. */
      reason: string;
    };

/**
 * Looks a song up in the cache. A truncated, foreign or bit-flipped file is
 * reported as `'corrupt'` (never returned as data), so the caller re-extracts
 * and overwrites it.
 *
 * @param cacheDir - the cache folder.
 * @param key - the song's {@link featureCacheKey}.
 * @param specJson - the recipe ({@link featureSpecJson}).
 * @returns hit (with the features), miss, or corrupt (with the reason).
 * @throws HitrankError `E_IO` when the file exists but cannot be read (permissions).
 */
export async function readCachedFeatures(cacheDir: string, key: string, specJson: string): Promise<CacheLookup> {
  const path = featureCachePath(cacheDir, key);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'miss' };
    if (code === 'EISDIR') return { status: 'corrupt', reason: `${path} is a directory` };
    const err = new HitrankError('E_IO', `cannot read feature cache file ${path}: ${(e as Error).message}`);
    err.cause = e;
    throw err;
  }
  try {
    return { status: 'hit', features: decodeFeatureFile(bytes, specJson) };
  } catch (e) {
    return { status: 'corrupt', reason: (e as Error).message.replace(/^E_CORRUPT_FILE: /, '') };
  }
}

/**
 * Stores a song's features under its key with `writeFileAtomic` (temporary
 * file, fsync, rename), so an interrupted run leaves either no file or a
 * complete one — never a partial file that a later run could read.
 *
 * @param cacheDir - the cache folder (created if needed).
 * @param key - the song's {@link featureCacheKey}.
 * @param features - the features.
 * @param specJson - the recipe ({@link featureSpecJson}).
 * @returns the path written.
 * @throws HitrankError `E_IO` when the write fails (the cache is left as it was).
 */
export async function writeCachedFeatures(cacheDir: string, key: string, features: CachedFeatures, specJson: string): Promise<string> {
  const path = featureCachePath(cacheDir, key);
  try {
    await mkdir(join(cacheDir, key.slice(0, 2)), { recursive: true });
  } catch (e) {
    const err = new HitrankError('E_IO', `cannot create the feature cache folder ${cacheDir}: ${(e as Error).message}`);
    err.cause = e;
    throw err;
  }
  await writeFileAtomic(path, encodeFeatureFile(features, specJson));
  return path;
}


/**
 * Deletes the temporary files that runs killed mid-write left in a cache
 * (`.<key>.hrmel.<pid>.<random>.tmp` of processes that no longer exist).
 * They are never read as data; this only reclaims their space.
 * `extractFeatures` calls it before it starts.
 *
 * @param cacheDir - the cache folder (a missing folder is fine).
 * @returns how many files were removed.
 */
export async function removeStaleTempFiles(cacheDir: string): Promise<number> {
  let removed = 0;
  const shards = await readdir(cacheDir).catch(() => [] as string[]);
  for (const shard of shards) {
    if (!/^[0-9a-f]{2}$/.test(shard)) continue;
    const names = await readdir(join(cacheDir, shard)).catch(() => [] as string[]);
    for (const n of names) {
      const m = /^\.[0-9a-f]{64}\.hrmel\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(n);
      if (m && !processAlive(Number(m[1]))) {
        await unlink(join(cacheDir, shard, n)).then(
          () => removed++,
          () => undefined,
        );
      }
    }
  }
  return removed;
}
