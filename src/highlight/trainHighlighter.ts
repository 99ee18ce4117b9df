/**
 * Training a highlighter on song-level class labels (the surrogate task of
 * Huang et al.: emotion classes there; genre, mood or playlist labels work the
 * same way).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { HitrankError, assertInRange, assertInteger } from '../errors.js';
import { highlighterFeatures, type ChunkedMel } from '../dsp/highlighterFeatures.js';
import { buildHighlighter, type Highlighter, type HighlighterOptions } from '../models/highlighter/index.js';

/** A training song: mono PCM, or its chunked features from `highlighterFeatures` (hitrank/dsp). */
export type HighlighterSong = ArrayLike<number> | ChunkedMel;

/** What {@link TrainHighlighterOptions.onEpoch} receives. */
export interface HighlighterEpochLog {
  /** Epoch number, from 0. */
  epoch: number;
  /** Mean training cross-entropy of the song predictions. */
  loss: number;
  /** Fraction of training songs whose predicted class (during the epoch) was right. */
  accuracy: number;
  /** Validation cross-entropy (inference mode), if a validation set was given. */
  valLoss?: number;
  /** Validation accuracy, if a validation set was given. */
  valAccuracy?: number;
}

/** Held-out songs for {@link TrainHighlighterOptions.validation}. */
export interface HighlighterValidation {
  /** PCM signals or their `highlighterFeatures`. */
  songs: HighlighterSong[];
  /** One class per song (indices or names, as the training labels). */
  labels: ArrayLike<number> | string[];
}

/** Options of {@link trainHighlighter}: the model's options plus the training settings. */
export interface TrainHighlighterOptions extends HighlighterOptions {
  /** Continue training this highlighter instead of building one (the model options are then ignored). */
  highlighter?: Highlighter;
  /** Sampling rate of PCM songs in Hz. Default: the model's feature rate (22050). */
  sampleRate?: number;
  /** Passes over the training songs. Default 30 (ours; not published). */
  epochs?: number;
  /** Adam learning rate. Default 1e-3 (ours; not published). */
  learningRate?: number;
  /** Songs per optimisation step. Default 4 (ours; not published). */
  songsPerStep?: number;
  /**
   * Which chunks share batch-norm statistics during training:
   * - `'step'` (default) — all chunks of the step's songs, ordinary mini-batch
   *   batch norm (each chunk is cropped to the step's shortest chunk, a frame
   *   or two at most);
   * - `'song'` — each song's chunks alone, as the released models normalise at
   *   inference. Song-level statistics then carry information about every
   *   chunk into each chunk's features, so the classifier can read a song's
   *   class from chunks that do not hold it and the attention need not find
   *   the part that does (measured in test/highlight: a planted chorus is
   *   found far less often).
   */
  batchNormOver?: 'step' | 'song';
  /** Held-out songs and labels, evaluated after every epoch. */
  validation?: HighlighterValidation;
  /** Called after every epoch; may be async. */
  onEpoch?: (log: HighlighterEpochLog) => void | Promise<void>;
}

/** What {@link trainHighlighter} returns. */
export interface TrainHighlighterResult {
  /** The trained highlighter (the caller disposes it). */
  highlighter: Highlighter;
  /** One log per epoch. */
  history: HighlighterEpochLog[];
}

function isChunked(s: HighlighterSong): s is ChunkedMel {
  return typeof s === 'object' && s !== null && 'shape' in s && 'data' in s && Array.isArray((s as ChunkedMel).shape);
}

function encodeLabels(labels: ArrayLike<number> | string[], classNames: string[] | null, numClasses: number, what: string): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (typeof l === 'string') {
      const k = classNames ? classNames.indexOf(l) : -1;
      if (k < 0) throw new HitrankError('E_PARAM', `${what}[${i}] = '${l}' is not one of the model's classes (${classNames ? classNames.join(', ') : 'numeric classes only'}).`);
      out[i] = k;
    } else {
      if (!Number.isInteger(l) || l < 0 || l >= numClasses) {
        throw new HitrankError('E_PARAM', `${what}[${i}] = ${l}; expected a class index in [0, ${numClasses - 1}].`);
      }
      out[i] = l;
    }
  }
  return out;
}

/** Class names and count implied by the labels and options. */
function classesOf(labels: ArrayLike<number> | string[], o: TrainHighlighterOptions): { classNames?: string[]; numClasses: number } {
  if (labels.length > 0 && typeof labels[0] === 'string') {
    const names = o.classNames ?? [...new Set(labels as string[])].sort();
    return { classNames: names, numClasses: o.numClasses ?? names.length };
  }
  let max = 0;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, Number(labels[i]));
  return { ...(o.classNames ? { classNames: o.classNames } : {}), numClasses: o.numClasses ?? o.classNames?.length ?? Math.max(2, max + 1) };
}

