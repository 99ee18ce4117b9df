/**
 * JYnet, the multi-scale fully convolutional music auto-tagger with Gaussian
 * scanning of Liu & Yang (ACM MM 2016, "Event localization in music
 * auto-tagging") — reference [16] of Yu et al. (ICASSP 2018), whose 50 tag
 * activations feed the hit model's tag branch.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { JYNET_FEATURES, type JynetFeatures } from '../../dsp/jynetFeatures.js';
import { HitrankError, assertFinite, assertInRange, assertInteger } from '../../errors.js';
import { layerSeeds } from '../layerSeeds.js';
import { SeededDropout } from '../layers/seededDropout.js';
import { GaussianScan } from './gaussianScanLayer.js';
import { maxPoolCeilFrames } from './maxPoolCeil.js';
import { MaxPoolCeilTime } from './maxPoolCeilLayer.js';
import { MTAT_TOP188, MTAT_TOP50 } from './mtatTags.js';
import { registerTaggerLayers } from './registerTaggerLayers.js';
import { SameTimeConv } from './sameTimeConvLayer.js';

/** Options of {@link buildTagger}; defaults are JYnet's (HSP_CNN `build_fcn_gaussian_multiscale(6)`). */
export interface TaggerOptions {
  /** Output tags. Default `tags.length` when `tags` is given, else 188. */
  nTags?: number;
  /**
   * Names of the output units, in order. Default {@link MTAT_TOP188} for 188
   * tags, {@link MTAT_TOP50} for 50, else `'tag0'`, `'tag1'`, ….
   */
  tags?: readonly string[];
  /** Input scales (branches); branch i takes the n_fft `JYNET_FEATURES.nFfts[i]` features. Default 6 (1 … 6). */
  scales?: number;
  /** Frames per input. Default 911. */
  frames?: number;
  /** Mel bands per input (the first kernel's height). Default 128. */
  nMels?: number;
  /** Channels of both convolutions of each branch. Default 32. */
  branchFilters?: number;
  /** Kernel length in frames of both branch convolutions. Default 8. */
  kernelSize?: number;
  /** Max-pool size (= stride) after each branch convolution. Default 4. */
  poolSize?: number;
  /** Units of the two hidden 1×1 layers. Default 512. */
  hiddenUnits?: number;
  /** Dropout rate before each 1×1 layer, during training only. Default 0.5. */
  dropout?: number;
  /** Taps of the Gaussian scan. Default 256. */
  gaussianSize?: number;
  /** Initial σ (frames) of every tag's Gaussian. Default `gaussianSize / 16` = 16. */
  initialSigma?: number;
  /** Seed of every initialiser and dropout mask. Default 0. */
  seed?: number;
  /** Model name. Default `'jynet'`. */
  name?: string;
}

/** The resolved sizes of a {@link Tagger}. */
export interface TaggerConfig {
  /** Output tags. */
  nTags: number;
  /** FFT length each branch expects, in input order. */
  nFfts: readonly number[];
  /** Frames per input. */
  frames: number;
  /** Mel bands per input. */
  nMels: number;
  /** Channels of each branch convolution. */
  branchFilters: number;
  /** Branch kernel length. */
  kernelSize: number;
  /** Branch pool size. */
  poolSize: number;
  /** Hidden 1×1 units. */
  hiddenUnits: number;
  /** Dropout rate. */
  dropout: number;
  /** Gaussian scan taps. */
  gaussianSize: number;
  /** Frames reaching the Gaussian scan: `ceil(ceil(frames / pool) / pool)` (57 for 911). */
  outputFrames: number;
}

/** Options of {@link Tagger.predict}. */
export interface TaggerPredictOptions {
  /** Clip the activations to [1e-6, 1 − 1e-6], as the authors' `test_model.py`. Default `true`. */
  clip?: boolean;
}

/** One clip's network input: a {@link JynetFeatures} or its `inputs` array. */
export type TaggerInput = JynetFeatures | readonly Float32Array[];

/**
 * A JYnet-style tagger: the tfjs-layers model plus its tag names. Build one
 * with {@link buildTagger}; load the authors' weights with `loadJynetWeights`;
 * turn audio into the hit model's 50 tag features with `tagFeatures`.
 * Owns its weights: call {@link Tagger.dispose} when done.
 */
