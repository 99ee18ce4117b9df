/**
 * `hitrank rank <model-dir> <audio…> | --manifest m.csv`: score songs with a
 * trained model and print them sorted, best first.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { HitDataset, ManifestRow } from '../../data/index.js';
import { FEATURE_PRESETS, type FeaturePresetName } from '../../dsp/index.js';
import { HitrankError } from '../../errors.js';
import { targetTransformFromJSON } from '../../losses/index.js';
import { createProgress, fileHandler, streamFeatures, readManifest, type SavedHighlighterInfo, type SegmentChoice } from '../../node/index.js';
import type { TrainRun } from '../../node/reportTypes.js';
import type { SiameseHitModel } from '../../training/index.js';
import { fuseRankings } from '../../sampling/index.js';
import { parseBackend, startBackend } from '../backend.js';
import { COMMON_HELP, intOption, UnavailableError, UsageError, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { checkHighlighter, DEFAULT_CACHE_DIR, failedText, parseSegment, segmentLabel, type FailedSong } from '../trainingData.js';
import { TRAIN_JSON } from './train.js';

/** One ranked song. */
export interface RankedSong {
  /** Position, from 1. */
  rank: number;
  /** Song id (manifest id, or the file name). */
  id: string;
  /** Audio path. */
  path: string;
  /** Model score (transformed scale; higher = more of a hit). */
  score: number;
  /** Predicted hit score (original scale, e.g. a market share). */
  hitScore: number;
}

/** The module another part of hitrank provides for `--pretrained` (`commands/rankPretrained.ts`). */
interface PretrainedModule {
  rankWithPretrained(files: string[], name: string): Promise<{ path: string; score: number; hitScore: number }[]>;
  pretrainedCaveat?(name: string): string;
}

async function loadPretrainedModule(): Promise<PretrainedModule | null> {
  // The module is optional in this build. A template literal keeps TypeScript from
  // requiring it, and bundlers (esbuild / tsup) still include it: they bundle every
  // source file the pattern `./${name}.ts` matches in this folder (the pattern names
  // the .ts source: esbuild matches sources; tsx loads .ts at run time).
  const name = 'rankPretrained';
  try {
    const m = (await import(`./${name}.ts`)) as Partial<PretrainedModule>;
    return typeof m.rankWithPretrained === 'function' ? (m as PretrainedModule) : null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return null;
    // esbuild's bundled glob import throws a plain Error for a path it did not find.
    if (/Could not resolve|Cannot find module|Module not found in bundle/i.test((e as Error)?.message ?? '')) return null;
    throw e;
  }
}

/**
 * Songs scored per batch of the feature stream. A multiple of the model's
 * prediction batch (32), so the songs go through the network in the same
 * groups as when the whole set is predicted at once; the scores are the same
 * bit for bit (tested).
 */
const RANK_BATCH = 256;

/** Model scores of the songs seen so far, batch by batch (one model, or the two of a fusion). */
class ScoreCollector {
  readonly ids: string[] = [];
  private readonly parts: Float64Array[][];

  constructor(
    private readonly models: SiameseHitModel[],
    private readonly record: TrainRun | null,
  ) {
    this.parts = models.map(() => []);
  }

  /** Scores one batch of songs (`hitScores` are ignored: predict does not read them). */
  async add(ds: HitDataset): Promise<void> {
    const batch: HitDataset = { ...ds, hitScores: new Float64Array(ds.ids.length) };
    for (let k = 0; k < this.models.length; k++) this.parts[k].push(Float64Array.from(await this.models[k].predict(batch)));
    this.ids.push(...ds.ids);
  }

  /** The scores (fused for two models) and the predicted hit scores on the original scale. */
  finish(): { scores: Float64Array; hit: Float64Array } {
    const joined = this.parts.map((p) => {
      const out = new Float64Array(this.ids.length);
      let o = 0;
      for (const a of p) {
        out.set(a, o);
        o += a.length;
      }
      return out;
    });
    const card = this.models[0].modelCard();
    const scores = joined.length === 2 ? fuseRankings(joined[0], joined[1], this.record!.fusion!.weight) : joined[0];
    return { scores, hit: targetTransformFromJSON(card.targetTransform).inverse(scores) };
  }
}