/** Shuffles 0 … n − 1 with a seeded Fisher–Yates. */
function permutation(n: number, rng: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** −log p[label], with p floored at 1e-7. */
function crossEntropy(songProbs: tf.Tensor1D, label: number): tf.Scalar {
  return tf.neg(tf.log(tf.maximum(tf.reshape(tf.slice(songProbs, [label], [1]), []), 1e-7))) as tf.Scalar;
}

/** Σ over songs of −log p[song, label], probabilities `[S, C]`. */
function crossEntropySum(songProbs: tf.Tensor2D, labels: number[]): tf.Scalar {
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), songProbs.shape[1]);
  return tf.neg(tf.sum(tf.log(tf.maximum(tf.sum(tf.mul(songProbs, onehot), 1), 1e-7)))) as tf.Scalar;
}

/** Several songs' chunks in one `[Σ chunks, frames, nMels]` tensor, each chunk cropped to the shortest. */
function pack(feats: ChunkedMel[]): { x: tf.Tensor3D; lengths: number[] } {
  const frames = Math.min(...feats.map((f) => f.shape[1]));
  const mels = feats[0].shape[2];
  const lengths = feats.map((f) => f.shape[0]);
  const total = lengths.reduce((a, b) => a + b, 0);
  const data = new Float32Array(total * frames * mels);
  let row = 0;
  for (const f of feats) {
    const [n, fpc] = f.shape;
    if (fpc === frames) data.set(f.data, row * frames * mels);
    else for (let c = 0; c < n; c++) data.set(f.data.subarray(c * fpc * mels, (c * fpc + frames) * mels), (row + c) * frames * mels);
    row += n;
  }
  return { x: tf.tensor3d(data, [total, frames, mels]), lengths };
}

/**
 * Trains a highlighter (built from the options, or `options.highlighter`) on
 * song-level labels, as Huang et al. trained theirs on emotion classes: the
 * song's class probabilities are the attention-weighted sum of its chunks'
 * class predictions (late fusion), and the loss is their cross-entropy
 * against the song's label, averaged over `songsPerStep` songs per Adam
 * step. The attention learns where in a song the class evidence is; that is
 * the highlight. The songs of a step go through the network as one batch
 * ({@link Highlighter.forwardBatch}) and share batch-norm statistics (see
 * `batchNormOver` for the per-song alternative and why it is not the
 * default); positional encoding, softmax and fusion stay per song. Training
 * runs on every tfjs backend, tfjs-backend-wasm included; the song order is
 * shuffled with a seeded generator, and the same seed and backend give the
 * same model.
 *
 * @param songs - PCM signals at `options.sampleRate` or their `highlighterFeatures`.
 * @param labels - one class per song: indices `0 … numClasses − 1` or names (sorted names become the classes).
 * @param options - see {@link TrainHighlighterOptions}.
 * @returns the highlighter and the per-epoch history.
 * @throws HitrankError `E_SHAPE` when songs and labels differ in number, `E_PARAM` for bad labels or options, `E_TOO_SHORT` for songs shorter than one chunk.
 * @example
 * ```ts
 * const { highlighter } = await trainHighlighter(pcmSongs, genres, { epochs: 40, seed: 1 });
 * const hl30 = extractHighlight(pcm, highlighter);
 * ```
 */
