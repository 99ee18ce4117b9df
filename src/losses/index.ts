/**
 * hitrank/losses — the training objectives of Yu et al. (ICASSP 2018) as
 * TensorFlow.js ops with exact gradients: {@link rateLoss} (Eq. 1),
 * {@link rankHingeLoss} (Eq. 2), {@link multiObjectiveLoss} (Eq. 3),
 * {@link fuseScores} (Eq. 4), plus {@link ranknetLoss} and {@link listnetLoss}
 * (TF-Ranking definitions), a by-name registry for the CLI and the target
 * transforms the losses are defined on.
 *
 * All losses take `tf.Tensor1D` (or `[B, 1]`) tensors or plain arrays, return
 * a scalar tensor the caller disposes, leak no intermediate tensors and work on
 * every tfjs backend. tfjs-core is a peer dependency; gradients need the
 * gradient registrations (import `@tensorflow/tfjs-layers` or tfjs-core's
 * `register_all_gradients`) and a backend.
 *
 * @module hitrank/losses
 */
export type {
  FuseScoresOptions,
  FusionMode,
  ListnetLossOptions,
  ListReduction,
  MultiObjectiveLossOptions,
  MultiObjectiveLossParts,
  RankHingeLossOptions,
  RanknetLossOptions,
  RankTermName,
  ScoreLists,
  ScoreVector,
  TieConvention,
} from './types.js';
export { rateLoss } from './rateLoss.js';
export { rankHingeLoss } from './rankHingeLoss.js';
export { ranknetLoss } from './ranknetLoss.js';
export { multiObjectiveLoss, multiObjectiveLossParts } from './multiObjectiveLoss.js';
export { fuseScores } from './fuseScores.js';
export { listnetLoss } from './listnetLoss.js';
export { PAIRWISE_LOSSES, PAIRWISE_LOSS_NAMES, lossByName } from './registry.js';
export type { PairwiseLossFn, PairwiseLossName, PairwiseLossOptions } from './registry.js';
export {
  fitTargetTransform,
  fitZscore,
  negInvLog10,
  negInvLog10Inverse,
  targetTransformFromJSON,
} from './targetTransform.js';
export type { TargetTransform, TargetTransformJSON, TargetTransformKind, ZscoreParams } from './targetTransform.js';
