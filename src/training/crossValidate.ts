import { HitrankError } from '../errors.js';
import { crossValidationFolds, subsetDataset, validateDataset, type HitDataset } from '../data/index.js';
import { evaluateRanking, type RankingEvaluation } from '../metrics/index.js';
import { fuseRankings, tuneFusionWeight, type SamplerKind } from '../sampling/index.js';
import { SiameseHitModel, type FitOptions, type SiameseHitModelOptions } from './siameseHitModel.js';

/** Fit options of an experiment: {@link FitOptions} whose sampler may also be `'ab+artist'`. */
export interface ExperimentFitOptions extends Omit<FitOptions, 'sampler' | 'validation'> {
  /** `'naive'`, `'ab'` (default), `'artist'`, or `'ab+artist'` (two models fused, Table 1 rows k–l). */
  sampler?: SamplerKind | 'ab+artist';
}

/** A training recipe: one Table-1 row. */
export interface ExperimentConfig {
  /** Model options (branches, w, m, μ, seed, …). */
  model?: SiameseHitModelOptions;
  /** Fit options (epochs, batch, learning rate, sampler, …). */
  fit?: ExperimentFitOptions;
}

/** The paper's three tunable hyper-parameters. */
export interface HyperParams {
  /** Margin m of Eq. 2. */
  margin: number;
  /** Rank weight w of Eq. 3. */
  w: number;
  /** Tag-branch weight μ of Eq. 4. */
  mu: number;
}

/** Candidate values per hyper-parameter for {@link tune}. */
export interface HyperParamGrid {
  /** Margins m to try. */
  margin?: number[];
  /** Rank weights w to try. */
  w?: number[];
  /** Fusion weights μ to try. */
  mu?: number[];
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions extends ExperimentConfig {
  /** Number of folds (8 : 1 : 1 train/validation/test with 10). Default `10`. */
  folds?: number;
  /** Seed of the fold split. Default: the model seed (0). */
  seed?: number;
  /** Run only these folds (e.g. `[0, 1]` for a quick look). Default: all. */
  onlyFolds?: number[];
  /** Fraction for the @ metrics. Default `0.1`. */
  topFraction?: number;
  /** Called after each fold. */
  onFold?: (result: FoldResult) => void | Promise<void>;
}

/** Result of one fold. */
export interface FoldResult {
  /** Fold number (its part is the test set). */
  fold: number;
  /** Test metrics of the fold. */
  test: RankingEvaluation;
  /** Validation metrics of the kept weights. */
  validation: RankingEvaluation | null;
  /** Weight of the artist model in `'ab+artist'` fusion, chosen on validation. */
  fusionWeight?: number;
  /** Number of training / validation / test songs. */
  sizes: [number, number, number];
}

/** Mean and standard deviation of a metric over folds (NaN folds are skipped). */
export interface MetricSummary {
  /** Mean over the folds with a defined value. */
  mean: number;
  /** Population standard deviation over those folds. */
  std: number;
  /** Number of folds with a defined value. */
  n: number;
}

/** Result of {@link crossValidate}: per-fold metrics and their summary, as a Table-1 row. */
export interface CrossValidationResult {
  /** One entry per fold run. */
  folds: FoldResult[];
  /** nDCG@k summary. */
  ndcg: MetricSummary;
  /** Kendall τ-b summary (top-k subset). */
  kendall: MetricSummary;
  /** Spearman ρ summary (top-k subset). */
  spearman: MetricSummary;
}

function summary(xs: number[]): MetricSummary {
  const v = xs.filter((x) => Number.isFinite(x));
  if (!v.length) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, n: v.length };
}

/**
 * Trains one configuration on train, keeping the best validation weights, and
 * returns test and validation predictions. `'ab+artist'` trains an A/B and an
 * artist model and fuses their predictions with the weight that maximises the
 * validation Spearman@10 % (paper Table 1 rows k, l).
 */
async function runOne(
  train: HitDataset,
  val: HitDataset,
  test: HitDataset,
  cfg: ExperimentConfig,
  topFraction: number,
): Promise<{ testPred: Float64Array; valPred: Float64Array; fusionWeight?: number }> {
  // Rating-only rows (w = 0) train on shuffled songs, as the paper's plain CNN, unless a sampler is named.
  const ratingOnly = (cfg.model?.w ?? 0.5) === 0 && cfg.fit?.sampler === undefined;
  const sampler = cfg.fit?.sampler ?? 'ab';
  const fitOne = async (kind: SamplerKind) => {
    const m = new SiameseHitModel(cfg.model);
    try {
      await m.fit(train, { ...cfg.fit, sampler: ratingOnly ? undefined : kind, validation: val });
      return { val: Float64Array.from(await m.predict(val)), test: Float64Array.from(await m.predict(test)) };
    } finally {
      m.dispose();
    }
  };
  if (sampler !== 'ab+artist') {
    const r = await fitOne(sampler);
    return { testPred: r.test, valPred: r.val };
  }
  const ab = await fitOne('ab');
  const artist = await fitOne('artist');
  const t = tuneFusionWeight(val.hitScores, ab.val, artist.val, { metric: 'spearman', topFraction });
  return {
    testPred: fuseRankings(ab.test, artist.test, t.weight),
    valPred: fuseRankings(ab.val, artist.val, t.weight),
    fusionWeight: t.weight,
  };
}

