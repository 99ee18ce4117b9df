/**
 * Options shared by the training commands (`train`, `evaluate`, `demo`).
 *
 * @module
 */
import type { ParseArgsConfig } from 'node:util';
import { availableParallelism } from 'node:os';
import { CLI_BACKENDS } from './backend.js';
import type { ExperimentSettings } from './experiment.js';
import { intOption, numberOption, UsageError, type CliContext } from './command.js';

/** `util.parseArgs` options of the training hyper-parameters, backend and jobs (also `demo`'s). */
export const HYPER_OPTIONS = {
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'batch-pairs': { type: 'string' },
  patience: { type: 'string' },
  monitor: { type: 'string' },
  w: { type: 'string' },
  margin: { type: 'string' },
  mu: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` options of `train` / `evaluate`: {@link HYPER_OPTIONS} plus the features (segment, highlighter, preset, cache). */
export const TRAIN_OPTIONS = {
  ...HYPER_OPTIONS,
  segment: { type: 'string' },
  highlighter: { type: 'string' },
  preset: { type: 'string' },
  cache: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/**
 * Help lines of {@link TRAIN_OPTIONS}.
 *
 * @param d - the defaults to show.
 * @returns the help text.
 */
export function trainOptionsHelp(d: { epochs: number; lr: number; patience: number | string; segment: string; monitor?: string; highlighterNote?: string }): string {
  return `  --epochs N         maximum epochs per model (default ${d.epochs})
  --lr X             Adagrad learning rate (default ${d.lr})
  --batch-pairs N    pairs per step (default 10, the paper's batch)
  --patience N       stop after N epochs without validation improvement (default ${d.patience}; inf = never)
  --monitor M        what picks the kept weights: loss (validation loss, the authors'), ndcg, kendall or spearman (default ${d.monitor ?? 'loss'})
  --w X              weight w of the ranking loss, Eq. 3 (default 0.5)
  --margin X         margin m of the hinge, Eq. 2 (default 1)
  --mu X             weight μ of the tag branch, Eq. 4 (default 0.5)
  --seed N           seed of splits, initialisers and samplers (default 0)
  --segment S        mid30, hl30, whole, or the middle S seconds (default ${d.segment})
  --highlighter DIR  a highlighter (hitrank highlighter train) whose HL-30 windows the features are cut from;
                     implies --segment hl30${d.highlighterNote ? `
                     ${d.highlighterNote}` : ''}
  --preset NAME      feature recipe (default paper)
  --cache DIR        feature cache (default .hitrank-cache/ next to the manifest)
  --backend B        tfjs backend: ${CLI_BACKENDS.join(' or ')} (default wasm)
  -j, --jobs N       threads for features and for training one model; parallel fold processes in evaluate (default: CPUs)`;
}

/** Parsed {@link TRAIN_OPTIONS}. */
export interface TrainHyper {
  /** Maximum epochs. */
  epochs: number;
  /** Learning rate. */
  learningRate: number;
  /** Pairs per step. */
  batchPairs: number;
  /** Patience (Infinity = never stop early). */
  patience: number;
  /** w (Eq. 3). */
  w: number;
  /** m (Eq. 2). */
  margin: number;
  /** μ (Eq. 4). */
  mu: number;
  /** Seed. */
  seed: number;
  /** Processes / threads. */
  jobs: number;
  /** Validation quantity that selects the kept weights. */
  monitor: 'loss' | 'ndcg' | 'kendall' | 'spearman';
}

/**
 * Reads the training hyper-parameters.
 *
 * @param values - parsed values.
 * @param defaults - command-specific defaults of epochs, lr, patience.
 * @returns the values.
 * @throws UsageError for malformed values.
 */
export function parseTrainHyper(
  values: CliContext['values'],
  defaults: { epochs: number; learningRate: number; patience: number; monitor?: TrainHyper['monitor'] },
): TrainHyper {
  const monitor = (values.monitor as string | undefined) ?? defaults.monitor ?? 'loss';
  if (!['loss', 'ndcg', 'kendall', 'spearman'].includes(monitor)) {
    throw new UsageError(`--monitor must be loss, ndcg, kendall or spearman, got ${JSON.stringify(monitor)}.`);
  }
  const patience = values.patience === 'inf' || values.patience === 'Infinity' ? Infinity : (intOption(values, 'patience', 1, 1e6) ?? defaults.patience);
  const h: TrainHyper = {
    epochs: intOption(values, 'epochs', 1, 100000) ?? defaults.epochs,
    learningRate: numberOption(values, 'lr', 1e-8, 10) ?? defaults.learningRate,
    batchPairs: intOption(values, 'batch-pairs', 1, 100000) ?? 10,
    patience,
    w: numberOption(values, 'w', 0, 1) ?? 0.5,
    margin: numberOption(values, 'margin', 0, 1e6) ?? 1,
    mu: numberOption(values, 'mu', 0, 1) ?? 0.5,
    seed: intOption(values, 'seed', 0, 2 ** 31 - 1) ?? 0,
    jobs: intOption(values, 'jobs', 1, 256) ?? availableParallelism(),
    monitor: monitor as TrainHyper['monitor'],
  };
  return h;
}

/**
 * Parses `--only-folds 0,2` against a fold count.
 *
 * @param raw - the option value.
 * @param folds - number of folds.
 * @returns the sorted fold numbers, or null for all.
 * @throws UsageError for bad numbers.
 */
export function parseOnlyFolds(raw: string | boolean | undefined, folds: number): number[] | null {
  if (raw === undefined) return null;
  const items = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : [];
  const out = items.map(Number);
  if (items.length === 0 || out.some((f, i) => !/^\d+$/.test(items[i]) || f >= folds)) {
    throw new UsageError(`--only-folds must list fold numbers from 0 to ${folds - 1}, got ${JSON.stringify(raw)}.`);
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/**
 * The cross-validation settings of an experiment from the parsed
 * hyper-parameters (shared by `demo` and `evaluate`).
 *
 * @param hyper - parsed training hyper-parameters.
 * @param folds - number of folds.
 * @param featurePreset - the log-mel preset the features were made with.
 * @param topFraction - the "@" fraction of the metrics.
 * @returns the settings for `runExperiment`.
 */
export function experimentSettings(hyper: TrainHyper, folds: number, featurePreset: string, topFraction: number): ExperimentSettings {
  return {
    folds,
    seed: hyper.seed,
    epochs: hyper.epochs,
    learningRate: hyper.learningRate,
    batchPairs: hyper.batchPairs,
    patience: hyper.patience,
    w: hyper.w,
    margin: hyper.margin,
    mu: hyper.mu,
    audio: true,
    featurePreset,
    topFraction,
    monitor: hyper.monitor,
  };
}
