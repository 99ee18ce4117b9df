/**
 * Loading JYnet's released weights (HSP_CNN `data/models/model.20160309_111546.npz`,
 * Theano/Lasagne layout) into a {@link buildTagger} model.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertFinite } from '../../errors.js';
import { Tagger } from './buildTagger.js';

/** One parameter tensor of the released JYnet model. */
export interface JynetVariable {
  /** Lasagne name, e.g. `'early_conv.0_1.W'` (the fixture file is `weights/<name>.f32`). */
  name: string;
  /** Shape in Theano layout: conv W [out, in, kh (time), kw (mel)], bias [out], `W_logstd` [tags]. */
  shape: number[];
  /** Layer of the hitrank tagger that holds it. */
  layer: string;
  /** Index in that layer's weights (0 kernel / log σ, 1 bias). */
  index: 0 | 1;
  /** How it is converted: a flipped conv kernel, a 1×1 kernel (transposed), or copied as is. */
  kind: 'conv' | 'dense' | 'copy';
}

const BRANCHES = 6;

function variables(): JynetVariable[] {
  const out: JynetVariable[] = [];
  for (let i = 0; i < BRANCHES; i++) {
    out.push({ name: `early_conv.${i}_1.W`, shape: [32, 1, 8, 128], layer: `early_conv.${i}_1`, index: 0, kind: 'conv' });
    out.push({ name: `early_conv.${i}_1.b`, shape: [32], layer: `early_conv.${i}_1`, index: 1, kind: 'copy' });
    out.push({ name: `early_conv.${i}_2.W`, shape: [32, 32, 8, 1], layer: `early_conv.${i}_2`, index: 0, kind: 'conv' });
    out.push({ name: `early_conv.${i}_2.b`, shape: [32], layer: `early_conv.${i}_2`, index: 1, kind: 'copy' });
  }
  for (const [layer, o, c] of [['late_conv_1', 512, 192], ['late_conv_2', 512, 512], ['late_conv_output', 188, 512]] as const) {
    out.push({ name: `${layer}.W`, shape: [o, c, 1, 1], layer, index: 0, kind: 'dense' });
    out.push({ name: `${layer}.b`, shape: [o], layer, index: 1, kind: 'copy' });
  }
  out.push({ name: 'gaussian_filter.W_logstd', shape: [188], layer: 'gaussian_filter', index: 0, kind: 'copy' });
  return out;
}

/**
 * The 31 parameter tensors of the released JYnet (Lasagne
 * `get_all_param_values` order = the npz's `arr_0` … `arr_30`), with the
 * tagger layer each one loads into.
 */
export const JYNET_VARIABLES: readonly JynetVariable[] = Object.freeze(variables());

/**
 * A Theano conv kernel W [O, I, KH, KW] (applied as a true convolution over
 * an [N, I, T, F] image, valid along F = KW) as hitrank's cross-correlation
 * kernel [KH, I·KW, O] over time-major input whose channel c = i·KW + w:
 * `K[k, i·KW + w, o] = W[o, i, KH − 1 − k, KW − 1 − w]`.
 */
function theanoConvToTimeKernel(w: Float32Array, [o, ci, kh, kw]: readonly number[]): Float32Array {
  const cin = ci * kw;
  const out = new Float32Array(kh * cin * o);
  for (let oo = 0; oo < o; oo++) {
    for (let i = 0; i < ci; i++) {
      for (let a = 0; a < kh; a++) {
        for (let b = 0; b < kw; b++) {
          const src = ((oo * ci + i) * kh + a) * kw + b;
          const k = kh - 1 - a;
          const c = i * kw + (kw - 1 - b);
          out[(k * cin + c) * o + oo] = w[src];
        }
      }
    }
  }
  return out;
}

/** Shape of a JYnet tensor in the tagger's layout. */
function ourShape(v: JynetVariable): number[] {
  if (v.kind === 'conv') {
    const [o, ci, kh, kw] = v.shape;
    return [kh, ci * kw, o];
  }
  if (v.kind === 'dense') return [v.shape[1], v.shape[0]];
  return [...v.shape];
}

/** A Theano 1×1 conv kernel W [O, C, 1, 1] as a dense kernel [C, O]. */
function theanoDenseKernel(w: Float32Array, [o, c]: readonly number[]): Float32Array {
  const out = new Float32Array(c * o);
  for (let oo = 0; oo < o; oo++) for (let cc = 0; cc < c; cc++) out[cc * o + oo] = w[oo * c + cc];
  return out;
}

