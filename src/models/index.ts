/**
 * hitrank/models — the networks of Yu et al. (ICASSP 2018) on TensorFlow.js:
 * the simple CNN of Yang et al. (2017) over log-mels, the tag DNN, the custom
 * time-convolution and pooling ops with hand-written gradients that let them
 * train on every tfjs backend (tfjs-backend-wasm included), and the loader of
 * the authors' released weights.
 *
 * @module hitrank/models
 */
export { timeConv1d, timeConv1dChannelsFirst, type TimeConv1dOptions } from './ops/timeConv1d.js';
export { maxPool1d, type MaxPool1dOptions } from './ops/maxPool1d.js';
export { TimeConv, type TimeConvArgs } from './layers/timeConvLayer.js';
export { MaxPoolTime } from './layers/maxPoolTimeLayer.js';
export { SeededDropout, withDropoutDraw, mixSeed, type DropoutDraw, type SeededDropoutArgs } from './layers/seededDropout.js';
export { type LayerArgs } from './layers/layerArgs.js';
export { registerHitrankLayers } from './layers/register.js';
export { buildSimpleCnn, simpleCnnMinFrames, type SimpleCnnOptions } from './simpleCnn.js';
export { buildTagDnn, type TagDnnOptions } from './tagDnn.js';
export { loadHspCnnWeights, HSP_CNN_VARIABLES, type HspCnnVariable } from './hspCnnWeights.js';
export * from './tagger/index.js';
export * from './highlighter/index.js';
export {
  applySimpleCnnWasm,
  simpleCnnWasmAvailable,
  resolveCnnKernels,
  checkCnnKernels,
  type ApplySimpleCnnWasmOptions,
  type CnnKernels,
} from './engine/applySimpleCnnWasm.js';
export { wasmKernelSupport, type WasmKernelFlavour, type WasmKernelSupport } from './engine/wasmKernels.js';
