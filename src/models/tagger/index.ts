/**
 * The JYnet music auto-tagger (Liu & Yang 2016; Yu et al. 2018's ref. [16]):
 * model builder, released-weights loader, MTAT tag lists and the tag
 * features of the hit model's tag branch.
 *
 * @module
 */
export { buildTagger, Tagger, type TaggerOptions, type TaggerConfig, type TaggerPredictOptions, type TaggerInput } from './buildTagger.js';
export { loadJynetWeights, JYNET_VARIABLES, type JynetVariable } from './jynetWeights.js';
export { tagFeatures, tagIndices, type TagFeaturesOptions } from './tagFeatures.js';
export { MTAT_TOP50, MTAT_TOP188 } from './mtatTags.js';
export { maxPoolCeil, maxPoolCeilFrames, type MaxPoolCeilOptions } from './maxPoolCeil.js';
export { gaussianScan, gaussianScanMatrix } from './gaussianScan.js';
export { SameTimeConv, strictSamePadding, type SameTimeConvArgs } from './sameTimeConvLayer.js';
export { MaxPoolCeilTime, type MaxPoolCeilTimeArgs } from './maxPoolCeilLayer.js';
export { GaussianScan, type GaussianScanArgs } from './gaussianScanLayer.js';
export { registerTaggerLayers } from './registerTaggerLayers.js';
