/**
 * The pretrained models hitrank ships and their model cards (what each model
 * is, where it comes from, its licence, what it was trained on and what input
 * it expects). The static part of every card lives here, so it is available
 * without reading any file; `scripts/convert-pretrained.ts` writes it, plus
 * the size and SHA-256 of every file, into `pretrained/<name>/card.json`.
 *
 * @module
 */
import { MTAT_TOP188, MTAT_TOP50 } from '../models/index.js';
import { HitrankError } from '../errors.js';

/** Names of the pretrained models in the package, in {@link listPretrained} order. */
export const PRETRAINED_NAMES = Object.freeze(['hsp-cnn-ret30', 'jynet-mtat'] as const);

/** Name of a shipped pretrained model. */
export type PretrainedName = (typeof PRETRAINED_NAMES)[number];

/** Version of the on-disk layout of `pretrained/<name>/` (card.json, model.json, weights.bin). */
export const PRETRAINED_FORMAT_VERSION = 1;

/** Where the original weights come from. */
export interface PretrainedSource {
  /** Repository URL. */
  repository: string;
  /** Full commit hash the files were taken from. */
  commit: string;
  /** Files of that commit the weights and the graph were read from. */
  files: string[];
}

/** One network input as the card describes it. */
export interface PretrainedInput {
  /** Input name (the tf.io model's input layer). */
  name: string;
  /** Shape of one example (no batch axis). */
  shape: number[];
  /** What goes in. */
  description: string;
}

/** How the hit model's two branch scores are fused (see {@link HspCnnRet30}). */
export interface PretrainedFusion {
  /** The fusion used when none is asked for: `'additive'`, the released scoring path. */
  default: 'additive' | 'convex';
  /** Default tag weight μ. */
  mu: number;
  /** What `'additive'` computes and where the authors used it. */
  additive: string;
  /** What `'convex'` computes and where the authors used it. */
  convex: string;
}

