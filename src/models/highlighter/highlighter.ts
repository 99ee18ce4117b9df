/**
 * A built or loaded highlighter: its network, its configuration, and the
 * forward passes used for training and inference.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../../errors.js';
import type { HighlighterFeatureOptions } from '../../dsp/highlighterFeatures.js';
import { ChunkBatchNorm, checkStatistics, type BnStatistics } from './batchNorm.js';
import { registerHighlighterLayers } from './register.js';
import type { HighlighterConfig } from './types.js';

/** Format tag written into a saved highlighter's metadata. */
export const HIGHLIGHTER_FORMAT = 'hitrank-highlighter';
/** Version of the saved-highlighter format. */
export const HIGHLIGHTER_FORMAT_VERSION = 1;

/** What a highlighter's forward pass returns. */
export interface HighlighterOutputs {
  /** Attention weights over the song's chunks, `[chunks]`, summing to 1. */
  attention: tf.Tensor1D;
  /** Song-level class probabilities `Σᵢ aᵢ pᵢ`, `[numClasses]`. */
  songProbs: tf.Tensor1D;
}

/** What {@link Highlighter.forwardBatch} returns. */
export interface HighlighterBatchOutputs {
  /** Attention weights per song, `[chunksᵢ]` each, each summing to 1. */
  attention: tf.Tensor1D[];
  /** Song-level class probabilities, `[songs, numClasses]`. */
  songProbs: tf.Tensor2D;
}

/** Where {@link Highlighter.save} writes and {@link Highlighter.load} reads: a `tf.io` handler or a URL string (`'indexeddb://…'`, …). */
export type HighlighterStore = tf.io.IOHandler | string;

/**
 * A music highlighter: the network of {@link buildHighlighter} plus its
 * configuration. It owns its weights — call {@link Highlighter.dispose} when
 * done. The network's batch is one song's chunks (or several songs' chunks
 * concatenated, with {@link Highlighter.forwardBatch}): batch statistics and
 * the attention softmax run over them. Never call `net.predict`, which splits
 * the batch into pieces of 32; use {@link Highlighter.attention},
 * {@link Highlighter.forward} or {@link Highlighter.forwardBatch}.
 *
 * @example
 * ```ts
 * const hl = buildHighlighter({ numClasses: 8 });
 * const f = highlighterFeatures(pcm, hl.featureOptions());      // hitrank/dsp
 * const x = tf.tensor3d(f.data, f.shape);
 * const weights = hl.attention(x);                               // [chunks], sums to 1
 * ```
 */
export class Highlighter {
  /** The network: `[chunks, frames, nMels]` → `[attention [chunks, 1], songProbs [1, C]]`. */
  readonly net: tfl.LayersModel;
  private readonly attentionNet: tfl.LayersModel;
  private cfg: Readonly<HighlighterConfig>;

  /**
   * @param net - a network built by `buildHighlighter` or loaded by {@link Highlighter.load}.
   * @param config - its resolved configuration.
   */
  constructor(net: tfl.LayersModel, config: HighlighterConfig) {
    this.net = net;
    this.cfg = Object.freeze({ ...config });
    this.attentionNet = tfl.model({ inputs: net.inputs, outputs: net.outputs[0], name: `${config.name}_attention` });
  }

  /** The resolved configuration (a frozen copy). */
  get config(): Readonly<HighlighterConfig> {
    return this.cfg;
  }

  /**
   * The feature options (for `highlighterFeatures` / `highlighterMel` of
   * hitrank/dsp) that make this model's input.
   *
   * @param chunkSeconds - chunk length; default the training chunk length.
   * @returns the options.
   */
  featureOptions(chunkSeconds: number = this.cfg.chunkSeconds): HighlighterFeatureOptions {
    return { ...this.cfg.features, nMels: this.cfg.nMels, chunkSeconds };
  }

  /**
   * Changes which batch-norm statistics inference uses (see {@link BnStatistics}).
   *
   * @param mode - `'batch'` or `'moving'`.
   */
  setBnAtInference(mode: BnStatistics): void {
    checkStatistics(mode, 'bnAtInference');
    for (const l of this.net.layers) if (l instanceof ChunkBatchNorm) l.inference = mode;
    this.cfg = Object.freeze({ ...this.cfg, bnAtInference: mode });
  }

  private check(chunks: tf.Tensor): void {
    if (chunks.rank !== 3 || chunks.shape[2] !== this.cfg.nMels || chunks.shape[0] < 1) {
      throw new HitrankError(
        'E_SHAPE',
        `highlighter input must be [chunks ≥ 1, frames, ${this.cfg.nMels}] (one song's chunks), got [${chunks.shape.join(', ')}].`,
      );
    }
  }

  /**
   * Attention weights of one song's chunks (inference).
   *
   * @param chunks - `[chunks, frames, nMels]`, e.g. `tf.tensor3d(f.data, f.shape)` of `highlighterFeatures`.
   * @param options - `bnAtInference` overrides the model's batch-norm statistics for this call.
   * @returns `[chunks]` weights summing to 1 (caller disposes).
   */
  attention(chunks: tf.Tensor3D, options: { bnAtInference?: BnStatistics } = {}): tf.Tensor1D {
    this.check(chunks);
    const kwargs: Record<string, unknown> = { training: false };
    if (options.bnAtInference !== undefined) kwargs['bnStats'] = checkStatistics(options.bnAtInference, 'bnAtInference');
    return tf.tidy(() => tf.reshape(this.attentionNet.apply(chunks, kwargs) as tf.Tensor, [-1]) as tf.Tensor1D);
  }

