/**
 * The music highlighter of Huang et al. (ref. [13] of Yu et al. 2018): an
 * attention model over the 3-s chunks of a song, trained on song-level
 * classes, whose attention weights say where the highlight is.
 *
 * @module
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError, assertInRange, assertInteger } from '../../errors.js';
import { HIGHLIGHTER_PRESET } from '../../dsp/highlighterFeatures.js';
import { layerSeeds } from '../layerSeeds.js';
import { ChunkBatchNorm, checkStatistics } from './batchNorm.js';
import { AttentionPool, ChunkSoftmax, ChunksToSequence, SequenceToChunks } from './chunkLayers.js';
import { Highlighter } from './highlighter.js';
import { ChunkPositionalEncoding } from './positionalEncoding.js';
import { registerHighlighterLayers } from './register.js';
import { StridedTimeConv } from './stridedConvLayer.js';
import type { HighlighterConfig, HighlighterOptions } from './types.js';

const DEFAULTS = {
  attention: { filters: [64, 128, 256], kernelSizes: [3, 4, 4], strides: [2, 2, 2], attentionUnits: [256, 256, 256], positionalEncoding: true, scales: [3] },
  recurrent: { filters: [64, 128, 128, 256], kernelSizes: [3, 4, 4, 4], strides: [2, 2, 1, 1], attentionUnits: [512], positionalEncoding: false, scales: [1, 2, 3, 4] },
} as const;

function intList(v: unknown, name: string, min: number, max: number): number[] {
  if (!Array.isArray(v) || v.length === 0) throw new HitrankError('E_PARAM', `${name} must be a non-empty array of integers, got ${JSON.stringify(v)}.`);
  v.forEach((x, i) => assertInteger(x as number, `${name}[${i}]`, min, max));
  return [...(v as number[])];
}

/**
 * Resolves {@link HighlighterOptions} to a complete {@link HighlighterConfig}
 * (the defaults of the chosen variant filled in, every value checked).
 *
 * @param o - the options.
 * @returns the configuration.
 * @throws HitrankError `E_PARAM` for a bad option.
 */
export function resolveHighlighterOptions(o: HighlighterOptions = {}): HighlighterConfig {
  const variant = o.variant ?? 'attention';
  if (variant !== 'attention' && variant !== 'recurrent') {
    throw new HitrankError('E_PARAM', `variant must be 'attention' or 'recurrent', got '${String(variant)}'.`);
  }
  const d = DEFAULTS[variant];
  const filters = intList(o.filters ?? d.filters, 'filters', 1, 1 << 16);
  const kernelSizes = intList(o.kernelSizes ?? d.kernelSizes, 'kernelSizes', 1, 1 << 10);
  const strides = intList(o.strides ?? d.strides, 'strides', 1, 64);
  if (kernelSizes.length !== filters.length || strides.length !== filters.length) {
    throw new HitrankError(
      'E_PARAM',
      `filters, kernelSizes and strides must have one entry per convolution; got ${filters.length}, ${kernelSizes.length} and ${strides.length}.`,
    );
  }
  const classNames = o.classNames ? [...o.classNames] : null;
  if (classNames && (classNames.length < 2 || classNames.some((c) => typeof c !== 'string'))) {
    throw new HitrankError('E_PARAM', `classNames must list at least 2 strings, got ${JSON.stringify(o.classNames)}.`);
  }
  const numClasses = o.numClasses ?? classNames?.length ?? 190;
  assertInteger(numClasses, 'numClasses', 2, 1 << 20);
  if (classNames && classNames.length !== numClasses) {
    throw new HitrankError('E_PARAM', `numClasses = ${numClasses} but classNames lists ${classNames.length} names.`);
  }
  const sampleRate = o.features?.sampleRate ?? HIGHLIGHTER_PRESET.sampleRate;
  const c: HighlighterConfig = {
    variant,
    nMels: o.nMels ?? 128,
    filters,
    kernelSizes,
    strides,
    attentionUnits: intList(o.attentionUnits ?? d.attentionUnits, 'attentionUnits', 1, 1 << 16),
    lstmUnits: o.lstmUnits ?? 256,
    positionalEncoding: o.positionalEncoding ?? d.positionalEncoding,
    classifierUnits: o.classifierUnits ?? 1024,
    numClasses,
    classNames,
    bnAtInference: checkStatistics(o.bnAtInference ?? 'batch', 'bnAtInference'),
    bnMomentum: o.bnMomentum ?? 0.99,
    bnEpsilon: o.bnEpsilon ?? 1e-3,
    bnScale: o.bnScale ?? false,
    chunkSeconds: o.chunkSeconds ?? 3,
    scales: intList(o.scales ?? d.scales, 'scales', 1, 3600),
    features: {
      sampleRate,
      nFft: o.features?.nFft ?? HIGHLIGHTER_PRESET.nFft,
      hopLength: o.features?.hopLength ?? HIGHLIGHTER_PRESET.hopLength,
      padMode: o.features?.padMode ?? HIGHLIGHTER_PRESET.padMode,
      log1pScale: o.features?.log1pScale ?? HIGHLIGHTER_PRESET.log1pScale,
      fmax: o.features?.fmax ?? sampleRate / 2,
    },
    seed: o.seed ?? 0,
    name: o.name ?? 'highlighter',
  };
  assertInteger(c.nMels, 'nMels', 1, 4096);
  assertInteger(c.lstmUnits, 'lstmUnits', 1, 1 << 16);
  assertInteger(c.classifierUnits, 'classifierUnits', 1, 1 << 20);
  assertInRange(c.bnMomentum, 'bnMomentum', 0, 1);
  assertInRange(c.bnEpsilon, 'bnEpsilon', 0, 1);
  assertInteger(c.chunkSeconds, 'chunkSeconds', 1, 3600);
  assertInteger(c.seed, 'seed', -2147483648, 2147483647);
  assertInteger(c.features.sampleRate, 'features.sampleRate', 1, 1e7);
  assertInteger(c.features.nFft, 'features.nFft', 2, 1 << 20);
  assertInteger(c.features.hopLength, 'features.hopLength', 1, 1 << 20);
  if (typeof c.positionalEncoding !== 'boolean' || typeof c.bnScale !== 'boolean') {
    throw new HitrankError('E_PARAM', 'positionalEncoding and bnScale must be booleans.');
  }
  return c;
}

