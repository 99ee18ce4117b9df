import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { assertInRange, assertInteger, HitrankError } from '../errors.js';
import { validateDataset, type HitDataset } from '../data/index.js';
import {
  fitTargetTransform,
  multiObjectiveLossParts,
  targetTransformFromJSON,
  type RankTermName,
  type TargetTransform,
  type TargetTransformKind,
  type TieConvention,
} from '../losses/index.js';
import { evaluateRanking, type RankingEvaluation } from '../metrics/index.js';
import { createSampler, naivePairs, type PairSampler, type SamplerKind } from '../sampling/index.js';
import { VERSION } from '../version.js';
import { checkModelCard, MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelCard } from './modelCard.js';
import { shardDropoutDraw, shardGradients, type ShardGradients } from './dataParallel.js';
import { Scorer } from './scorer.js';
import { checkCnnKernels, type CnnKernels } from '../models/index.js';
import type { StepExecutor, TrainingBatch, TrainingContext } from './stepExecutor.js';
import { fitRowStandardizer, fitVectorStandardizer, identityStandardizer, standardizeMelsInPlace, type Standardizer } from './standardizer.js';

/** Options of a {@link SiameseHitModel}; the defaults are the paper's settings (DESIGN §2). */
export interface SiameseHitModelOptions {
  /** Use the audio branch: the simple CNN of ref. [4] on the log-mel (Fig. 1). Default `true`. */
  audio?: boolean;
  /** Use the tag / feature branch: the DNN 50 → 100 → 100 → 30 → 1 on g(x) (§2.4). Default `false`. */
  tags?: boolean;
  /** Length of the tag / feature vector. Default: taken from the training set (50 for MTAT tags). */
  tagDim?: number;
  /** Hit-score transform the losses work on. Default `'negInvLog10'` (the authors' −1/log10 y). */
  targetTransform?: TargetTransformKind;
  /** Ranking term of Eq. 3: `'rankHinge'` (Eq. 2, default) or `'ranknet'` (pairwise logistic). */
  rank?: RankTermName;
  /** Margin m of Eq. 2, on the transformed scale. Default `1`. */
  margin?: number;
  /** Weight w of the ranking term in Eq. 3 (`0` = rating only, Table 1 rows a–d). Default `0.5`. */
  w?: number;
  /** Weight μ of the tag branch in Eq. 4 when both branches are on. Default `0.5`. */
  mu?: number;
  /** Fusion of the two branches: `'convex'` (1 − μ)·fΘ + μ·fΦ (Eq. 4, default) or `'additive'` fΘ + μ·fΦ. */
  fusion?: 'convex' | 'additive';
  /** Tied pairs in the ranking term: `'skip'` (default), `'paper'`, `'delta0'`. */
  ties?: TieConvention;
  /** Standardise mel bands and tag dimensions with training-set statistics. Default `true`. */
  standardize?: boolean;
  /** Dropout rate of both branches during training. Default `0.25`. */
  dropout?: number;
  /** Name of the feature preset the mels were made with (recorded in the card). Default `'paper'`. */
  featurePreset?: string;
  /** Seed of every initialiser, sampler and shuffle. Default `0`. */
  seed?: number;
  /**
   * Code that runs the simple CNN (training and prediction): `'auto'`
   * (default) — hitrank's WebAssembly kernels on the `cpu` and `wasm`
   * backends, the backend's own kernels otherwise; `'wasm'`; `'tfjs'`. Both
   * compute the same function (within float32 rounding); see `CnnKernels`.
   */
  cnnKernels?: CnnKernels;
}

