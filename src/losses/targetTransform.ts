import { assertFinite, HitrankError } from '../errors.js';

/**
 * Target transforms applied to hit scores before training (DESIGN §2). The
 * losses, the margin m and the fusion all live on the transformed scale;
 * metrics use the original scores (apply `inverse` to predictions).
 *
 * - `'negInvLog10'` (default of the authors' code, HSP_CNN `norm`/`denorm`):
 *   y ↦ −1/log10(y) for market shares y ∈ (0, 1); inverse t ↦ 10^(−1/t),
 *   with t ≤ 0 mapped to 0. Monotone increasing, so rankings are unchanged.
 * - `'zscore'`: (y − mean)/std with mean and std fitted on the training labels
 *   (sklearn `StandardScaler`: population std, ddof = 0; std 0 → 1).
 * - `'none'`: identity.
 */
export type TargetTransformKind = 'none' | 'negInvLog10' | 'zscore';

/** JSON-serialisable description of a fitted transform (what a model card stores). */
export interface TargetTransformJSON {
  /** Which transform. */
  kind: TargetTransformKind;
  /** Fitted parameters: `{ mean, std }` for `'zscore'`, `{}` otherwise. */
  params: Record<string, number>;
}

/**
 * A fitted target transform. `JSON.stringify(t)` gives its
 * {@link TargetTransformJSON} (`kind` and `params`; the functions are skipped);
 * {@link targetTransformFromJSON} restores it.
 */
export interface TargetTransform extends TargetTransformJSON {
  /** Maps original hit scores to the training scale (float64). */
  forward(y: ArrayLike<number>): Float64Array;
  /** Maps model outputs on the training scale back to hit scores (float64). */
  inverse(t: ArrayLike<number>): Float64Array;
}

/**
 * y ↦ −1/log10(y), the authors' target normalisation (HSP_CNN `norm`), for
 * market-share hit scores in the open interval (0, 1). No library equivalent;
 * numpy: `-1 / np.log10(y)`.
 *
 * @param y - hit scores, each in (0, 1).
 * @returns the transformed scores, each > 0.
 * @throws `E_NAN` for non-finite input, `E_PARAM` naming the first value ≤ 0 or ≥ 1.
 * @example
 * ```ts
 * negInvLog10([0.01, 0.001]); // [0.5, 0.3333…]
 * ```
 */
export function negInvLog10(y: ArrayLike<number>): Float64Array {
  assertFinite(y, 'hit scores');
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!(v > 0 && v < 1)) {
      throw new HitrankError(
        'E_PARAM',
        `negInvLog10 needs hit scores in the open interval (0, 1), got ${v} at index ${i}; use 'zscore' or 'none' for other scales.`,
      );
    }
    out[i] = -1 / Math.log10(v);
  }
  return out;
}

/**
 * Inverse of {@link negInvLog10}: t ↦ 10^(−1/t), with t ≤ 0 (outside the
 * forward map's range) clamped to 0 as the authors' `denorm` does.
 *
 * @param t - scores on the transformed scale (finite).
 * @returns hit scores in [0, 1).
 * @throws `E_NAN` for non-finite input.
 * @example
 * ```ts
 * negInvLog10Inverse([0.5, -2]); // [0.01, 0]
 * ```
 */
export function negInvLog10Inverse(t: ArrayLike<number>): Float64Array {
  assertFinite(t, 'transformed scores');
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t[i] > 0 ? Math.pow(10, -1 / t[i]) : 0;
  return out;
}

/** Fitted parameters of the `'zscore'` transform. */
export interface ZscoreParams {
  /** Mean of the training labels. */
  mean: number;
  /** Population standard deviation (ddof = 0) of the training labels; 1 if they are all equal. */
  std: number;
}

/**
 * Mean and population standard deviation (ddof = 0) of training labels, as
 * sklearn `StandardScaler().fit(y)` stores in `mean_`/`scale_` (a zero std is
 * replaced by 1, as sklearn does).
 *
 * @param y - training labels (at least one, finite).
 * @returns {@link ZscoreParams} `{ mean, std }`.
 * @throws `E_EMPTY` for no labels, `E_NAN` for non-finite ones.
 */
