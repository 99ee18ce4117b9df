/**
 * The cross-validation driver behind `hitrank evaluate` and `hitrank demo`:
 * (row, fold) tasks on a process pool, a checkpoint per finished task (an
 * interrupted run resumes where it stopped), `results.json` and `report.html`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { crossValidationFolds, type HitDataset } from '../data/index.js';
import { createProgress, formatDuration, writeFileAtomic } from '../node/index.js';
import { renderReport } from '../node/report.js';
import type { RowResult, RunResults } from '../node/reportTypes.js';
import { VERSION } from '../version.js';
import type { CliBackend } from './backend.js';
import type { CliContext } from './command.js';
import { assembleRows, compareRows, experimentKey, type ExperimentSettings, type TaskResult, type TaskSpec } from './experiment.js';
import { PAPER_TABLE1_CITATION, trainedRows } from './table1.js';
import { runTaskPool } from './taskPool.js';
import type { TrainingData } from './trainingData.js';

/** What to run. */
export interface ExperimentPlan {
  /** Rows to report, in table order. */
  rows: string[];
  /** Settings. */
  settings: ExperimentSettings;
  /** Folds to run (null = all). */
  onlyFolds: number[] | null;
  /** Training processes. */
  jobs: number;
  /** Rows that train on other features of the same songs (row → dataset with the same ids in the same order), e.g. HL-30 rows. */
  rowDatasets?: Record<string, HitDataset>;
  /** tfjs backend. */
  backend: CliBackend;
  /** Run folder (results.json, report.html, tasks/). */
  outDir: string;
}

/** Labels for the results file. */
export interface ExperimentMeta {
  /** The command. */
  command: 'evaluate' | 'demo';
  /** Report title. */
  title: string;
  /** What the data is. */
  description?: string;
  /** Feature column label without `+ tag`. */
  featureLabel: string;
  /** Feature labels of rows that differ from `featureLabel` (trained row → label; fusion rows take their parts'). */
  rowFeatureLabels?: Record<string, string>;
  /** Notes under the table. */
  notes: string[];
  /** Extra settings to record (shown in the report). */
  extraSettings?: Record<string, string | number | boolean | null>;
  /** When the command started (performance.now()), for the total time. */
  t0: number;
  /** os.loadavg() when the command started. */
  loadStart: number[];
  /** Seconds per earlier stage (data, features). */
  stages: Record<string, number>;
}

/** What {@link runExperiment} returns. */
export interface ExperimentOutcome {
  /** The results (also written to `results.json`). */
  results: RunResults;
  /** Path of `results.json`. */
  resultsPath: string;
  /** Path of `report.html`. */
  reportPath: string;
  /** Tasks reused from checkpoints. */
  resumed: number;
  /** Tasks trained now. */
  trained: number;
}

async function readCheckpoints(dir: string, key: string): Promise<TaskResult[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: TaskResult[] = [];
  for (const n of names) {
    if (!n.endsWith('.json')) continue;
    try {
      const j = JSON.parse(await readFile(join(dir, n), 'utf8')) as { key?: string; result?: TaskResult };
      if (j.key === key && j.result) out.push(j.result);
    } catch {
      // A damaged checkpoint is simply retrained.
    }
  }
  return out;
}

/**
 * Runs a Table-1 experiment and writes `results.json` and `report.html` to `plan.outDir`.
 *
 * @param ctx - CLI context (progress, abort).
 * @param data - the loaded songs.
 * @param plan - rows, settings, folds, processes.
 * @param meta - labels and timing so far.
 * @returns the results and file paths.
 */