/** Options of {@link SiameseHitModel.fit}; the defaults are the authors' training settings. */
export interface FitOptions {
  /** Pair sampler: `'naive'`, `'ab'` (default), `'artist'`, or your own {@link PairSampler}. Ignored when `w = 0`. */
  sampler?: SamplerKind | PairSampler;
  /** Validation set: drives learning-rate decay, early stopping and best-weight selection. */
  validation?: HitDataset;
  /** Maximum number of epochs. Default `150`. */
  epochs?: number;
  /** Pairs per optimisation step (each pair = 2 clips). Default `10`. */
  batchPairs?: number;
  /** Pairs per epoch. Default: the sampler's (the number of training songs). */
  pairsPerEpoch?: number;
  /** Adagrad learning rate. Default `5e-3`. */
  learningRate?: number;
  /** Factor applied to the learning rate when the monitored value does not improve. Default `0.9`. */
  lrDecay?: number;
  /** Stop after this many epochs without improvement (needs `validation`). Default `20`; `Infinity` = never. */
  patience?: number;
  /** What "improves" means: validation `'loss'` (default, lower is better), or `'ndcg'`, `'kendall'`, `'spearman'`. */
  monitor?: 'loss' | 'ndcg' | 'kendall' | 'spearman';
  /** Called after every epoch; may be async (e.g. to update a UI). */
  onEpoch?: (log: EpochLog) => void | Promise<void>;
  /**
   * Runs the optimisation steps through this {@link StepExecutor} instead of
   * in the calling thread — e.g. `parallelTrainingExecutor({ workers })` of
   * `hitrank/node` (data parallelism over worker threads). Default: none
   * (every step in-process). Validation, learning-rate decay, early stopping
   * and the optimiser state stay in the calling thread either way.
   */
  executor?: StepExecutor;
}

/** What {@link FitOptions.onEpoch} receives and {@link FitHistory} collects. */
export interface EpochLog {
  /** Epoch number, from 0. */
  epoch: number;
  /** Mean training loss (Eq. 3) over the epoch's steps. */
  loss: number;
  /** Mean rate term (Eq. 1). */
  rateLoss: number;
  /** Mean rank term (Eq. 2). */
  rankLoss: number;
  /** Validation loss (Eq. 3 on fixed validation pairs), if a validation set was given. */
  valLoss?: number;
  /** Validation metrics (the paper's @10 % protocol), if a validation set was given. */
  val?: RankingEvaluation;
  /** Learning rate used in this epoch. */
  learningRate: number;
  /** Optimisation steps in this epoch. */
  steps: number;
}

/** Result of {@link SiameseHitModel.fit}. */
export interface FitHistory {
  /** One log per epoch run. */
  epochs: EpochLog[];
  /** Epoch whose weights were kept (best monitored value), or the last one without validation. */
  bestEpoch: number;
  /** Whether training stopped early. */
  stoppedEarly: boolean;
}

/** Anything {@link SiameseHitModel.save} / {@link SiameseHitModel.load} accept: a tf.io handler or a URL string. */
export type ModelStore = tf.io.IOHandler | string;

/** {@link SiameseHitModelOptions} with every default filled in (`tagDim` 0 = taken from the data). */
export interface ResolvedSiameseHitModelOptions {
  /** See {@link SiameseHitModelOptions.audio}. */
  audio: boolean;
  /** See {@link SiameseHitModelOptions.tags}. */
  tags: boolean;
  /** See {@link SiameseHitModelOptions.tagDim}. */
  tagDim: number;
  /** See {@link SiameseHitModelOptions.targetTransform}. */
  targetTransform: TargetTransformKind;
  /** See {@link SiameseHitModelOptions.rank}. */
  rank: RankTermName;
  /** See {@link SiameseHitModelOptions.margin}. */
  margin: number;
  /** See {@link SiameseHitModelOptions.w}. */
  w: number;
  /** See {@link SiameseHitModelOptions.mu}. */
  mu: number;
  /** See {@link SiameseHitModelOptions.fusion}. */
  fusion: 'convex' | 'additive';
  /** See {@link SiameseHitModelOptions.ties}. */
  ties: TieConvention;
  /** See {@link SiameseHitModelOptions.standardize}. */
  standardize: boolean;
  /** See {@link SiameseHitModelOptions.dropout}. */
  dropout: number;
  /** See {@link SiameseHitModelOptions.featurePreset}. */
  featurePreset: string;
  /** See {@link SiameseHitModelOptions.seed}. */
  seed: number;
  /** See {@link SiameseHitModelOptions.cnnKernels}. */
  cnnKernels: CnnKernels;
}

