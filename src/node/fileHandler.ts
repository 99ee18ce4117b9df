/**
 * A `tf.io` handler that saves models to a folder atomically and loads them
 * back, for Node (where tfjs-core alone has no `file://` handler).
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { HitrankError } from '../errors.js';
import { processAlive } from './processAlive.js';
import { syncDirectory } from './writeFileAtomic.js';

/** File names inside a saved model folder. */
const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';
const HITRANK_JSON = 'hitrank.json';

function ioError(message: string, cause: unknown): HitrankError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const err = new HitrankError('E_IO', `${message}: ${detail}`);
  err.cause = cause;
  return err;
}

async function writeDurable(path: string, data: Uint8Array): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'wx');
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await handle.write(data, written, data.length - written);
      if (bytesWritten <= 0) throw new Error(`write made no progress at byte ${written} of ${data.length}`);
      written += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle?.close().catch(() => undefined);
  }
}


async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function concatBuffers(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  let total = 0;
  for (const b of data) total += b.byteLength;
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return out;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** Bytes the weight specs need, or -1 when it cannot be known (string tensors). */
function specBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const dtype = s.quantization?.dtype ?? s.dtype;
    const bytes = DTYPE_BYTES[dtype];
    if (bytes === undefined) return -1;
    total += size * bytes;
  }
  return total;
}

/** Sibling names used while saving: `.<name>.<pid>.<random>.saving` / `.old`. */
function siblingName(target: string, pid: number, kind: 'saving' | 'old'): string {
  return join(dirname(target), `.${basename(target)}.${pid}.${randomBytes(6).toString('hex')}.${kind}`);
}

interface Leftover {
  path: string;
  pid: number;
  kind: 'saving' | 'old';
}

async function leftovers(target: string): Promise<Leftover[]> {
  const parent = dirname(target);
  const base = basename(target);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const prefix = `.${base}.`;
  const out: Leftover[] = [];
  for (const n of names) {
    if (!n.startsWith(prefix)) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.(saving|old)$/.exec(n.slice(prefix.length));
    if (m) out.push({ path: join(parent, n), pid: Number(m[1]), kind: m[2] as 'saving' | 'old' });
  }
  return out;
}


/** Options of {@link fileHandler}. */
export interface FileHandlerOptions {
  /**
   * Replace an existing, non-empty folder that holds no `model.json`
   * (default `false`: refuse, so a typo cannot wipe an unrelated folder).
   */
  overwriteNonModel?: boolean;
}

/**
 * A `tf.io.IOHandler` that stores a model in the folder `dir`, in the layout
 * of tfjs's own `file://` handler (`@tensorflow/tfjs-node`), plus the hitrank
 * model card:
 *
 * - `model.json` — `modelTopology`, `weightsManifest` (pointing to
 *   `weights.bin`), `format`, `generatedBy`, `convertedBy`, `trainingConfig`,
 *   `signature`, `userDefinedMetadata`;
 * - `weights.bin` — all weights, concatenated in spec order;
 * - `hitrank.json` — the model card (`userDefinedMetadata.hitrank`),
 *   pretty-printed for people, when present.
 *
 * **Saving is atomic.** The files are written to a temporary sibling folder
 * (`.<name>.<pid>.<random>.saving`), each fsync'ed, `model.json` last; then an
 * existing model is renamed aside (`….old`), the new folder renamed into
 * place, and the old one deleted. A crash at any point leaves a complete
 * model: the old one, or the new one; if it strikes between the two renames
 * (a window of one system call), `load()` finds the complete sibling and
 * loads it, and the next save cleans such leftovers up. A failed save (disk
 * full, permission) throws `E_IO` and leaves the previous model untouched.
 *
 * **Loading** checks what it reads: `E_IO` for no model at `dir`,
 * `E_MISSING_DATA` for a missing `model.json` or weights file,
 * `E_CORRUPT_FILE` for bad JSON or weights whose size does not match their specs.
 *
 * tfjs equivalent: `tf.io.fileSystem(path)` / `'file://dir'` of
 * `@tensorflow/tfjs-node` (which cannot be installed everywhere and does not
 * save atomically).
 *
 * @param dir - the model folder (created on save; its parent too).
 * @param options - see {@link FileHandlerOptions}.
 * @returns a handler with `save` and `load`, for `model.save(handler)` / `SiameseHitModel.load(handler)`.
 *
 * @example
 * ```ts
 * await model.save(fileHandler('./models/hit'));
 * const again = await SiameseHitModel.load(fileHandler('./models/hit'));
 * ```
 */