async function readTrainRecord(dir: string): Promise<TrainRun | null> {
  try {
    return JSON.parse(await readFile(join(dir, TRAIN_JSON), 'utf8')) as TrainRun;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'ENOENT') return null;
    throw new HitrankError('E_CORRUPT_FILE', `${join(dir, TRAIN_JSON)} is not valid JSON (${(e as Error).message}).`);
  }
}

/** The segment a model was trained on: from train.json, else inferred from its frame count. */
function modelSegment(record: TrainRun | null, preset: FeaturePresetName, frames: number | undefined): SegmentChoice {
  if (record?.features?.segment) return record.features.segment;
  const f = FEATURE_PRESETS[preset];
  if (f.frames !== null) return { kind: 'whole' };
  if (frames === undefined) return { kind: 'mid', seconds: 30 };
  const seconds = ((frames - 1) * f.hopLength) / f.sampleRate;
  return Math.abs(seconds - 30) < f.hopLength / f.sampleRate ? { kind: 'mid', seconds: 30 } : { kind: 'mid', seconds };
}

function printTable(ctx: CliContext, songs: RankedSong[], header: string): void {
  const out = [header, 'rank  score      hit score   song'];
  for (const s of songs) {
    out.push(`${String(s.rank).padStart(4)}  ${s.score.toFixed(5).padStart(9)}  ${s.hitScore.toExponential(3).padStart(10)}  ${s.id}${s.id !== s.path ? `  (${s.path})` : ''}`);
  }
  ctx.io.stdout.write(out.join('\n') + '\n');
}