/**
 * k-fold cross-validation of one Table-1 configuration (paper §4): for each
 * fold, train on 8 parts, keep the weights that do best on the validation part,
 * and score the test part with the @10 % metrics; report every fold and the
 * mean ± std, as the paper averages over its 10 splits.
 *
 * @param dataset - all songs ({@link HitDataset}).
 * @param opts - {@link CrossValidateOptions}; default 10 folds, A/B sampling.
 * @returns the {@link CrossValidationResult}.
 * @example
 * ```ts
 * const r = await crossValidate(songs, { folds: 10, model: { tags: true }, fit: { sampler: 'ab', epochs: 30 } });
 * console.log(r.spearman.mean);
 * ```
 */
export async function crossValidate(dataset: HitDataset, opts: CrossValidateOptions = {}): Promise<CrossValidationResult> {
  const n = validateDataset(dataset, { checkFeatureValues: false });
  const folds = crossValidationFolds(n, { folds: opts.folds ?? 10, seed: opts.seed ?? opts.model?.seed ?? 0 });
  const only = opts.onlyFolds ? new Set(opts.onlyFolds) : null;
  if (only) {
    for (const f of only) {
      if (!Number.isInteger(f) || f < 0 || f >= folds.length) {
        throw new HitrankError('E_PARAM', `onlyFolds has ${f}; folds are 0 … ${folds.length - 1}.`);
      }
    }
  }
  const topFraction = opts.topFraction ?? 0.1;
  const results: FoldResult[] = [];
  for (const f of folds) {
    if (only && !only.has(f.fold)) continue;
    const train = subsetDataset(dataset, f.train);
    const val = subsetDataset(dataset, f.validation);
    const test = subsetDataset(dataset, f.test);
    const r = await runOne(train, val, test, opts, topFraction);
    const res: FoldResult = {
      fold: f.fold,
      test: evaluateRanking(test.hitScores, r.testPred, { topFraction }),
      validation: evaluateRanking(val.hitScores, r.valPred, { topFraction }),
      sizes: [f.train.length, f.validation.length, f.test.length],
    };
    if (r.fusionWeight !== undefined) res.fusionWeight = r.fusionWeight;
    results.push(res);
    if (opts.onFold) await opts.onFold(res);
  }
  return {
    folds: results,
    ndcg: summary(results.map((r) => r.test.ndcg)),
    kendall: summary(results.map((r) => r.test.kendall)),
    spearman: summary(results.map((r) => r.test.spearman)),
  };
}

/** Options of {@link tune}. */
export interface TuneOptions extends ExperimentConfig {
  /** Values to try per hyper-parameter; unlisted ones keep `model`'s values. Default: m ∈ {0.5, 1, 2}, w ∈ {0.25, 0.5, 0.75}. */
  grid?: HyperParamGrid;
  /** Validation metric to maximise. Default `'spearman'` (Spearman@10 %). */
  metric?: 'ndcg' | 'kendall' | 'spearman';
  /** Fraction for the @ metrics. Default `0.1`. */
  topFraction?: number;
  /** Called after each trial. */
  onTrial?: (trial: TuneTrial) => void | Promise<void>;
}

/** One grid point of {@link tune}. */
export interface TuneTrial {
  /** The hyper-parameters tried. */
  params: HyperParams;
  /** Validation metrics of the trained model. */
  validation: RankingEvaluation;
}

/** Result of {@link tune}. */
export interface TuneResult {
  /** The best hyper-parameters by the chosen metric. */
  best: HyperParams;
  /** Every trial in grid order. */
  trials: TuneTrial[];
}

/**
 * Grid search of the paper's hyper-parameters m (Eq. 2), w (Eq. 3) and μ
 * (Eq. 4) on a validation set ("tuned on the validation set", §2.2, §2.4): one
 * model per grid point, trained on `train` with early stopping on `validation`,
 * scored by the validation @10 % metric. Models are disposed; retrain with
 * `best` (or use {@link crossValidate}) for the final model.
 *
 * @param train - training songs.
 * @param validation - validation songs.
 * @param opts - {@link TuneOptions}.
 * @returns the best parameters and all trials.
 */
export async function tune(train: HitDataset, validation: HitDataset, opts: TuneOptions = {}): Promise<TuneResult> {
  const base = opts.model ?? {};
  const grid = opts.grid ?? { margin: [0.5, 1, 2], w: [0.25, 0.5, 0.75] };
  const margins = grid.margin ?? [base.margin ?? 1];
  const ws = grid.w ?? [base.w ?? 0.5];
  const mus = grid.mu ?? [base.mu ?? 0.5];
  const metric = opts.metric ?? 'spearman';
  const topFraction = opts.topFraction ?? 0.1;
  const trials: TuneTrial[] = [];
  let best: TuneTrial | null = null;
  for (const margin of margins) {
    for (const w of ws) {
      for (const mu of mus) {
        const params = { margin, w, mu };
        const r = await runOne(train, validation, validation, { model: { ...base, ...params }, fit: opts.fit }, topFraction);
        const trial: TuneTrial = { params, validation: evaluateRanking(validation.hitScores, r.valPred, { topFraction }) };
        trials.push(trial);
        const v = trial.validation[metric];
        if (!best || (Number.isFinite(v) && !(v <= best.validation[metric]))) best = trial;
        if (opts.onTrial) await opts.onTrial(trial);
      }
    }
  }
  return { best: best!.params, trials };
}
