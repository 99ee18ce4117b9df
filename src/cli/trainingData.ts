/**
 * Manifest → training data for `train`, `evaluate`, `rank` and `demo`: read
 * the manifest, extract (or read back from the cache) the features of every
 * song, and list the songs that failed.
 *
 * @module
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { HitDataset } from '../data/index.js';
import { FEATURE_PRESETS, type FeaturePresetName } from '../dsp/index.js';
import { HitrankError } from '../errors.js';
import { createProgress, extractFeatures, readManifest, type Manifest, type SegmentChoice } from '../node/index.js';
import { UnavailableError, UsageError, type CliContext } from './command.js';

/** Default cache folder name, created next to the manifest (shared with `hitrank features`). */
export const DEFAULT_CACHE_DIR = '.hitrank-cache';

/** A segment as the CLI takes it: `mid30`, `whole`, or the middle `seconds`. */
export type CliSegment = 'mid30' | 'whole' | { seconds: number };

/**
 * Parses `--segment`: `mid30`, `hl30` (not available yet: exit 2), `whole`,
 * or a number of seconds (the middle S seconds). Not given: `undefined`, the
 * preset's default (Mid-30 for `paper`, the whole song for `hspCnn`, whose
 * recipe picks its own 323 frames).
 *
 * @param raw - the option value.
 * @returns the segment, or undefined for the preset's default.
 * @throws UsageError for anything else; UnavailableError for `hl30`.
 */
export function parseSegment(raw: string | boolean | undefined): CliSegment | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'mid30') return 'mid30';
  if (raw === 'whole') return 'whole';
  if (raw === 'hl30') {
    throw new UnavailableError(
      '--segment hl30 (the paper\'s HL-30 highlight) is not available in the CLI yet: it needs a trained highlighter ' +
        'loadable from disk and a segment hook in extractFeatures (see src/highlight). Use --segment mid30 (the default) ' +
        'or a number of seconds.',
    );
  }
  const s = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (Number.isFinite(s) && s > 0 && s <= 3600) return { seconds: s };
  throw new UsageError(`--segment must be mid30, hl30, whole or a number of seconds, got ${JSON.stringify(raw)}.`);
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
 * A segment for people: `Mid-30`, `mid 8 s`, `whole song`.
 *
 * @param s - the resolved segment.
 * @returns the label.
 */
export function segmentLabel(s: SegmentChoice): string {
  if (s.kind === 'whole') return 'whole song';
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
  const cacheDir = opts.cache === undefined ? join(manifest.dir, DEFAULT_CACHE_DIR) : isAbsolute(opts.cache) ? opts.cache : resolve(ctx.io.cwd, opts.cache);
  const seg: SegmentChoice =
    opts.segment === undefined || opts.segment === 'mid30'
      ? FEATURE_PRESETS[opts.preset].frames !== null && opts.segment === undefined
        ? { kind: 'whole' }
        : { kind: 'mid', seconds: 30 }
      : opts.segment === 'whole'
        ? { kind: 'whole' }
        : { kind: 'mid', seconds: opts.segment.seconds };
  if (!opts.audio) {
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
    segment: opts.segment,
    signal: ctx.signal,
    onProgress: (p) => bar.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
  });
  bar.finish(res.stats.failed > 0 ? `${res.stats.failed} failed` : undefined);
  const failed = res.failed.map((f) => ({ id: f.id, line: manifest.lines[f.index], audio: f.audio, code: f.code, message: f.message }));
  return { manifest, dataset: res.dataset, failed, padded: res.padded, segment: res.segment, cacheDir, preset: opts.preset, seconds: res.stats.seconds };
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
