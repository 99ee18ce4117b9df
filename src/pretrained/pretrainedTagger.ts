/**
 * `jynet-mtat`: JYnet (Liu & Yang 2016) with the weights released in HSP_CNN,
 * as a {@link Tagger} that also knows its model card and its training
 * standardisers, and takes audio directly.
 *
 * @module
 */
import {
  jynetFeatures,
  jynetFeaturesFrom22k,
  JYNET_FEATURES,
  resample,
  type JynetFeatures,
  type JynetStandardize,
  type JynetStandardizer,
} from '../dsp/index.js';
import { HitrankError, assertInteger } from '../errors.js';
import { buildTagger, MTAT_TOP50, tagIndices, Tagger } from '../models/index.js';
import type { PretrainedCard } from './cards.js';
import type { PretrainedFiles } from './readPretrained.js';
import { setNamedWeights } from './setNamedWeights.js';
import { decodeFloat32Tensors } from './weightsFile.js';

/** Options of {@link PretrainedTagger.features}. */
export interface PretrainedTaggerFeatureOptions {
  /**
   * Sampling rate of the audio in Hz. Default 16000 (JYnet's rate). 22050 is
   * resampled like the reference fixtures (`scipy.signal.resample_poly(y, 320, 441)`);
   * other rates with `resample(…, { quality: 'scipy' })`.
   */
  sampleRate?: number;
  /**
   * Per-mel-bin standardisation: `'self'` (default) fits it on the clip
   * itself, as the authors' inference (`standardize.py`) did — the variant
   * that matches the tags the hit model was trained with; `'shipped'` uses
   * JYnet's training scalers ({@link PretrainedTagger.shippedStats}); `'none'`
   * feeds raw log1p mels.
   */
  standardize?: JynetStandardize;
}

/** Options of {@link PretrainedTagger.tagAudio}. */
export interface TagAudioOptions extends PretrainedTaggerFeatureOptions {
  /** The tags wanted, by name, in the order wanted. Default `MTAT_TOP50` (the hit model's tag branch). */
  tags?: readonly string[];
  /** Clip the activations to [1e-6, 1 − 1e-6] as the authors' `test_model.py`. Default `true`. */
  clip?: boolean;
}

/** One tag and its activation. */
export interface TagScore {
  /** Tag name. */
  tag: string;
  /** Activation in (0, 1). */
  score: number;
}

/**
 * The `k` strongest tags of an activation vector, strongest first (ties keep
 * the tag order).
 *
 * @param activations - one activation per tag.
 * @param tags - the tag names, same length and order.
 * @param k - how many to return. Default 10.
 * @returns up to `k` `{ tag, score }` pairs.
 * @throws HitrankError `E_SHAPE` when the lengths differ, `E_PARAM` for a bad `k`.
 * @example
 * ```ts
 * topTags(tagger.tagAudio(y16k, { tags: tagger.tags }), tagger.tags, 5);
 * ```
 */
export function topTags(activations: ArrayLike<number>, tags: readonly string[], k = 10): TagScore[] {
  if (activations.length !== tags.length) {
    throw new HitrankError('E_SHAPE', `${activations.length} activations but ${tags.length} tag names; expected one name per activation.`);
  }
  assertInteger(k, 'k', 0);
  return Array.from({ length: tags.length }, (_, i) => i)
    .sort((a, b) => activations[b] - activations[a] || a - b)
    .slice(0, k)
    .map((i) => ({ tag: tags[i], score: activations[i] }));
}

/**
 * JYnet with the authors' weights (`loadPretrained('jynet-mtat')`): a
 * {@link Tagger} (188 MagnaTagATune tags; use it with `tagFeatures`,
 * `predict`, or fine-tune its `model`) plus its model card, its training
 * standardisers and audio-in helpers. Call `dispose()` when done.
 */
export class PretrainedTagger extends Tagger {
  /** The model card (source, licence, training data, preset, tags, file hashes). */
  readonly card: PretrainedCard;
  /** JYnet's training standardisers (`data/standardizers/`), for `standardize: 'shipped'`; one `[128]` vector per scale, in `nFfts` order. */
  readonly shippedStats: JynetStandardizer;

  /**
   * @param tagger - a {@link Tagger} with the weights loaded (built by `buildTagger()`).
   * @param card - its model card.
   * @param shippedStats - its training standardisers.
   */
  constructor(tagger: Tagger, card: PretrainedCard, shippedStats: JynetStandardizer) {
    super(tagger.model, tagger.tags, tagger.config);
    this.card = card;
    this.shippedStats = shippedStats;
  }

