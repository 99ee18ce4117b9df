/**
 * Manifest → training data for `train`, `evaluate`, `rank` and `demo`: read
 * the manifest, extract (or read back from the cache) the features of every
 * song, and list the songs that failed.
 *
 * @module
 */
import { join, resolve } from 'node:path';
import type { HitDataset } from '../data/index.js';
import { FEATURE_PRESETS, type FeaturePresetName } from '../dsp/index.js';
import { HitrankError } from '../errors.js';
import {
  createProgress,
  extractFeatures,
  readHighlighterInfo,
  readManifest,
  type ExtractFeaturesOptions,
  type Manifest,
  type SavedHighlighterInfo,
  type SegmentChoice,
} from '../node/index.js';
import type { CliBackend } from './backend.js';
import { UsageError, type CliContext } from './command.js';

/** Default cache folder name, created next to the manifest (shared with `hitrank features`). */
export const DEFAULT_CACHE_DIR = '.hitrank-cache';

/**
 * The feature-cache folder of a command: `--cache DIR` (relative to the
 * working directory), else {@link DEFAULT_CACHE_DIR} next to the manifest.
 *
 * @param cwd - the working directory.
 * @param manifestDir - the manifest's folder.
 * @param arg - the `--cache` value, if given.
 * @returns the absolute folder.
 */
export function resolveCacheDir(cwd: string, manifestDir: string, arg: string | undefined): string {
  return arg === undefined ? join(manifestDir, DEFAULT_CACHE_DIR) : resolve(cwd, arg);
}

/**
 * A segment as the CLI takes it: `mid30`, `hl30` (the highlight chosen by the
 * `--highlighter`), `whole`, or the middle `seconds`.
 */
export type CliSegment = 'mid30' | 'hl30' | 'whole' | { seconds: number };

/** How to make a highlighter, for messages. */
export const HOW_TO_MAKE_A_HIGHLIGHTER =
  'make one with: hitrank highlighter train --manifest songs.csv --out highlighter/ (labels: the tag_<name> columns, or --labels COLUMN)';

/**
 * The usage error for `--segment hl30` without `--highlighter DIR` (says how to make one).
 *
 * @returns the error to throw.
 */
export function hl30WithoutHighlighter(): UsageError {
  return new UsageError(`--segment hl30 (the paper's HL-30 highlight) needs --highlighter DIR, a trained highlighter; ${HOW_TO_MAKE_A_HIGHLIGHTER}.`);
}

/**
 * Parses `--segment`: `mid30`, `hl30` (needs `--highlighter DIR`), `whole`,
 * or a number of seconds (the middle S seconds). Not given: `undefined`, the
 * preset's default (Mid-30 for `paper`, the whole song for `hspCnn`, whose
 * recipe picks its own 323 frames).
 *
 * @param raw - the option value.
 * @returns the segment, or undefined for the preset's default.
 * @throws UsageError for anything else.
 */
export function parseSegment(raw: string | boolean | undefined): CliSegment | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'mid30') return 'mid30';
  if (raw === 'whole') return 'whole';
  if (raw === 'hl30') return 'hl30';
  const s = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (Number.isFinite(s) && s > 0 && s <= 3600) return { seconds: s };
  throw new UsageError(`--segment must be mid30, hl30, whole or a number of seconds, got ${JSON.stringify(raw)}.`);
}

/**
 * Reads `--segment` and `--highlighter` together (features, train, rank):
 * `--highlighter DIR` alone means `--segment hl30`; `--segment hl30` without
 * a highlighter is a usage error that says how to make one; a highlighter
 * with another segment is a usage error too.
 *
 * @param values - parsed option values.
 * @returns the segment and the highlighter folder as given (relative to the cwd), if any.
 * @throws UsageError for the combinations above.
 */
export function parseSegmentOptions(values: CliContext['values']): { segment: CliSegment | undefined; highlighter: string | undefined } {
  const segment = parseSegment(values.segment);
  const raw = values.highlighter;
  const highlighter = typeof raw === 'string' && raw.length > 0 ? raw : undefined;
  if (segment === 'hl30' && highlighter === undefined) throw hl30WithoutHighlighter();
  if (highlighter !== undefined && segment !== undefined && segment !== 'hl30') {
    throw new UsageError(`--highlighter picks the HL-30 segment; it cannot be combined with --segment ${JSON.stringify(values.segment)}.`);
  }
  return { segment: highlighter !== undefined ? 'hl30' : segment, highlighter };
}

