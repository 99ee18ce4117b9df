// The computations the browser test compares between headless Chromium and
// Node. The SAME functions run on both sides — bundled into the page, and
// imported by the vitest file — each taking the modules it needs (tfjs-core,
// the built hitrank package) as arguments, so neither side has its own copy of
// the arithmetic. Type-only imports from src/ (erased by esbuild and tsx).
import type * as Tf from '@tensorflow/tfjs-core';
import type * as Hitrank from '../../../src/index.js';
import type * as HitrankLosses from '../../../src/losses/index.js';
import type * as HitrankTraining from '../../../src/training/index.js';

/** tfjs-core's namespace. */
export type TfModule = typeof Tf;
/** The `hitrank` root module (as built in dist/). */
export type HitrankModule = typeof Hitrank;
/** The `hitrank/losses` module. */
export type LossesModule = typeof HitrankLosses;
/** `SiameseHitModel`'s constructor (from `hitrank`, or `hitrank/training` until the root re-exports it). */
export type SiameseHitModelClass = typeof HitrankTraining.SiameseHitModel;

// ---------------------------------------------------------------------------
// Hashing (to compare large arrays across the page boundary cheaply)

/**
 * FNV-1a (32-bit) over the bytes of float32 arrays, as 8 hex digits: equal
 * hashes mean bit-identical samples.
 *
 * @param arrays - the arrays, hashed in order.
 * @returns the hash.
 */