function resolve(o: SiameseHitModelOptions): ResolvedSiameseHitModelOptions {
  const r: ResolvedSiameseHitModelOptions = {
    audio: o.audio ?? true,
    tags: o.tags ?? false,
    tagDim: o.tagDim ?? 0,
    targetTransform: o.targetTransform ?? 'negInvLog10',
    rank: o.rank ?? 'rankHinge',
    margin: o.margin ?? 1,
    w: o.w ?? 0.5,
    mu: o.mu ?? 0.5,
    fusion: o.fusion ?? 'convex',
    ties: o.ties ?? 'skip',
    standardize: o.standardize ?? true,
    dropout: o.dropout ?? 0.25,
    featurePreset: o.featurePreset ?? 'paper',
    seed: o.seed ?? 0,
    cnnKernels: checkCnnKernels(o.cnnKernels ?? 'auto'),
  };
  if (!r.audio && !r.tags) throw new HitrankError('E_PARAM', 'audio and tags are both off: enable at least one branch.');
  assertInRange(r.margin, 'margin', 0, 1e6);
  assertInRange(r.w, 'w', 0, 1);
  assertInRange(r.mu, 'mu', 0, 1);
  assertInRange(r.dropout, 'dropout', 0, 0.95);
  assertInteger(r.seed, 'seed', 0, 2 ** 31 - 1);
  if (r.tagDim) assertInteger(r.tagDim, 'tagDim', 1, 1 << 16);
  return r;
}

const PREDICT_BATCH = 32;

/**
 * The paper's multi-objective Siamese CNN (Fig. 2): one scorer with shared
 * weights — the simple CNN on the log-mel, the tag DNN on tag activations (or
 * any feature vector), or both fused by Eq. 4 — trained on pairs of songs with
 * `(1 − w)·MSE + w·hinge` (Eq. 3). With `w = 0` it is the rating-only model of
 * Table 1 rows a–d; with `audio: false` it ranks songs from feature vectors alone.
 *
 * The model owns its tensors: call {@link SiameseHitModel.dispose} when done.
 * It never chooses a tfjs backend; register one first.
 *
 * @example
 * ```ts
 * const model = new SiameseHitModel({ tags: true, w: 0.5, mu: 0.5, seed: 7 });
 * await model.fit(train, { sampler: 'ab', validation: val, epochs: 50 });
 * const scores = await model.predict(test);              // one score per song
 * const { ndcg, kendall, spearman } = await model.evaluate(test);
 * await model.save(fileHandler('./model'));              // from 'hitrank/node'
 * ```
 */
export class SiameseHitModel {
  /** The resolved options. */
  readonly options: Readonly<ResolvedSiameseHitModelOptions>;
  private scorer: Scorer | null = null;
  private melShape: [number, number] | null = null;
  private tagNames: string[] | null = null;
  private melStd: Standardizer | null = null;
  private tagStd: Standardizer | null = null;
  private transform: TargetTransform | null = null;
  private metrics: Record<string, unknown> = {};

  /**
   * @param options - {@link SiameseHitModelOptions}; every default is the paper's.
   */
  constructor(options: SiameseHitModelOptions = {}) {
    this.options = Object.freeze(resolve(options));
  }

  /** Whether the model has weights (trained or loaded). */
  get isBuilt(): boolean {
    return this.scorer !== null;
  }

  /** Number of trainable parameters (0 before the first `fit`). */
  get parameterCount(): number {
    if (!this.scorer) return 0;
    return this.scorer.variables().reduce((s, v) => s + v.size, 0);
  }

  private checkData(ds: HitDataset, role: string): number {
    const n = validateDataset(ds, { checkFeatureValues: true });
    const o = this.options;
    if (o.audio) {
      if (!ds.mels || !ds.melShape) {
        throw new HitrankError('E_MISSING_DATA', `the ${role} set has no mels, but the model has an audio branch (audio: true).`);
      }
      if (this.melShape && (ds.melShape[0] !== this.melShape[0] || ds.melShape[1] !== this.melShape[1])) {
        throw new HitrankError(
          'E_SHAPE',
          `the ${role} set's mels are [${ds.melShape.join(' × ')}], the model was trained on [${this.melShape.join(' × ')}].`,
        );
      }
      if (ds.melShape[1] < 15) {
        throw new HitrankError('E_TOO_SHORT', `mels have ${ds.melShape[1]} frames; the CNN needs at least 15.`);
      }
    }
    if (o.tags) {
      if (!ds.tags) {
        throw new HitrankError('E_MISSING_DATA', `the ${role} set has no tags, but the model has a tag branch (tags: true).`);
      }
      const dim = ds.tags[0].length;
      const want = this.tagNames?.length ?? (o.tagDim || dim);
      if (dim !== want) {
        throw new HitrankError('E_SHAPE', `the ${role} set's tag vectors have ${dim} values, the model expects ${want}.`);
      }
      if (this.tagNames && ds.tagNames) {
        const bad = ds.tagNames.findIndex((t, i) => t !== this.tagNames![i]);
        if (bad >= 0) {
          throw new HitrankError(
            'E_SHAPE',
            `tag ${bad} of the ${role} set is "${ds.tagNames[bad]}", the model's is "${this.tagNames[bad]}": tags are matched by name and order.`,
          );
        }
      }
    }
    return n;
  }

