import * as tf from '@tensorflow/tfjs-core';
import { HitrankError } from '../errors.js';
import { isTensor, toVector, vectorLength } from './scoreVector.js';
import type { FuseScoresOptions, ScoreVector } from './types.js';

/**
 * Fuses the audio-branch score a = f_θ(x) and the tag-branch score
 * b = f_φ(g(x)) as in the paper's Eq. 4:
 *
 *     convex (default):  (1 − μ) · a + μ · b
 *     additive:           a + μ · b
 *
 * `'additive'` is the authors' released scoring path (`pt + 0.5·tag`, HSP_CNN
 * `-ps`; see `fixtures/hsp_cnn/MANIFEST.md`), while their training used the
 * convex form. The Eq. 4 loss is `rateLoss(fuseScores(a, b, { mu }), y)`; for
 * the fused Siamese model feed fused fi and fj to {@link multiObjectiveLoss}.
 * PyTorch equivalent: `(1 - mu) * a + mu * b`.
 *
 * @param a - audio-branch scores (any shape; arrays become a `Tensor1D`).
 * @param b - tag-branch scores, same shape as `a`.
 * @param opts - {@link FuseScoresOptions}: `mu` (0.5), `mode` (`'convex'`).
 * @returns the fused scores, shape of `a` (the caller disposes them); differentiable w.r.t. a and b.
 * @throws `E_SHAPE` if the shapes differ, `E_PARAM` for μ outside [0, 1] or an unknown mode.
 * @example
 * ```ts
 * fuseScores([1, 0], [0, 1], { mu: 0.3 });                         // [0.7, 0.3]
 * fuseScores([-0.11945225], [0.95536715], { mode: 'additive' }); // [0.35823131], the released model's logit
 * ```
 */
export function fuseScores<R extends tf.Rank>(a: tf.Tensor<R>, b: tf.Tensor<R>, opts?: FuseScoresOptions): tf.Tensor<R>;
export function fuseScores(a: ScoreVector, b: ScoreVector, opts?: FuseScoresOptions): tf.Tensor;
export function fuseScores(a: ScoreVector, b: ScoreVector, opts: FuseScoresOptions = {}): tf.Tensor {
  const mu = opts.mu ?? 0.5;
  const mode = opts.mode ?? 'convex';
  if (typeof mu !== 'number' || !Number.isFinite(mu) || mu < 0 || mu > 1) {
    throw new HitrankError('E_PARAM', `mu must be a number in [0, 1], got ${String(mu)}.`);
  }
  if (mode !== 'convex' && mode !== 'additive') {
    throw new HitrankError('E_PARAM', `mode must be 'convex' or 'additive', got ${String(mode)}.`);
  }
  const shapeA = isTensor(a) ? a.shape : [vectorLength(a, 'a')];
  const shapeB = isTensor(b) ? b.shape : [vectorLength(b, 'b')];
  if (shapeA.length !== shapeB.length || shapeA.some((d, k) => d !== shapeB[k])) {
    throw new HitrankError('E_SHAPE', `a has shape [${shapeA.join(', ')}] but b has [${shapeB.join(', ')}]; expected equal shapes.`);
  }
  return tf.tidy(() => {
    const ta = isTensor(a) ? tf.cast(a, 'float32') : toVector(a, 'a');
    const tb = isTensor(b) ? tf.cast(b, 'float32') : toVector(b, 'b');
    return tf.add(tf.mul(ta, mode === 'convex' ? 1 - mu : 1), tf.mul(tb, mu));
  });
}