  /**
   * Builds the tagger from a verified model folder (used by `loadPretrained`).
   *
   * @param files - the `jynet-mtat` folder, read by `readPretrainedFiles`.
   * @returns the tagger with the released weights.
   * @throws HitrankError `E_VERSION` when the files do not fit `buildTagger()`,
   *   `E_CORRUPT_FILE` for bad standardisers.
   */
  static fromFiles(files: PretrainedFiles): PretrainedTagger {
    const { card, url } = files;
    const std = card.standardizers;
    if (!std || !files.files[std.file]) throw new HitrankError('E_CORRUPT_FILE', `${url}card.json lists no standardizers file.`);
    const stats = decodeFloat32Tensors(files.files[std.file], std.tensors, `${url}${std.file}`);
    const pick = (kind: 'mean' | 'std') =>
      JYNET_FEATURES.nFfts.map((n) => {
        const v = stats[`${kind}_${n}`];
        if (!v || v.length !== JYNET_FEATURES.nMels) throw new HitrankError('E_CORRUPT_FILE', `${url}${std.file} has no ${JYNET_FEATURES.nMels}-value '${kind}_${n}'.`);
        if (kind === 'std' && v.some((x) => !(x > 0))) throw new HitrankError('E_CORRUPT_FILE', `${url}${std.file}: '${kind}_${n}' has a value ≤ 0.`);
        return v;
      });
    const shippedStats: JynetStandardizer = { mean: pick('mean'), std: pick('std') };
    const tagger = buildTagger({ tags: card.tags });
    try {
      setNamedWeights(tagger.model, files.weights, `${url}weights.bin`);
    } catch (e) {
      tagger.dispose();
      throw e;
    }
    return new PretrainedTagger(tagger, card, shippedStats);
  }

  /**
   * The tagger's input features of one clip (the `jynet` preset,
   * `jynetFeatures`), at any sampling rate.
   *
   * @param y - mono PCM.
   * @param options - {@link PretrainedTaggerFeatureOptions}: `sampleRate` (16000), `standardize` (`'self'`).
   * @returns the six `[911 × 128]` time-major inputs.
   * @throws HitrankError `E_PARAM` for a bad rate or standardisation, and as `jynetFeatures` for bad audio.
   */
  features(y: ArrayLike<number>, options: PretrainedTaggerFeatureOptions = {}): JynetFeatures {
    const sampleRate = options.sampleRate ?? JYNET_FEATURES.sampleRate;
    assertInteger(sampleRate, 'sampleRate', 1, 1e7);
    const standardize = options.standardize ?? 'self';
    const opts = { standardize, shippedStats: standardize === 'shipped' ? this.shippedStats : undefined };
    if (sampleRate === JYNET_FEATURES.sampleRate) return jynetFeatures(y, opts);
    if (sampleRate === 22050) return jynetFeaturesFrom22k(y, opts);
    return jynetFeatures(resample(y, { from: sampleRate, to: JYNET_FEATURES.sampleRate, quality: 'scipy' }), opts);
  }

  /**
   * Tag activations of one clip of audio: {@link PretrainedTagger.features}
   * then the network, the requested tags picked by name (like HSP_CNN's
   * `test_model.py`: clipped, the 50 hit-model tags by default).
   *
   * @param y - mono PCM; the first 911 frames (≈ 29.2 s) are used.
   * @param options - {@link TagAudioOptions}.
   * @returns one activation per requested tag, in the requested order.
   * @throws HitrankError as {@link PretrainedTagger.features}, `E_SHAPE` for an unknown tag.
   * @example
   * ```ts
   * const tagger = await loadPretrained('jynet-mtat');
   * const g = tagger.tagAudio(y22, { sampleRate: 22050 });       // 50 tags, self-standardised
   * console.log(topTags(tagger.tagAudio(y22, { sampleRate: 22050, tags: tagger.tags }), tagger.tags, 5));
   * ```
   */
  tagAudio(y: ArrayLike<number>, options: TagAudioOptions = {}): Float32Array {
    const idx = tagIndices(this.tags, options.tags ?? MTAT_TOP50);
    const all = this.predict(this.features(y, options), { clip: options.clip ?? true });
    return Float32Array.from(idx, (i) => all[i]);
  }
}