  private build(train: HitDataset): void {
    const o = this.options;
    if (o.audio) this.melShape = [train.melShape![0], train.melShape![1]];
    if (o.tags) {
      const dim = o.tagDim || train.tags![0].length;
      this.tagNames = train.tagNames ? [...train.tagNames] : Array.from({ length: dim }, (_, i) => `f${i}`);
    }
    if (o.standardize) {
      if (o.audio) this.melStd = fitRowStandardizer(train.mels!, this.melShape![0]);
      if (o.tags) this.tagStd = fitVectorStandardizer(train.tags!, this.tagNames!.length);
    } else {
      if (o.audio) this.melStd = identityStandardizer(this.melShape![0]);
      if (o.tags) this.tagStd = identityStandardizer(this.tagNames!.length);
    }
    this.scorer = this.newScorer();
  }

  /** A scorer for the options, mel shape and tag names set on this model. */
  private newScorer(): Scorer {
    const o = this.options;
    return new Scorer({
      audio: o.audio,
      tags: o.tags,
      nMels: this.melShape?.[0] ?? 128,
      tagDim: this.tagNames?.length ?? 0,
      mu: o.mu,
      fusion: o.fusion,
      dropout: o.dropout,
      seed: o.seed,
      cnnKernels: o.cnnKernels,
    });
  }

  /** Standardised inputs of songs `idx` of `ds` as tensors (caller disposes). */
  private inputs(ds: HitDataset, idx: ArrayLike<number>): { x: tf.Tensor3D | null; g: tf.Tensor2D | null; xData: Float32Array | undefined } {
    const B = idx.length;
    const xBuf = this.options.audio ? new Float32Array(B * this.melShape![0] * this.melShape![1]) : null;
    const gBuf = this.options.tags ? new Float32Array(B * this.tagNames!.length) : null;
    this.fillInputs(ds, idx, xBuf, gBuf);
    return {
      x: xBuf ? tf.tensor3d(xBuf, [B, this.melShape![0], this.melShape![1]]) : null,
      g: gBuf ? tf.tensor2d(gBuf, [B, this.tagNames!.length]) : null,
      xData: xBuf ?? undefined,
    };
  }

  /**
   * Writes the standardised inputs of songs `idx` of `ds` into `xBuf` / `gBuf`
   * (null: skip that branch); with `rawMels` the log-mels are copied as they
   * are (the caller standardises them with {@link standardizeMelsInPlace}).
   */
  private fillInputs(ds: HitDataset, idx: ArrayLike<number>, xBuf: Float32Array | null, gBuf: Float32Array | null, rawMels = false): void {
    const B = idx.length;
    if (xBuf && this.options.audio) {
      const [rows, frames] = this.melShape!;
      const size = rows * frames;
      if (xBuf.length < B * size) {
        throw new HitrankError('E_SHAPE', `the mel buffer holds ${xBuf.length} values, ${B} songs need ${B * size}.`);
      }
      for (let b = 0; b < B; b++) xBuf.set(ds.mels![idx[b]].subarray(0, size), b * size);
      if (!rawMels) standardizeMelsInPlace(xBuf, B, rows, frames, this.melStd!);
    }
    if (gBuf && this.options.tags) {
      const dim = this.tagNames!.length;
      if (gBuf.length < B * dim) {
        throw new HitrankError('E_SHAPE', `the tag buffer holds ${gBuf.length} values, ${B} songs need ${B * dim}.`);
      }
      const { mean, std } = this.tagStd!;
      for (let b = 0; b < B; b++) {
        const v = ds.tags![idx[b]];
        for (let d = 0; d < dim; d++) gBuf[b * dim + d] = (v[d] - mean[d]) / std[d];
      }
    }
  }

