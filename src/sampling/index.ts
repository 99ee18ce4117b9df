/**
 * hitrank/sampling — the pair-selection methods of the paper (§2.3) for the
 * Siamese ranking loss: {@link naivePairs}, {@link abPairs} (the paper's best)
 * and {@link artistPairs}, all seeded with `seedrandom`, drawing pairs per
 * epoch without replacement and never materialising the n² pairs; plus
 * {@link fuseRankings} / {@link tuneFusionWeight} for the "A/B + artist"
 * score fusion (Table 1 rows k–l), and {@link createSampler} to pick a
 * sampler by name.
 *
 * @module hitrank/sampling
 */
export type { PairSampler, PairSamplerOptions, SamplerKind } from './types.js';
export { naivePairs } from './naivePairs.js';
export { abPairs, type AbPairSampler } from './abPairs.js';
export { artistPairs, type ArtistPairSampler } from './artistPairs.js';
export { createSampler, samplerKinds, type SamplerData } from './createSampler.js';
export {
  fuseRankings,
  tuneFusionWeight,
  type FuseOptions,
  type FusionMetric,
  type FusionNormalization,
  type FusionTuning,
  type TuneFusionOptions,
} from './fusion.js';
