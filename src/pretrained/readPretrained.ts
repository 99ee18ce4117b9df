/**
 * Reading a pretrained model folder (`card.json`, `model.json`, `weights.bin`,
 * …) with every file checked against its SHA-256 before use.
 *
 * @module
 */
import { HitrankError } from '../errors.js';
import { checkPretrainedName, PRETRAINED_FORMAT_VERSION, type PretrainedCard, type PretrainedName } from './cards.js';
import { CARD_SHA256 } from './checksums.js';
import { defaultFetchBytes, resolvePretrainedRoot, type FetchBytes } from './location.js';
import { sha256Hex } from './sha256.js';
import { decodeFloat32Tensors, type WeightsManifestGroup } from './weightsFile.js';

/** Options of `loadPretrained`: where the files are and how to read them. */
export interface LoadPretrainedOptions {
  /**
   * The folder that holds the `<name>/` model folders (the package's
   * `pretrained/`, or a copy of it): a URL, or in Node a file-system path.
   * Default: the `pretrained/` folder of the installed hitrank package, found
   * from the module's own location (Node; unbundled ESM in a browser). In a
   * bundled web app, copy `node_modules/hitrank/pretrained/` to your static
   * files and pass its URL, e.g. `'/models/pretrained/'`.
   */
  baseUrl?: string | URL;
  /** Reads one file's bytes. Default {@link defaultFetchBytes} (`fetch`, or the file system for `file:` URLs in Node). */
  fetchBytes?: FetchBytes;
}

/** The tf.io `model.json` of a pretrained model. */
export interface PretrainedModelJson {
  /** `'layers-model'`: `modelTopology` is a tfjs-layers model (hitrank's layers must be registered to load it with `tf.loadLayersModel`). */
  format: string;
  /** What wrote the file. */
  generatedBy: string;
  /** What converted the weights. */
  convertedBy: string;
  /** The tfjs-layers topology (`LayersModel.toJSON()`). */
  modelTopology: Record<string, unknown>;
  /** Which files hold which tensors. */
  weightsManifest: WeightsManifestGroup[];
}

/** A model folder read and verified. */
export interface PretrainedFiles {
  /** The model card. */
  card: PretrainedCard;
  /** URL of the model folder (ending in `/`). */
  url: string;
  /** The parsed `model.json`. */
  modelJson: PretrainedModelJson;
  /** The model's tensors by name, decoded from the weights manifest. */
  weights: Record<string, Float32Array>;
  /** Bytes of every file listed in the card, by file name. */
  files: Record<string, Uint8Array>;
}

function toBytes(b: Uint8Array | ArrayBuffer): Uint8Array {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  throw new HitrankError('E_PARAM', `fetchBytes must resolve to a Uint8Array or ArrayBuffer, got ${Object.prototype.toString.call(b)}.`);
}

async function fetchChecked(fetchBytes: FetchBytes, url: string): Promise<Uint8Array> {
  let raw: Uint8Array | ArrayBuffer;
  try {
    raw = await fetchBytes(url);
  } catch (e) {
    if (e instanceof HitrankError) throw e;
    throw new HitrankError('E_IO', `cannot read ${url}: ${(e as Error)?.message ?? String(e)}`);
  }
  return toBytes(raw);
}

async function verify(bytes: Uint8Array, url: string, name: PretrainedName, expected: { sha256: string; bytes?: number }, by: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got === expected.sha256 && (expected.bytes === undefined || bytes.length === expected.bytes)) return;
  const size = expected.bytes !== undefined && bytes.length !== expected.bytes ? ` It has ${bytes.length} bytes, expected ${expected.bytes}.` : '';
  throw new HitrankError(
    'E_CORRUPT_FILE',
    `${url} (pretrained model '${name}') is corrupted or was modified: its SHA-256 is ${got}, but ${by} records ${expected.sha256}.${size} ` +
      'Reinstall hitrank (or re-copy its pretrained/ folder) to get the original file.',
  );
}

