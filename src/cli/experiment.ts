/**
 * Table-1 experiments for `hitrank evaluate` and `hitrank demo`: k-fold
 * cross-validation of several rows at once, as (row, fold) tasks that run in
 * parallel processes, are checkpointed as they finish, and report training
 * curves and test predictions for the HTML report.
 *
 * The numbers are those of `crossValidate` (same folds, seeds and fusion):
 * each task trains one `SiameseHitModel` on the fold's training part with its
 * validation part for learning-rate decay and best-weight selection, and
 * scores the test part with the paper's @10 % protocol. The fusion rows k / l
 * fuse the predictions of the A/B and artist models of rows i, g / j, h with
 * the weight that maximises validation Spearman@10 % — exactly what
 * `crossValidate` with `sampler: 'ab+artist'` computes, without training the
 * two models a second time. One difference: the rating-only rows (a, b) train
 * on shuffled songs without pair sampling (plain regression, as the paper's
 * simple CNN), where `crossValidate` would hand them its default A/B sampler.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { crossValidationFolds, subsetDataset, type HitDataset } from '../data/index.js';
import { HitrankError } from '../errors.js';
import { evaluateRanking, type RankingEvaluation } from '../metrics/index.js';
import type { EpochPoint, FoldOutcome, MetricStats, MetricTriple, RowComparison, RowResult } from '../node/reportTypes.js';
import { fuseRankings, tuneFusionWeight } from '../sampling/index.js';
import type { EpochLog } from '../training/index.js';
import { fusionParts, table1Row } from './table1.js';

/** Training settings shared by every row of an experiment. */
export interface ExperimentSettings {
  /** Number of folds of the split. */
  folds: number;
  /** Seed of the fold split and of every model. */
  seed: number;
  /** Maximum epochs per model. */
  epochs: number;
  /** Adagrad learning rate. */
  learningRate: number;
  /** Pairs per optimisation step. */
  batchPairs: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  /** Weight w of the rank term for Siamese rows (rating rows use 0). */
  w: number;
  /** Margin m of Eq. 2. */
  margin: number;
  /** Weight μ of the tag branch (Eq. 4). */
  mu: number;
  /** Use the audio branch. */
  audio: boolean;
  /** Feature preset name (recorded in model cards). */
  featurePreset: string;
  /** Fraction for the @ metrics (the paper: 0.1). */
  topFraction: number;
  /** What picks the kept weights and drives decay / early stopping: validation `loss` (the authors') or a validation metric. */
  monitor: 'loss' | 'ndcg' | 'kendall' | 'spearman';
}

/** One unit of work: train row `row` on fold `fold`. */
export interface TaskSpec {
  /** A trained row letter (not k / l). */
  row: string;
  /** Fold number. */
  fold: number;
}

/** What a task returns. */
export interface TaskResult extends TaskSpec {
  /** Test metrics @topFraction. */
  test: RankingEvaluation;
  /** Test metrics over the whole test set. */
  testAll: RankingEvaluation;
  /** Validation metrics of the kept weights. */
  validation: RankingEvaluation;
  /** Kept epoch. */
  bestEpoch: number;
  /** Training curve. */
  epochs: EpochPoint[];
  /** Raw model scores of the validation songs (for fusion). */
  valScores: number[];
  /** Raw model scores of the test songs (for fusion). */
  testScores: number[];
  /** Predicted hit scores of the test songs (original scale). */
  testHitScores: number[];
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * Turns a library epoch log into the report's {@link EpochPoint}.
 *
 * @param log - the `EpochLog` fields used.
 * @returns the point (NaN → null).
 */
export function epochPoint(log: Omit<EpochLog, 'steps'>): EpochPoint {
  const f = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);
  return {
    epoch: log.epoch,
    loss: log.loss,
    rateLoss: log.rateLoss,
    rankLoss: log.rankLoss,
    valLoss: f(log.valLoss),
    valNdcg: f(log.val?.ndcg),
    valKendall: f(log.val?.kendall),
    valSpearman: f(log.val?.spearman),
    learningRate: log.learningRate,
  };
}

/**
 * Trains and scores one (row, fold) task. Needs a running tfjs backend.
 *
 * @param dataset - all songs.
 * @param settings - the experiment settings.
 * @param task - the row and fold.
 * @param signal - checked between epochs.
 * @returns the task's metrics, curve and predictions.
 */
