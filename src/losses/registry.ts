import type * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../errors.js';
import { multiObjectiveLoss } from './multiObjectiveLoss.js';
import { rankHingeLoss } from './rankHingeLoss.js';
import { ranknetLoss } from './ranknetLoss.js';
import type { MultiObjectiveLossOptions, ScoreVector } from './types.js';

/**
 * Options accepted by every entry of {@link PAIRWISE_LOSSES} (each loss reads
 * the ones it uses: `margin` — rankHinge, multiObjective; `ties` — all but
 * rate; `w`, `rank` — multiObjective).
 */
export type PairwiseLossOptions = MultiObjectiveLossOptions;

/** The common signature of the pairwise (Siamese) losses: pairs (fi, fj) with labels (yi, yj) → scalar. */
export type PairwiseLossFn = (
  fi: ScoreVector,
  fj: ScoreVector,
  yi: ScoreVector,
  yj: ScoreVector,
  opts?: PairwiseLossOptions,
) => tf.Scalar;

/** Names under which the CLI and configs select a pairwise loss. */
export type PairwiseLossName = 'rate' | 'rankHinge' | 'ranknet' | 'multiObjective';

/**
 * The pairwise losses by name, for the CLI and config files (as Meyda
 * registers extractors and TF-Ranking its `RankingLossKey` strings):
 *
 * - `rate` — Eq. 1 over both songs of every pair (= `multiObjective` with w = 0);
 * - `rankHinge` — Eq. 2, {@link rankHingeLoss};
 * - `ranknet` — {@link ranknetLoss} (TF-Ranking `pairwise_logistic_loss`);
 * - `multiObjective` — Eq. 3, {@link multiObjectiveLoss} (the paper's model).
 */
export const PAIRWISE_LOSSES: Readonly<Record<PairwiseLossName, PairwiseLossFn>> = Object.freeze({
  rate: (fi, fj, yi, yj, opts = {}) => multiObjectiveLoss(fi, fj, yi, yj, { ...opts, w: 0 }),
  rankHinge: rankHingeLoss,
  ranknet: ranknetLoss,
  multiObjective: multiObjectiveLoss,
});

/** The names of {@link PAIRWISE_LOSSES}, in a stable order (for `--help` texts). */
export const PAIRWISE_LOSS_NAMES: readonly PairwiseLossName[] = Object.freeze(['rate', 'rankHinge', 'ranknet', 'multiObjective']);

/**
 * Looks up a pairwise loss by name (case-sensitive).
 *
 * @param name - one of {@link PAIRWISE_LOSS_NAMES}.
 * @returns the loss function.
 * @throws `E_PARAM` naming the unknown value and listing the known names.
 * @example
 * ```ts
 * const loss = lossByName(args.loss ?? 'multiObjective');
 * const l = loss(fi, fj, yi, yj, { margin: 0.5, w: 0.3 });
 * ```
 */
export function lossByName(name: string): PairwiseLossFn {
  if (!Object.prototype.hasOwnProperty.call(PAIRWISE_LOSSES, name)) {
    throw new HitrankError('E_PARAM', `unknown loss '${name}'; expected one of ${PAIRWISE_LOSS_NAMES.join(', ')}.`);
  }
  return PAIRWISE_LOSSES[name as PairwiseLossName];
}