export class Tagger {
  /**
   * The network: inputs `input_<nFft>` [B, frames, nMels] (one per scale, time-major),
   * output `tags` [B, nTags] (mean of the Gaussian-scanned sigmoid frames, unclipped).
   * Train it like any LayersModel (`compile` + `fit` with one array per input,
   * binary cross-entropy on multi-label targets).
   */
  readonly model: tfl.LayersModel;
  /** Output tag names, in unit order. */
  readonly tags: readonly string[];
  /** Resolved sizes. */
  readonly config: Readonly<TaggerConfig>;

  /**
   * @param model - a model built by {@link buildTagger}.
   * @param tags - its output tag names.
   * @param config - its sizes.
   */
  constructor(model: tfl.LayersModel, tags: readonly string[], config: TaggerConfig) {
    this.model = model;
    this.tags = Object.freeze([...tags]);
    this.config = Object.freeze({ ...config, nFfts: Object.freeze([...config.nFfts]) });
  }

  /** Checks one clip's inputs against the model and returns them as arrays. */
  private checkInput(input: TaggerInput, what: string): readonly Float32Array[] {
    const { nFfts, frames, nMels } = this.config;
    let arrays: readonly Float32Array[];
    if (Array.isArray(input)) {
      arrays = input as readonly Float32Array[];
    } else {
      const f = input as JynetFeatures;
      if (!f || !Array.isArray(f.inputs)) throw new HitrankError('E_PARAM', `${what} must be JynetFeatures or an array of Float32Array inputs.`);
      if (f.shape && (f.shape[0] !== frames || f.shape[1] !== nMels)) {
        throw new HitrankError('E_SHAPE', `${what} have shape [${f.shape.join(', ')}], the tagger expects [${frames}, ${nMels}] per scale.`);
      }
      if (f.nFfts && f.nFfts.some((n, i) => n !== nFfts[i])) {
        throw new HitrankError('E_SHAPE', `${what} were computed for n_fft [${f.nFfts.join(', ')}], the tagger's branches take [${nFfts.join(', ')}].`);
      }
      arrays = f.inputs;
    }
    if (arrays.length !== nFfts.length) {
      throw new HitrankError('E_SHAPE', `${what} hold ${arrays.length} scales, the tagger has ${nFfts.length} branches (n_fft ${nFfts.join(', ')}).`);
    }
    arrays.forEach((a, i) => {
      if (!(a instanceof Float32Array) || a.length !== frames * nMels) {
        throw new HitrankError('E_SHAPE', `${what}: scale ${i} (n_fft ${nFfts[i]}) has ${a?.length} values, expected frames × nMels = ${frames} × ${nMels} = ${frames * nMels}.`);
      }
      assertFinite(a, `${what} (scale ${i})`);
    });
    return arrays;
  }

  /**
   * Tag activations of a batch of clips: one Float32Array of `nTags` values in
   * (0, 1) per clip, in {@link Tagger.tags} order (dropout off).
   *
   * @param clips - one {@link TaggerInput} per clip.
   * @param options - see {@link TaggerPredictOptions}.
   * @returns the activations, one array per clip.
   * @throws HitrankError `E_SHAPE` for inputs that do not fit the model, `E_NAN` for non-finite values.
   */
  predictBatch(clips: readonly TaggerInput[], options: TaggerPredictOptions = {}): Float32Array[] {
    if (clips.length === 0) return [];
    const { frames, nMels, nTags } = this.config;
    const checked = clips.map((c, i) => this.checkInput(c, `clip ${i} inputs`));
    const clip = options.clip ?? true;
    const flat = tf.tidy(() => {
      const xs = this.config.nFfts.map((_, s) => {
        const buf = new Float32Array(clips.length * frames * nMels);
        checked.forEach((arrays, i) => buf.set(arrays[s], i * frames * nMels));
        return tf.tensor3d(buf, [clips.length, frames, nMels]);
      });
      const y = this.model.predict(xs) as tf.Tensor;
      return (clip ? tf.clipByValue(y, 1e-6, 1 - 1e-6) : y).dataSync() as Float32Array;
    });
    return clips.map((_, i) => flat.slice(i * nTags, (i + 1) * nTags));
  }

