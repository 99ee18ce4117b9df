/**
 * Data-parallel pieces of a training step: how a batch of pairs is split
 * into shards, the loss each shard differentiates so that the shard
 * gradients *sum* to the whole batch's Eq. 3 gradient, and how the shard
 * losses combine. Used by the worker-thread executor of `hitrank/node`.
 *
 * With B pairs, P counted (untied) pairs, and a shard of B_s pairs of which
 * P_s are counted, Eq. 3 over the batch is
 *
 *     L = (1 − w)·(1/2B)·Σ_items (f − y)² + w·(1/P)·Σ_counted hinge
 *       = Σ_s [ (1 − w)·(B_s/B)·rate_s + w·(P_s/P)·rank_s ]
 *
 * where rate_s (mean over the shard's 2B_s songs) and rank_s (mean over its
 * P_s counted pairs) are the shard's own Eq. 1 and Eq. 2 — so each shard
 * differentiates its bracket, and the sum of the shard gradients is the
 * batch gradient (exactly, in exact arithmetic). Averaging equally weighted
 * shard gradients would be wrong whenever shards have different numbers of
 * pairs or of tied pairs.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../errors.js';
import { multiObjectiveLossParts, type TieConvention } from '../losses/index.js';
import { mixSeed, withDropoutDraw, type DropoutDraw } from '../models/index.js';
import type { Scorer } from './scorer.js';
import type { StepLoss, StepLossSpec } from './stepExecutor.js';

/**
 * The dropout draw of pairs `start … start + pairs − 1` of a step's batch of
 * `batchPairs` pairs (inputs laid out as first songs, then second songs): the
 * key comes from (epoch, step) and each song row keeps its position in the
 * whole batch, so a shard's masks are the rows one thread would draw.
 *
 * @param epoch - epoch number.
 * @param step - step within the epoch.
 * @param batchPairs - pairs in the whole batch (B).
 * @param start - first pair of the shard.
 * @param pairs - pairs in the shard.
 * @returns the draw for {@link withDropoutDraw}.
 */
export function shardDropoutDraw(epoch: number, step: number, batchPairs: number, start: number, pairs: number): DropoutDraw {
  const rows = new Int32Array(2 * pairs);
  for (let b = 0; b < pairs; b++) {
    rows[b] = start + b;
    rows[pairs + b] = batchPairs + start + b;
  }
  return { key: mixSeed(epoch, step), rows };
}

/** One shard of a batch: a run of consecutive pairs and its weights in Eq. 3. */
export interface ShardPlan {
  /** First pair of the shard in the batch. */
  start: number;
  /** Pairs in the shard (B_s ≥ 1). */
  pairs: number;
  /** B_s / B: the shard's share of the rate term. */
  rateShare: number;
  /** P_s / P (0 when no pair of the batch counts): the shard's share of the rank term. */
  rankShare: number;
  /** (1 − w)·B_s/B: factor of the shard's rate term in its loss. */
  rateWeight: number;
  /** w·P_s/P: factor of the shard's rank term in its loss. */
  rankWeight: number;
}

/** Pairs that enter the mean of the ranking term under `ties` (labels compared as given). */
export function countedPairs(yi: ArrayLike<number>, yj: ArrayLike<number>, from: number, to: number, ties: TieConvention): number {
  if (ties !== 'skip') return to - from;
  let n = 0;
  for (let p = from; p < to; p++) if (yi[p] !== yj[p]) n++;
  return n;
}

/**
 * Splits a batch of `yi.length` pairs into at most `shards` runs of
 * consecutive pairs, as even as possible (sizes differ by at most one), and
 * gives each its Eq. 3 weights. Fewer shards come back when there are fewer
 * pairs than shards: shards are never empty.
 *
 * @param yi - transformed hit scores of the first songs.
 * @param yj - transformed hit scores of the second songs.
 * @param w - weight of the ranking term.
 * @param ties - tie convention (decides which pairs count).
 * @param shards - the most shards wanted (≥ 1).
 * @returns the shards in batch order.
 */
