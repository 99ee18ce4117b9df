/**
 * Tag features for the hit model: audio (or JYnet inputs) → named tag
 * activations.
 *
 * @module
 */
import { jynetFeatures, type JynetFeaturesOptions } from '../../dsp/jynetFeatures.js';
import { HitrankError } from '../../errors.js';
import type { Tagger, TaggerInput } from './buildTagger.js';
import { MTAT_TOP50 } from './mtatTags.js';

/** Options of {@link tagFeatures}. */
export interface TagFeaturesOptions extends JynetFeaturesOptions {
  /**
   * The tags wanted, in the order wanted; each is looked up **by name** in the
   * tagger's tag list. Default {@link MTAT_TOP50} (the hit model's tag branch).
   */
  tags?: readonly string[];
  /** Clip the activations to [1e-6, 1 − 1e-6] (the authors' `test_model.py`). Default `true`. */
  clip?: boolean;
}

/**
 * Indices of `wanted` in `available`, by name.
 *
 * @param available - the model's tag names.
 * @param wanted - the names requested.
 * @returns one index into `available` per requested name.
 * @throws HitrankError `E_SHAPE` naming the first requested tag the model does not have.
 */
export function tagIndices(available: readonly string[], wanted: readonly string[]): number[] {
  const index = new Map<string, number>();
  available.forEach((t, i) => {
    if (!index.has(t)) index.set(t, i);
  });
  return wanted.map((t) => {
    const i = index.get(t);
    if (i === undefined) {
      throw new HitrankError('E_SHAPE', `tag '${t}' is not among the tagger's ${available.length} tags (${available.slice(0, 8).join(', ')}${available.length > 8 ? ', …' : ''}).`);
    }
    return i;
  });
}

/**
 * The tag activations a hit model's tag branch takes (Yu et al. 2018 §2.4,
 * g(x)): runs the tagger on one clip and returns the requested tags, mapped
 * **by name** from the tagger's own tag list (MTAT-50 orders differ between
 * projects). Like HSP_CNN's `test_model.py`: the 188 JYnet outputs, clipped
 * to [1e-6, 1 − 1e-6], the 50 columns picked by name.
 *
 * `input` is either 16-kHz audio (a `Float32Array`; features are computed
 * with `jynetFeatures(y, options)`, self-standardised unless `options` say
 * otherwise) or precomputed inputs ({@link JynetFeatures} or its `inputs`).
 *
 * @param tagger - a {@link Tagger} (e.g. `buildTagger()` + `loadJynetWeights`).
 * @param input - mono 16-kHz PCM, or the clip's JYnet inputs.
 * @param options - see {@link TagFeaturesOptions}.
 * @returns one activation in (0, 1) per requested tag, in the requested order.
 * @throws HitrankError `E_SHAPE` for a requested tag the tagger lacks or inputs
 *   that do not fit it, and as `jynetFeatures` for bad audio.
 * @example
 * ```ts
 * const g = tagFeatures(tagger, y16k);                        // Float32Array(50), MTAT_TOP50 order
 * const some = tagFeatures(tagger, feats, { tags: ['rock', 'pop'] });
 * ```
 */
export function tagFeatures(tagger: Tagger, input: Float32Array | TaggerInput, options: TagFeaturesOptions = {}): Float32Array {
  const wanted = options.tags ?? MTAT_TOP50;
  const idx = tagIndices(tagger.tags, wanted); // fail before any work
  let x: TaggerInput;
  if (input instanceof Float32Array) {
    const { frames, nMels, nFfts } = tagger.config;
    x = jynetFeatures(input, { ...options, frames, nMels, nFfts });
  } else {
    x = input;
  }
  const all = tagger.predict(x, { clip: options.clip ?? true });
  return Float32Array.from(idx, (i) => all[i]);
}