export async function runExperiment(ctx: CliContext, data: TrainingData, plan: ExperimentPlan, meta: ExperimentMeta): Promise<ExperimentOutcome> {
  const { dataset } = data;
  const { settings } = plan;
  const allFolds = crossValidationFolds(dataset.ids.length, { folds: settings.folds, seed: settings.seed }).map((f) => f.fold);
  const foldsRun = plan.onlyFolds ?? allFolds;
  const trained = trainedRows(plan.rows);
  const tasks: TaskSpec[] = [];
  for (const fold of foldsRun) for (const row of trained) tasks.push({ row, fold });

  const taskDir = join(plan.outDir, 'tasks');
  await mkdir(taskDir, { recursive: true });
  const key = experimentKeyWithRows(dataset, settings, plan.rowDatasets);
  const done = (await readCheckpoints(taskDir, key)).filter((r) => tasks.some((t) => t.row === r.row && t.fold === r.fold));
  const todo = tasks.filter((t) => !done.some((r) => r.row === t.row && r.fold === t.fold));

  const bar = createProgress({ total: tasks.length, label: 'training', stream: ctx.io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
  let finished = done.length;
  bar.update(finished, done.length > 0 ? `${done.length} resumed` : undefined);
  const tTrain = performance.now();
  const { results: fresh, processes } = await runTaskPool(todo, {
    jobs: plan.jobs,
    backend: plan.backend,
    dataset,
    ...(plan.rowDatasets ? { rowDatasets: plan.rowDatasets } : {}),
    settings,
    signal: ctx.signal,
    onResult: async (r) => {
      await writeFileAtomic(join(taskDir, `${r.row}-fold${r.fold}.json`), JSON.stringify({ key, result: r }) + '\n');
      finished++;
      bar.update(finished, `row ${r.row} fold ${r.fold} done`);
    },
  });
  bar.finish();
  const trainSeconds = (performance.now() - tTrain) / 1000;

  const all = [...done, ...fresh];
  const rows: RowResult[] = assembleRows(plan.rows, all, dataset, settings, foldsRun, meta.featureLabel, meta.rowFeatureLabels);
  const comparison = compareRows(rows, 'i', 'a') ?? compareRows(rows, 'j', 'b');
  const hs = Array.from(dataset.hitScores);
  const mean = hs.reduce((a, b) => a + b, 0) / Math.max(1, hs.length);
  const results: RunResults = {
    format: 'hitrank/results',
    formatVersion: 1,
    library: VERSION,
    command: meta.command,
    createdAt: new Date().toISOString(),
    title: meta.title,
    dataset: {
      manifest: data.manifest.path,
      songs: dataset.ids.length,
      artists: new Set((dataset.artists ?? []).map((a) => a[0] ?? '')).size,
      hitScores: hs,
      belowMean: hs.filter((h) => h < mean).length / Math.max(1, hs.length),
      segment: meta.featureLabel,
      melShape: dataset.melShape ?? null,
      preset: data.preset,
      tagNames: dataset.tagNames ?? null,
      description: meta.description,
    },
    settings: {
      folds: settings.folds,
      'folds run': foldsRun.join(', '),
      seed: settings.seed,
      epochs: settings.epochs,
      'learning rate': settings.learningRate,
      'batch pairs': settings.batchPairs,
      patience: Number.isFinite(settings.patience) ? settings.patience : 'never',
      monitor: settings.monitor,
      w: settings.w,
      margin: settings.margin,
      mu: settings.mu,
      'top fraction': settings.topFraction,
      ...meta.extraSettings,
    },
    folds: settings.folds,
    foldsRun,
    rows,
    comparison,
    paperCitation: PAPER_TABLE1_CITATION,
    timing: {
      seconds: (performance.now() - meta.t0) / 1000,
      stages: { ...meta.stages, training: trainSeconds },
      loadAverageStart: meta.loadStart,
      loadAverageEnd: loadavg(),
      cpus: cpus().length,
      jobs: Math.max(1, processes),
      backend: plan.backend,
    },
    notes: meta.notes,
  };
  const resultsPath = join(plan.outDir, 'results.json');
  const reportPath = join(plan.outDir, 'report.html');
  await writeFileAtomic(resultsPath, JSON.stringify(results, null, 1) + '\n');
  await writeFileAtomic(reportPath, renderReport(results));
  return { results, resultsPath, reportPath, resumed: done.length, trained: fresh.length };
}

/**
 * {@link experimentKey} of the main dataset, combined with the keys of the
 * rows that train on other features (so that checkpoints are reused only
 * when those features are the same too).
 *
 * @param dataset - the main dataset.
 * @param settings - the settings.
 * @param rowDatasets - row → other dataset.
 * @returns a hex digest.
 */
export function experimentKeyWithRows(dataset: HitDataset, settings: ExperimentSettings, rowDatasets?: Record<string, HitDataset>): string {
  const base = experimentKey(dataset, settings);
  const rows = Object.keys(rowDatasets ?? {}).sort();
  if (rows.length === 0) return base;
  const h = createHash('sha256').update(base);
  const seen = new Map<HitDataset, string>();
  for (const r of rows) {
    const ds = rowDatasets![r];
    let k = seen.get(ds);
    if (k === undefined) seen.set(ds, (k = experimentKey(ds, settings)));
    h.update(`\u0000${r}:${k}`);
  }
  return h.digest('hex');
}

/**
 * Elapsed time text for messages.
 *
 * @param seconds - seconds.
 * @returns `m:ss`.
 */
export function elapsed(seconds: number): string {
  return formatDuration(seconds);
}
