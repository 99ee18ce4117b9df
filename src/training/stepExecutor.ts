/**
 * The seam between {@link SiameseHitModel.fit} and whatever computes a
 * training step's gradients: by default `fit` runs each step in the calling
 * thread; with `FitOptions.executor` it hands the step to a
 * {@link StepExecutor} — e.g. `parallelTrainingExecutor` of `hitrank/node`,
 * which splits the batch across worker threads (data parallelism, as
 * PyTorch's `DistributedDataParallel` on one machine or
 * `tf.distribute.MirroredStrategy`).
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { RankTermName, TieConvention } from '../losses/index.js';
import type { ScorerConfig } from './scorer.js';
import type { Standardizer } from './standardizer.js';

/** The Eq. 3 settings a replica uses (the model's `margin`, `w`, `ties`, `rank`). */
export interface StepLossSpec {
  /** Margin m of Eq. 2. */
  margin: number;
  /** Weight w of the ranking term. */
  w: number;
  /** Tie convention of the ranking term. */
  ties: TieConvention;
  /** Ranking term: `'rankHinge'` (Eq. 2) or `'ranknet'`. */
  rank: RankTermName;
}

/**
 * What `fit` gives a {@link StepExecutor} when training starts: enough to
 * build replicas of the network, the model's live variables, and callbacks
 * for the inputs and the optimiser.
 */
export interface TrainingContext {
  /** The scorer each replica builds (same branches, sizes and seed as the model's). */
  scorer: ScorerConfig;
  /** `[nMels, frames]` of the log-mel inputs, or `null` without an audio branch. */
  melShape: [number, number] | null;
  /** Length of the tag vectors (0 without a tag branch). */
  tagDim: number;
  /** The Eq. 3 settings. */
  loss: StepLossSpec;
  /** Most pairs one step can have (`FitOptions.batchPairs`). */
  maxPairs: number;
  /**
   * The model's trainable variables in scorer order. These are the live
   * weights (the optimiser updates them in place): read them, never dispose them.
   */
  variables: readonly tf.Variable[];
  /**
   * Writes the standardised inputs of `songs` (training-set indices) the way
   * the in-process step builds them: `x` receives `songs.length` log-mels of
   * `melShape` one after another, `g` `songs.length` tag vectors of `tagDim`.
   * Pass `null` for a branch the model does not have. With `rawMels` the
   * log-mels are written unstandardised, for an executor that standardises
   * them elsewhere (e.g. in its workers) with `standardizeMelsInPlace` and
   * {@link TrainingContext.melStandardizer}: the same bits, off this thread.
   */
  fillInputs(songs: ArrayLike<number>, x: Float32Array | null, g: Float32Array | null, rawMels?: boolean): void;
  /** The per-mel-band statistics the inputs are standardised with (`null` without an audio branch). */
  melStandardizer: Standardizer | null;
  /**
   * Applies one gradient per variable (same order and shapes as
   * `variables`) with `fit`'s optimiser (Adagrad at the current learning
   * rate), then disposes the gradient tensors.
   */
  applyGradients(grads: tf.Tensor[]): void;
}

/** One optimisation step's batch of pairs. */
export interface TrainingBatch {
  /** Epoch number, from 0. */
  epoch: number;
  /** Step number within the epoch, from 0. */
  step: number;
  /** Pairs in the batch (B). */
  pairs: number;
  /** 2B training-set indices: the first songs of the B pairs, then their second songs. */
  songs: Int32Array;
  /** Transformed hit scores of the first songs (B values). */
  yi: Float32Array;
  /** Transformed hit scores of the second songs (B values). */
  yj: Float32Array;
}

/** The Eq. 3 value of one step over the whole batch, with its two terms. */
export interface StepLoss {
  /** (1 − w)·rate + w·rank. */
  loss: number;
  /** The rate term (Eq. 1 over the 2B songs). */
  rate: number;
  /** The rank term (Eq. 2 over the counted pairs). */
  rank: number;
}

/**
 * Runs `fit`'s optimisation steps somewhere else than the calling thread.
 * `fit` calls `start` once (after building the model and the optimiser),
 * then `step` for every batch in order — each call must compute the Eq. 3
 * gradient of the whole batch, hand it to `context.applyGradients` and
 * resolve with the batch's loss — and finally `stop`, also when training
 * fails. Without an executor `fit` runs the same step in-process.
 */
export interface StepExecutor {
  /**
   * Prepares the replicas.
   *
   * @param context - the model's {@link TrainingContext}.
   * @returns a promise that resolves when the executor can take steps.
   */
  start(context: TrainingContext): Promise<void>;
  /**
   * Runs one step: gradient of Eq. 3 on `batch`, applied through the context.
   *
   * @param batch - the step's pairs.
   * @param next - the batch of the following step (in the same epoch), or
   *   `null`: an executor may start preparing its inputs while this step runs.
   * @returns the batch's {@link StepLoss} (before the update).
   */
  step(batch: TrainingBatch, next: TrainingBatch | null): Promise<StepLoss>;
  /**
   * Releases the replicas (called once, also after a failure).
   *
   * @returns a promise that resolves when everything is released.
   */
  stop(): Promise<void>;
}