export function hashFloat32(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------
// Audio → log-mel

/** What {@link audioToLogMel} reports. */
export interface LogMelReport {
  /** Sample rate of the decoded file. */
  sampleRate: number;
  /** Channels of the decoded file. */
  channels: number;
  /** Frames (samples per channel) of the decoded file. */
  length: number;
  /** {@link hashFloat32} of the decoded channels. */
  decodedHash: string;
  /** Shape of the log-mel, `[nMels, frames]`. */
  shape: [number, number];
  /** The log-mel values (dB, row-major), as plain numbers (exact float32 values). */
  data: number[];
}

/**
 * The hitrank front end on one encoded file: `decodeAudio` (or `decodeWav`
 * with `wavOnly`), `toMono`, `resample` to 22050 Hz when needed, `midSegment`
 * (Mid-30) when `mid30`, then `logMel` with the paper's settings.
 *
 * @param h - the hitrank module.
 * @param bytes - the encoded file.
 * @param options - `wavOnly`: decode with `decodeWav` (sync) instead of `decodeAudio`; `mid30`: cut the Mid-30 segment first.
 * @returns the {@link LogMelReport}.
 */
export async function audioToLogMel(
  h: HitrankModule,
  bytes: Uint8Array,
  options: { wavOnly?: boolean; mid30?: boolean } = {},
): Promise<LogMelReport> {
  const decoded = options.wavOnly ? h.decodeWav(bytes) : await h.decodeAudio(bytes);
  let y = decoded.channelData.length === 1 ? decoded.channelData[0] : h.toMono(decoded.channelData);
  if (decoded.sampleRate !== 22050) y = h.resample(y, { from: decoded.sampleRate, to: 22050 });
  if (options.mid30) y = h.midSegment(y, { sampleRate: 22050 }).samples;
  const S = h.logMel(y, { sampleRate: 22050 });
  return {
    sampleRate: decoded.sampleRate,
    channels: decoded.channelData.length,
    length: decoded.channelData[0].length,
    decodedHash: hashFloat32(decoded.channelData),
    shape: [S.shape[0], S.shape[1]],
    data: Array.from(S.data),
  };
}

// ---------------------------------------------------------------------------
// A small tfjs computation with gradients (core ops + hitrank's Eq. 3 loss)

/** Inputs of {@link runTfCheck} (plain arrays, so they cross the page boundary). */
export interface TfCheckInput {
  /** `[n, k]` left matMul operand, row-major. */
  a: number[];
  /** `[k, m]` right matMul operand, row-major. */
  b: number[];
  /** `[n, k, m]`. */
  dims: [number, number, number];
  /** Pair batch: features of the first songs, `[pairs, k]`. */
  xi: number[];
  /** Features of the second songs, `[pairs, k]`. */
  xj: number[];
  /** Targets of the first songs, `[pairs]`. */
  yi: number[];
  /** Targets of the second songs, `[pairs]`. */
  yj: number[];
  /** Hidden layer `[k, m]` of the little scorer. */
  w1: number[];
  /** Hidden bias `[m]`. */
  b1: number[];
  /** Output layer `[m]`. */
  w2: number[];
  /** Image `[1, 12, 16, 2]` for a conv2d. */
  img: number[];
  /** Filter `[3, 3, 2, 4]`. */
  filt: number[];
}

/** Outputs of {@link runTfCheck}. */
export interface TfCheckOutput {
  /** a·b, `[n, m]`. */
  matMul: number[];
  /** conv2d(img, filt), SAME padding. */
  conv: number[];
  /** multiObjectiveLoss (Eq. 3) of the little scorer on the pair batch. */
  loss: number;
  /** The rate and rank terms of that loss. */
  parts: [number, number];
  /** d loss / d w1, d b1, d w2, concatenated. */
  grads: number[];
  /** Tensors alive after the computation minus before (should be 0). */
  leakedTensors: number;
}

/**
 * Deterministic inputs for {@link runTfCheck}, of order-1 magnitudes (so an
 * absolute tolerance means something).
 *
 * @param random - a uniform [0, 1) generator (seeded by the caller).
 * @returns the inputs.
 */
export function makeTfCheckInput(random: () => number): TfCheckInput {
  const n = 24;
  const k = 40;
  const m = 16;
  const pairs = 10;
  const u = (len: number, scale: number) => Array.from({ length: len }, () => (2 * random() - 1) * scale);
  return {
    a: u(n * k, 1),
    b: u(k * m, 1 / Math.sqrt(k)),
    dims: [n, k, m],
    xi: u(pairs * k, 1),
    xj: u(pairs * k, 1),
    yi: u(pairs, 1),
    yj: u(pairs, 1),
    w1: u(k * m, 1 / Math.sqrt(k)),
    b1: u(m, 0.1),
    w2: u(m, 1 / Math.sqrt(m)),
    img: u(12 * 16 * 2, 1),
    filt: u(3 * 3 * 2 * 4, 1 / Math.sqrt(18)),
  };
}

/**
 * matMul, conv2d, and the value and gradients of hitrank's
 * `multiObjectiveLoss` (Eq. 3) for a one-hidden-layer scorer applied to both
 * songs of each pair (the Siamese pattern), on the current tfjs backend.
 *
 * @param tf - tfjs-core, with a backend set and gradients registered.
 * @param losses - the `hitrank/losses` module.
 * @param input - {@link TfCheckInput}.
 * @returns {@link TfCheckOutput}.
 */
export async function runTfCheck(tf: TfModule, losses: LossesModule, input: TfCheckInput): Promise<TfCheckOutput> {
  const before = tf.memory().numTensors;
  const [n, k, m] = input.dims;
  const pairs = input.yi.length;
  const out = tf.tidy(() => {
    const matMul = tf.matMul(tf.tensor2d(input.a, [n, k]), tf.tensor2d(input.b, [k, m]));
    const conv = tf.conv2d(tf.tensor4d(input.img, [1, 12, 16, 2]), tf.tensor4d(input.filt, [3, 3, 2, 4]), 1, 'same');
    const xi = tf.tensor2d(input.xi, [pairs, k]);
    const xj = tf.tensor2d(input.xj, [pairs, k]);
    const score = (x: Tf.Tensor2D, w1: Tf.Tensor, b1: Tf.Tensor, w2: Tf.Tensor) =>
      tf.reshape(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1 as Tf.Tensor2D), b1)), tf.reshape(w2, [m, 1]) as Tf.Tensor2D), [pairs]);
    const lossOf = (w1: Tf.Tensor, b1: Tf.Tensor, w2: Tf.Tensor) =>
      losses.multiObjectiveLoss(score(xi, w1, b1, w2), score(xj, w1, b1, w2), input.yi, input.yj, { w: 0.5, margin: 1 });
    const params = [tf.tensor2d(input.w1, [k, m]), tf.tensor1d(input.b1), tf.tensor1d(input.w2)];
    const { value, grads } = tf.valueAndGrads((w1: Tf.Tensor, b1: Tf.Tensor, w2: Tf.Tensor) => lossOf(w1, b1, w2))(params);
    const p = losses.multiObjectiveLossParts(score(xi, params[0], params[1], params[2]), score(xj, params[0], params[1], params[2]), input.yi, input.yj, {
      w: 0.5,
      margin: 1,
    });
    return { matMul, conv, value, grads: tf.concat(grads.map((g) => tf.reshape(g, [-1]))), rate: p.rate, rank: p.rank };
  });
  const result: TfCheckOutput = {
    matMul: Array.from(await out.matMul.data()),
    conv: Array.from(await out.conv.data()),
    loss: (await out.value.data())[0],
    parts: [(await out.rate.data())[0], (await out.rank.data())[0]],
    grads: Array.from(await out.grads.data()),
    leakedTensors: 0,
  };
  for (const t of Object.values(out)) t.dispose();
  result.leakedTensors = tf.memory().numTensors - before;
  return result;
}

