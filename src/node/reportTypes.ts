/**
 * The results files that `hitrank evaluate`, `hitrank demo` (`results.json`)
 * and `hitrank train` (`train.json`) write, and that {@link renderReport}
 * turns into HTML. Plain JSON: numbers, strings, arrays (NaN is written as
 * `null`).
 *
 * @module
 */
import type { SegmentChoice } from './featureCache.js';

/** The three numbers of the paper's Table 1. */
export interface MetricTriple {
  /** nDCG@10 % (over the whole test ranking). */
  ndcg: number;
  /** Kendall τ-b on the top 10 % by true score. */
  kendall: number;
  /** Spearman ρ on the top 10 % by true score. */
  spearman: number;
}

/** A metric summarised over folds. */
export interface MetricStats {
  /** Mean over the folds where it is defined. */
  mean: number;
  /** Population standard deviation over those folds. */
  std: number;
  /** Number of folds where it is defined. */
  n: number;
}

/** What one Table-1 row trains. */
export interface ResultRowSpec {
  /** Row letter of the paper's Table 1 (`a` … `l`). */
  row: string;
  /** `rating`: the simple CNN with the rate loss only (w = 0); `siamese`: rate + rank loss (Eq. 3). */
  network: 'rating' | 'siamese';
  /** Pair sampler of a Siamese row (`ab+artist` = the A/B and artist models fused). */
  sampler: 'naive' | 'ab' | 'artist' | 'ab+artist' | null;
  /** Whether the tag-like feature branch is on (Eq. 4). */
  tags: boolean;
}

/** One epoch of training, as the report draws it. */
export interface EpochPoint {
  /** Epoch number from 0. */
  epoch: number;
  /** Mean training loss (Eq. 3). */
  loss: number;
  /** Mean rate term (Eq. 1). */
  rateLoss: number;
  /** Mean rank term (Eq. 2). */
  rankLoss: number;
  /** Validation loss, if there was a validation set. */
  valLoss: number | null;
  /** Validation nDCG@10 %. */
  valNdcg: number | null;
  /** Validation Kendall@10 %. */
  valKendall: number | null;
  /** Validation Spearman@10 %. */
  valSpearman: number | null;
  /** Learning rate of the epoch. */
  learningRate: number;
}

/** Predictions on a held-out set: true and predicted hit scores per song. */
export interface PredictionSet {
  /** Song ids. */
  ids: string[];
  /** True hit scores (original scale). */
  trueScores: number[];
  /** Predicted hit scores (original scale: the inverse target transform of the model's scores). */
  predicted: number[];
}

/** One fold of one row. */
export interface FoldOutcome {
  /** Fold number (its part was the test set). */
  fold: number;
  /** Test metrics (@10 %), with the cut-off k. */
  test: MetricTriple & {
    /** Songs in the top fraction. */
    k: number;
  };
  /** The same metrics over the whole test set (k = n): less noisy on small test sets. */
  testAll: MetricTriple;
  /** Validation metrics of the kept weights. */
  validation: MetricTriple | null;
  /** Epoch whose weights were kept. */
  bestEpoch?: number;
  /** Training curve. */
  epochs?: EpochPoint[];
  /** Weight of the artist model in an `ab+artist` fusion, chosen on validation. */
  fusionWeight?: number;
  /** Test-set predictions (trained rows only). */
  predictions?: PredictionSet;
  /** Wall time of the fold's training in seconds. */
  seconds?: number;
}

/** One Table-1 row of a run. */
export interface RowResult extends ResultRowSpec {
  /** The feature column, e.g. `audio (mid 8 s) + tag`. */
  feature: string;
  /** The paper's numbers for this row, if it has one. */
  paper: MetricTriple | null;
  /** The segment the paper used for the row. */
  paperSegment: string | null;
  /** Summary over the folds run. */
  summary: {
    /** nDCG@10 %. */
    ndcg: MetricStats;
    /** Kendall@10 %. */
    kendall: MetricStats;
    /** Spearman@10 %. */
    spearman: MetricStats;
  };
  /** Mean Spearman ρ over the whole test set (k = n), for small test sets. */
  spearmanAll: MetricStats;
  /** Every fold run. */
  folds: FoldOutcome[];
}

/** A fold-by-fold comparison of two rows. */
export interface RowComparison {
  /** The row expected to win (e.g. `i`, Siamese A/B). */
  row: string;
  /** The baseline (e.g. `a`, rating only). */
  baseline: string;
  /** Folds where `row` is higher, per metric. */
  wins: MetricTriple;
  /** Folds where `row` has the higher Spearman ρ over the whole test set (k = n). */
  winsAll: number;
  /** Folds compared. */
  folds: number;
  /** Differences of the means (`row − baseline`). */
  meanDiff: MetricTriple;
  /** Difference of the mean whole-test-set Spearman ρ. */
  meanDiffAll: number;
}