async function run(ctx: CliContext): Promise<CliResult> {
  const { values, io } = ctx;
  const top = intOption(values, 'top', 1, 1e9);
  const manifestArg = values.manifest as string | undefined;
  const pretrained = values.pretrained as string | undefined;

  if (pretrained !== undefined) {
    if (manifestArg !== undefined) throw new UsageError('--pretrained takes audio files, not --manifest.');
    const files = ctx.positionals.map((p) => resolve(io.cwd, p));
    if (files.length === 0) throw new UsageError('give the audio files to rank.');
    const mod = await loadPretrainedModule();
    if (!mod) throw new UnavailableError('pretrained models are not available in this build; train one with hitrank train and rank with hitrank rank <model-dir>.');
    await startBackend(parseBackend(values.backend));
    const res = await mod.rankWithPretrained(files, pretrained);
    const caveat = mod.pretrainedCaveat?.(pretrained);
    const songs = res
      .map((r) => ({ id: basename(r.path), path: r.path, score: r.score, hitScore: r.hitScore }))
      .sort((a, b) => b.score - a.score)
      .map((s, i) => ({ rank: i + 1, ...s }))
      .slice(0, top ?? Infinity);
    if (!ctx.json) {
      printTable(ctx, songs, `rank: ${res.length} song${res.length > 1 ? 's' : ''} with the pretrained model ${pretrained}`);
      if (caveat) io.stdout.write(`Note: ${caveat}\n`);
    }
    return { exitCode: EXIT.OK, json: { model: pretrained, pretrained: true, songs, failed: [], caveat: caveat ?? null } };
  }

  if (ctx.positionals.length === 0) throw new UsageError('missing the model folder (or --pretrained NAME).');
  const modelDir = resolve(io.cwd, ctx.positionals[0]);
  const audioArgs = ctx.positionals.slice(1);
  if (manifestArg !== undefined && audioArgs.length > 0) throw new UsageError('give either audio files or --manifest, not both.');
  if (manifestArg === undefined && audioArgs.length === 0) throw new UsageError('give the audio files to rank, or --manifest FILE.');

  const record = await readTrainRecord(modelDir);
  const backend = parseBackend(values.backend);
  const segmentArg = parseSegment(values.segment);
  const hlArg = typeof values.highlighter === 'string' && values.highlighter.length > 0 ? values.highlighter : undefined;
  if (segmentArg !== undefined && segmentArg !== 'hl30') {
    throw new UsageError(`rank uses the segment the model was trained on (see its train.json); --segment takes only hl30 here, as a check.`);
  }
  await startBackend(backend);
  const { SiameseHitModel: Model } = await import('../../training/index.js');
  const dirs = record?.fusion ? record.fusion.models.map((m) => join(modelDir, m)) : [modelDir];
  const models: SiameseHitModel[] = [];
  try {
    for (const d of dirs) models.push(await Model.load(fileHandler(d)));
    const card = models[0].modelCard();
    const preset = (card.featurePreset in FEATURE_PRESETS ? card.featurePreset : 'paper') as FeaturePresetName;
    const opts = card.options as { audio?: boolean; tags?: boolean };
    const usesAudio = opts.audio !== false;
    const usesTags = opts.tags === true;

    // The songs.
    let rows: ManifestRow[];
    let lines: number[];
    let tagNames: string[] | undefined;
    let cacheDir: string | undefined;
    if (manifestArg !== undefined) {
      const m = await readManifest(resolve(io.cwd, manifestArg));
      rows = m.rows;
      lines = m.lines;
      tagNames = m.tagNames;
      cacheDir = join(m.dir, DEFAULT_CACHE_DIR);
    } else {
      if (usesTags) {
        throw new UsageError(
          `this model uses tag-like features (${(card.tagNames ?? []).slice(0, 4).join(', ')}…): rank songs from a manifest with those tag_<name> columns (--manifest FILE).`,
        );
      }
      rows = audioArgs.map((a) => ({ id: a, audio: resolve(io.cwd, a), hitScore: 0, artists: [] }));
      lines = audioArgs.map((_, i) => i + 2); // positions on the command line after the model folder
    }
    if (values['no-cache'] === true && values.cache !== undefined) throw new UsageError('give either --cache DIR or --no-cache, not both.');
    if (values.cache !== undefined) cacheDir = isAbsolute(values.cache as string) ? (values.cache as string) : resolve(io.cwd, values.cache as string);
    if (values['no-cache'] === true) cacheDir = undefined;
    if (rows.length === 0) throw new HitrankError('E_EMPTY', 'no songs to rank.');

    const failed: FailedSong[] = [];
    const scored = new ScoreCollector(models, record);
    if (usesAudio) {
      const segment = modelSegment(record, preset, card.melShape?.[1]);
      let highlighter: SavedHighlighterInfo | undefined;
      if (segment.kind === 'highlight') {
        const recorded = record?.features.highlighter;
        const dir = hlArg ?? recorded?.dir;
        if (dir === undefined) throw new UsageError('this model was trained on HL-30 features: give its highlighter with --highlighter DIR.');
        highlighter = await checkHighlighter(ctx, dir);
        if (highlighter.id !== segment.highlighter) {
          throw new HitrankError(
            'E_PARAM',
            `the model was trained on the HL-30 windows of the highlighter ${segment.highlighter.slice(0, 12)}…, but ${highlighter.dir} holds ${highlighter.id.slice(0, 12)}…; ` +
              'rank with the highlighter the model was trained with (--highlighter DIR).',
          );
        }
      } else if (hlArg !== undefined || segmentArg === 'hl30') {
        throw new UsageError(`this model was trained on ${segmentLabel(segment)} features, not HL-30: drop --highlighter / --segment hl30.`);
      }
      const bar = createProgress({ total: rows.length, label: 'features', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
      // Songs are scored batch by batch while the workers compute the next ones, so a catalogue of any
      // size is ranked in bounded memory (RANK_BATCH songs plus the prefetch window), not all features at once.
      const stream = await streamFeatures(
        { rows, tagNames },
        {
          cacheDir,
          features: preset,
          segment:
            segment.kind === 'whole' ? 'whole' : segment.kind === 'highlight' ? { highlighter: highlighter!.dir, seconds: segment.seconds } : { seconds: segment.seconds },
          backend,
          jobs: intOption(values, 'jobs', 1, 256),
          signal: ctx.signal,
          onProgress: (p) => bar.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
        },
      );
      try {
        for await (const batch of stream.batches(RANK_BATCH)) {
          for (const f of batch.failed) {
            failed.push({ id: f.row.id, line: lines[f.index], audio: f.row.audio, code: f.error!.code, message: f.error!.message, ...(manifestArg === undefined ? { argument: true } : {}) });
          }
          if (batch.songs.length > 0) await scored.add(batch.dataset);
        }
      } finally {
        await stream.close();
      }
      bar.finish();
      if (failed.length > 0 && ctx.json && !ctx.quiet) io.stderr.write(failedText(failed));
    } else {
      const dataset: HitDataset = {
        ids: rows.map((r) => r.id),
        hitScores: new Float64Array(rows.length),
        tags: rows.map((r) => Float32Array.from(r.tags ?? [])),
      };
      if (tagNames) dataset.tagNames = [...tagNames];
      await scored.add(dataset);
    }
    if (scored.ids.length === 0) {
      if (!ctx.json) io.stdout.write(failedText(failed));
      return { exitCode: EXIT.PARTIAL, json: { model: modelDir, songs: [], failed } };
    }
    const { scores, hit } = scored.finish();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const songs: RankedSong[] = scored.ids
      .map((id, i) => ({ id, path: byId.get(id)?.audio ?? id, score: scores[i], hitScore: hit[i] }))
      .sort((x, y) => y.score - x.score)
      .map((s, i) => ({ rank: i + 1, ...s }))
      .slice(0, top ?? Infinity);
    if (!ctx.json) {
      printTable(ctx, songs, `rank: ${scored.ids.length} song${scored.ids.length > 1 ? 's' : ''} with ${modelDir}${top !== undefined ? ` (top ${songs.length})` : ''}`);
      if (failed.length > 0) io.stdout.write(failedText(failed));
    }
    return { exitCode: failed.length > 0 ? EXIT.PARTIAL : EXIT.OK, json: { model: modelDir, songs, failed } };
  } finally {
    for (const m of models) m.dispose();
  }
}

/** The `rank` command. */
export const command: CliCommand = {
  name: 'rank',
  summary: 'score audio files (or a manifest) with a trained model and print them sorted, best first',
  usage: 'hitrank rank <model-dir> <audio…> | hitrank rank <model-dir> --manifest FILE | hitrank rank --pretrained NAME <audio…>',
  help: `Loads a model saved by hitrank train, computes the features of the songs
with the model's recipe (preset and segment from its card / train.json) and
prints them sorted by score: the model's score (higher = more of a hit;
monotone in the predicted hit score) and the predicted hit score (the
inverse target transform, e.g. a daily market share). A model with a tag
branch needs the songs' tag-like features: use --manifest. Songs that fail
(missing or unreadable audio) are listed with their line; the rest are
ranked (exit code 1).

Options:
  --manifest FILE    rank the songs of a manifest (CSV / JSONL) instead of files
  --top N            print only the N best
  --pretrained NAME  use a pretrained model instead of a folder (when this build has them)
  --cache DIR        feature cache (default: .hitrank-cache/ next to a manifest; none for files)
  --no-cache         write no feature cache (a catalogue scored once: ≈ 165 KB per song saved)
  --highlighter DIR  for a model trained on HL-30 features: its highlighter (default: the folder
                     recorded in train.json; it must be the same highlighter, checked by SHA-256)
  --segment hl30     optional check that the model uses HL-30 (rank always uses the model's segment)
  --backend B        wasm (default) or cpu
  -j, --jobs N       feature worker threads (default: CPUs)
${COMMON_HELP}

Examples:
  hitrank rank models/ab new/*.wav --top 10
  hitrank rank models/ab-tags --manifest new-songs.csv --json
  hitrank rank models/ab-hl new/*.wav --highlighter highlighter/`,
  options: {
    manifest: { type: 'string' },
    top: { type: 'string' },
    pretrained: { type: 'string' },
    cache: { type: 'string' },
    'no-cache': { type: 'boolean' },
    highlighter: { type: 'string' },
    segment: { type: 'string' },
    backend: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
  },
  positionals: { min: 0, max: 100000, names: 'the model folder' },
  run,
};