export function fileHandler(dir: string, options: FileHandlerOptions = {}): tf.io.IOHandler {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new HitrankError('E_PARAM', `fileHandler needs a non-empty folder path, got ${JSON.stringify(dir)}.`);
  }
  const target = resolve(dir);
  return {
    save: (artifacts: tf.io.ModelArtifacts) => saveModelFolder(target, artifacts, options),
    load: () => loadModelFolder(target),
  };
}

async function saveModelFolder(target: string, artifacts: tf.io.ModelArtifacts, options: FileHandlerOptions): Promise<tf.io.SaveResult> {
  if (artifacts === null || typeof artifacts !== 'object') {
    throw new HitrankError('E_PARAM', 'save() needs tf.io.ModelArtifacts.');
  }
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new HitrankError('E_UNSUPPORTED', 'fileHandler saves JSON model topologies only (got a binary graph-model topology).');
  }
  const weightData = artifacts.weightData === undefined ? new Uint8Array(0) : concatBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]);
  const specs = artifacts.weightSpecs ?? [];
  const need = specBytes(specs);
  if (need >= 0 && need !== weightData.length) {
    throw new HitrankError('E_SHAPE', `the weight specs need ${need} bytes but weightData has ${weightData.length}.`);
  }
  const modelJson: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: specs }],
  };
  if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata !== undefined) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer !== undefined) modelJson.modelInitializer = artifacts.modelInitializer;
  const card = (artifacts.userDefinedMetadata as { hitrank?: unknown } | undefined)?.hitrank;
  const enc = new TextEncoder();
  const modelBytes = enc.encode(JSON.stringify(modelJson));

  const parent = dirname(target);
  // Refuse to replace something that is not a model folder.
  const prev = await stat(target).catch(() => undefined);
  if (prev !== undefined) {
    if (!prev.isDirectory()) throw new HitrankError('E_IO', `cannot save a model to ${target}: it exists and is not a folder.`);
    const names = await readdir(target).catch((e) => {
      throw ioError(`cannot save a model to ${target}`, e);
    });
    if (names.length > 0 && !names.includes(MODEL_JSON) && !options.overwriteNonModel) {
      throw new HitrankError(
        'E_IO',
        `refusing to replace ${target}: the folder is not empty and holds no ${MODEL_JSON} (pass { overwriteNonModel: true } to replace it).`,
      );
    }
  }
  try {
    await mkdir(parent, { recursive: true });
  } catch (e) {
    throw ioError(`cannot create ${parent}`, e);
  }
  const tmp = siblingName(target, process.pid, 'saving');
  try {
    await mkdir(tmp);
    await writeDurable(join(tmp, WEIGHTS_BIN), weightData);
    if (card !== undefined) await writeDurable(join(tmp, HITRANK_JSON), enc.encode(JSON.stringify(card, null, 2) + '\n'));
    await writeDurable(join(tmp, MODEL_JSON), modelBytes);
    await syncDirectory(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(`could not save the model to ${target} (the previous model, if any, is untouched)`, e);
  }

  // Swap: old aside, new in, old deleted.
  let old: string | undefined;
  try {
    if (await exists(target)) {
      old = siblingName(target, process.pid, 'old');
      await rename(target, old);
    }
    try {
      await rename(tmp, target);
    } catch (e) {
      if (old !== undefined) await rename(old, target).catch(() => undefined);
      old = undefined;
      throw e;
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw ioError(`could not move the saved model into ${target} (the previous model, if any, is untouched)`, e);
  }
  await syncDirectory(parent);
  if (old !== undefined) await rm(old, { recursive: true, force: true }).catch(() => undefined);
  // Leftovers of saves that crashed in another process.
  for (const l of await leftovers(target)) {
    if (!processAlive(l.pid)) await rm(l.path, { recursive: true, force: true }).catch(() => undefined);
  }

  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: artifacts.modelTopology === undefined ? 0 : enc.encode(JSON.stringify(artifacts.modelTopology)).length,
      weightSpecsBytes: enc.encode(JSON.stringify(specs)).length,
      weightDataBytes: weightData.length,
    },
  };
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HitrankError('E_MISSING_DATA', `${what} ${path} is missing.`);
    }
    throw ioError(`cannot read ${path}`, e);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HitrankError('E_CORRUPT_FILE', `${path} is not valid JSON (${(e as Error).message}).`);
  }
}

