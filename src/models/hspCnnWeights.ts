/**
 * Loading the HSP_CNN authors' TensorFlow checkpoint (Yu et al. 2018,
 * github.com/OckhamsRazor/HSP_CNN, `ret30.mdl`) into {@link buildSimpleCnn}
 * and {@link buildTagDnn} models.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertFinite } from '../errors.js';

/** One trainable tensor of the HSP_CNN checkpoint. */
export interface HspCnnVariable {
  /** TF variable name, e.g. `'conv2d_1/kernel'`. */
  name: string;
  /** Shape in TF layout (conv [kh, kw, in, out], dense [in, out], bias [out]). */
  shape: number[];
  /** Which network holds it. */
  model: 'cnn' | 'tagDnn';
  /** Layer of the hitrank model (named as the TF scope). */
  layer: string;
  /** Index in the layer's weights: 0 kernel, 1 bias. */
  index: 0 | 1;
}

const layers: Array<[string, 'cnn' | 'tagDnn', number[]]> = [
  ['conv2d', 'cnn', [128, 4, 1, 32]],
  ['conv2d_1', 'cnn', [1, 4, 32, 64]],
  ['conv2d_2', 'cnn', [1, 1, 64, 256]],
  ['conv2d_3', 'cnn', [1, 1, 256, 256]],
  ['conv2d_4', 'cnn', [1, 1, 256, 1]],
  ['dense1', 'tagDnn', [50, 100]],
  ['dense2', 'tagDnn', [100, 100]],
  ['dense3', 'tagDnn', [100, 30]],
  ['logits_tag', 'tagDnn', [30, 1]],
];

/**
 * The 18 trainable tensors of the released HSP_CNN hit model, in checkpoint
 * terms (its Adagrad optimiser slots are not needed), for the default
 * {@link buildSimpleCnn} and {@link buildTagDnn} (`tagDim` 50).
 */
export const HSP_CNN_VARIABLES: readonly HspCnnVariable[] = layers.flatMap(([layer, model, shape]) => [
  { name: `${layer}/kernel`, shape, model, layer, index: 0 as const },
  { name: `${layer}/bias`, shape: [shape[shape.length - 1]], model, layer, index: 1 as const },
]);

/**
 * Copies the HSP_CNN checkpoint's tensors into a simple CNN and a tag DNN,
 * by TF variable name (`conv2d/kernel` … `conv2d_4/bias`, `dense1/kernel`
 * … `logits_tag/bias`). The arrays are float32 in TF layout, C order — as
 * `tf.train.load_checkpoint(...).get_tensor(name).ravel()` gives them, and as
 * the fixture's `weights/<name with / → __>.f32` files hold them. Every
 * tensor is checked (present, right size, finite) before any weight is
 * changed, so a failed load leaves the models as they were. With the loaded
 * weights, `cnn(mel) + 0.5 · tagDnn(tags)` is the authors' `-ps` logit and
 * `10^(−1/logit)` their retention-30 prediction.
 *
 * @param cnn - a {@link buildSimpleCnn} model with default sizes, or `null` to skip it.
 * @param tagDnn - a {@link buildTagDnn} model with default sizes, or `null` to skip it.
 * @param weightsByName - float32 arrays by TF variable name; other names are ignored.
 * @throws HitrankError `E_MISSING_DATA` for an absent tensor or layer, `E_SHAPE`
 *   for a size or layer-shape mismatch, `E_NAN` for non-finite values.
 *
 * @example
 * ```ts
 * const cnn = buildSimpleCnn();
 * const tags = buildTagDnn();
 * loadHspCnnWeights(cnn, tags, weights); // Record<string, Float32Array>
 * ```
 */
export function loadHspCnnWeights(
  cnn: tfl.LayersModel | null,
  tagDnn: tfl.LayersModel | null,
  weightsByName: Record<string, Float32Array>,
): void {
  const plan: Array<{ layer: tfl.layers.Layer; values: Float32Array[]; shapes: number[][] }> = [];
  for (const [layerName, which] of layers) {
    const model = which === 'cnn' ? cnn : tagDnn;
    if (model === null) continue;
    let layer: tfl.layers.Layer;
    try {
      layer = model.getLayer(layerName);
    } catch {
      throw new HitrankError(
        'E_MISSING_DATA',
        `model '${model.name}' has no layer '${layerName}'; build it with ${which === 'cnn' ? 'buildSimpleCnn' : 'buildTagDnn'}().`,
      );
    }
    const shapes = layer.weights.map((w) => w.shape as number[]);
    const values = HSP_CNN_VARIABLES.filter((v) => v.layer === layerName).map((v) => {
      const data = weightsByName[v.name];
      if (data === undefined) throw new HitrankError('E_MISSING_DATA', `weightsByName has no '${v.name}'.`);
      const want = shapes[v.index];
      const size = want.reduce((a, b) => a * b, 1);
      if (!(data instanceof Float32Array) || data.length !== size) {
        throw new HitrankError(
          'E_SHAPE',
          `'${v.name}' has ${data.length} values, but layer '${layerName}' expects [${want.join(', ')}] = ${size} (checkpoint shape [${v.shape.join(', ')}]).`,
        );
      }
      assertFinite(data, `'${v.name}' values`);
      return data;
    });
    plan.push({ layer, values, shapes });
  }
  for (const { layer, values, shapes } of plan) {
    tf.tidy(() => layer.setWeights(values.map((v, i) => tf.tensor(v, shapes[i], 'float32'))));
  }
}
