import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { HitrankError } from '../errors.js';
import { fuseScores } from '../losses/index.js';
import { applySimpleCnnWasm, buildSimpleCnn, buildTagDnn, resolveCnnKernels, type CnnKernels } from '../models/index.js';

/** What the model's scorer (the shared-weight network f) is built from: a subset of the model options. */
export interface ScorerConfig {
  /** Whether the audio branch (the simple CNN on the log-mel) is on. */
  audio: boolean;
  /** Whether the tag / feature branch (the DNN on g(x)) is on. */
  tags: boolean;
  /** Mel bands of the log-mel input. */
  nMels: number;
  /** Length of the tag vectors (0 without a tag branch). */
  tagDim: number;
  /** Weight μ of the tag branch in Eq. 4. */
  mu: number;
  /** Fusion of the two branches. */
  fusion: 'convex' | 'additive';
  /** Dropout rate during training. */
  dropout: number;
  /** Seed of the initialisers and dropout masks. */
  seed: number;
  /** Code that runs the simple CNN (default `'auto'`). */
  cnnKernels?: CnnKernels;
}

/**
 * The shared-weight scorer f of the Siamese model: the simple CNN fΘ on the
 * log-mel, the tag DNN fΦ on g(x), or both fused by Eq. 4. Both songs of a pair
 * go through the same instance (that is what makes the network Siamese).
 *
 * @internal
 */
export class Scorer {
  readonly cnn: tfl.LayersModel | null;
  readonly tagDnn: tfl.LayersModel | null;
  readonly config: ScorerConfig;

  constructor(config: ScorerConfig) {
    if (!config.audio && !config.tags) {
      throw new HitrankError('E_PARAM', 'a model needs at least one branch: audio: true and/or tags: true.');
    }
    this.config = config;
    this.cnn = config.audio ? buildSimpleCnn({ nMels: config.nMels, dropout: config.dropout, seed: config.seed }) : null;
    this.tagDnn = config.tags
      ? buildTagDnn({ tagDim: config.tagDim, dropout: config.dropout, seed: config.seed + 7919 })
      : null;
  }

  /** Trainable variables of both branches. */
  variables(): tf.Variable[] {
    const out: tf.Variable[] = [];
    for (const m of [this.cnn, this.tagDnn]) {
      if (!m) continue;
      for (const w of m.trainableWeights) out.push(w.read() as tf.Variable);
    }
    return out;
  }

  /**
   * All weights with stable names (`cnn/0`, …, `tag/0`, …) in a fixed order.
   * These are the live variables (tfjs-layers `getWeights()` does not copy): never dispose them.
   */
  namedWeights(): { name: string; tensor: tf.Tensor }[] {
    const out: { name: string; tensor: tf.Tensor }[] = [];
    if (this.cnn) this.cnn.getWeights().forEach((t, i) => out.push({ name: `cnn/${i}`, tensor: t }));
    if (this.tagDnn) this.tagDnn.getWeights().forEach((t, i) => out.push({ name: `tag/${i}`, tensor: t }));
    return out;
  }

  /** Replaces all weights (same order and shapes as {@link Scorer.namedWeights}). */
  setNamedWeights(byName: Map<string, tf.Tensor>): void {
    for (const [prefix, m] of [['cnn', this.cnn], ['tag', this.tagDnn]] as const) {
      if (!m) continue;
      const current = m.getWeights();
      const next = current.map((t, i) => {
        const name = `${prefix}/${i}`;
        const w = byName.get(name);
        if (!w) throw new HitrankError('E_MISSING_DATA', `saved model lacks weight '${name}' (shape [${t.shape.join(', ')}]).`);
        if (w.shape.length !== t.shape.length || w.shape.some((d, k) => d !== t.shape[k])) {
          throw new HitrankError(
            'E_SHAPE',
            `weight '${name}' has shape [${w.shape.join(', ')}], the model expects [${t.shape.join(', ')}].`,
          );
        }
        return w;
      });
      m.setWeights(next);
    }
  }

  /**
   * Scores a batch: `x` is `[B, nMels, frames]` (standardised log-mel) or null,
   * `g` is `[B, tagDim]` or null; returns a `[B]` tensor. `xData`, when
   * given, holds the values of `x` (the wasm kernels then skip reading them back).
   */
  score(x: tf.Tensor3D | null, g: tf.Tensor2D | null, training: boolean, xData?: Float32Array): tf.Tensor1D {
    return tf.tidy(() => {
      let a: tf.Tensor1D | null = null;
      let b: tf.Tensor1D | null = null;
      if (this.cnn) {
        if (!x) throw new HitrankError('E_MISSING_DATA', 'this model has an audio branch: the songs need mels.');
        const y = resolveCnnKernels(this.config.cnnKernels ?? 'auto') === 'wasm' ? applySimpleCnnWasm(this.cnn, x, { training, xData }) : this.cnn.apply(x, { training });
        a = tf.reshape(y as tf.Tensor, [-1]);
      }
      if (this.tagDnn) {
        if (!g) throw new HitrankError('E_MISSING_DATA', 'this model has a tag branch: the songs need tags.');
        b = tf.reshape(this.tagDnn.apply(g, { training }) as tf.Tensor, [-1]);
      }
      if (a && b) return fuseScores(a, b, { mu: this.config.mu, mode: this.config.fusion }) as tf.Tensor1D;
      return (a ?? b) as tf.Tensor1D;
    });
  }

  dispose(): void {
    this.cnn?.dispose();
    this.tagDnn?.dispose();
  }
}