/**
 * Builds the network of a resolved configuration.
 *
 * @internal
 */
export function buildHighlighterNet(c: HighlighterConfig): tfl.LayersModel {
  registerHighlighterLayers();
  const next = layerSeeds(c.seed, `highlighter-${c.variant}`);
  const bn = (name: string) =>
    new ChunkBatchNorm({ name, inference: c.bnAtInference, momentum: c.bnMomentum, epsilon: c.bnEpsilon, scale: c.bnScale });
  const act = (name: string, activation: 'relu' | 'tanh' | 'softmax') => tfl.layers.activation({ name, activation });
  const dense = (name: string, units: number, useBias: boolean, activation?: 'tanh') =>
    tfl.layers.dense({
      name,
      units,
      useBias,
      ...(activation ? { activation } : {}),
      kernelInitializer: tfl.initializers.glorotUniform({ seed: next() }),
      biasInitializer: 'zeros',
    });
  const apply = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => layer.apply(x) as tfl.SymbolicTensor;

  // Conv stack: conv (no bias) → BN → ReLU, as TF-contrib's conv2d with a normaliser.
  const input = tfl.input({ shape: [null, c.nMels], name: 'chunks' });
  let h = input;
  c.filters.forEach((f, i) => {
    const name = `conv${i + 1}`;
    h = apply(
      new StridedTimeConv({ name, filters: f, kernelSize: c.kernelSizes[i], stride: c.strides[i], padding: 'same', useBias: false, inputGradient: i > 0, seed: next() }),
      h,
    );
    h = apply(bn(`${name}_bn`), h);
    h = apply(act(`${name}_relu`, 'relu'), h);
  });
  const chunkFeatures = apply(tfl.layers.globalMaxPooling1d({ name: 'chunk_max' }), h); // [chunks, F]

  // Attention head.
  let a = c.positionalEncoding ? apply(new ChunkPositionalEncoding({ name: 'positional_encoding' }), chunkFeatures) : chunkFeatures;
  let logits: tfl.SymbolicTensor;
  if (c.variant === 'attention') {
    c.attentionUnits.forEach((u, i) => {
      const last = i === c.attentionUnits.length - 1;
      a = apply(dense(`att_fc${i + 1}`, u, false), a);
      a = apply(bn(`att_fc${i + 1}_bn`), a);
      a = apply(act(`att_fc${i + 1}_${last ? 'tanh' : 'relu'}`, last ? 'tanh' : 'relu'), a);
    });
    logits = apply(bn('att_logit_bn'), apply(dense('att_logit', 1, false), a));
  } else {
    let s = apply(new ChunksToSequence({ name: 'to_sequence' }), a);
    const lstm = tfl.layers.lstm({
      units: c.lstmUnits,
      returnSequences: true,
      kernelInitializer: tfl.initializers.glorotUniform({ seed: next() }),
      recurrentInitializer: tfl.initializers.glorotUniform({ seed: next() }),
    });
    s = apply(tfl.layers.bidirectional({ name: 'bilstm', layer: lstm as unknown as tfl.RNN, mergeMode: 'concat' }), s);
    c.attentionUnits.forEach((u, i) => {
      s = apply(dense(`att_fc${i + 1}`, u, true, 'tanh'), s);
    });
    s = apply(dense('att_logit', 1, false), s);
    logits = apply(new SequenceToChunks({ name: 'to_chunks' }), s);
  }
  const attention = apply(new ChunkSoftmax({ name: 'attention' }), logits); // [chunks, 1]

  // Late-fusion classifier on the chunk features (without positional encoding).
  let p = apply(dense('cls_fc1', c.classifierUnits, false), chunkFeatures);
  p = apply(bn('cls_fc1_bn'), p);
  p = apply(act('cls_fc1_relu', 'relu'), p);
  p = apply(dense('cls_logits', c.numClasses, true), p);
  const chunkProbs = apply(act('chunk_probs', 'softmax'), p);
  const song = apply(new AttentionPool({ name: 'song_probs' }), [attention, chunkProbs]); // [1, C]
  return tfl.model({ inputs: input, outputs: [attention, song], name: c.name });
}