export function planShards(yi: ArrayLike<number>, yj: ArrayLike<number>, w: number, ties: TieConvention, shards: number): ShardPlan[] {
  const b = yi.length;
  if (b < 1) throw new HitrankError('E_EMPTY', 'a training step needs at least one pair.');
  if (!Number.isInteger(shards) || shards < 1) throw new HitrankError('E_PARAM', `shards must be an integer ≥ 1, got ${shards}.`);
  const k = Math.min(shards, b);
  const total = countedPairs(yi, yj, 0, b, ties);
  const out: ShardPlan[] = [];
  let start = 0;
  for (let s = 0; s < k; s++) {
    const pairs = Math.floor(b / k) + (s < b % k ? 1 : 0);
    const counted = countedPairs(yi, yj, start, start + pairs, ties);
    const rateShare = pairs / b;
    const rankShare = total > 0 ? counted / total : 0;
    out.push({ start, pairs, rateShare, rankShare, rateWeight: (1 - w) * rateShare, rankWeight: w * rankShare });
    start += pairs;
  }
  return out;
}

/** The shard's own Eq. 3 value and terms, and its gradients. */
export interface ShardGradients extends StepLoss {
  /** One gradient per variable, in the order given (the caller disposes them). */
  grads: tf.Tensor[];
}

/**
 * Gradient of one shard's part of the batch loss, `rateWeight·rate_s +
 * rankWeight·rank_s` (see the module comment), through the scorer in
 * training mode. `loss` is that weighted value; `rate` and `rank` are the
 * shard's own terms. With one shard (`rateWeight = 1 − w`, `rankWeight = w`)
 * this is the in-process step's gradient, operation for operation.
 *
 * @param scorer - the replica's scorer.
 * @param vars - its trainable variables (the order of `grads`).
 * @param x - log-mels of the shard's 2B_s songs (first songs, then second songs), or null.
 * @param g - tag vectors of the same songs, or null.
 * @param yi - transformed scores of the shard's first songs (B_s).
 * @param yj - transformed scores of its second songs.
 * @param loss - the Eq. 3 settings.
 * @param rateWeight - factor of the rate term.
 * @param rankWeight - factor of the rank term.
 * @param dropout - the shard's dropout draw ({@link shardDropoutDraw}); without it the layers' own streams.
 * @param xData - the values of `x`, when the caller has them (see `Scorer.score`).
 * @returns the weighted loss, the two terms and the gradients (a zero tensor for a variable the loss does not reach).
 */
export function shardGradients(
  scorer: Scorer,
  vars: readonly tf.Variable[],
  x: tf.Tensor3D | null,
  g: tf.Tensor2D | null,
  yi: Float32Array,
  yj: Float32Array,
  loss: StepLossSpec,
  rateWeight: number,
  rankWeight: number,
  dropout?: DropoutDraw,
  xData?: Float32Array,
): ShardGradients {
  const b = yi.length;
  let rate: tf.Scalar | null = null;
  let rank: tf.Scalar | null = null;
  const { value, grads } = tf.variableGrads(() => {
    const f = dropout ? withDropoutDraw(dropout, () => scorer.score(x, g, true, xData)) : scorer.score(x, g, true, xData);
    const parts = multiObjectiveLossParts(tf.slice(f, 0, b), tf.slice(f, b, b), yi, yj, {
      margin: loss.margin,
      w: loss.w,
      ties: loss.ties,
      rank: loss.rank,
    });
    rate = tf.keep(parts.rate);
    rank = tf.keep(parts.rank);
    return tf.add(tf.mul(parts.rate, rateWeight), tf.mul(parts.rank, rankWeight)) as tf.Scalar;
  }, vars as tf.Variable[]);
  const read = (t: tf.Scalar): number => {
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  };
  const out = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  return { loss: read(value), rate: read(rate!), rank: read(rank!), grads: out };
}

/**
 * The batch's {@link StepLoss} from its shards' values: `loss` is the sum of
 * the weighted shard losses, `rate` and `rank` the share-weighted sums of
 * the shard terms.
 *
 * @param plans - the shards ({@link planShards}).
 * @param parts - each shard's {@link StepLoss} as {@link shardGradients} returns it.
 * @returns the batch's loss and terms.
 */
export function combineShardLosses(plans: readonly ShardPlan[], parts: readonly StepLoss[]): StepLoss {
  if (parts.length === 1) return { loss: parts[0].loss, rate: parts[0].rate, rank: parts[0].rank };
  let loss = 0;
  let rate = 0;
  let rank = 0;
  plans.forEach((p, s) => {
    loss += parts[s].loss;
    rate += p.rateShare * parts[s].rate;
    rank += p.rankShare * parts[s].rank;
  });
  return { loss, rate, rank };
}
