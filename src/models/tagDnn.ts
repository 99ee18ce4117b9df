/**
 * The tag branch of Yu et al. (2018, §2.4, Fig. 2b/2c): a small DNN from
 * tag activations (or any fixed-length feature vector) to a score.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInRange, assertInteger } from '../errors.js';
import { layerSeeds } from './layerSeeds.js';
import { registerHitrankLayers } from './layers/register.js';
import { SeededDropout } from './layers/seededDropout.js';

/** Options of {@link buildTagDnn}; defaults are the authors' (HSP_CNN `tag_regression_clsf`). */
export interface TagDnnOptions {
  /** Input length: 50 MagnaTagATune tag activations by default, or any feature count. */
  tagDim?: number;
  /** Hidden layer sizes. Default `[100, 100, 30]`. */
  hiddenUnits?: number[];
  /** Dropout rate (training only). Default 0.25. */
  dropout?: number;
  /**
   * Dropout after every hidden layer instead of only the first. Default
   * `false`, as the released HSP_CNN graph (fixtures/hsp_cnn/MANIFEST.md);
   * the related-work notes read the code as dropping after each — unverified.
   */
  dropoutAfterEachHidden?: boolean;
  /** Slope of the leaky ReLU after every layer, the 1-unit output included. Default 0.1. */
  leakyAlpha?: number;
  /** Seed of every initialiser and dropout mask. Default 0. */
  seed?: number;
  /** Model name. Default `'tag_dnn'`. */
  name?: string;
}

/**
 * Builds the tag DNN: `tagDim → 100 → 100 → 30 → 1` dense layers, each
 * followed by a leaky ReLU (slope 0.1, the output layer included, as the
 * authors' graph), dropout 0.25 after the first during training. Input
 * `[B, tagDim]`, output `[B, 1]`. Dense layers are named after the TF
 * variables (`dense1`, `dense2`, `dense3`, `logits_tag`), kernels [in, out]
 * as TF stores them, Glorot-uniform kernels and zero biases, seeded. The
 * Keras equivalent is a `Sequential` of `Dense` + `LeakyReLU`.
 *
 * @param options - see {@link TagDnnOptions}.
 * @returns a `tfl.LayersModel` with initialised weights.
 * @throws HitrankError `E_PARAM` for bad options.
 *
 * @example
 * ```ts
 * const tags = buildTagDnn({ tagDim: 12, seed: 3 }); // 12 catalogue descriptors per song
 * ```
 */
export function buildTagDnn(options: TagDnnOptions = {}): tfl.LayersModel {
  registerHitrankLayers();
  const tagDim = options.tagDim ?? 50;
  const hidden = options.hiddenUnits ?? [100, 100, 30];
  const rate = options.dropout ?? 0.25;
  const alpha = options.leakyAlpha ?? 0.1;
  const seed = options.seed ?? 0;
  assertInteger(tagDim, 'tagDim', 1);
  if (!Array.isArray(hidden) || hidden.length === 0) {
    throw new HitrankError('E_PARAM', `hiddenUnits must list at least one layer size, got ${JSON.stringify(hidden)}.`);
  }
  hidden.forEach((u, i) => assertInteger(u, `hiddenUnits[${i}]`, 1));
  assertInRange(rate, 'dropout', 0, 0.999999);
  assertInRange(alpha, 'leakyAlpha', 0, 1);
  assertInteger(seed, 'seed', -2147483648, 2147483647);

  const next = layerSeeds(seed, 'tag_dnn');
  const names = hidden.map((_, i) => `dense${i + 1}`);
  const input = tfl.input({ shape: [tagDim], name: 'tags' });
  let h = input;
  const dense = (name: string, units: number) =>
    tfl.layers.dense({ name, units, kernelInitializer: tfl.initializers.glorotUniform({ seed: next() }), biasInitializer: 'zeros' });
  hidden.forEach((units, i) => {
    h = dense(names[i], units).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.leakyReLU({ alpha, name: `${names[i]}_lrelu` }).apply(h) as tfl.SymbolicTensor;
    if (i === 0 || options.dropoutAfterEachHidden === true) {
      h = new SeededDropout({ name: `${names[i]}_dropout`, rate, seed: next() }).apply(h) as tfl.SymbolicTensor;
    }
  });
  h = dense('logits_tag', 1).apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers.leakyReLU({ alpha, name: 'logits_tag_lrelu' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out, name: options.name ?? 'tag_dnn' });
}