export async function runTask(dataset: HitDataset, settings: ExperimentSettings, task: TaskSpec, signal?: AbortSignal): Promise<TaskResult> {
  const t0 = performance.now();
  const spec = table1Row(task.row);
  if (!spec || fusionParts(task.row)) throw new HitrankError('E_PARAM', `row ${task.row} is not a trained Table-1 row.`);
  const folds = crossValidationFolds(dataset.ids.length, { folds: settings.folds, seed: settings.seed });
  const f = folds[task.fold];
  if (!f) throw new HitrankError('E_PARAM', `fold ${task.fold} does not exist (folds 0 … ${folds.length - 1}).`);
  const train = subsetDataset(dataset, f.train);
  const val = subsetDataset(dataset, f.validation);
  const test = subsetDataset(dataset, f.test);
  // Imported here so that the module can be loaded (for types and fusion) without tfjs.
  const { SiameseHitModel } = await import('../training/index.js');
  const model = new SiameseHitModel({
    audio: settings.audio,
    tags: spec.tags,
    w: spec.network === 'rating' ? 0 : settings.w,
    margin: settings.margin,
    mu: settings.mu,
    featurePreset: settings.featurePreset,
    seed: settings.seed,
  });
  try {
    const epochs: EpochPoint[] = [];
    const h = await model.fit(train, {
      sampler: spec.network === 'rating' ? undefined : (spec.sampler as 'naive' | 'ab' | 'artist'),
      validation: val,
      epochs: settings.epochs,
      learningRate: settings.learningRate,
      batchPairs: settings.batchPairs,
      patience: settings.patience,
      monitor: settings.monitor,
      onEpoch: (log) => {
        epochs.push(epochPoint(log));
        signal?.throwIfAborted();
      },
    });
    const valScores = await model.predict(val);
    const testScores = await model.predict(test);
    const testHit = await model.predictHitScores(test);
    const tf = settings.topFraction;
    return {
      row: task.row,
      fold: task.fold,
      test: evaluateRanking(test.hitScores, testScores, { topFraction: tf }),
      testAll: evaluateRanking(test.hitScores, testScores, { topFraction: 1 }),
      validation: evaluateRanking(val.hitScores, valScores, { topFraction: tf }),
      bestEpoch: h.bestEpoch,
      epochs,
      valScores: Array.from(valScores),
      testScores: Array.from(testScores),
      testHitScores: Array.from(testHit),
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    model.dispose();
  }
}

/**
 * A fingerprint of a dataset and the settings: checkpoints of finished tasks
 * are reused only when it matches.
 *
 * @param dataset - the songs (ids, scores, artists, features).
 * @param settings - the settings.
 * @returns a hex digest.
 */
export function experimentKey(dataset: HitDataset, settings: ExperimentSettings): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ settings, ids: dataset.ids, artists: dataset.artists ?? null, melShape: dataset.melShape ?? null, tagNames: dataset.tagNames ?? null }));
  h.update(new Uint8Array(dataset.hitScores.buffer, dataset.hitScores.byteOffset, dataset.hitScores.byteLength));
  for (const m of dataset.mels ?? []) h.update(new Uint8Array(m.buffer, m.byteOffset, m.byteLength));
  for (const t of dataset.tags ?? []) h.update(new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
  return h.digest('hex');
}

function summary(xs: number[]): MetricStats {
  const v = xs.filter((x) => Number.isFinite(x));
  if (!v.length) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), n: v.length };
}

const triple = (e: RankingEvaluation): MetricTriple => ({ ndcg: e.ndcg, kendall: e.kendall, spearman: e.spearman });

function foldFromTask(r: TaskResult, dataset: HitDataset, testIdxLike: ArrayLike<number>): FoldOutcome {
  const testIdx = Array.from(testIdxLike);
  return {
    fold: r.fold,
    test: { ...triple(r.test), k: r.test.k },
    testAll: triple(r.testAll),
    validation: triple(r.validation),
    bestEpoch: r.bestEpoch,
    epochs: r.epochs,
    predictions: {
      ids: testIdx.map((i) => dataset.ids[i]),
      trueScores: testIdx.map((i) => dataset.hitScores[i]),
      predicted: r.testHitScores,
    },
    seconds: r.seconds,
  };
}

/**
 * The fusion rows (k, l) of one fold from the A/B and artist tasks: the
 * artist weight that maximises validation Spearman@topFraction (0.5 when the
 * validation top fraction is too small to rank, i.e. ≤ 10 songs at 10 %).
 */
