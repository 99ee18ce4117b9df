/**
 * hitrank — audio-based hit-song prediction (Yu, Yang, Hung & Chen, ICASSP 2018)
 * for Node and the browser. This entry re-exports every browser-safe layer;
 * Node-only helpers live in `hitrank/node`.
 *
 * @module hitrank
 */
export * from './errors.js';
export * from './version.js';
export * from './dsp/index.js';
export * from './audio/index.js';
export * from './metrics/index.js';
export * from './sampling/index.js';
export * from './data/index.js';
export * from './losses/index.js';
export * from './models/index.js';
export * from './highlight/index.js';
export * from './training/index.js';
export * from './pretrained/index.js';