export async function trainHighlighter(
  songs: HighlighterSong[],
  labels: ArrayLike<number> | string[],
  options: TrainHighlighterOptions = {},
): Promise<TrainHighlighterResult> {
  if (!Array.isArray(songs) || songs.length === 0) throw new HitrankError('E_EMPTY', 'trainHighlighter needs at least one song.');
  if (!labels || labels.length !== songs.length) {
    throw new HitrankError('E_SHAPE', `got ${songs.length} songs but ${labels?.length ?? 0} labels; expected one label per song.`);
  }
  const epochs = options.epochs ?? 30;
  const lr = options.learningRate ?? 1e-3;
  const perStep = options.songsPerStep ?? 4;
  const bnOver = options.batchNormOver ?? 'step';
  if (bnOver !== 'step' && bnOver !== 'song') throw new HitrankError('E_PARAM', `batchNormOver must be 'step' or 'song', got '${String(bnOver)}'.`);
  assertInteger(epochs, 'epochs', 0, 1e6);
  assertInRange(lr, 'learningRate', 1e-12, 10);
  assertInteger(perStep, 'songsPerStep', 1, 1 << 16);

  let highlighter = options.highlighter;
  const built = !highlighter;
  if (!highlighter) highlighter = buildHighlighter({ ...options, ...classesOf(labels, options) });
  const cfg = highlighter.config;
  try {
    const y = encodeLabels(labels, cfg.classNames, cfg.numClasses, 'labels');
    const rate = options.sampleRate ?? cfg.features.sampleRate;
    const featureOpts = { ...highlighter.featureOptions(), inputSampleRate: rate };
    const toFeatures = (s: HighlighterSong, i: number, what: string): ChunkedMel => {
      const f = isChunked(s) ? s : highlighterFeatures(s, featureOpts);
      if (f.shape.length !== 3 || f.shape[2] !== cfg.nMels || f.data.length !== f.shape[0] * f.shape[1] * f.shape[2]) {
        throw new HitrankError('E_SHAPE', `${what}[${i}] has features of shape [${f.shape.join(', ')}]; this highlighter takes [chunks, frames, ${cfg.nMels}].`);
      }
      return f;
    };
    const feats = songs.map((s, i) => toFeatures(s, i, 'songs'));
    const val = options.validation
      ? {
          feats: options.validation.songs.map((s, i) => toFeatures(s, i, 'validation.songs')),
          y: encodeLabels(options.validation.labels, cfg.classNames, cfg.numClasses, 'validation.labels'),
        }
      : null;
    if (val && val.y.length !== val.feats.length) {
      throw new HitrankError('E_SHAPE', `validation has ${val.feats.length} songs but ${val.y.length} labels.`);
    }

    const rng = seedrandom(`hitrank:highlighter-train:${cfg.seed}`);
    const optimizer = tf.train.adam(lr);
    const vars = highlighter.trainableVariables();
    const hl = highlighter;
    const history: HighlighterEpochLog[] = [];
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        const order = permutation(feats.length, rng);
        let lossSum = 0;
        let correct = 0;
        for (let b = 0; b < order.length; b += perStep) {
          const batch = order.slice(b, b + perStep);
          const labelsOf = batch.map((i) => y[i]);
          let predicted: tf.Tensor | null = null;
          let cost: tf.Scalar | null;
          if (bnOver === 'step') {
            const { x, lengths } = pack(batch.map((i) => feats[i]));
            try {
              cost = optimizer.minimize(
                () => {
                  const { songProbs } = hl.forwardBatch(x, lengths, true);
                  predicted = tf.keep(tf.argMax(songProbs, 1));
                  return tf.div(crossEntropySum(songProbs, labelsOf), batch.length) as tf.Scalar;
                },
                true,
                vars,
              );
            } finally {
              x.dispose();
            }
          } else {
            const xs = batch.map((i) => tf.tensor3d(feats[i].data, feats[i].shape));
            try {
              cost = optimizer.minimize(
                () => {
                  const probs = xs.map((x) => hl.forward(x, true).songProbs);
                  const stacked = tf.stack(probs) as tf.Tensor2D;
                  predicted = tf.keep(tf.argMax(stacked, 1));
                  return tf.div(crossEntropySum(stacked, labelsOf), batch.length) as tf.Scalar;
                },
                true,
                vars,
              );
            } finally {
              tf.dispose(xs);
            }
          }
          lossSum += (await (cost as tf.Scalar).data())[0] * batch.length;
          const guess = await (predicted as unknown as tf.Tensor).data();
          for (let j = 0; j < batch.length; j++) if (guess[j] === labelsOf[j]) correct++;
          tf.dispose([cost as tf.Scalar, predicted as unknown as tf.Tensor]);
        }
        const log: HighlighterEpochLog = { epoch, loss: lossSum / feats.length, accuracy: correct / feats.length };
        if (val) {
          let vl = 0;
          let vc = 0;
          for (let i = 0; i < val.feats.length; i++) {
            const [l, k] = tf.tidy(() => {
              const { songProbs } = hl.forward(tf.tensor3d(val.feats[i].data, val.feats[i].shape), false);
              return [crossEntropy(songProbs, val.y[i]), tf.argMax(songProbs)];
            });
            vl += (await l.data())[0];
            if ((await k.data())[0] === val.y[i]) vc++;
            tf.dispose([l, k]);
          }
          log.valLoss = vl / val.feats.length;
          log.valAccuracy = vc / val.feats.length;
        }
        history.push(log);
        if (options.onEpoch) await options.onEpoch(log);
      }
    } finally {
      optimizer.dispose();
    }
    return { highlighter, history };
  } catch (e) {
    if (built) highlighter.dispose();
    throw e;
  }
}