/** Where to load from: the folder, or the complete sibling left by a save that crashed mid-swap. */
async function modelFolder(target: string): Promise<string> {
  if (await exists(join(target, MODEL_JSON))) return target;
  const rest = await leftovers(target);
  // A finished ".saving" folder (model.json is written last) is the newer model; an ".old" one the previous.
  for (const kind of ['saving', 'old'] as const) {
    const found: { path: string; mtime: number }[] = [];
    for (const l of rest.filter((x) => x.kind === kind)) {
      const st = await stat(join(l.path, MODEL_JSON)).catch(() => undefined);
      if (st) found.push({ path: l.path, mtime: st.mtimeMs });
    }
    if (found.length > 0) return found.sort((a, b) => b.mtime - a.mtime)[0].path;
  }
  if (await exists(target)) {
    throw new HitrankError('E_MISSING_DATA', `${join(target, MODEL_JSON)} is missing; ${target} holds no saved model.`);
  }
  throw new HitrankError('E_IO', `no saved model at ${target} (the folder does not exist).`);
}

async function loadModelFolder(target: string): Promise<tf.io.ModelArtifacts> {
  const folder = await modelFolder(target);
  const modelPath = join(folder, MODEL_JSON);
  const json = (await readJson(modelPath, 'the model file')) as Record<string, unknown> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new HitrankError('E_CORRUPT_FILE', `${modelPath} must hold a JSON object.`);
  }
  const manifest = json.weightsManifest;
  if (manifest !== undefined && !Array.isArray(manifest)) {
    throw new HitrankError('E_CORRUPT_FILE', `${modelPath}: weightsManifest must be an array of { paths, weights }.`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const [g, group] of ((manifest ?? []) as tf.io.WeightsManifestConfig).entries()) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new HitrankError('E_CORRUPT_FILE', `${modelPath}: weightsManifest[${g}] must have "paths" and "weights" arrays.`);
    }
    specs.push(...group.weights);
    for (const p of group.paths) {
      const rel = typeof p === 'string' ? normalize(p) : '';
      if (rel.length === 0 || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) {
        throw new HitrankError('E_CORRUPT_FILE', `${modelPath}: weight file path ${JSON.stringify(p)} must be relative and inside the model folder.`);
      }
      const file = join(folder, rel);
      try {
        parts.push(await readFile(file));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          throw new HitrankError('E_MISSING_DATA', `the weights file ${file} is missing (listed in ${modelPath}).`);
        }
        throw ioError(`cannot read ${file}`, e);
      }
    }
  }
  let total = 0;
  for (const p of parts) total += p.length;
  const need = specBytes(specs);
  if (need >= 0 && need !== total) {
    throw new HitrankError(
      'E_CORRUPT_FILE',
      `the weights in ${folder} are ${total} bytes but their specs in ${MODEL_JSON} need ${need}: the files are truncated or do not belong together.`,
    );
  }
  const weightData = new ArrayBuffer(total);
  const view = new Uint8Array(weightData);
  let at = 0;
  for (const p of parts) {
    view.set(p, at);
    at += p.length;
  }
  const out: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData,
  };
  for (const k of ['format', 'generatedBy', 'convertedBy', 'trainingConfig', 'signature', 'userDefinedMetadata', 'modelInitializer'] as const) {
    if (json[k] !== undefined && json[k] !== null) (out as Record<string, unknown>)[k] = json[k];
  }
  const meta = out.userDefinedMetadata as Record<string, unknown> | undefined;
  if (meta?.hitrank === undefined && (await exists(join(folder, HITRANK_JSON)))) {
    const card = await readJson(join(folder, HITRANK_JSON), 'the model card');
    out.userDefinedMetadata = { ...(meta ?? {}), hitrank: card } as tf.io.ModelArtifacts['userDefinedMetadata'];
  }
  return out;
}