// ---------------------------------------------------------------------------
// SiameseHitModel: fit a few steps, predict (the end-to-end check)

/** A small synthetic data set in {@link HitrankModule}'s `HitDataset` shape, as plain arrays. */
export interface SiameseCheckInput {
  /** Song ids. */
  ids: string[];
  /** Hit scores (> 0). */
  hitScores: number[];
  /** One row-major `[nMels × frames]` log-mel per song. */
  mels: number[][];
  /** `[nMels, frames]`. */
  melShape: [number, number];
  /** Model options (`new SiameseHitModel(options)`). */
  model: { w: number; seed: number };
  /** `fit` options. */
  fit: { sampler: 'ab' | 'naive'; epochs: number; batchPairs: number };
}

/** What {@link runSiameseCheck} reports. */
export interface SiameseCheckOutput {
  /** Training loss of each epoch. */
  epochLosses: number[];
  /** `predict` on the training songs. */
  predictions: number[];
  /** Predictions of the model after a save → load round trip through memory. */
  reloadedPredictions: number[];
  /**
   * The same trained weights, predicting on other backends (the `predictOn`
   * argument): forward-pass agreement, free of training drift. An error
   * message where that backend failed.
   */
  predictionsOn: Record<string, number[] | string>;
}

/**
 * Synthetic songs for {@link runSiameseCheck}: log-mel-like values whose
 * level rises with the hit score, so a few training steps move the model.
 *
 * @param random - a uniform [0, 1) generator (seeded by the caller).
 * @returns the inputs.
 */
export function makeSiameseCheckInput(random: () => number): SiameseCheckInput {
  const n = 12;
  const melShape: [number, number] = [128, 24];
  const size = melShape[0] * melShape[1];
  const hitScores = Array.from({ length: n }, () => 1e-4 + random() * 1e-2);
  const mels = hitScores.map((s) => Array.from({ length: size }, () => -60 + 20 * random() + 1000 * s));
  return {
    ids: hitScores.map((_, i) => `song${i}`),
    hitScores,
    mels,
    melShape,
    model: { w: 0.5, seed: 7 },
    fit: { sampler: 'ab', epochs: 2, batchPairs: 4 },
  };
}

/**
 * `new SiameseHitModel(…)`, `fit` for a few steps, `predict`, then `save` to
 * memory and `SiameseHitModel.load` back and `predict` again — on the current
 * tfjs backend; then the reloaded model predicts once more on each backend of
 * `predictOn` (switched to by `predictOn.use`).
 *
 * @param tf - tfjs-core, with a backend set and gradients registered.
 * @param SiameseHitModel - the class, from the built package.
 * @param input - {@link SiameseCheckInput}.
 * @param predictOn - other backends to predict on, and how to switch to one (it must throw if the backend does not start).
 * @returns {@link SiameseCheckOutput}.
 */
export async function runSiameseCheck(
  tf: TfModule,
  SiameseHitModel: SiameseHitModelClass,
  input: SiameseCheckInput,
  predictOn: { backends: string[]; use: (backend: string) => Promise<void> } = { backends: [], use: async () => {} },
): Promise<SiameseCheckOutput> {
  const ds = {
    ids: input.ids,
    hitScores: Float64Array.from(input.hitScores),
    mels: input.mels.map((m) => Float32Array.from(m)),
    melShape: input.melShape,
  };
  const model = new SiameseHitModel({ audio: true, tags: false, ...input.model });
  const history = await model.fit(ds, input.fit);
  const predictions = Array.from(await model.predict(ds));
  let saved: Tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  if (!saved) throw new Error('SiameseHitModel.save did not call the save handler.');
  const reloaded = await SiameseHitModel.load(tf.io.fromMemory(saved));
  const reloadedPredictions = Array.from(await reloaded.predict(ds));
  const trainedOn = tf.getBackend();
  const predictionsOn: Record<string, number[] | string> = {};
  try {
    for (const b of predictOn.backends) {
      try {
        await predictOn.use(b);
        predictionsOn[b] = Array.from(await reloaded.predict(ds));
      } catch (e) {
        predictionsOn[b] = `${(e as Error).name}: ${(e as Error).message}`;
      }
    }
  } finally {
    await predictOn.use(trainedOn);
    reloaded.dispose();
  }
  return { epochLosses: history.epochs.map((e) => e.loss), predictions, reloadedPredictions, predictionsOn };
}
