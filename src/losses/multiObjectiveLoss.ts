import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../errors.js';
import { rankHingeTerm } from './rankHingeLoss.js';
import { ranknetTerm } from './ranknetLoss.js';
import { pairRateTerm } from './rateLoss.js';
import { checkMargin, checkTies, pairLength, toVector } from './scoreVector.js';
import type { MultiObjectiveLossOptions, MultiObjectiveLossParts, RankTermName, ScoreVector } from './types.js';

function checkW(w: unknown): number {
  if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
    throw new HitrankError('E_PARAM', `w must be a number in [0, 1], got ${String(w)}.`);
  }
  return w;
}

function checkRank(rank: unknown): RankTermName {
  if (rank !== 'rankHinge' && rank !== 'ranknet') {
    throw new HitrankError('E_PARAM', `rank must be 'rankHinge' or 'ranknet', got ${String(rank)}.`);
  }
  return rank;
}

function parts(
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts: MultiObjectiveLossOptions,
): () => MultiObjectiveLossParts {
  const margin = checkMargin(opts.margin ?? 1);
  const w = checkW(opts.w ?? 0.5);
  const ties = checkTies(opts.ties ?? 'skip');
  const rankName = checkRank(opts.rank ?? 'rankHinge');
  const b = pairLength(fi, fj, yi, yj);
  return () => {
    const a = toVector(fi, 'fi');
    const c = toVector(fj, 'fj');
    const rate = pairRateTerm(a, c, toVector(yi, 'yi'), toVector(yj, 'yj'));
    const rank = rankName === 'rankHinge' ? rankHingeTerm(a, c, yi, yj, b, margin, ties) : ranknetTerm(a, c, yi, yj, b, ties);
    const loss = tf.add(tf.mul(rate, 1 - w), tf.mul(rank, w)) as tf.Scalar;
    return { loss, rate, rank };
  };
}

/**
 * The multi-objective Siamese loss of the paper, Eq. 3:
 *
 *     loss_multi = (1 − w) · loss_rate + w · loss_rank
 *
 * where loss_rate is Eq. 1 over **both** songs of every pair — the MSE of
 * concat(fi, fj) against concat(yi, yj), i.e. 2B items, as PyTorch
 * `F.mse_loss(torch.cat([fi, fj]), torch.cat([yi, yj]))` (the reference
 * fixtures' definition) — and loss_rank is {@link rankHingeLoss} (Eq. 2,
 * default) or {@link ranknetLoss} (`rank: 'ranknet'`). `w = 0` gives the
 * rating-only model, `w = 1` the ranking-only model.
 *
 * @param fi - scores of the first song of each pair.
 * @param fj - scores of the second song of each pair, same length B.
 * @param yi - true (transformed) hit scores of the first songs.
 * @param yj - true (transformed) hit scores of the second songs.
 * @param opts - {@link MultiObjectiveLossOptions}: `margin` (1), `w` (0.5), `ties` (`'skip'`), `rank` (`'rankHinge'`).
 * @returns a scalar tensor (the caller disposes it), differentiable w.r.t. fi and fj.
 * @throws `E_SHAPE` on unequal lengths, `E_EMPTY` for B = 0, `E_PARAM` for a bad option, `E_NAN` for non-finite arrays.
 * @example
 * ```ts
 * const grads = tf.grads((a, b) => multiObjectiveLoss(a, b, yi, yj, { w: 0.3 }));
 * const [gFi, gFj] = grads([fi, fj]);
 * ```
 */
export function multiObjectiveLoss(
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts: MultiObjectiveLossOptions = {},
): tf.Scalar {
  const f = parts(fi, fj, yi, yj, opts);
  return tf.tidy(() => f().loss);
}

/**
 * {@link multiObjectiveLoss} together with its two terms, for logging: returns
 * `{ loss, rate, rank }` (three scalars the caller disposes). `loss` is the
 * same differentiable value as {@link multiObjectiveLoss}; inside
 * `tf.variableGrads`/`optimizer.minimize` return `loss` and `tf.keep` the two
 * parts you want to read afterwards.
 *
 * @param fi - scores of the first song of each pair.
 * @param fj - scores of the second song of each pair, same length B.
 * @param yi - true (transformed) hit scores of the first songs.
 * @param yj - true (transformed) hit scores of the second songs.
 * @param opts - {@link MultiObjectiveLossOptions}.
 * @returns {@link MultiObjectiveLossParts}: `loss` = (1 − w)·`rate` + w·`rank`.
 * @throws as {@link multiObjectiveLoss}.
 * @example
 * ```ts
 * let rate!: tf.Scalar, rank!: tf.Scalar;
 * optimizer.minimize(() => {
 *   const p = multiObjectiveLossParts(model(xi), model(xj), yi, yj);
 *   rate = tf.keep(p.rate); rank = tf.keep(p.rank);
 *   return p.loss;
 * });
 * console.log(rate.dataSync()[0], rank.dataSync()[0]); rate.dispose(); rank.dispose();
 * ```
 */
export function multiObjectiveLossParts(
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts: MultiObjectiveLossOptions = {},
): MultiObjectiveLossParts {
  const f = parts(fi, fj, yi, yj, opts);
  return tf.tidy(() => ({ ...f() }) as unknown as tf.TensorContainer) as unknown as MultiObjectiveLossParts;
}