function fusedFold(ab: TaskResult, artist: TaskResult, dataset: HitDataset, valIdxLike: ArrayLike<number>, testIdxLike: ArrayLike<number>, topFraction: number): FoldOutcome {
  const valIdx = Array.from(valIdxLike);
  const testIdx = Array.from(testIdxLike);
  const valTrue = valIdx.map((i) => dataset.hitScores[i]);
  const testTrue = testIdx.map((i) => dataset.hitScores[i]);
  let weight = 0.5;
  try {
    weight = tuneFusionWeight(valTrue, ab.valScores, artist.valScores, { metric: 'spearman', topFraction }).weight;
  } catch (e) {
    if (!(e instanceof HitrankError && (e.code === 'E_TOO_SHORT' || e.code === 'E_MISSING_DATA'))) throw e;
  }
  const testPred = fuseRankings(ab.testScores, artist.testScores, weight);
  const valPred = fuseRankings(ab.valScores, artist.valScores, weight);
  return {
    fold: ab.fold,
    test: { ...triple(evaluateRanking(testTrue, testPred, { topFraction })), k: ab.test.k },
    testAll: triple(evaluateRanking(testTrue, testPred, { topFraction: 1 })),
    validation: triple(evaluateRanking(valTrue, valPred, { topFraction })),
    fusionWeight: weight,
    seconds: ab.seconds + artist.seconds,
  };
}

/**
 * Assembles the Table-1 rows of a run from finished tasks.
 *
 * @param rows - the row letters to report, in order.
 * @param results - finished tasks (every trained row needed, for every fold in `foldsRun`).
 * @param dataset - the songs.
 * @param settings - the settings.
 * @param foldsRun - the folds that were run.
 * @param featureLabel - the feature column without `+ tag`, e.g. `audio (mid 8 s)`.
 * @param rowFeatureLabels - labels of trained rows whose features differ (e.g. `audio (HL-30)`); fusion rows take their parts'.
 * @returns one {@link RowResult} per requested row.
 */
export function assembleRows(
  rows: readonly string[],
  results: readonly TaskResult[],
  dataset: HitDataset,
  settings: ExperimentSettings,
  foldsRun: readonly number[],
  featureLabel: string,
  rowFeatureLabels?: Record<string, string>,
): RowResult[] {
  const folds = crossValidationFolds(dataset.ids.length, { folds: settings.folds, seed: settings.seed });
  const get = (row: string, fold: number): TaskResult => {
    const r = results.find((x) => x.row === row && x.fold === fold);
    if (!r) throw new HitrankError('E_MISSING_DATA', `no result for row ${row}, fold ${fold}.`);
    return r;
  };
  return rows.map((row) => {
    const spec = table1Row(row)!;
    const parts = fusionParts(row);
    const outcomes: FoldOutcome[] = foldsRun.map((fold) => {
      const f = folds[fold];
      return parts
        ? fusedFold(get(parts[0], fold), get(parts[1], fold), dataset, f.validation, f.test, settings.topFraction)
        : foldFromTask(get(row, fold), dataset, f.test);
    });
    const label = rowFeatureLabels?.[parts ? parts[0] : row] ?? featureLabel;
    const feature = !settings.audio ? 'tag-like features' : spec.tags ? `${label} + tag` : label;
    return {
      row,
      network: spec.network,
      sampler: spec.sampler,
      tags: spec.tags,
      feature,
      paper: spec.paper,
      paperSegment: spec.paperSegment,
      summary: {
        ndcg: summary(outcomes.map((o) => o.test.ndcg)),
        kendall: summary(outcomes.map((o) => o.test.kendall)),
        spearman: summary(outcomes.map((o) => o.test.spearman)),
      },
      spearmanAll: summary(outcomes.map((o) => o.testAll.spearman)),
      folds: outcomes,
    };
  });
}

/**
 * Fold-by-fold comparison of two rows (e.g. Siamese A/B `i` against rating-only `a`).
 *
 * @param rows - the assembled rows.
 * @param row - the challenger.
 * @param baseline - the baseline.
 * @returns wins per metric and differences of the means, or null when a row is missing.
 */
export function compareRows(rows: readonly RowResult[], row: string, baseline: string): RowComparison | null {
  const a = rows.find((r) => r.row === row);
  const b = rows.find((r) => r.row === baseline);
  if (!a || !b) return null;
  const wins: MetricTriple = { ndcg: 0, kendall: 0, spearman: 0 };
  let winsAll = 0;
  let n = 0;
  for (const fa of a.folds) {
    const fb = b.folds.find((x) => x.fold === fa.fold);
    if (!fb) continue;
    n++;
    for (const m of ['ndcg', 'kendall', 'spearman'] as const) if (fa.test[m] > fb.test[m]) wins[m]++;
    if (fa.testAll.spearman > fb.testAll.spearman) winsAll++;
  }
  return {
    row,
    baseline,
    wins,
    winsAll,
    folds: n,
    meanDiff: {
      ndcg: a.summary.ndcg.mean - b.summary.ndcg.mean,
      kendall: a.summary.kendall.mean - b.summary.kendall.mean,
      spearman: a.summary.spearman.mean - b.summary.spearman.mean,
    },
    meanDiffAll: a.spearmanAll.mean - b.spearmanAll.mean,
  };
}
