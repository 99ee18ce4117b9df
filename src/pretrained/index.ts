/**
 * hitrank/pretrained — pretrained models in the box: the HSP_CNN authors'
 * released hit-score CNN (`hsp-cnn-ret30`, Yu et al., ICASSP 2018) and the
 * JYnet MagnaTagATune tagger (`jynet-mtat`, Liu & Yang 2016), converted to
 * tf.io files shipped in the package (`pretrained/`, Apache-2.0, see its
 * NOTICE.md), built with hitrank's own model builders, loaded lazily and
 * checked by SHA-256. Browser-safe.
 *
 * @module hitrank/pretrained
 */
export {
  listPretrained,
  pretrainedInfo,
  PRETRAINED_NAMES,
  PRETRAINED_FORMAT_VERSION,
  type PretrainedName,
  type PretrainedCard,
  type PretrainedCardInfo,
  type PretrainedSource,
  type PretrainedInput,
  type PretrainedFusion,
  type PretrainedFile,
  type PretrainedTensorSpec,
  type PretrainedStandardizers,
} from './cards.js';
export { loadPretrained, type PretrainedModels } from './loadPretrained.js';
export { readPretrainedFiles, type LoadPretrainedOptions, type PretrainedFiles, type PretrainedModelJson } from './readPretrained.js';
export { defaultFetchBytes, defaultPretrainedRoot, resolvePretrainedRoot, type FetchBytes } from './location.js';
export { HspCnnRet30, type HspScore, type HspScoreOptions, type HspScoreAudioOptions, type HspAudioScore } from './hspCnnRet30.js';
export { PretrainedTagger, topTags, type TagAudioOptions, type PretrainedTaggerFeatureOptions, type TagScore } from './pretrainedTagger.js';
export { sha256Hex, sha256HexSync } from './sha256.js';
export { encodeFloat32Tensors, decodeFloat32Tensors, type NamedFloat32, type EncodedFloat32Tensors, type WeightsManifestGroup } from './weightsFile.js';
export { setNamedWeights } from './setNamedWeights.js';