/**
 * Copies JYnet's released weights (the 31 tensors of {@link JYNET_VARIABLES},
 * float32, C order, Theano layout — as `np.load(npz)['arr_i'].ravel()` gives
 * them and the fixture's `weights/<name>.f32` files hold them) into a
 * tagger built with the default sizes (`buildTagger()`: 6 scales, 128 mels,
 * 188 tags).
 *
 * Theano's `conv2d` flips its filters (a true convolution; confirmed against
 * the authors' own output, `fixtures/jynet/MANIFEST.md`), so every conv
 * kernel is flipped along time and mel into hitrank's cross-correlation
 * layout: `early_conv.i_1.W` [32, 1, 8, 128] → kernel [8, 128, 32] with
 * `K[k, m, o] = W[o, 0, 7 − k, 127 − m]`; `early_conv.i_2.W` [32, 32, 8, 1] →
 * [8, 32, 32] with `K[k, c, o] = W[o, c, 7 − k, 0]`. The 1×1 kernels
 * [O, C, 1, 1] become dense kernels [C, O]; biases and `W_logstd` (ln σ of the
 * Gaussian scan) are copied. Every tensor is checked (present, right size,
 * finite) before any weight changes, so a failed load leaves the model as it
 * was. The network itself stays a plain cross-correlation network that can be
 * fine-tuned or retrained.
 *
 * @param tagger - a {@link Tagger} (or its `model`) with JYnet's default sizes.
 * @param weightsByName - float32 arrays by Lasagne name (`'early_conv.0_1.W'` …); other names are ignored.
 * @throws HitrankError `E_MISSING_DATA` for an absent tensor or layer, `E_SHAPE`
 *   for a size or layer-shape mismatch, `E_NAN` for non-finite values.
 * @example
 * ```ts
 * const tagger = buildTagger();
 * loadJynetWeights(tagger, weights); // Record<string, Float32Array>
 * ```
 */
export function loadJynetWeights(tagger: Tagger | tfl.LayersModel, weightsByName: Record<string, Float32Array>): void {
  const model = tagger instanceof Tagger ? tagger.model : tagger;
  const byLayer = new Map<string, { layer: tfl.layers.Layer; values: Float32Array[]; shapes: number[][] }>();
  for (const v of JYNET_VARIABLES) {
    const w = weightsByName[v.name];
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (!(w instanceof Float32Array)) {
      throw new HitrankError('E_MISSING_DATA', `JYnet weight '${v.name}' (shape [${v.shape.join(', ')}]) is missing from weightsByName.`);
    }
    if (w.length !== size) {
      throw new HitrankError('E_SHAPE', `JYnet weight '${v.name}' has ${w.length} values, expected ${size} (shape [${v.shape.join(', ')}]).`);
    }
    assertFinite(w, `JYnet weight '${v.name}' values`);
    let layer: tfl.layers.Layer;
    try {
      layer = model.getLayer(v.layer);
    } catch {
      throw new HitrankError('E_MISSING_DATA', `the model has no layer '${v.layer}' for JYnet weight '${v.name}'; build it with buildTagger() defaults.`);
    }
    const converted = v.kind === 'conv' ? theanoConvToTimeKernel(w, v.shape) : v.kind === 'dense' ? theanoDenseKernel(w, v.shape) : w;
    const entry = byLayer.get(v.layer) ?? { layer, values: [], shapes: [] };
    entry.values[v.index] = converted;
    entry.shapes[v.index] = ourShape(v);
    byLayer.set(v.layer, entry);
  }
  const plan: Array<{ layer: tfl.layers.Layer; values: Float32Array[]; shapes: number[][] }> = [];
  for (const [name, { layer, values, shapes }] of byLayer) {
    const have = layer.getWeights().map((t) => t.shape);
    if (have.length !== values.length) {
      throw new HitrankError('E_SHAPE', `layer '${name}' has ${have.length} weights, JYnet provides ${values.length}.`);
    }
    have.forEach((s, i) => {
      if (s.length !== shapes[i].length || s.some((d, j) => d !== shapes[i][j])) {
        throw new HitrankError('E_SHAPE', `layer '${name}' weight ${i} has shape [${s.join(', ')}], JYnet's converts to [${shapes[i].join(', ')}]; build the tagger with buildTagger() default sizes.`);
      }
    });
    plan.push({ layer, values, shapes });
  }
  for (const { layer, values, shapes } of plan) {
    const tensors = values.map((v, i) => tf.tensor(v, shapes[i], 'float32'));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