/**
 * Builds a music highlighter (Huang et al., ref. [13] of Yu et al. 2018). The
 * network's batch is **the chunks of one song**: input `[chunks, frames,
 * nMels]` (from `highlighterFeatures` of hitrank/dsp, ≈ 129 frames per 3-s
 * chunk), outputs the attention weights `[chunks, 1]` (softmax over the song's
 * chunks) and the song's class probabilities `[1, numClasses]`.
 *
 * Attention variant (default; "NAM-LF (pos)", remyhuang/pop-music-highlighter):
 *
 * | stage | layers | output |
 * |---|---|---|
 * | conv1 | conv [3 × 128], stride 2, SAME, 64 ch → BN → ReLU | [n, 65, 64] |
 * | conv2 | conv 4, stride 2, 128 ch → BN → ReLU | [n, 33, 128] |
 * | conv3 | conv 4, stride 2, 256 ch → BN → ReLU | [n, 17, 256] |
 * | max over time | | [n, 256] chunk features |
 * | + positional encoding (row 0 zero) | | [n, 256] |
 * | attention | FC 256 → BN → ReLU, FC 256 → BN → ReLU, FC 256 → BN → tanh, FC 1 → BN | [n, 1] |
 * | softmax over chunks | | attention a |
 * | classifier (late fusion) | chunk features → FC 1024 → BN → ReLU → FC C → softmax | p [n, C] |
 * | song prediction | Σᵢ aᵢ pᵢ | [1, C] |
 *
 * Recurrent variant (ref. [13], APSIPA 2017, the HL-30 of the seed paper):
 * convs 64/128/128/256 with kernels 3/4/4/4 and strides 2/2/1/1, max over
 * time, a BiLSTM of 256 units per direction over the chunks (plain LSTM cells;
 * the original's layer-normalised cells are not in tfjs-layers), attention
 * `softmax(v · tanh(W h + b))` with W 512 × 512, and the same classifier
 * (the original's training head is not published). The original also
 * standardised each mel band with dataset statistics; conv1 spans all bands
 * and batch norm follows it, so that is a reparametrisation the network
 * learns itself, and it is not done here.
 *
 * Convolutions and FC layers feeding a batch norm have no bias (TF-contrib's
 * convention); batch norm has β but no γ (TF-contrib's default). Batch norm
 * uses the song's own chunk statistics at inference by default
 * (`bnAtInference: 'batch'`), as both released models do; `'moving'` uses
 * moving averages instead. Convolutions use {@link stridedTimeConv}, so
 * training works on every backend, tfjs-backend-wasm included. Every
 * initialiser is seeded.
 *
 * Smaller configurations (fewer mels, channels, units) are options, for tests
 * and small data.
 *
 * @param options - see {@link HighlighterOptions}.
 * @returns a {@link Highlighter} (call its `dispose()` when done).
 * @throws HitrankError `E_PARAM` for bad options.
 * @example
 * ```ts
 * const hl = buildHighlighter({ numClasses: 8, seed: 1 });
 * const a = hl.attention(tf.tensor3d(f.data, f.shape)); // f = highlighterFeatures(pcm)
 * ```
 */
export function buildHighlighter(options: HighlighterOptions = {}): Highlighter {
  const config = resolveHighlighterOptions(options);
  return new Highlighter(buildHighlighterNet(config), config);
}
