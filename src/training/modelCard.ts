import { HitrankError } from '../errors.js';
import type { TargetTransformJSON } from '../losses/index.js';
import type { RankingEvaluation } from '../metrics/index.js';
import type { Standardizer } from './standardizer.js';

/** Format tag written into every saved {@link SiameseHitModel}. */
export const MODEL_FORMAT = 'hitrank/siamese-hit-model';
/** Major version of the saved-model layout; a newer major cannot be loaded. */
export const MODEL_FORMAT_VERSION = 1;

/**
 * The model card stored with a saved model (as `hitrank.json` by the Node file
 * handler, and inside the tf.io model artefacts): everything needed to rebuild
 * the network, prepare its inputs and interpret its outputs.
 */
export interface ModelCard {
  /** Always {@link MODEL_FORMAT}. */
  format: string;
  /** Layout version ({@link MODEL_FORMAT_VERSION} when written). */
  formatVersion: number;
  /** hitrank version that wrote the model. */
  library: string;
  /** The model options (architecture and loss settings). */
  options: Record<string, unknown>;
  /** `[nMels, frames]` the network was trained on (audio models). */
  melShape: [number, number] | null;
  /** Name of the feature preset the mels were made with (`'paper'` unless told). */
  featurePreset: string;
  /** Names of the tag / feature dimensions, in input order (tag models). */
  tagNames: string[] | null;
  /** Mel-band standardisation fitted on the training set. */
  melStandardizer: Standardizer | null;
  /** Tag standardisation fitted on the training set. */
  tagStandardizer: Standardizer | null;
  /** Fitted target transform. */
  targetTransform: TargetTransformJSON;
  /** Validation / test metrics recorded at save time, if any. */
  metrics: Partial<RankingEvaluation> & Record<string, unknown>;
  /** Stable names of the weights, in the order of the saved weight specs. */
  weightNames: string[];
  /** ISO time of saving. */
  savedAt: string;
}

/** Checks that a parsed object is a model card this version can read. */
export function checkModelCard(card: unknown): ModelCard {
  const c = card as Partial<ModelCard> | null;
  if (!c || typeof c !== 'object' || c.format !== MODEL_FORMAT) {
    throw new HitrankError(
      'E_CORRUPT_FILE',
      `not a hitrank model: the model card's format is ${JSON.stringify(c?.format)}, expected "${MODEL_FORMAT}".`,
    );
  }
  if (typeof c.formatVersion !== 'number' || c.formatVersion > MODEL_FORMAT_VERSION) {
    throw new HitrankError(
      'E_VERSION',
      `the model was saved with layout version ${String(c.formatVersion)} (hitrank ${String(c.library)}); ` +
        `this hitrank reads up to version ${MODEL_FORMAT_VERSION}. Upgrade hitrank to load it.`,
    );
  }
  for (const k of ['options', 'targetTransform', 'weightNames'] as const) {
    if (c[k] === undefined || c[k] === null) {
      throw new HitrankError('E_CORRUPT_FILE', `the model card lacks '${k}'.`);
    }
  }
  return c as ModelCard;
}