/** One file of a pretrained model folder with its integrity data. */
export interface PretrainedFile {
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

/** A tensor stored in a binary file: name, shape and dtype (a tf.io `WeightsManifestEntry`). */
export interface PretrainedTensorSpec {
  /** Tensor name. */
  name: string;
  /** Shape. */
  shape: number[];
  /** Element type; only `'float32'` is used. */
  dtype: 'float32';
}

/** The shipped standardisation statistics of a tagger (card field of `jynet-mtat`). */
export interface PretrainedStandardizers {
  /** File holding them (float32, little-endian, in `tensors` order). */
  file: string;
  /** `mean_<nFft>` and `std_<nFft>` vectors `[nMels]`, one of each per scale. */
  tensors: PretrainedTensorSpec[];
  /** Where they come from and how they are applied. */
  description: string;
}

/**
 * Everything a card says except the file list — known without reading any
 * file ({@link pretrainedInfo}).
 */
export interface PretrainedCardInfo {
  /** The model's name, as given to `loadPretrained`. */
  name: PretrainedName;
  /** Layout version of the folder ({@link PRETRAINED_FORMAT_VERSION}). */
  formatVersion: number;
  /** One-line title. */
  title: string;
  /** `'hit-model'` (audio + tags → hit score) or `'tagger'` (audio → tag activations). */
  kind: 'hit-model' | 'tagger';
  /** What the model does, in a few sentences. */
  description: string;
  /** Where the weights come from. */
  source: PretrainedSource;
  /** SPDX licence identifier of the weights (not of hitrank's code). */
  license: string;
  /** The licence text, relative to the model folder. */
  licenseFile: string;
  /** Attribution and changes (Apache-2.0 §4), relative to the model folder. */
  noticeFile: string;
  /** Copyright holders of the weights. */
  copyright: string;
  /** Authors of the model. */
  authors: string[];
  /** Publication to cite when using the model. */
  citation: string;
  /** What hitrank changed when converting (Apache-2.0 §4(b)). */
  modifications: string;
  /** Data the model was trained on. */
  trainingData: string;
  /** Target and loss it was trained for. */
  trainingTarget: string;
  /** hitrank feature preset of the input: `'hspCnn'` (`logMel`) or `'jynet'` (`jynetFeatures`). */
  featurePreset: 'hspCnn' | 'jynet';
  /** The network inputs. */
  inputs: PretrainedInput[];
  /** What the network outputs. */
  output: string;
  /** Tag names: the 50 tags the hit model's tag branch takes, or the 188 tagger outputs, in unit order. */
  tags: string[];
  /** Hit model only: the pretrained tagger whose outputs feed the tag branch. */
  tagger?: PretrainedName;
  /** Hit model only: the branch fusion. */
  fusion?: PretrainedFusion;
  /** Hit model only: the transform from the fused logit to the predicted target. */
  outputTransform?: string;
  /** Tagger only: the default per-bin standardisation of the input (`'self'`, the authors' inference). */
  standardize?: 'self' | 'shipped';
  /** Reference values the port was checked against (see the test suite). */
  verification: string;
  /** What the scores do and do not mean; print it with every score. */
  caveat: string;
}

/** A complete model card (`pretrained/<name>/card.json`). */
export interface PretrainedCard extends PretrainedCardInfo {
  /** Tagger only: the shipped training standardisers. */
  standardizers?: PretrainedStandardizers;
  /** Every file of the model folder (besides card.json) with its size and SHA-256. */
  files: Record<string, PretrainedFile>;
}

const SOURCE_REPO = 'https://github.com/OckhamsRazor/HSP_CNN';
const SOURCE_COMMIT = '9a1be3d782ef978a840dec6b83b66f74e7d452ba';
const HSP_AUTHORS = ['Lang-Chi Yu', 'Yi-Hsuan Yang', 'Yun-Ning Hung', 'Yi-An Chen'];
const COPYRIGHT = 'Copyright the HSP_CNN authors (Lang-Chi Yu et al.), github.com/OckhamsRazor/HSP_CNN; licensed under the Apache License, Version 2.0.';
const HSP_CITATION =
  'L.-C. Yu, Y.-H. Yang, Y.-N. Hung, Y.-A. Chen, "Hit Song Prediction for Pop Music by Siamese CNN with Ranking Loss", ICASSP 2018 (arXiv:1710.10814).';

const INFO: Readonly<Record<PretrainedName, PretrainedCardInfo>> = {
  'hsp-cnn-ret30': {
    name: 'hsp-cnn-ret30',
    formatVersion: PRETRAINED_FORMAT_VERSION,
    title: 'HSP_CNN "ret30" hit-score CNN (Yu et al., ICASSP 2018), as released by the authors',
    kind: 'hit-model',
    description:
      'The simple CNN of Yang et al. (2017) over a raw power mel spectrogram plus the 50 → 100 → 100 → 30 → 1 tag DNN over JYnet tag activations, ' +
      'fused into one logit; built with hitrank\'s buildSimpleCnn + buildTagDnn and the authors\' trained weights.',
    source: {
      repository: SOURCE_REPO,
      commit: SOURCE_COMMIT,
      files: ['ret30.mdl/model.ckpt.index', 'ret30.mdl/model.ckpt.data-00000-of-00001', 'cnn.ret30.fc.py'],
    },
    license: 'Apache-2.0',
    licenseFile: '../LICENSE',
    noticeFile: '../NOTICE.md',
    copyright: COPYRIGHT,
    authors: HSP_AUTHORS,
    citation: HSP_CITATION,
    modifications:
      'Converted by hitrank (scripts/convert-pretrained.ts) from the TensorFlow checkpoint to a tf.io model.json + weights.bin. ' +
      'The 18 trainable tensors are unchanged (float32, bit-identical, TensorFlow layout and names); the Adagrad optimiser slots are dropped.',
    trainingData: 'KKBOX (a Taiwanese music streaming service): songs with their "retention-30" statistic.',
    trainingTarget:
      'MSE regression on −1/log10(retention-30), where retention-30 is the mean of 29 daily retention values of a song ' +
      '(not the paper\'s day-60 hit score, and not its Siamese ranking loss); Adagrad, lr 5e-3.',
    featurePreset: 'hspCnn',
    inputs: [
      {
        name: 'mel',
        shape: [128, 323],
        description:
          'raw power mel spectrogram, mel-major, of 22050-Hz mono audio: logMel(y, { preset: \'hspCnn\' }) ' +
          '(Hann 4096, hop 2048, 128 Slaney mels, reflect padding, no log), the middle 323 frames (≈ 30 s)',
      },
      {
        name: 'tags',
        shape: [50],
        description: 'the 50 JYnet (jynet-mtat) tag activations of the same 30 s, clipped to [1e-6, 1 − 1e-6], in `tags` order, not normalised',
      },
    ],
    output: 'pt (CNN branch) and tag (tag branch), fused into a logit on the −1/log10 scale; 10^(−1/logit) is the predicted retention-30',
    tags: [...MTAT_TOP50],
    tagger: 'jynet-mtat',
    fusion: {
      default: 'additive',
      mu: 0.5,
      additive: 'logit = pt + μ·tag: the released scoring path (run.sh -ps), which produced the authors\' ret30.npy',
      convex: 'logit = (1 − μ)·pt + μ·tag: the training and -test path of cnn.ret30.fc.py (the paper\'s Eq. 4)',
    },
    outputTransform: 'ret30 = 10^(−1/logit) for logit > 0, else 0 (negInvLog10Inverse; the inverse of the training target transform −1/log10(y))',
    verification:
      'On the authors\' test input (test_data/xte.npy with its JYnet tags) the port gives logit 0.3582316 ± 1e-5 = −1/log10 of the authors\' ' +
      'ret30.npy (0.0016162551), on the tfjs cpu and wasm backends.',
    caveat:
      'hsp-cnn-ret30 was trained on KKBOX "retention-30" — listening data of a Taiwanese streaming service (the songs and listeners of that market) — ' +
      'by MSE regression, not on global or chart popularity. Its score says how that model rates the audio for that audience; ' +
      'it is a research model, not a verdict on a song.',
  },
  'jynet-mtat': {
    name: 'jynet-mtat',
    formatVersion: PRETRAINED_FORMAT_VERSION,
    title: 'JYnet music auto-tagger (Liu & Yang, ACM MM 2016), MagnaTagATune 188 tags, as released with HSP_CNN',
    kind: 'tagger',
    description:
      'The multi-scale fully convolutional tagger with Gaussian scanning: six log-mel scales (n_fft 512 … 16384) → per-scale convolutions → ' +
      '1×1 layers → 188 sigmoid frame activations → per-tag Gaussian scan → clip mean. Its first 50 outputs are the tag features of the hit model.',
    source: {
      repository: SOURCE_REPO,
      commit: SOURCE_COMMIT,
      files: [
        'data/models/model.20160309_111546.npz',
        'data/standardizers/',
        'network_structure.py',
        'clip2frame/layers.py',
        'data/data.magnatagatune/tag_list.top188.txt',
        'data/data.magnatagatune/tag_list.top50.txt',
      ],
    },
    license: 'Apache-2.0',
    licenseFile: '../LICENSE',
    noticeFile: '../NOTICE.md',
    copyright: COPYRIGHT,
    authors: ['Jen-Yu Liu', 'Yi-Hsuan Yang'],
    citation:
      'J.-Y. Liu, Y.-H. Yang, "Event Localization in Music Auto-tagging", ACM Multimedia 2016; ' +
      'as used by ' + HSP_CITATION,
    modifications:
      'Converted by hitrank (scripts/convert-pretrained.ts) from the Lasagne/Theano npz to a tf.io model.json + weights.bin for hitrank\'s buildTagger: ' +
      'the convolution kernels are flipped along both axes (Theano true convolution → cross-correlation) and re-laid out as [time, channels, filters], ' +
      'the 1×1 kernels are transposed to dense [in, out]; values are unchanged otherwise. The training standardisers are cast from float64 to float32.',
    trainingData: 'MagnaTagATune (the top-188 tags of its clips).',
    trainingTarget: 'multi-label auto-tagging of 188 MagnaTagATune tags (binary cross-entropy on clip-level tag labels).',
    featurePreset: 'jynet',
    inputs: [512, 1024, 2048, 4096, 8192, 16384].map((n) => ({
      name: `input_${n}`,
      shape: [911, 128],
      description:
        `jynetFeatures scale n_fft = ${n}: log(1 + 10000·mel power) of 16-kHz mono audio (hop 512, 128 Slaney mels), ` +
        'time-major, first 911 frames (≈ 29.2 s), standardised per mel bin',
    })),
    output: '188 tag activations in (0, 1), in `tags` order (clipped to [1e-6, 1 − 1e-6] by default)',
    tags: [...MTAT_TOP188],
    standardize: 'self',
    verification:
      'Equals the numpy reference pass with the authors\' weights (fixtures/jynet) within 1e-4 on the stored inputs and from audio, with both ' +
      'standardisations, on the tfjs cpu and wasm backends; that pass correlates 0.997 with the authors\' own Theano output.',
    caveat:
      'jynet-mtat was trained on MagnaTagATune (about 26k 29-s clips from the Magnatune label with crowd-sourced tags) and outputs those 188 tags; ' +
      'it is a research model whose activations are not calibrated probabilities.',
  },
};

/**
 * Names of the shipped pretrained models. Reads nothing.
 *
 * @returns `['hsp-cnn-ret30', 'jynet-mtat']`.
 * @example
 * ```ts
 * listPretrained(); // ['hsp-cnn-ret30', 'jynet-mtat']
 * ```
 */
export function listPretrained(): PretrainedName[] {
  return [...PRETRAINED_NAMES];
}

/**
 * Checks a pretrained model name.
 *
 * @param name - the name to check.
 * @returns the name, typed.
 * @throws HitrankError `E_PARAM` for an unknown name, listing the known ones.
 */
export function checkPretrainedName(name: unknown): PretrainedName {
  if (typeof name !== 'string' || !(PRETRAINED_NAMES as readonly string[]).includes(name)) {
    throw new HitrankError('E_PARAM', `unknown pretrained model ${JSON.stringify(name)}; expected one of ${PRETRAINED_NAMES.join(', ')}.`);
  }
  return name as PretrainedName;
}

/**
 * The static part of a model card (source, licence, training target, input
 * preset, tags, fusion, caveat …) without reading any file; the full card,
 * with the SHA-256 of every file, comes with the loaded model (`.card`).
 *
 * @param name - a pretrained model name ({@link listPretrained}).
 * @returns a copy of the card's static fields.
 * @throws HitrankError `E_PARAM` for an unknown name.
 * @example
 * ```ts
 * console.log(pretrainedInfo('hsp-cnn-ret30').caveat);
 * ```
 */
export function pretrainedInfo(name: PretrainedName): PretrainedCardInfo {
  return structuredCloneInfo(INFO[checkPretrainedName(name)]);
}

function structuredCloneInfo(info: PretrainedCardInfo): PretrainedCardInfo {
  return JSON.parse(JSON.stringify(info)) as PretrainedCardInfo;
}
