/**
 * Registration of the tagger's custom layers with tfjs serialization.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerHitrankLayers } from '../layers/register.js';
import { GaussianScan } from './gaussianScanLayer.js';
import { MaxPoolCeilTime } from './maxPoolCeilLayer.js';
import { SameTimeConv } from './sameTimeConvLayer.js';

/**
 * Registers {@link SameTimeConv}, {@link MaxPoolCeilTime} and
 * {@link GaussianScan} (and hitrank's shared layers, `SeededDropout` among
 * them) with `tf.serialization`, so `tfl.loadLayersModel` can rebuild a saved
 * tagger. {@link buildTagger} calls it. Idempotent.
 */
export function registerTaggerLayers(): void {
  registerHitrankLayers();
  tf.serialization.registerClass(SameTimeConv);
  tf.serialization.registerClass(MaxPoolCeilTime);
  tf.serialization.registerClass(GaussianScan);
}
