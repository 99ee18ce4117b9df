/**
 * hitrank/dsp — PCM in, log-mel out. Pure TypeScript, no TensorFlow.js,
 * browser-safe; librosa 0.10 is the reference for names, defaults and numbers.
 *
 * @module hitrank/dsp
 */
export {};
