/**
 * hitrank/dsp — PCM in, log-mel out. Pure TypeScript (its own radix-8 FFT in
 * double precision, tested against fft.js and a direct DFT), no TensorFlow.js,
 * browser-safe. librosa 0.10 is the reference for names,
 * defaults and numbers: the librosa-named functions keep librosa's defaults,
 * {@link logMel} and the {@link FEATURE_PRESETS} carry the paper's.
 *
 * @module hitrank/dsp
 */
export type { Spectrogram, PadMode, WindowName } from './types.js';
export { hammingWindow, hannWindow, getWindow, type WindowOptions } from './window.js';
export {
  hzToMel,
  melToHz,
  melFrequencies,
  fftFrequencies,
  type MelScaleOptions,
  type MelFrequenciesOptions,
} from './melScale.js';
export {
  melFilterbank,
  sparseMelFilterbank,
  type MelFilterbankOptions,
  type ResolvedMelFilterbankOptions,
  type SparseMelFilterbank,
} from './melFilterbank.js';
export { stft, spectrogram, frameCount, type StftOptions, type SpectrogramOptions, type ComplexSpectrogram } from './stft.js';
export { melSpectrogram, type MelSpectrogramOptions } from './melSpectrogram.js';
export { powerToDb, type PowerToDbOptions } from './powerToDb.js';
export {
  logMel,
  LogMelExtractor,
  FEATURE_PRESETS,
  type FeaturePreset,
  type FeaturePresetName,
  type LogMelOptions,
  type MelScaling,
} from './logMel.js';
export { resample, resampleInputRange, resampledLength, type ResampleOptions, type ResampleRange, type ResampleWindow } from './resample.js';
export { toMono } from './toMono.js';
export { midSegment, midFrames, type MidSegmentOptions, type Segment, type MidFramesResult } from './midSegment.js';
export {
  jynetFeatures,
  jynetFeaturesFrom22k,
  JYNET_FEATURES,
  type JynetFeatures,
  type JynetFeaturesOptions,
  type JynetStandardize,
  type JynetStandardizer,
} from './jynetFeatures.js';
export { HIGHLIGHTER_PRESET, highlighterFeatures, highlighterMel, chunkMel, type ChunkedMel, type HighlighterFeatureOptions } from './highlighterFeatures.js';