/**
 * Reads a highlighter folder given on the command line and checks it (no
 * TensorFlow.js needed): the errors name the folder and say how to make one.
 *
 * @param ctx - the CLI context (for the cwd).
 * @param dir - the folder as given.
 * @returns the highlighter's identity, configuration and card.
 * @throws HitrankError (exit 3) for a missing, incomplete or damaged folder.
 */
export async function checkHighlighter(ctx: CliContext, dir: string): Promise<SavedHighlighterInfo> {
  try {
    return await readHighlighterInfo(resolve(ctx.io.cwd, dir));
  } catch (e) {
    if (!(e instanceof HitrankError)) throw e;
    const err = new HitrankError(e.code, `--highlighter: ${e.detail.replace(/\.$/, '')}; ${e.code === 'E_IO' ? '' : 'to replace it, '}${HOW_TO_MAKE_A_HIGHLIGHTER}.`);
    err.cause = e;
    throw err;
  }
}

/**
 * The `extractFeatures` segment option for a CLI segment.
 *
 * @param segment - the CLI segment (undefined: the preset's default).
 * @param highlighter - the checked highlighter, for `hl30`.
 * @returns the option value.
 */
export function extractSegment(segment: CliSegment | undefined, highlighter: SavedHighlighterInfo | undefined): ExtractFeaturesOptions['segment'] {
  if (segment === 'hl30') {
    if (!highlighter) throw hl30WithoutHighlighter();
    return { highlighter: highlighter.dir, seconds: 30 };
  }
  return segment;
}

/**
 * Parses `--preset`.
 *
 * @param raw - the option value (default `paper`).
 * @returns the preset name.
 * @throws UsageError for an unknown preset.
 */
export function parsePreset(raw: string | boolean | undefined): FeaturePresetName {
  const preset = (raw as string | undefined) ?? 'paper';
  if (!(preset in FEATURE_PRESETS)) {
    throw new UsageError(`--preset must be one of ${Object.keys(FEATURE_PRESETS).join(', ')}, got ${JSON.stringify(preset)}.`);
  }
  return preset as FeaturePresetName;
}

/**
 * A segment for people: `Mid-30`, `mid 8 s`, `whole song`, `HL-30`.
 *
 * @param s - the resolved segment.
 * @returns the label.
 */
export function segmentLabel(s: SegmentChoice): string {
  if (s.kind === 'whole') return 'whole song';
  if (s.kind === 'highlight') return `HL-${s.seconds}`;
  return s.seconds === 30 ? 'Mid-30' : `mid ${s.seconds} s`;
}

/** A song that could not be used, with its manifest line. */
export interface FailedSong {
  /** Song id. */
  id: string;
  /** 1-based manifest line (or, for files given on the command line, the argument's position). */
  line: number;
  /** `true` when `line` is a command-line argument position, not a manifest line. */
  argument?: boolean;
  /** Audio path. */
  audio: string;
  /** Error code. */
  code: string;
  /** What went wrong. */
  message: string;
}

/** What {@link loadTrainingData} returns. */
export interface TrainingData {
  /** The manifest. */
  manifest: Manifest;
  /** The songs that are usable (features extracted). */
  dataset: HitDataset;
  /** Songs left out. */
  failed: FailedSong[];
  /** Ids of songs shorter than the segment (zero-padded). */
  padded: string[];
  /** The resolved segment. */
  segment: SegmentChoice;
  /** Cache folder. */
  cacheDir: string;
  /** Feature preset. */
  preset: FeaturePresetName;
  /** Seconds spent on features. */
  seconds: number;
  /** The highlighter of an HL-30 segment. */
  highlighter?: SavedHighlighterInfo;
}

/** Options of {@link loadTrainingData}. */
export interface LoadTrainingDataOptions {
  /** Compute audio features (false: tags only). */
  audio: boolean;
  /** The songs must have tag-like features. */
  tags: boolean;
  /** Segment (undefined: the preset's default). */
  segment: CliSegment | undefined;
  /** Preset. */
  preset: FeaturePresetName;
  /** `--cache` value (relative to the cwd), or undefined for `.hitrank-cache` next to the manifest. */
  cache?: string;
  /** Feature worker threads. */
  jobs?: number;
  /** `--highlighter` folder as given (needed for `hl30`). */
  highlighter?: string;
  /** tfjs backend the highlighter runs on (`hl30`). Default `wasm`. */
  backend?: CliBackend;
}