  /**
   * Tag activations of one clip (see {@link Tagger.predictBatch}).
   *
   * @param input - the clip's inputs ({@link JynetFeatures} or its `inputs`).
   * @param options - see {@link TaggerPredictOptions}.
   * @returns `nTags` activations in {@link Tagger.tags} order.
   * @throws HitrankError `E_SHAPE` / `E_NAN` as {@link Tagger.predictBatch}.
   */
  predict(input: TaggerInput, options: TaggerPredictOptions = {}): Float32Array {
    return this.predictBatch([input], options)[0];
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }
}

function defaultTags(nTags: number): readonly string[] {
  if (nTags === MTAT_TOP188.length) return MTAT_TOP188;
  if (nTags === MTAT_TOP50.length) return MTAT_TOP50;
  return Array.from({ length: nTags }, (_, i) => `tag${i}`);
}

function resolveTags(options: TaggerOptions): readonly string[] {
  const { tags, nTags } = options;
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.length === 0 || tags.some((t) => typeof t !== 'string')) {
      throw new HitrankError('E_PARAM', 'tags must be a non-empty array of tag names.');
    }
    const seen = new Set<string>();
    for (const t of tags) {
      if (seen.has(t)) throw new HitrankError('E_PARAM', `tags lists '${t}' twice; tag names must be unique.`);
      seen.add(t);
    }
    if (nTags !== undefined && nTags !== tags.length) {
      throw new HitrankError('E_PARAM', `nTags = ${nTags} but tags lists ${tags.length} names.`);
    }
    return tags;
  }
  const n = nTags ?? MTAT_TOP188.length;
  assertInteger(n, 'nTags', 1);
  return defaultTags(n);
}

/**
 * Builds JYnet (Liu & Yang 2016, as released in HSP_CNN) — or a smaller
 * model of the same shape for any multi-label tag set — on tfjs-layers:
 *
 * | stage | layers (names) | output, default sizes |
 * |---|---|---|
 * | 6 inputs `input_512` … `input_16384` | standardised log-mels, time-major ({@link JynetFeatures}) | [B, 911, 128] each |
 * | per branch i | `early_conv.i_1`: conv 8 frames × 128 mels → 32, 'strictsamex' pad 4/3, ReLU | [B, 911, 32] |
 * | | `early_pool.i_1`: max-pool 4, partial last window | [B, 228, 32] |
 * | | `early_conv.i_2`: conv 8 × 32 → 32, pad 4/3, ReLU; `early_pool.i_2` | [B, 57, 32] |
 * | fusion | `concat` (channels, branch order) | [B, 57, 192] |
 * | late | `dropout_1`, `late_conv_1` 1×1 512 ReLU, `dropout_2`, `late_conv_2` 1×1 512 ReLU, `dropout_3` | [B, 57, 512] |
 * | frame tags | `late_conv_output` 1×1 → nTags, sigmoid | [B, 57, 188] |
 * | scan | `gaussian_filter`: per-tag Gaussian, trainable ln σ (init ln 16), 256 taps | [B, 57, 188] |
 * | clip tags | `tags`: mean over time | [B, 188] |
 *
 * The convolutions are cross-correlations (TensorFlow's convention) on
 * {@link timeConv1d} and the pooling is hitrank's {@link maxPoolCeil}, both
 * with their own gradients, so the tagger trains on every tfjs backend,
 * tfjs-backend-wasm included; the 1×1 layers are `tfl.layers.dense` over the
 * channel axis (a matMul). `loadJynetWeights` converts the authors' Theano
 * (true-convolution) kernels into this layout. Kernels start Glorot-uniform
 * (Keras fans), biases zero, σ = 16 frames, all seeded. The PyTorch
 * equivalent of one branch is `Conv1d(128, 32, 8)` on `F.pad(x, (4, 3))`,
 * ReLU, `MaxPool1d(4, ceil_mode=True)`.
 *
 * @param options - see {@link TaggerOptions}.
 * @returns a {@link Tagger} (the model and its tag names).
 * @throws HitrankError `E_PARAM` for bad options.
 * @example
 * ```ts
 * const tagger = buildTagger();                        // JYnet, 188 MTAT tags, random weights
 * const small = buildTagger({ tags: ['rock', 'jazz'], scales: 2, frames: 128, nMels: 64 });
 * ```
 */