  /**
   * Trains the model (builds it on the first call).
   *
   * Each epoch draws `pairsPerEpoch` pairs from the sampler (or, for `w = 0`,
   * shuffles the songs into pairs), runs Adagrad steps of `batchPairs` pairs on
   * Eq. 3, then scores the validation set: the learning rate is multiplied by
   * `lrDecay` when the monitored value does not improve, the best weights are
   * kept, and training stops after `patience` epochs without improvement.
   *
   * @param train - the training set ({@link HitDataset}) with `mels` and/or `tags`.
   * @param opts - {@link FitOptions}; defaults are the authors' (Adagrad 5e-3, batch 10, ≤ 150 epochs).
   * @returns the {@link FitHistory}.
   * @throws HitrankError for inconsistent data (`E_SHAPE`, `E_MISSING_DATA`, `E_NAN`, …) or options.
   */
  async fit(train: HitDataset, opts: FitOptions = {}): Promise<FitHistory> {
    const o = this.options;
    const n = this.checkData(train, 'training');
    if (n < 2) throw new HitrankError('E_TOO_SHORT', `the training set has ${n} song; at least 2 are needed.`);
    const epochs = opts.epochs ?? 150;
    const batchPairs = opts.batchPairs ?? 10;
    const lr0 = opts.learningRate ?? 5e-3;
    const lrDecay = opts.lrDecay ?? 0.9;
    const patience = opts.patience ?? 20;
    const monitor = opts.monitor ?? 'loss';
    assertInteger(epochs, 'epochs', 1, 1e6);
    assertInteger(batchPairs, 'batchPairs', 1, 1e5);
    assertInRange(lr0, 'learningRate', Number.MIN_VALUE, 10);
    assertInRange(lrDecay, 'lrDecay', Number.MIN_VALUE, 1);
    if (!(patience >= 1)) throw new HitrankError('E_PARAM', `patience must be ≥ 1, got ${patience}.`);
    if (opts.validation) this.checkData(opts.validation, 'validation');

    if (!this.transform) {
      try {
        this.transform = fitTargetTransform(o.targetTransform, train.hitScores);
      } catch (e) {
        if (e instanceof HitrankError && o.targetTransform === 'negInvLog10') {
          throw new HitrankError(
            e.code,
            `${e.detail} The default target transform 'negInvLog10' needs hit scores in (0, 1) ` +
              `(market shares); use targetTransform: 'zscore' or 'none' for other scales.`,
          );
        }
        throw e;
      }
    }
    if (!this.scorer) this.build(train);
    const scorer = this.scorer!;
    const yT = Float32Array.from(this.transform.forward(train.hitScores));

    const sampler: PairSampler | null =
      o.w === 0 && opts.sampler === undefined
        ? null
        : typeof opts.sampler === 'object'
          ? opts.sampler
          : createSampler(opts.sampler ?? 'ab', train, { seed: o.seed, pairsPerEpoch: opts.pairsPerEpoch });
    if (sampler && sampler.songCount !== n) {
      throw new HitrankError('E_SHAPE', `the sampler is for ${sampler.songCount} songs, the training set has ${n}.`);
    }
    const shuffleRng = seedrandom(`hitrank-fit-${o.seed}`);

    // Fixed validation pairs for the validation loss.
    const val = opts.validation;
    const valPairs = val && val.ids.length >= 2 ? naivePairs(val.ids.length, { seed: o.seed }).pairArray(0) : null;
    const valT = val ? Float32Array.from(this.transform.forward(val.hitScores)) : null;

    const optimizer = tf.train.adagrad(lr0);
    // AdagradOptimizer reads `learningRate` on every step; tfjs marks it protected.
    const setLr = (v: number) => ((optimizer as unknown as { learningRate: number }).learningRate = v);
    let lr = lr0;
    const vars = scorer.variables();
    const history: EpochLog[] = [];
    let best = Infinity;
    let bestEpoch = -1;
    let bestWeights: tf.Tensor[] | null = null;
    let sinceBest = 0;
    let stoppedEarly = false;
    const executor = opts.executor;
    let executorStarted = false;

    try {
      if (executor) {
        const context: TrainingContext = {
          scorer: { ...scorer.config },
          melShape: this.melShape ? [this.melShape[0], this.melShape[1]] : null,
          tagDim: this.tagNames?.length ?? 0,
          loss: { margin: o.margin, w: o.w, ties: o.ties, rank: o.rank },
          maxPairs: batchPairs,
          variables: vars,
          fillInputs: (songs, x, g, rawMels) => this.fillInputs(train, songs, x, g, rawMels),
          melStandardizer: this.melStd ? { mean: [...this.melStd.mean], std: [...this.melStd.std] } : null,
          applyGradients: (grads) => {
            if (grads.length !== vars.length) {
              tf.dispose(grads);
              throw new HitrankError('E_SHAPE', `the executor returned ${grads.length} gradients for ${vars.length} variables.`);
            }
            try {
              optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
            } finally {
              tf.dispose(grads);
            }
          },
        };
        executorStarted = true;
        await executor.start(context);
      }
      for (let epoch = 0; epoch < epochs; epoch++) {
        const flat = sampler ? sampler.pairArray(epoch) : shuffledSongPairs(n, shuffleRng);
        const P = flat.length / 2;
        let sumLoss = 0;
        let sumRate = 0;
        let sumRank = 0;
        let steps = 0;
        let ahead: TrainingBatch | null = null;
        for (let p0 = 0; p0 < P; p0 += batchPairs) {
          const B = Math.min(batchPairs, P - p0);
          const batch = ahead ?? pairBatch(flat, p0, B, yT, epoch, steps);
          let lv: number;
          let rv: number;
          let kv: number;
          if (executor) {
            const p1 = p0 + batchPairs;
            ahead = p1 < P ? pairBatch(flat, p1, Math.min(batchPairs, P - p1), yT, epoch, steps + 1) : null;
            ({ loss: lv, rate: rv, rank: kv } = await executor.step(batch, ahead));
          } else {
            // The whole batch as one shard: the step a data-parallel worker takes, operation for operation.
            const { songs: idx, yi, yj } = batch;
            const { x, g, xData } = this.inputs(train, idx);
            const loss = { margin: o.margin, w: o.w, ties: o.ties, rank: o.rank };
            let step: ShardGradients;
            try {
              step = shardGradients(scorer, vars, x, g, yi, yj, loss, 1 - o.w, o.w, shardDropoutDraw(batch.epoch, batch.step, B, 0, B), xData);
            } finally {
              x?.dispose();
              g?.dispose();
            }
            try {
              optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: step.grads[i] })));
            } finally {
              tf.dispose(step.grads);
            }
            ({ loss: lv, rate: rv, rank: kv } = step);
          }
          if (!Number.isFinite(lv)) {
            throw new HitrankError(
              'E_NAN',
              `training loss became ${lv} at epoch ${epoch}, step ${steps}; lower the learning rate or check the inputs.`,
            );
          }
          sumLoss += lv * B;
          sumRate += rv * B;
          sumRank += kv * B;
          steps++;
        }
        const log: EpochLog = {
          epoch,
          loss: sumLoss / P,
          rateLoss: sumRate / P,
          rankLoss: sumRank / P,
          learningRate: lr,
          steps,
        };
        let score = -epoch; // without validation: the last epoch is the best
        if (val) {
          const pred = await this.predictRaw(val);
          log.val = evaluateRanking(val.hitScores, pred);
          if (valPairs) log.valLoss = this.pairLoss(pred, valT!, valPairs);
          score = monitor === 'loss' ? (log.valLoss ?? Infinity) : -(log.val[monitor] as number);
          if (Number.isNaN(score)) score = Infinity;
        }
        history.push(log);
        if (score < best || bestEpoch < 0) {
          best = score;
          bestEpoch = epoch;
          sinceBest = 0;
          if (val) {
            bestWeights?.forEach((t) => t.dispose());
            bestWeights = scorer.namedWeights().map((w) => tf.clone(w.tensor));
          }
        } else if (val) {
          sinceBest++;
          lr *= lrDecay;
          setLr(lr);
        }
        if (opts.onEpoch) await opts.onEpoch(log);
        if (val && sinceBest >= patience) {
          stoppedEarly = epoch < epochs - 1;
          break;
        }
      }
      if (bestWeights) {
        const named = scorer.namedWeights();
        scorer.setNamedWeights(new Map(named.map((w, i) => [w.name, bestWeights![i]])));
        if (history[bestEpoch]?.val) this.metrics = { validation: history[bestEpoch].val, bestEpoch };
      }
    } finally {
      try {
        if (executorStarted) await executor!.stop();
      } finally {
        bestWeights?.forEach((t) => t.dispose());
        optimizer.dispose();
      }
    }
    return { epochs: history, bestEpoch, stoppedEarly };
  }

  /** Eq. 3 on fixed pairs of already-predicted scores (no gradient). */
  private pairLoss(pred: Float32Array, y: Float32Array, pairs: Int32Array): number {
    const B = pairs.length / 2;
    const fi = new Float32Array(B);
    const fj = new Float32Array(B);
    const yi = new Float32Array(B);
    const yj = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      fi[b] = pred[pairs[2 * b]];
      fj[b] = pred[pairs[2 * b + 1]];
      yi[b] = y[pairs[2 * b]];
      yj[b] = y[pairs[2 * b + 1]];
    }
    const o = this.options;
    return tf.tidy(() => {
      const parts = multiObjectiveLossParts(fi, fj, yi, yj, { margin: o.margin, w: o.w, ties: o.ties, rank: o.rank });
      return parts.loss.dataSync()[0];
    });
  }

  private async predictRaw(ds: HitDataset): Promise<Float32Array> {
    const scorer = this.requireBuilt();
    const n = ds.ids.length;
    const out = new Float32Array(n);
    for (let s = 0; s < n; s += PREDICT_BATCH) {
      const B = Math.min(PREDICT_BATCH, n - s);
      const idx = Int32Array.from({ length: B }, (_, i) => s + i);
      const { x, g, xData } = this.inputs(ds, idx);
      const f = scorer.score(x, g, false, xData);
      x?.dispose();
      g?.dispose();
      out.set(await f.data(), s);
      f.dispose();
    }
    return out;
  }

  private requireBuilt(): Scorer {
    if (!this.scorer || !this.transform) {
      throw new HitrankError('E_MISSING_DATA', 'the model has no weights yet: call fit() or SiameseHitModel.load() first.');
    }
    return this.scorer;
  }

  /**
   * Scores songs. The scores live on the transformed training scale (e.g.
   * −1/log10 of the market share): monotone in the predicted hit score, so they
   * rank songs directly; {@link SiameseHitModel.predictHitScores} maps them back.
   *
   * @param songs - a {@link HitDataset} with the same kind of features as the training set
   *   (`hitScores` may be zeros when unknown).
   * @returns one score per song, in dataset order.
   */
  async predict(songs: HitDataset): Promise<Float32Array> {
    this.requireBuilt();
    this.checkData(songs, 'prediction');
    return this.predictRaw(songs);
  }

  /**
   * Predicted hit scores on the original scale (the inverse target transform
   * of {@link SiameseHitModel.predict}; for `negInvLog10`, scores ≤ 0 map to 0).
   *
   * @param songs - the songs to score.
   * @returns one predicted hit score per song.
   */
  async predictHitScores(songs: HitDataset): Promise<Float64Array> {
    const raw = await this.predict(songs);
    return this.transform!.inverse(raw);
  }

  /**
   * The paper's evaluation (§4) of the model on a labelled set: nDCG@10 % over
   * the whole ranking, Kendall τ-b and Spearman ρ on the top 10 % by true score.
   *
   * @param songs - a labelled {@link HitDataset}.
   * @param topFraction - the "@" fraction. Default `0.1`.
   * @returns `{ ndcg, kendall, spearman, k }`.
   */
  async evaluate(songs: HitDataset, topFraction = 0.1): Promise<RankingEvaluation> {
    const pred = await this.predict(songs);
    return evaluateRanking(songs.hitScores, pred, { topFraction });
  }

  /** The model card that {@link SiameseHitModel.save} writes. */
  modelCard(): ModelCard {
    const scorer = this.requireBuilt();
    const names = scorer.namedWeights();
    const card: ModelCard = {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      library: VERSION,
      options: { ...this.options, tagDim: this.tagNames?.length ?? 0 },
      melShape: this.melShape,
      featurePreset: this.options.featurePreset,
      tagNames: this.tagNames,
      melStandardizer: this.melStd,
      tagStandardizer: this.tagStd,
      targetTransform: { kind: this.transform!.kind, params: { ...this.transform!.params } },
      metrics: this.metrics,
      weightNames: names.map((w) => w.name),
      savedAt: new Date().toISOString(),
    };
    return card;
  }

  /**
   * Saves weights and model card through a tf.io handler (`fileHandler(dir)` from
   * `hitrank/node` writes atomically; in a browser `'indexeddb://name'`,
   * `'localstorage://name'` or `'downloads://name'`).
   *
   * @param store - a `tf.io.IOHandler` or a URL string tf.io understands.
   * @returns the handler's save result.
   */
  async save(store: ModelStore): Promise<tf.io.SaveResult> {
    const handler = resolveHandler(store, 'save');
    const card = this.modelCard();
    // namedWeights() are the live variables (not copies): encode, never dispose.
    const named = this.scorer!.namedWeights();
    const { data, specs } = await tf.io.encodeWeights(named.map((w) => ({ name: w.name, tensor: w.tensor })));
    {
      return await handler.save!({
        modelTopology: { format: MODEL_FORMAT, card } as unknown as tf.io.ModelJSON['modelTopology'],
        weightSpecs: specs,
        weightData: data,
        format: MODEL_FORMAT,
        generatedBy: `hitrank ${VERSION}`,
        userDefinedMetadata: { hitrank: card as unknown as Record<string, unknown> } as unknown as Record<string, never>,
      });
    }
  }

  /**
   * Loads a model saved by {@link SiameseHitModel.save}.
   *
   * @param store - a `tf.io.IOHandler` (e.g. `fileHandler(dir)` from `hitrank/node`) or a URL string.
   * @returns the model, ready to predict.
   * @throws HitrankError `E_VERSION` for a model from a newer layout, `E_CORRUPT_FILE` for
   *   something that is not a hitrank model, `E_SHAPE` / `E_MISSING_DATA` for weights that do not fit.
   */
  static async load(store: ModelStore): Promise<SiameseHitModel> {
    const handler = resolveHandler(store, 'load');
    const art = await handler.load!();
    const meta = art.userDefinedMetadata as { hitrank?: unknown } | undefined;
    const topo = art.modelTopology as { card?: unknown } | undefined;
    const card = checkModelCard(meta?.hitrank ?? topo?.card);
    if (!art.weightSpecs || !art.weightData) {
      throw new HitrankError('E_MISSING_DATA', 'the saved model has no weights (weight specs or data missing).');
    }
    const model = new SiameseHitModel(card.options as SiameseHitModelOptions);
    model.melShape = card.melShape;
    model.tagNames = card.tagNames;
    model.melStd = card.melStandardizer;
    model.tagStd = card.tagStandardizer;
    model.transform = targetTransformFromJSON(card.targetTransform);
    model.metrics = card.metrics ?? {};
    model.scorer = model.newScorer();
    let tensors: tf.NamedTensorMap;
    try {
      const data = art.weightData instanceof ArrayBuffer ? art.weightData : tf.io.concatenateArrayBuffers(art.weightData);
      tensors = tf.io.decodeWeights(data, art.weightSpecs);
    } catch (e) {
      model.dispose();
      throw new HitrankError('E_CORRUPT_FILE', `the weights do not decode with their specs: ${(e as Error).message}`);
    }
    try {
      model.scorer.setNamedWeights(new Map(Object.entries(tensors)));
    } catch (e) {
      model.dispose();
      throw e;
    } finally {
      Object.values(tensors).forEach((t) => t.dispose());
    }
    return model;
  }

  /** Frees every tensor the model holds. */
  dispose(): void {
    this.scorer?.dispose();
    this.scorer = null;
  }
}