  /**
   * Both outputs for one song; with `training: true` batch norm uses and
   * updates batch statistics (call it inside `optimizer.minimize`).
   *
   * @param chunks - `[chunks, frames, nMels]`.
   * @param training - training mode. Default `false`.
   * @returns the {@link HighlighterOutputs} (caller disposes).
   */
  forward(chunks: tf.Tensor3D, training = false): HighlighterOutputs {
    this.check(chunks);
    const [a, s] = this.net.apply(chunks, { training }) as tf.Tensor[];
    const attention = tf.reshape(a, [-1]) as tf.Tensor1D;
    const songProbs = tf.reshape(s, [-1]) as tf.Tensor1D;
    if (!training) tf.dispose([a, s]);
    return { attention, songProbs };
  }

  /**
   * Both outputs for a batch of several songs whose chunks are concatenated
   * along the first axis (all with the same frames per chunk — crop to the
   * shortest). Batch norm computes its statistics over the whole batch (in
   * training, and at inference with `'batch'` statistics); positional
   * encoding, the attention softmax, the BiLSTM and the late fusion work per
   * song.
   *
   * @param chunks - `[Σ chunks, frames, nMels]`.
   * @param songLengths - chunks per song, in order, summing to `chunks.shape[0]`.
   * @param training - training mode. Default `false`.
   * @returns the {@link HighlighterBatchOutputs} (caller disposes).
   */
  forwardBatch(chunks: tf.Tensor3D, songLengths: number[], training = false): HighlighterBatchOutputs {
    this.check(chunks);
    if (!Array.isArray(songLengths) || songLengths.length === 0) throw new HitrankError('E_PARAM', 'songLengths must list the chunk count of each song.');
    let total = 0;
    for (const l of songLengths) {
      if (!Number.isInteger(l) || l < 1) throw new HitrankError('E_PARAM', `songLengths must be positive integers, got ${JSON.stringify(songLengths)}.`);
      total += l;
    }
    if (total !== chunks.shape[0]) {
      throw new HitrankError('E_SHAPE', `songLengths sum to ${total} but the batch has ${chunks.shape[0]} chunks.`);
    }
    return tf.tidy(() => {
      const kwargs: Record<string, unknown> = { training, songLengths };
      if (this.cfg.variant === 'recurrent' && songLengths.length > 1) {
        const longest = Math.max(...songLengths);
        const mask = new Float32Array(songLengths.length * longest);
        songLengths.forEach((l, i) => mask.fill(1, i * longest, i * longest + l));
        kwargs['mask'] = tf.tensor2d(mask, [songLengths.length, longest]);
      }
      const [a, p] = this.net.apply(chunks, kwargs) as tf.Tensor[];
      const flat = tf.reshape(a, [-1]) as tf.Tensor1D;
      const attention = songLengths.length === 1 ? [flat] : (tf.split(flat, songLengths, 0) as tf.Tensor1D[]);
      return { attention, songProbs: p as tf.Tensor2D };
    });
  }

  /** The trainable variables (live; never dispose them). */
  trainableVariables(): tf.Variable[] {
    return this.net.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  /**
   * Saves weights and configuration through `tf.io` (`model.json` +
   * weights; the configuration travels in the model's user-defined metadata).
   *
   * @param store - a `tf.io` handler or URL.
   * @returns the save result of `tf.io`.
   */
  async save(store: HighlighterStore): Promise<tf.io.SaveResult> {
    this.net.setUserDefinedMetadata({ format: HIGHLIGHTER_FORMAT, version: HIGHLIGHTER_FORMAT_VERSION, config: JSON.parse(JSON.stringify(this.cfg)) as object });
    return this.net.save(store);
  }

  /**
   * Loads a highlighter saved by {@link Highlighter.save}.
   *
   * @param store - a `tf.io` handler or URL.
   * @returns the highlighter.
   * @throws HitrankError `E_VERSION` / `E_CORRUPT_FILE` when the artefact is not a hitrank highlighter of a known version.
   */
  static async load(store: HighlighterStore): Promise<Highlighter> {
    registerHighlighterLayers();
    const net = await tfl.loadLayersModel(store);
    const meta = net.getUserDefinedMetadata() as { format?: string; version?: number; config?: HighlighterConfig } | undefined;
    if (!meta || meta.format !== HIGHLIGHTER_FORMAT || !meta.config) {
      net.dispose();
      throw new HitrankError('E_CORRUPT_FILE', `not a saved hitrank highlighter (metadata format '${String(meta?.format)}', expected '${HIGHLIGHTER_FORMAT}').`);
    }
    if (meta.version !== HIGHLIGHTER_FORMAT_VERSION) {
      net.dispose();
      throw new HitrankError('E_VERSION', `saved highlighter has format version ${String(meta.version)}; this hitrank reads version ${HIGHLIGHTER_FORMAT_VERSION}.`);
    }
    return new Highlighter(net, meta.config);
  }

  /** Frees the weights. */
  dispose(): void {
    this.net.dispose();
  }
}
