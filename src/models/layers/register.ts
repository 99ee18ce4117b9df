/**
 * Registration of hitrank's custom layers with tfjs serialization.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { MaxPoolTime } from './maxPoolTimeLayer.js';
import { SeededDropout } from './seededDropout.js';
import { TimeConv } from './timeConvLayer.js';

/**
 * Registers {@link TimeConv}, {@link MaxPoolTime} and {@link SeededDropout}
 * with `tf.serialization`, so `tfl.loadLayersModel` can rebuild saved hitrank
 * models. The model builders call it; call it yourself before loading a saved
 * model in a program that builds none. Idempotent.
 */
export function registerHitrankLayers(): void {
  tf.serialization.registerClass(TimeConv);
  tf.serialization.registerClass(MaxPoolTime);
  tf.serialization.registerClass(SeededDropout);
}

registerHitrankLayers();