function resolveHandler(store: ModelStore, kind: 'save' | 'load'): tf.io.IOHandler {
  if (typeof store !== 'string') {
    if (!store || typeof store[kind] !== 'function') {
      throw new HitrankError('E_PARAM', `expected a tf.io handler with a ${kind}() method.`);
    }
    return store;
  }
  const handlers = kind === 'save' ? tf.io.getSaveHandlers(store) : tf.io.getLoadHandlers(store);
  if (!handlers.length) {
    throw new HitrankError(
      'E_PARAM',
      `no tf.io handler for "${store}". In Node use fileHandler(dir) from 'hitrank/node'; ` +
        `in a browser 'indexeddb://…', 'localstorage://…' or 'downloads://…'.`,
    );
  }
  return handlers[0];
}

/** Pairs `p0 … p0 + B − 1` of an epoch's flat pair list as a step's batch. */
function pairBatch(flat: Int32Array, p0: number, B: number, yT: Float32Array, epoch: number, step: number): TrainingBatch {
  const songs = new Int32Array(2 * B);
  const yi = new Float32Array(B);
  const yj = new Float32Array(B);
  for (let b = 0; b < B; b++) {
    songs[b] = flat[2 * (p0 + b)];
    songs[B + b] = flat[2 * (p0 + b) + 1];
    yi[b] = yT[songs[b]];
    yj[b] = yT[songs[B + b]];
  }
  return { epoch, step, pairs: B, songs, yi, yj };
}

/** Rating-only epochs: a shuffled list of songs cut into consecutive pairs. */
function shuffledSongPairs(n: number, rng: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const m = n - (n % 2);
  return order.subarray(0, m);
}
