/**
 * `hsp-cnn-ret30`: the HSP_CNN authors' released hit-score model (Yu et al.,
 * ICASSP 2018), built from hitrank's own {@link buildSimpleCnn} and
 * {@link buildTagDnn} and loaded with their weights.
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { jynetFeaturesFrom22k, logMel, midSegment, resample, type JynetStandardize, type JynetStandardizer, type Spectrogram } from '../dsp/index.js';
import { HitrankError, assertInteger } from '../errors.js';
import { fuseScores, negInvLog10Inverse, type FusionMode } from '../losses/index.js';
import { buildSimpleCnn, buildTagDnn, HSP_CNN_VARIABLES, loadHspCnnWeights, tagFeatures, type Tagger } from '../models/index.js';
import type { PretrainedCard } from './cards.js';
import { PretrainedTagger } from './pretrainedTagger.js';
import type { PretrainedFiles } from './readPretrained.js';

/** Options of {@link HspCnnRet30.score}: how the two branch scores are fused. */
export interface HspScoreOptions {
  /**
   * `'additive'` (default): `logit = pt + μ·tag`, the released scoring path
   * (HSP_CNN `run.sh -ps`) that produced the authors' `ret30.npy`;
   * `'convex'`: `logit = (1 − μ)·pt + μ·tag`, the path their training and
   * `-test` evaluation used (the paper's Eq. 4). See `fuseScores`.
   */
  fusion?: FusionMode;
  /** Tag weight μ in [0, 1]. Default 0.5 (the released model's). */
  mu?: number;
}

/** The hit model's output for one song. */
export interface HspScore {
  /** Fused score on the model's −1/log10 scale: higher = predicted hit. Rank by this. */
  logit: number;
  /** The predicted retention-30, `10^(−1/logit)` (0 when `logit ≤ 0`). */
  ret30: number;
  /** The CNN branch's score (global average of its per-frame scores). */
  pt: number;
  /** The tag branch's score. */
  tag: number;
}

/** Options of {@link HspCnnRet30.scoreAudio}. */
export interface HspScoreAudioOptions extends HspScoreOptions {
  /** Sampling rate of the audio in Hz. Default 22050; other rates are resampled to 22050 first (`resample`). */
  sampleRate?: number;
  /**
   * Which 30 s are scored:
   * - `'mid30'` (default): the audio is a whole song — the mel input is the
   *   middle 323 frames of the whole-song mel (`logMel(y, { preset: 'hspCnn' })`,
   *   as the authors' `mel_extract.py`), the tags come from the middle 30 s
   *   (`midSegment`);
   * - `'clip'`: the audio already is the 30-s segment (e.g. an HL-30
   *   highlight cut with `hitrank/highlight`, the authors' `run.sh` input):
   *   mel and tags are computed on it as given.
   */
  segment?: 'mid30' | 'clip';
  /**
   * The tagger that makes the 50 tag inputs. Default: the pretrained
   * `jynet-mtat`, loaded from the same place on first use and owned (and
   * disposed) by this model. Any {@link Tagger} with the 50 MTAT tags works;
   * its tags are mapped by name.
   */
  tagger?: Tagger;
  /** Precomputed tag inputs (50 activations in `card.tags` order); skips the tagger. */
  tags?: Float32Array;
  /** Standardisation of the tagger's input. Default `'self'` (the authors' inference). */
  standardize?: JynetStandardize;
  /** Statistics for `standardize: 'shipped'` with a tagger that is not a `PretrainedTagger`. */
  shippedStats?: JynetStandardizer;
}

/** {@link HspCnnRet30.scoreAudio}'s result: the scores plus what was fed. */
export interface HspAudioScore extends HspScore {
  /** The 50 tag activations fed to the tag branch, in `card.tags` order. */
  tags: Float32Array;
  /** The segment choice used. */
  segment: 'mid30' | 'clip';
  /** `true` when the audio was shorter than 30 s and was zero-padded. */
  padded: boolean;
  /** Length of the audio in seconds. */
  seconds: number;
}

const N_MELS = 128;
const FRAMES = 323;
const N_TAGS = 50;
const SR = 22050;
const SEGMENT_SAMPLES = 661500;