export function buildTagger(options: TaggerOptions = {}): Tagger {
  registerTaggerLayers();
  const tags = resolveTags(options);
  const scales = options.scales ?? JYNET_FEATURES.nFfts.length;
  const frames = options.frames ?? JYNET_FEATURES.frames;
  const nMels = options.nMels ?? JYNET_FEATURES.nMels;
  const branchFilters = options.branchFilters ?? 32;
  const kernelSize = options.kernelSize ?? 8;
  const poolSize = options.poolSize ?? 4;
  const hiddenUnits = options.hiddenUnits ?? 512;
  const rate = options.dropout ?? 0.5;
  const gaussianSize = options.gaussianSize ?? 256;
  const initialSigma = options.initialSigma ?? gaussianSize / 16;
  const seed = options.seed ?? 0;
  assertInteger(scales, 'scales', 1, JYNET_FEATURES.nFfts.length);
  assertInteger(frames, 'frames', 1);
  assertInteger(nMels, 'nMels', 1);
  assertInteger(branchFilters, 'branchFilters', 1);
  assertInteger(kernelSize, 'kernelSize', 1);
  assertInteger(poolSize, 'poolSize', 1);
  assertInteger(hiddenUnits, 'hiddenUnits', 1);
  assertInRange(rate, 'dropout', 0, 0.999999);
  assertInteger(gaussianSize, 'gaussianSize', 1);
  assertInRange(initialSigma, 'initialSigma', 1e-6, 1e6);
  assertInteger(seed, 'seed', -2147483648, 2147483647);
  const nFfts = JYNET_FEATURES.nFfts.slice(0, scales);
  const outputFrames = maxPoolCeilFrames(maxPoolCeilFrames(frames, poolSize), poolSize);

  const next = layerSeeds(seed, 'jynet');
  const inputs = nFfts.map((n) => tfl.input({ shape: [frames, nMels], name: `input_${n}` }));
  const branches = inputs.map((x, i) => {
    let h = new SameTimeConv({ name: `early_conv.${i}_1`, filters: branchFilters, kernelSize, inputGradient: false, seed: next() }).apply(x) as tfl.SymbolicTensor;
    h = new MaxPoolCeilTime({ name: `early_pool.${i}_1`, poolSize }).apply(h) as tfl.SymbolicTensor;
    h = new SameTimeConv({ name: `early_conv.${i}_2`, filters: branchFilters, kernelSize, seed: next() }).apply(h) as tfl.SymbolicTensor;
    return new MaxPoolCeilTime({ name: `early_pool.${i}_2`, poolSize }).apply(h) as tfl.SymbolicTensor;
  });
  let h =
    branches.length > 1
      ? (tfl.layers.concatenate({ name: 'concat', axis: -1 }).apply(branches) as tfl.SymbolicTensor)
      : (tfl.layers.activation({ name: 'concat', activation: 'linear' }).apply(branches[0]) as tfl.SymbolicTensor);
  const dense = (name: string, units: number, activation: 'relu' | 'sigmoid') =>
    tfl.layers.dense({ name, units, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: next() }), biasInitializer: 'zeros' });
  const drop = (name: string) => new SeededDropout({ name, rate, seed: next() });
  h = drop('dropout_1').apply(h) as tfl.SymbolicTensor;
  h = dense('late_conv_1', hiddenUnits, 'relu').apply(h) as tfl.SymbolicTensor;
  h = drop('dropout_2').apply(h) as tfl.SymbolicTensor;
  h = dense('late_conv_2', hiddenUnits, 'relu').apply(h) as tfl.SymbolicTensor;
  h = drop('dropout_3').apply(h) as tfl.SymbolicTensor;
  h = dense('late_conv_output', tags.length, 'sigmoid').apply(h) as tfl.SymbolicTensor;
  h = new GaussianScan({ name: 'gaussian_filter', filterSize: gaussianSize, initialSigma }).apply(h) as tfl.SymbolicTensor;
  const out = tfl.layers.globalAveragePooling1d({ name: 'tags' }).apply(h) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs, outputs: out, name: options.name ?? 'jynet' });
  return new Tagger(model, tags, {
    nTags: tags.length,
    nFfts,
    frames,
    nMels,
    branchFilters,
    kernelSize,
    poolSize,
    hiddenUnits,
    dropout: rate,
    gaussianSize,
    outputFrames,
  });
}