function parseJson<T>(bytes: Uint8Array, url: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new HitrankError('E_CORRUPT_FILE', `${url} is not valid JSON: ${(e as Error).message}`);
  }
}

function checkCard(card: PretrainedCard, name: PretrainedName, url: string): void {
  if (!card || typeof card !== 'object' || card.name !== name) {
    throw new HitrankError('E_CORRUPT_FILE', `${url} is not the model card of '${name}' (it names ${JSON.stringify(card?.name)}).`);
  }
  if (card.formatVersion !== PRETRAINED_FORMAT_VERSION) {
    throw new HitrankError('E_VERSION', `${url} has format version ${card.formatVersion}; this hitrank reads version ${PRETRAINED_FORMAT_VERSION}.`);
  }
  if (!card.files || typeof card.files !== 'object' || !card.files['model.json']) {
    throw new HitrankError('E_CORRUPT_FILE', `${url} lists no model.json in "files".`);
  }
}

/**
 * Reads a pretrained model folder: `card.json` (checked against the SHA-256
 * compiled into hitrank), then every file the card lists, in parallel, each
 * checked against the card's size and SHA-256 before it is parsed; then
 * decodes the tensors of `model.json`'s weights manifest. Reads nothing
 * else, and nothing before it is called.
 *
 * @param name - a pretrained model name.
 * @param options - {@link LoadPretrainedOptions}.
 * @returns the verified card, model.json, tensors and raw files.
 * @throws HitrankError `E_PARAM` for an unknown name, `E_IO` for a file that
 *   cannot be read, `E_CORRUPT_FILE` naming the file and both hashes when a
 *   file does not match, `E_VERSION` for a folder of another format version.
 */
export async function readPretrainedFiles(name: PretrainedName, options: LoadPretrainedOptions = {}): Promise<PretrainedFiles> {
  checkPretrainedName(name);
  const fetchBytes = options.fetchBytes ?? defaultFetchBytes;
  if (typeof fetchBytes !== 'function') throw new HitrankError('E_PARAM', 'fetchBytes must be a function (url: string) => Promise<Uint8Array | ArrayBuffer>.');
  const url = `${resolvePretrainedRoot(options.baseUrl)}${name}/`;
  const cardUrl = `${url}card.json`;
  const cardBytes = await fetchChecked(fetchBytes, cardUrl);
  await verify(cardBytes, cardUrl, name, { sha256: CARD_SHA256[name] }, 'this hitrank version');
  const card = parseJson<PretrainedCard>(cardBytes, cardUrl);
  checkCard(card, name, cardUrl);

  const names = Object.keys(card.files);
  const contents = await Promise.all(
    names.map(async (file) => {
      const fileUrl = `${url}${file}`;
      const bytes = await fetchChecked(fetchBytes, fileUrl);
      await verify(bytes, fileUrl, name, card.files[file], 'its model card');
      return bytes;
    }),
  );
  const files: Record<string, Uint8Array> = {};
  names.forEach((f, i) => (files[f] = contents[i]));

  const modelUrl = `${url}model.json`;
  const modelJson = parseJson<PretrainedModelJson>(files['model.json'], modelUrl);
  if (!Array.isArray(modelJson.weightsManifest)) throw new HitrankError('E_CORRUPT_FILE', `${modelUrl} has no weightsManifest.`);
  const weights: Record<string, Float32Array> = {};
  for (const group of modelJson.weightsManifest) {
    const parts = group.paths.map((p) => {
      const b = files[p];
      if (!b) throw new HitrankError('E_CORRUPT_FILE', `${modelUrl} refers to '${p}', which its model card does not list.`);
      return b;
    });
    const bytes = parts.length === 1 ? parts[0] : concat(parts);
    Object.assign(weights, decodeFloat32Tensors(bytes, group.weights, `${url}${group.paths.join(' + ')}`));
  }
  return { card, url, modelJson, weights, files };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