export function fitZscore(y: ArrayLike<number>): ZscoreParams {
  if (y.length === 0) throw new HitrankError('E_EMPTY', 'no training labels to fit the z-score on; expected at least one.');
  assertFinite(y, 'training labels');
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ss = 0;
  for (let i = 0; i < y.length; i++) ss += (y[i] - mean) ** 2;
  const std = Math.sqrt(ss / y.length);
  return { mean, std: std > 0 ? std : 1 };
}

function checkZscoreParams(params: Record<string, number>): ZscoreParams {
  const { mean, std } = params;
  if (typeof mean !== 'number' || !Number.isFinite(mean) || typeof std !== 'number' || !Number.isFinite(std) || std <= 0) {
    throw new HitrankError('E_PARAM', `zscore params must be { mean: finite, std: finite > 0 }, got ${JSON.stringify(params)}.`);
  }
  return { mean, std };
}

function make(kind: TargetTransformKind, params: Record<string, number>): TargetTransform {
  switch (kind) {
    case 'none':
      return {
        kind,
        params: {},
        forward: (y) => (assertFinite(y, 'hit scores'), Float64Array.from(y)),
        inverse: (t) => (assertFinite(t, 'transformed scores'), Float64Array.from(t)),
      };
    case 'negInvLog10':
      return { kind, params: {}, forward: negInvLog10, inverse: negInvLog10Inverse };
    case 'zscore': {
      const { mean, std } = checkZscoreParams(params);
      return {
        kind,
        params: { mean, std },
        forward: (y) => (assertFinite(y, 'hit scores'), Float64Array.from(y, (v) => (v - mean) / std)),
        inverse: (t) => (assertFinite(t, 'transformed scores'), Float64Array.from(t, (v) => v * std + mean)),
      };
    }
    default:
      throw new HitrankError('E_PARAM', `unknown target transform '${String(kind)}'; expected 'none', 'negInvLog10' or 'zscore'.`);
  }
}

/**
 * Fits a target transform on the training labels (only `'zscore'` has
 * parameters; `'negInvLog10'` checks that every label is in (0, 1)).
 *
 * @param kind - `'negInvLog10'`, `'zscore'` or `'none'` ({@link TargetTransformKind}).
 * @param trainLabels - the training set's hit scores on the original scale (never validation/test).
 * @returns a {@link TargetTransform}; `JSON.stringify` it into the model card.
 * @throws `E_PARAM` for an unknown kind or (negInvLog10) a label outside (0, 1); `E_EMPTY`/`E_NAN` from the fit.
 * @example
 * ```ts
 * const tt = fitTargetTransform('negInvLog10', train.hitScores);
 * const yTrain = tt.forward(train.hitScores);       // train on this scale
 * const hits = tt.inverse(await model.predict(test)); // back to market shares
 * ```
 */
export function fitTargetTransform(kind: TargetTransformKind, trainLabels: ArrayLike<number>): TargetTransform {
  switch (kind) {
    case 'zscore':
      return make(kind, { ...fitZscore(trainLabels) });
    case 'negInvLog10':
      negInvLog10(trainLabels);
      return make(kind, {});
    case 'none':
      assertFinite(trainLabels, 'training labels');
      return make(kind, {});
    default:
      return make(kind, {});
  }
}

/**
 * Restores a transform from its JSON form (a model card's `targetTransform`).
 *
 * @param json - `{ kind, params }` as produced by `JSON.stringify` of a {@link TargetTransform}.
 * @returns the same transform.
 * @throws `E_PARAM` for an unknown kind or invalid parameters.
 */
export function targetTransformFromJSON(json: TargetTransformJSON): TargetTransform {
  if (json == null || typeof json !== 'object') {
    throw new HitrankError('E_PARAM', `target transform JSON must be an object { kind, params }, got ${String(json)}.`);
  }
  return make(json.kind, json.params ?? {});
}
