/**
 * Highlighters on disk: saved atomically to a folder with a small JSON card,
 * identified by a SHA-256 of their configuration and weights (what the
 * feature cache keys HL-30 features by), and loaded back with clear errors.
 *
 * Reading the identity ({@link readHighlighterInfo}) does not load
 * TensorFlow.js; {@link saveHighlighter} and {@link loadHighlighter} load the
 * model layer on demand.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { HitrankError } from '../errors.js';
import type { Highlighter, HighlighterConfig } from '../models/highlighter/index.js';
import { VERSION } from '../version.js';
import { canonicalJson } from './canonicalJson.js';
import { fileHandler } from './fileHandler.js';

/** `format` of a {@link HighlighterCard}. */
export const HIGHLIGHTER_CARD_FORMAT = 'hitrank/highlighter-card';

/** Format tag the model layer writes into a saved highlighter's metadata (`HIGHLIGHTER_FORMAT` of hitrank/models). */
const MODEL_FORMAT = 'hitrank-highlighter';

/**
 * The card saved with a highlighter (in `model.json`'s user metadata and as
 * `hitrank.json`, pretty-printed): what it was trained on and how, and the
 * SHA-256 of its weights, checked on every load.
 */
export interface HighlighterCard {
  /** Always {@link HIGHLIGHTER_CARD_FORMAT}. */
  format: typeof HIGHLIGHTER_CARD_FORMAT;
  /** Card layout version (1). */
  formatVersion: number;
  /** hitrank version that saved it. */
  library: string;
  /** ISO time of the save. */
  createdAt: string;
  /** Hex SHA-256 of `weights.bin` (all weights, concatenated in spec order). */
  weightsSha256: string;
  /** The class names of the surrogate task, in class order (empty when numeric). */
  classNames: string[];
  /** Where the labels came from (e.g. manifest columns) and how many songs each class had. */
  labels?: Record<string, unknown>;
  /** Training settings (epochs, learning rate, seed, model sizes, …). */
  options?: Record<string, unknown>;
  /** Training figures (songs, final loss / accuracy, validation, seconds, …). */
  training?: Record<string, unknown>;
}

/** What identifies a saved highlighter, read without TensorFlow.js. */
export interface SavedHighlighterInfo {
  /** The folder (absolute). */
  dir: string;
  /**
   * Hex SHA-256 of the highlighter's configuration (canonical JSON) and
   * weights: equal for highlighters that choose the same windows, different
   * otherwise. The feature cache keys HL-30 features by it.
   */
  id: string;
  /** Hex SHA-256 of the weights (`weights.bin`). */
  weightsSha256: string;
  /** The highlighter's configuration. */
  config: HighlighterConfig;
  /** The card, or `null` for a highlighter saved without one (e.g. by `Highlighter.save`). */
  card: HighlighterCard | null;
}