/**
 * The released HSP_CNN "ret30" hit model (`loadPretrained('hsp-cnn-ret30')`):
 * the simple CNN over a raw power mel (`hspCnn` preset) and the tag DNN over
 * 50 JYnet tags, fused into a logit whose `10^(−1/x)` is the predicted KKBOX
 * retention-30. Owns its weights: call {@link HspCnnRet30.dispose} when done.
 *
 * Read `card.caveat` before using the scores: the model was trained on
 * Taiwanese streaming data (KKBOX), by regression on retention-30.
 */
export class HspCnnRet30 {
  /** The model card (source, licence, training target, preset, tags, fusion, file hashes). */
  readonly card: PretrainedCard;
  /** The CNN branch: `buildSimpleCnn()` with the authors' weights; input `[B, 128, 323]`, output pt `[B, 1]`. */
  readonly cnn: tfl.LayersModel;
  /** The tag branch: `buildTagDnn()` with the authors' weights; input `[B, 50]`, output tag `[B, 1]`. */
  readonly tagDnn: tfl.LayersModel;
  /** Both branches as one model: inputs `[mel, tags]`, outputs `[pt, tag]` (the topology of `model.json`). */
  readonly model: tfl.LayersModel;
  private readonly loadDefaultTagger: () => Promise<PretrainedTagger>;
  private taggerPromise: Promise<PretrainedTagger> | null = null;
  private ownedTagger: PretrainedTagger | null = null;
  private disposed = false;

  /**
   * @param cnn - a `buildSimpleCnn()` model with weights.
   * @param tagDnn - a `buildTagDnn()` model with weights.
   * @param card - the model card.
   * @param loadDefaultTagger - loads the default tagger (`jynet-mtat`) on first use.
   */
  constructor(cnn: tfl.LayersModel, tagDnn: tfl.LayersModel, card: PretrainedCard, loadDefaultTagger: () => Promise<PretrainedTagger>) {
    this.cnn = cnn;
    this.tagDnn = tagDnn;
    this.card = card;
    this.loadDefaultTagger = loadDefaultTagger;
    this.model = tfl.model({ inputs: [cnn.inputs[0], tagDnn.inputs[0]], outputs: [cnn.outputs[0], tagDnn.outputs[0]], name: 'hsp_cnn_ret30' });
  }

  /**
   * Builds the model from a verified model folder (used by `loadPretrained`):
   * `buildSimpleCnn()` + `buildTagDnn()`, then `loadHspCnnWeights` with the
   * 18 tensors of `weights.bin` (TensorFlow names and layout).
   *
   * @param files - the `hsp-cnn-ret30` folder, read by `readPretrainedFiles`.
   * @param loadDefaultTagger - loads `jynet-mtat` when audio is scored without a tagger.
   * @returns the model.
   * @throws HitrankError `E_VERSION` when the tensors do not match the builders.
   */
  static fromFiles(files: PretrainedFiles, loadDefaultTagger: () => Promise<PretrainedTagger>): HspCnnRet30 {
    const names = Object.keys(files.weights).sort();
    const want = HSP_CNN_VARIABLES.map((v) => v.name).sort();
    if (names.join('\n') !== want.join('\n')) {
      throw new HitrankError('E_VERSION', `${files.url}weights.bin holds [${names.join(', ')}], expected the 18 HSP_CNN tensors [${want.join(', ')}].`);
    }
    const cnn = buildSimpleCnn();
    const tagDnn = buildTagDnn();
    try {
      loadHspCnnWeights(cnn, tagDnn, files.weights);
      return new HspCnnRet30(cnn, tagDnn, files.card, loadDefaultTagger);
    } catch (e) {
      cnn.dispose();
      tagDnn.dispose();
      throw e instanceof HitrankError && e.code !== 'E_NAN' ? new HitrankError('E_VERSION', `${files.url}weights.bin does not fit buildSimpleCnn/buildTagDnn: ${e.message}`) : e;
    }
  }

  private alive(): void {
    if (this.disposed) throw new HitrankError('E_PARAM', 'this hsp-cnn-ret30 model was disposed; load it again with loadPretrained.');
  }

