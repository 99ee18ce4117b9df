/**
 * Setting a tfjs-layers model's weights from arrays named like its weight
 * variables (`<layer>/<weight>`, the names of a tf.io weights manifest).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertFinite } from '../errors.js';

/**
 * Copies named float32 arrays into every weight of `model`, matched by the
 * weight's `originalName` (what `LayersModel.save` writes into a tf.io
 * manifest). All names and sizes are checked before any weight changes, and
 * every array must be used.
 *
 * @param model - the model, e.g. `buildTagger().model`.
 * @param byName - one array per weight name.
 * @param what - how to name the source in errors (a URL).
 * @throws HitrankError `E_VERSION` when names or sizes do not fit the model
 *   (the files were made for another model version), `E_NAN` for non-finite values.
 */
export function setNamedWeights(model: tfl.LayersModel, byName: Record<string, Float32Array>, what: string): void {
  const used = new Set<string>();
  const plan: Array<{ layer: tfl.layers.Layer; values: Float32Array[]; shapes: number[][] }> = [];
  for (const layer of model.layers) {
    const ws = layer.weights;
    if (ws.length === 0) continue;
    const shapes = ws.map((w) => w.shape as number[]);
    const values = ws.map((w, i) => {
      const a = byName[w.originalName];
      const size = shapes[i].reduce((x, y) => x * y, 1);
      if (a === undefined) {
        throw new HitrankError('E_VERSION', `${what} has no tensor '${w.originalName}' for layer '${layer.name}'; the files were made for another model version.`);
      }
      if (a.length !== size) {
        throw new HitrankError('E_VERSION', `${what}: tensor '${w.originalName}' has ${a.length} values, layer '${layer.name}' expects [${shapes[i].join(', ')}] = ${size}.`);
      }
      assertFinite(a, `${what}: tensor '${w.originalName}'`);
      used.add(w.originalName);
      return a;
    });
    plan.push({ layer, values, shapes });
  }
  const extra = Object.keys(byName).filter((n) => !used.has(n));
  if (extra.length > 0) {
    throw new HitrankError('E_VERSION', `${what} holds tensors the model does not have: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''}.`);
  }
  for (const { layer, values, shapes } of plan) {
    const tensors = values.map((v, i) => tf.tensor(v, shapes[i], 'float32'));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
