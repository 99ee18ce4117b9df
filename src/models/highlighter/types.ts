// Options and configuration of the music highlighter.
import type { HighlighterFeatureOptions } from '../../dsp/highlighterFeatures.js';
import type { BnStatistics } from './batchNorm.js';

/**
 * Which highlighter:
 * - `'attention'` — the non-recurrent model "NAM-LF (pos)" of Huang et al.
 *   (TISMIR 2018; remyhuang/pop-music-highlighter): 3 convolutions, positional
 *   encoding, an FC attention head.
 * - `'recurrent'` — the APSIPA-2017 model of ref. [13], the one behind the
 *   seed paper's HL-30: 4 convolutions, a BiLSTM over chunks and additive
 *   attention, run at chunk lengths 1, 2, 3 and 4 s with the scores summed.
 */
export type HighlighterVariant = 'attention' | 'recurrent';

/** The feature recipe a highlighter was built for (the STFT/mel part; see `highlighterFeatures` in hitrank/dsp). */
export type HighlighterFeatureRecipe = Required<Pick<HighlighterFeatureOptions, 'sampleRate' | 'nFft' | 'hopLength' | 'padMode' | 'log1pScale' | 'fmax'>>;

/**
 * Options of {@link buildHighlighter}. Defaults: the published sizes of the
 * chosen variant (related-work notes §3); where a size was not published the
 * default is ours and says so.
 */
export interface HighlighterOptions {
  /** Model variant. Default `'attention'`. */
  variant?: HighlighterVariant;
  /** Mel bands of the input (conv1's kernel height). Default 128. */
  nMels?: number;
  /** Output channels of the convolutions. Default `[64, 128, 256]` (attention), `[64, 128, 128, 256]` (recurrent). */
  filters?: number[];
  /** Kernel widths in frames. Default `[3, 4, 4]` (attention), `[3, 4, 4, 4]` (recurrent). */
  kernelSizes?: number[];
  /** Strides in frames. Default `[2, 2, 2]` (attention), `[2, 2, 1, 1]` (recurrent). */
  strides?: number[];
  /**
   * Hidden sizes of the attention head. Attention variant: the FC layers before
   * the 1-unit logit, the last with tanh — default `[256, 256, 256]`.
   * Recurrent variant: the tanh layer of `v·tanh(W·h + b)` — default `[512]`.
   */
  attentionUnits?: number[];
  /** LSTM units per direction (recurrent variant). Default 256. */
  lstmUnits?: number;
  /** Add the sinusoidal positional encoding to the chunk features before the attention head. Default `true` (attention), `false` (recurrent). */
  positionalEncoding?: boolean;
  /** Hidden units of the late-fusion classifier (chunk features → hidden → classes). Default 1024. */
  classifierUnits?: number;
  /** Song-level classes of the surrogate task. Default: `classNames.length`, else 190 (the original's emotion classes). */
  numClasses?: number;
  /** Names of the classes (recorded with the model). Default none. */
  classNames?: string[];
  /**
   * Batch-norm statistics outside training; see {@link BnStatistics}. Default
   * `'batch'`: each song normalised by its own chunks, as both released
   * highlighters do at inference (their weights need it). `'moving'` uses
   * the moving averages instead; they settle only after many more training
   * steps than `1 / (1 − bnMomentum)` (on the planted-chorus test, 100 steps
   * left them well short and the windows worse).
   */
  bnAtInference?: BnStatistics;
  /** Moving-average decay of batch norm. Default 0.99 (ours; TF-contrib's 0.999 was never used by the released models). */
  bnMomentum?: number;
  /** Batch-norm epsilon. Default 0.001. */
  bnEpsilon?: number;
  /** Learn a batch-norm scale γ. Default `false` (TF-contrib's `batch_norm`, which the original used). */
  bnScale?: boolean;
  /** Chunk length in seconds the model is trained on. Default 3. */
  chunkSeconds?: number;
  /** Chunk lengths whose per-second scores are summed at inference. Default `[3]` (attention), `[1, 2, 3, 4]` (recurrent). */
  scales?: number[];
  /** Feature recipe (STFT/mel); defaults `HIGHLIGHTER_PRESET` of hitrank/dsp (22050 Hz, 2048/512, reflect, log1p 10000). */
  features?: Partial<HighlighterFeatureRecipe>;
  /** Seed of every initialiser. Default 0. */
  seed?: number;
  /** Model name. Default `'highlighter'`. */
  name?: string;
}

/** The resolved options of a highlighter; saved with its weights. */
export interface HighlighterConfig {
  /** Model variant. */
  variant: HighlighterVariant;
  /** Mel bands. */
  nMels: number;
  /** Convolution channels. */
  filters: number[];
  /** Convolution kernel widths. */
  kernelSizes: number[];
  /** Convolution strides. */
  strides: number[];
  /** Attention-head hidden sizes. */
  attentionUnits: number[];
  /** LSTM units per direction (recurrent variant). */
  lstmUnits: number;
  /** Whether positional encoding is added. */
  positionalEncoding: boolean;
  /** Classifier hidden units. */
  classifierUnits: number;
  /** Number of classes. */
  numClasses: number;
  /** Class names, or `null`. */
  classNames: string[] | null;
  /** Batch-norm statistics outside training. */
  bnAtInference: BnStatistics;
  /** Batch-norm moving-average decay. */
  bnMomentum: number;
  /** Batch-norm epsilon. */
  bnEpsilon: number;
  /** Whether batch norm learns γ. */
  bnScale: boolean;
  /** Training chunk length in seconds. */
  chunkSeconds: number;
  /** Inference chunk lengths in seconds. */
  scales: number[];
  /** Feature recipe. */
  features: HighlighterFeatureRecipe;
  /** Initialiser seed. */
  seed: number;
  /** Model name. */
  name: string;
}