  private checkMel(mel: Spectrogram, what: string): Float32Array {
    if (!mel || !(mel.data instanceof Float32Array) || !Array.isArray(mel.shape)) {
      throw new HitrankError('E_PARAM', `${what} must be a Spectrogram { data: Float32Array, shape: [128, 323] }.`);
    }
    const [rows, frames] = mel.shape;
    if (rows !== N_MELS || frames !== FRAMES || mel.data.length !== N_MELS * FRAMES) {
      throw new HitrankError(
        'E_SHAPE',
        `${what} has shape [${mel.shape.join(', ')}] (${mel.data.length} values); hsp-cnn-ret30 takes [128, 323]: logMel(y, { preset: 'hspCnn' }) of 22050-Hz audio.`,
      );
    }
    const d = mel.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (v >= 0 && v !== Infinity) continue;
      if (!Number.isFinite(v)) throw new HitrankError('E_NAN', `${what} contains ${v} at index ${i}; expected finite values.`);
      throw new HitrankError(
        'E_PARAM',
        `${what} contains ${v} at index ${i}; hsp-cnn-ret30 takes the RAW power mel (preset 'hspCnn', no log), which is never negative — were these dB or standardised features?`,
      );
    }
    return d;
  }

  private static checkTags(tags: ArrayLike<number>, what: string): void {
    if (!tags || tags.length !== N_TAGS) {
      throw new HitrankError('E_SHAPE', `${what} has ${tags?.length} values; hsp-cnn-ret30 takes the 50 JYnet tag activations in card.tags order.`);
    }
    for (let i = 0; i < N_TAGS; i++) {
      const v = tags[i];
      if (!Number.isFinite(v)) throw new HitrankError('E_NAN', `${what} contains ${v} at index ${i}; expected finite values.`);
      if (v < 0 || v > 1) throw new HitrankError('E_PARAM', `${what}[${i}] = ${v}; tag activations must be in [0, 1] (sigmoid outputs, not normalised).`);
    }
  }

  /**
   * Scores many songs in one pass: one {@link HspScore} per (mel, tags) pair.
   *
   * @param mels - raw power mels `[128, 323]` (`logMel(y, { preset: 'hspCnn' })`).
   * @param tags - the songs' 50 tag activations, in `card.tags` order.
   * @param options - {@link HspScoreOptions}: `fusion` (`'additive'`), `mu` (0.5).
   * @returns the scores, in input order.
   * @throws HitrankError `E_SHAPE` for wrong shapes or counts, `E_NAN` for
   *   non-finite values, `E_PARAM` for negative mel values, tags outside [0, 1]
   *   or a bad fusion option.
   */
  scoreBatch(mels: readonly Spectrogram[], tags: readonly ArrayLike<number>[], options: HspScoreOptions = {}): HspScore[] {
    this.alive();
    if (!Array.isArray(mels) || !Array.isArray(tags) || mels.length !== tags.length) {
      throw new HitrankError('E_SHAPE', `scoreBatch needs as many tag vectors as mels, got ${mels?.length} mels and ${tags?.length} tag vectors.`);
    }
    const mode = options.fusion ?? 'additive';
    const mu = options.mu ?? 0.5;
    if (mode !== 'additive' && mode !== 'convex') throw new HitrankError('E_PARAM', `fusion must be 'additive' or 'convex', got ${JSON.stringify(mode)}.`);
    if (typeof mu !== 'number' || !(mu >= 0 && mu <= 1)) throw new HitrankError('E_PARAM', `mu must be a number in [0, 1], got ${String(mu)}.`);
    const B = mels.length;
    if (B === 0) return [];
    const x = new Float32Array(B * N_MELS * FRAMES);
    const g = new Float32Array(B * N_TAGS);
    mels.forEach((m, i) => x.set(this.checkMel(m, `mels[${i}]`), i * N_MELS * FRAMES));
    tags.forEach((t, i) => {
      HspCnnRet30.checkTags(t, `tags[${i}]`);
      for (let j = 0; j < N_TAGS; j++) g[i * N_TAGS + j] = t[j];
    });
    const [pt, tag, logit] = tf.tidy(() => {
      const [p, q] = this.model.predict([tf.tensor3d(x, [B, N_MELS, FRAMES]), tf.tensor2d(g, [B, N_TAGS])]) as tf.Tensor[];
      const l = fuseScores(p, q, { mode, mu });
      return [p.dataSync(), q.dataSync(), l.dataSync()];
    });
    const ret30 = negInvLog10Inverse(logit);
    return Array.from({ length: B }, (_, i) => ({ logit: logit[i], ret30: ret30[i], pt: pt[i], tag: tag[i] }));
  }

  /**
   * Scores one song from its features.
   *
   * @param mel - the raw power mel `[128, 323]`: `logMel(y22k, { preset: 'hspCnn' })`.
   * @param tags - its 50 tag activations in `card.tags` order (`jynet-mtat`'s `tagAudio`).
   * @param options - {@link HspScoreOptions}: `fusion` (`'additive'`), `mu` (0.5).
   * @returns `{ logit, ret30, pt, tag }`.
   * @throws HitrankError as {@link HspCnnRet30.scoreBatch}.
   * @example
   * ```ts
   * const hit = await loadPretrained('hsp-cnn-ret30');
   * const { logit, ret30 } = hit.score(logMel(y22, { preset: 'hspCnn' }), tags50);
   * hit.score(mel, tags50, { fusion: 'convex', mu: 0.5 });  // the training-time fusion
   * ```
   */
  score(mel: Spectrogram, tags: ArrayLike<number>, options: HspScoreOptions = {}): HspScore {
    return this.scoreBatch([mel], [tags], options)[0];
  }

  /**
   * The default tagger (`jynet-mtat`), loaded on first call from the same
   * place as this model and owned by it (disposed with it).
   *
   * @returns the pretrained tagger.
   * @throws HitrankError as `loadPretrained('jynet-mtat')`.
   */
  loadTagger(): Promise<PretrainedTagger> {
    this.alive();
    if (!this.taggerPromise) {
      const p = this.loadDefaultTagger().then((t) => {
        if (this.disposed) {
          t.dispose();
          throw new HitrankError('E_PARAM', 'this hsp-cnn-ret30 model was disposed while its tagger was loading.');
        }
        this.ownedTagger = t;
        return t;
      });
      p.catch(() => {
        if (this.taggerPromise === p) this.taggerPromise = null;
      });
      this.taggerPromise = p;
    }
    return this.taggerPromise;
  }

  /**
   * Scores a song end to end: 22050-Hz audio → (Mid-30 or the given clip) →
   * `hspCnn` mel + JYnet tags (16 kHz, self-standardised) → fused logit →
   * retention-30.
   *
   * @param pcm - mono PCM of the whole song (or of the 30-s clip with `segment: 'clip'`).
   * @param options - {@link HspScoreAudioOptions}.
   * @returns the scores, the tags fed and the segment used.
   * @throws HitrankError `E_EMPTY` / `E_NAN` for bad audio, `E_PARAM` for bad
   *   options, and as `loadPretrained('jynet-mtat')` when the tagger is loaded.
   * @example
   * ```ts
   * const hit = await loadPretrained('hsp-cnn-ret30');
   * const { channelData, sampleRate } = await loadAudio('song.mp3', { mono: true });
   * const s = await hit.scoreAudio(channelData[0], { sampleRate });
   * console.log(s.logit, s.ret30, hit.card.caveat);
   * ```
   */
  async scoreAudio(pcm: ArrayLike<number>, options: HspScoreAudioOptions = {}): Promise<HspAudioScore> {
    this.alive();
    const sampleRate = options.sampleRate ?? SR;
    assertInteger(sampleRate, 'sampleRate', 1, 1e7);
    const segment = options.segment ?? 'mid30';
    if (segment !== 'mid30' && segment !== 'clip') throw new HitrankError('E_PARAM', `segment must be 'mid30' or 'clip', got ${JSON.stringify(segment)}.`);
    const standardize = options.standardize ?? 'self';
    const y22 = sampleRate === SR ? pcm : resample(pcm, { from: sampleRate, to: SR });
    const mel = logMel(y22, { preset: 'hspCnn' });
    const clip = segment === 'mid30' ? midSegment(y22, { sampleRate: SR, seconds: 30 }).samples : y22;
    let tags = options.tags;
    if (tags === undefined) {
      const tagger = options.tagger ?? (await this.loadTagger());
      if (tagger instanceof PretrainedTagger) {
        tags = tagger.tagAudio(clip, { sampleRate: SR, standardize, tags: this.card.tags });
      } else {
        const { frames, nMels, nFfts } = tagger.config;
        const feats = jynetFeaturesFrom22k(clip, { standardize, shippedStats: options.shippedStats, frames, nMels, nFfts });
        tags = tagFeatures(tagger, feats, { tags: this.card.tags });
      }
    }
    const s = this.score(mel, tags, options);
    return { ...s, tags: Float32Array.from(tags), segment, padded: y22.length < SEGMENT_SAMPLES, seconds: y22.length / SR };
  }

  /** Frees the weights (and those of the default tagger, when this model loaded it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cnn.dispose();
    this.tagDnn.dispose();
    this.ownedTagger?.dispose();
    this.ownedTagger = null;
    this.taggerPromise = null;
  }
}