/** Where and how fast a run was. */
export interface RunTiming {
  /** Wall time of the whole command in seconds. */
  seconds: number;
  /** Seconds per stage (`data`, `features`, `training`, …). */
  stages: Record<string, number>;
  /** `os.loadavg()` at the start of the run. */
  loadAverageStart: number[];
  /** `os.loadavg()` at the end. */
  loadAverageEnd: number[];
  /** Logical CPUs. */
  cpus: number;
  /** Training processes used. */
  jobs: number;
  /** tfjs backend. */
  backend: string;
}

/** `results.json` of `hitrank evaluate` / `hitrank demo`. */
export interface RunResults {
  /** Always `'hitrank/results'`. */
  format: 'hitrank/results';
  /** Layout version (1). */
  formatVersion: number;
  /** hitrank version. */
  library: string;
  /** The command that wrote the file. */
  command: 'evaluate' | 'demo';
  /** ISO time. */
  createdAt: string;
  /** Title for the report. */
  title: string;
  /** The data. */
  dataset: {
    /** Manifest path. */
    manifest: string;
    /** Songs used. */
    songs: number;
    /** Distinct main artists. */
    artists: number;
    /** Every song's hit score (for the sorted hit-score curve). */
    hitScores: number[];
    /** Fraction of songs below the mean hit score (the paper: 87.5 %). */
    belowMean: number;
    /** The segment, e.g. `mid 8 s` or `Mid-30`. */
    segment: string;
    /** `[nMels, frames]` of the audio input, or null without audio. */
    melShape: [number, number] | null;
    /** Feature preset name. */
    preset: string;
    /** Names of the tag-like features, or null. */
    tagNames: string[] | null;
    /** What the data is (e.g. the demo's planted model), free text. */
    description?: string;
  };
  /** Training and evaluation settings (epochs, learning rate, w, m, μ, folds, seed, …). */
  settings: Record<string, string | number | boolean | null>;
  /** Number of folds of the split. */
  folds: number;
  /** The folds that were run. */
  foldsRun: number[];
  /** The Table-1 rows that were run, in table order. */
  rows: RowResult[];
  /** The headline comparison (Siamese A/B vs rating only), when both rows ran. */
  comparison: RowComparison | null;
  /** Citation of the paper's numbers. */
  paperCitation: string;
  /** Timing and machine load. */
  timing: RunTiming;
  /** Notes printed under the table. */
  notes: string[];
}

/** `train.json` of `hitrank train`: settings, history and validation predictions of one model. */
export interface TrainRun {
  /** Always `'hitrank/train'`. */
  format: 'hitrank/train';
  /** Layout version (1). */
  formatVersion: number;
  /** hitrank version. */
  library: string;
  /** ISO time. */
  createdAt: string;
  /** Manifest path. */
  manifest: string;
  /** The Table-1 row this configuration corresponds to, if any. */
  row: string | null;
  /** The configuration (sampler, w, m, μ, tags, audio, epochs, lr, seed, …). */
  settings: Record<string, string | number | boolean | null>;
  /** Feature recipe the model needs at prediction time. */
  features: {
    /** Preset name. */
    preset: string;
    /** Segment the features were computed on (Mid-S, the whole song, or a highlight). */
    segment: SegmentChoice;
    /** The highlighter of an HL-30 segment (absent otherwise). */
    highlighter?: {
      /** The highlighter folder (absolute) when the model was trained. */
      dir: string;
      /** Its identity (`SavedHighlighterInfo.id`: SHA-256 of configuration and weights). */
      id: string;
      /** SHA-256 of its weights. */
      weightsSha256: string;
    };
    /** `[nMels, frames]`, or null without audio. */
    melShape: [number, number] | null;
  };
  /** Sub-models of a fused (`ab+artist`) model: folder names and the weight of the second. */
  fusion: {
    /** The two fused models. */
    models: [string, string];
    /** Weight of the second model. */
    weight: number;
  } | null;
  /** Songs in the training / validation sets. */
  sizes: {
    /** Training songs. */
    train: number;
    /** Validation songs. */
    validation: number;
  };
  /** Training curves (for a fused model: the first model's). */
  epochs: EpochPoint[];
  /** Second model's training curve of a fused model. */
  epochs2?: EpochPoint[];
  /** Kept epoch. */
  bestEpoch: number;
  /** Validation metrics of the saved model. */
  validation: MetricTriple | null;
  /** Validation predictions of the saved model. */
  predictions: PredictionSet | null;
  /** Hyper-parameter trials of `--tune`. */
  tuning:
    | {
        /** The hyper-parameters tried. */
        params: {
          /** Margin m. */
          margin: number;
          /** Rank weight w. */
          w: number;
          /** Tag weight μ. */
          mu: number;
        };
        /** Validation metrics. */
        validation: MetricTriple;
      }[]
    | null;
  /** Every training song's hit score (for the sorted curve). */
  hitScores: number[];
  /** Wall time in seconds. */
  seconds: number;
}