/**
 * Reads a manifest and the features of its songs (through the feature cache).
 *
 * @param ctx - the CLI context (progress, abort).
 * @param manifestArg - the manifest path as given.
 * @param opts - see {@link LoadTrainingDataOptions}.
 * @returns the dataset of usable songs and the failures.
 * @throws DataFileError (exit 3) for a bad manifest; HitrankError `E_MISSING_DATA` when tags are needed but absent.
 */
export async function loadTrainingData(ctx: CliContext, manifestArg: string, opts: LoadTrainingDataOptions): Promise<TrainingData> {
  const manifest = await readManifest(resolve(ctx.io.cwd, manifestArg));
  if (opts.tags && !manifest.rows.some((r) => r.tags && r.tags.length > 0)) {
    throw new HitrankError(
      'E_MISSING_DATA',
      `${manifest.path} has no tag-like features (tag_<name> columns or a tags field), but the model needs them (--tags / --no-audio).`,
    );
  }
  const cacheDir = resolveCacheDir(ctx.io.cwd, manifest.dir, opts.cache);
  if (opts.segment === 'hl30' && opts.highlighter === undefined) throw hl30WithoutHighlighter();
  if (!opts.audio) {
    if (opts.segment === 'hl30') throw new UsageError('--segment hl30 cuts audio; it cannot be used with --no-audio.');
    const seg: SegmentChoice =
      opts.segment === undefined || opts.segment === 'mid30'
        ? FEATURE_PRESETS[opts.preset].frames !== null && opts.segment === undefined
          ? { kind: 'whole' }
          : { kind: 'mid', seconds: 30 }
        : opts.segment === 'whole'
          ? { kind: 'whole' }
          : { kind: 'mid', seconds: opts.segment.seconds };
    const rows = manifest.rows;
    const dataset: HitDataset = {
      ids: rows.map((r) => r.id),
      hitScores: Float64Array.from(rows, (r) => r.hitScore),
      artists: rows.map((r) => [...(r.artists ?? [])]),
      tags: rows.map((r) => Float32Array.from(r.tags ?? [])),
    };
    if (manifest.tagNames) dataset.tagNames = [...manifest.tagNames];
    return { manifest, dataset, failed: [], padded: [], segment: seg, cacheDir, preset: opts.preset, seconds: 0 };
  }
  const highlighter = opts.segment === 'hl30' ? await checkHighlighter(ctx, opts.highlighter!) : undefined;
  const bar = createProgress({
    total: manifest.rows.length,
    label: 'features',
    stream: ctx.io.stderr,
    mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined,
  });
  const res = await extractFeatures(manifest, {
    cacheDir,
    jobs: opts.jobs,
    features: opts.preset,
    segment: extractSegment(opts.segment, highlighter),
    backend: opts.backend ?? 'wasm',
    signal: ctx.signal,
    onProgress: (p) => bar.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
  });
  bar.finish(res.stats.failed > 0 ? `${res.stats.failed} failed` : undefined);
  const failed = res.failed.map((f) => ({ id: f.id, line: manifest.lines[f.index], audio: f.audio, code: f.code, message: f.message }));
  const out: TrainingData = { manifest, dataset: res.dataset, failed, padded: res.padded, segment: res.segment, cacheDir, preset: opts.preset, seconds: res.stats.seconds };
  if (res.highlighter) out.highlighter = res.highlighter;
  return out;
}

/**
 * Lines listing failed songs, for human output.
 *
 * @param failed - the failures.
 * @returns the text (empty when none).
 */
export function failedText(failed: readonly FailedSong[]): string {
  if (failed.length === 0) return '';
  const out = [`${failed.length} song${failed.length > 1 ? 's were' : ' was'} left out (fix or remove ${failed.length > 1 ? 'them' : 'it'} and rerun):`];
  for (const f of failed) out.push(`  ${f.id} (${f.argument ? 'argument' : 'manifest line'} ${f.line}): ${f.code}: ${f.message}`);
  return out.join('\n') + '\n';
}