function weightBytes(data: tf.io.ModelArtifacts['weightData']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  const parts = data as ArrayBuffer[];
  const out = new Uint8Array(parts.reduce((a, b) => a + b.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function identity(config: unknown, weights: Uint8Array): string {
  return createHash('sha256').update(canonicalJson(config)).update('\u0000').update(weights).digest('hex');
}

function wrap(dir: string, e: unknown): unknown {
  if (!(e instanceof HitrankError)) return e;
  const raw = e.detail;
  const err = new HitrankError(e.code, raw.includes(dir) ? `cannot load the highlighter: ${raw}` : `cannot load the highlighter ${dir}: ${raw}`);
  err.cause = e;
  return err;
}

/** Reads and checks the artefacts of a saved highlighter. */
async function readArtifacts(dir: string): Promise<{ artifacts: tf.io.ModelArtifacts; info: SavedHighlighterInfo }> {
  const abs = resolve(dir);
  let artifacts: tf.io.ModelArtifacts;
  try {
    artifacts = await fileHandler(abs).load!();
  } catch (e) {
    throw wrap(abs, e);
  }
  const meta = artifacts.userDefinedMetadata as { format?: unknown; config?: unknown; hitrank?: unknown } | undefined;
  if (!meta || meta.format !== MODEL_FORMAT || meta.config === null || typeof meta.config !== 'object') {
    throw new HitrankError(
      'E_CORRUPT_FILE',
      `${abs} holds no hitrank highlighter (its model.json metadata has format ${JSON.stringify(meta?.format ?? null)}, expected '${MODEL_FORMAT}'); ` +
        'is it a hit model folder?',
    );
  }
  const weights = weightBytes(artifacts.weightData);
  const weightsSha256 = sha256(weights);
  const rawCard = meta.hitrank as Partial<HighlighterCard> | undefined;
  const card = rawCard && rawCard.format === HIGHLIGHTER_CARD_FORMAT ? (rawCard as HighlighterCard) : null;
  if (card && card.weightsSha256 !== weightsSha256) {
    throw new HitrankError(
      'E_CORRUPT_FILE',
      `the weights of the highlighter ${abs} are damaged: weights.bin has SHA-256 ${weightsSha256.slice(0, 12)}…, its card recorded ${String(card.weightsSha256).slice(0, 12)}…; ` +
        'restore or retrain it.',
    );
  }
  const config = meta.config as HighlighterConfig;
  return { artifacts, info: { dir: abs, id: identity(config, weights), weightsSha256, config, card } };
}

/**
 * The identity of a saved highlighter ({@link SavedHighlighterInfo.id}: a
 * SHA-256 of its configuration and weights) and its card, read and checked
 * without loading TensorFlow.js: the folder must hold a complete hitrank
 * highlighter (model.json + weights.bin), and the weights must match the
 * SHA-256 its card recorded.
 *
 * @param dir - the folder of {@link saveHighlighter} (or of `Highlighter.save(fileHandler(dir))`).
 * @returns the identity, configuration and card.
 * @throws HitrankError naming the folder: `E_IO` (no such folder), `E_MISSING_DATA`
 *   (model.json or weights missing), `E_CORRUPT_FILE` (bad JSON, truncated or damaged weights, not a highlighter).
 */
export async function readHighlighterInfo(dir: string): Promise<SavedHighlighterInfo> {
  return (await readArtifacts(dir)).info;
}

/** What {@link loadHighlighter} returns. */
export interface LoadedHighlighter {
  /** The highlighter (the caller disposes it). */
  highlighter: Highlighter;
  /** Its folder, identity, configuration and card. */
  info: SavedHighlighterInfo;
}

/**
 * Loads a saved highlighter with the checks of {@link readHighlighterInfo}.
 * Needs a running tfjs backend (and `@tensorflow/tfjs-layers`). The Node
 * counterpart of `Highlighter.load(handler)` for a folder.
 *
 * @param dir - the highlighter folder.
 * @returns the highlighter (the caller disposes it) and its identity.
 * @throws HitrankError as {@link readHighlighterInfo}; `E_VERSION` for an unknown format version.
 */
export async function loadHighlighter(dir: string): Promise<LoadedHighlighter> {
  const { artifacts, info } = await readArtifacts(dir);
  const { Highlighter } = await import('../models/highlighter/index.js');
  try {
    const highlighter = await Highlighter.load({ load: async () => artifacts });
    return { highlighter, info };
  } catch (e) {
    throw wrap(info.dir, e);
  }
}

/**
 * Saves a highlighter to a folder atomically (`fileHandler`: model.json +
 * weights.bin, written to a temporary sibling and renamed into place) with
 * its {@link HighlighterCard} (in model.json's metadata and as
 * `hitrank.json`). The card's `weightsSha256` is computed from the weights
 * being written.
 *
 * @param highlighter - the trained highlighter.
 * @param dir - the folder (created; an existing model folder there is replaced).
 * @param card - what to record besides the generated fields (`labels`, `options`, `training`).
 * @returns the saved highlighter's identity.
 * @throws HitrankError `E_IO` when the folder cannot be written (an existing model stays as it was).
 */
export async function saveHighlighter(
  highlighter: Highlighter,
  dir: string,
  card: Pick<HighlighterCard, 'labels' | 'options' | 'training'> = {},
): Promise<SavedHighlighterInfo> {
  const abs = resolve(dir);
  const inner = fileHandler(abs);
  let written: HighlighterCard | null = null;
  let id = '';
  let config: HighlighterConfig | null = null;
  await highlighter.save({
    save: async (artifacts) => {
      const weights = weightBytes(artifacts.weightData);
      const meta = (artifacts.userDefinedMetadata ?? {}) as Record<string, unknown>;
      config = meta.config as HighlighterConfig;
      written = {
        format: HIGHLIGHTER_CARD_FORMAT,
        formatVersion: 1,
        library: VERSION,
        createdAt: new Date().toISOString(),
        weightsSha256: sha256(weights),
        classNames: [...(highlighter.config.classNames ?? [])],
        ...card,
      };
      id = identity(config, weights);
      return inner.save!({ ...artifacts, userDefinedMetadata: { ...meta, hitrank: written } as unknown as tf.io.ModelArtifacts['userDefinedMetadata'] });
    },
  });
  const w = written as HighlighterCard | null;
  if (w === null || config === null) throw new HitrankError('E_IO', `the highlighter was not saved to ${abs}.`);
  return { dir: abs, id, weightsSha256: w.weightsSha256, config, card: w };
}
