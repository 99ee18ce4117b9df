/**
 * `hitrank highlighter train | show`: make the highlighter that `--segment
 * hl30` needs (Huang et al., ref. [13] of the paper), and look at the 30-s
 * windows it picks.
 *
 * @module
 */
import { resolve } from 'node:path';
import { HitrankError } from '../../errors.js';
import { resample, type ChunkedMel } from '../../dsp/index.js';
import type { HighlighterOptions, HighlighterVariant } from '../../models/highlighter/index.js';
import type { ExtractStats } from '../../node/index.js';
import { createProgress, extractHighlighterFeatures, formatDuration, loadAudio, loadHighlighter, readManifest, saveHighlighter } from '../../node/index.js';
import { CLI_BACKENDS, parseBackend, startBackend } from '../backend.js';
import { COMMON_HELP, intOption, numberOption, seedOption, UsageError, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { readSongLabels } from '../highlighterLabels.js';
import { checkHighlighter, DEFAULT_CACHE_DIR, failedText, resolveCacheDir, type FailedSong } from '../trainingData.js';
import { trainValidationSplit } from './train.js';

const SUBCOMMANDS = ['train', 'show'] as const;

/** Options that only `train` takes (checked so that `show` refuses them). */
const TRAIN_ONLY = ['labels', 'out', 'jobs', 'cache', 'epochs', 'lr', 'seed', 'val-fraction', 'songs-per-step', 'variant', 'n-mels', 'filters', 'attention-units', 'classifier-units'];

function intList(values: CliContext['values'], name: string, min: number, max: number): number[] | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const items = typeof raw === 'string' ? raw.split(',').map((s) => s.trim()) : [];
  const out = items.map(Number);
  if (items.length === 0 || out.some((v, i) => !/^\d+$/.test(items[i]) || v < min || v > max)) {
    throw new UsageError(`--${name} must be a comma-separated list of integers from ${min} to ${max}, got ${JSON.stringify(raw)}.`);
  }
  return out;
}

/** One line about the feature extraction of a run. */
function featuresText(s: ExtractStats): string {
  return (
    `features of ${s.total} song${s.total === 1 ? '' : 's'}: ${s.cached} cached, ${s.extracted} extracted, ${s.failed} failed ` +
    `(${formatDuration(s.seconds)}, ${s.workers > 0 ? `${s.workers} worker${s.workers > 1 ? 's' : ''}` : 'in-process'}` +
    `${s.corrupt > 0 ? `; ${s.corrupt} corrupt cache file${s.corrupt > 1 ? 's' : ''} re-extracted` : ''})`
  );
}

async function runTrain(ctx: CliContext): Promise<CliResult> {
  const t0 = performance.now();
  const { values, io } = ctx;
  const manifestArg = (values.manifest as string | undefined) ?? ctx.positionals[1];
  if (values.manifest !== undefined && ctx.positionals.length > 1) throw new UsageError('give the manifest either as --manifest FILE or as an argument, not both.');
  if (manifestArg === undefined) throw new UsageError('--manifest FILE is required (the songs to train on, with their labels).');
  if (ctx.positionals.length > 2) throw new UsageError(`unexpected argument ${JSON.stringify(ctx.positionals[2])}.`);
  if (values.out === undefined) throw new UsageError('--out DIR is required (the folder the highlighter is saved to).');
  if (values.highlighter !== undefined) throw new UsageError('--highlighter is for show (and --segment hl30); train writes to --out DIR.');
  const outDir = resolve(io.cwd, values.out as string);
  const epochs = intOption(values, 'epochs', 1, 100000) ?? 30;
  const learningRate = numberOption(values, 'lr', 1e-8, 10) ?? 1e-3;
  const seed = seedOption(values);
  const songsPerStep = intOption(values, 'songs-per-step', 1, 4096) ?? 4;
  const variant = (values.variant as string | undefined) ?? 'attention';
  if (variant !== 'attention' && variant !== 'recurrent') throw new UsageError(`--variant must be attention or recurrent, got ${JSON.stringify(variant)}.`);
  const backend = parseBackend(values.backend);
  const valFractionArg = numberOption(values, 'val-fraction', 0, 0.5);
  const jobs = intOption(values, 'jobs', 1, 1024);

  const manifest = await readManifest(resolve(io.cwd, manifestArg));
  const cacheDir = resolveCacheDir(io.cwd, manifest.dir, values.cache as string | undefined);
  const labels = await readSongLabels(manifest, values.labels as string | undefined);
  const modelOptions: HighlighterOptions = {
    variant: variant as HighlighterVariant,
    classNames: labels.classNames,
    seed,
  };
  const nMels = intOption(values, 'n-mels', 8, 512);
  if (nMels !== undefined) modelOptions.nMels = nMels;
  const filters = intList(values, 'filters', 1, 4096);
  if (filters !== undefined) modelOptions.filters = filters;
  const attentionUnits = intList(values, 'attention-units', 1, 4096);
  if (attentionUnits !== undefined) modelOptions.attentionUnits = attentionUnits;
  const classifierUnits = intOption(values, 'classifier-units', 1, 65536);
  if (classifierUnits !== undefined) modelOptions.classifierUnits = classifierUnits;

  await startBackend(backend);
  const { resolveHighlighterOptions } = await import('../../models/highlighter/index.js');
  const { trainHighlighter } = await import('../../highlight/index.js');
  const cfg = resolveHighlighterOptions(modelOptions); // checks the sizes before any audio is read
  const featureOptions = { ...cfg.features, nMels: cfg.nMels, chunkSeconds: cfg.chunkSeconds };

  // Whole-song features of the labelled songs in worker threads, through the feature cache
  // (bit for bit highlighterFeatures of each decoded song), chunked in this thread.
  const unlabelled: string[] = [];
  const labelled: number[] = [];
  manifest.rows.forEach((row, i) => (labels.labels[i] === null ? unlabelled.push(row.id) : labelled.push(i)));
  const failed: FailedSong[] = [];
  let feats: ChunkedMel[] = [];
  let songLabels: string[] = [];
  let featureStats: ExtractStats | null = null;
  if (labelled.length > 0) {
    const bar = createProgress({ total: labelled.length, label: 'features', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
    const res = await extractHighlighterFeatures(
      labelled.map((i) => manifest.rows[i]),
      {
        cacheDir,
        ...(jobs !== undefined ? { jobs } : {}),
        features: featureOptions,
        signal: ctx.signal,
        onProgress: (p) => bar.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
      },
    );
    for (const f of res.failed) {
      const i = labelled[f.index];
      failed.push({ id: f.id, line: manifest.lines[i], audio: f.audio, code: f.code, message: f.message });
    }
    bar.finish(failed.length > 0 ? `${failed.length} failed` : undefined);
    feats = res.mels;
    songLabels = res.indices.map((k) => labels.labels[labelled[k]]!);
    featureStats = res.stats;
  }
  if (failed.length > 0 && ctx.json && !ctx.quiet) io.stderr.write(failedText(failed));
  const n = feats.length;
  if (n < 2) throw new HitrankError('E_TOO_SHORT', `${n} labelled, readable song${n === 1 ? '' : 's'}: a highlighter needs at least 2.`);
  const valFraction = valFractionArg ?? (n >= 20 ? 0.1 : 0);
  // Accuracy needs one song, not a pair: at least 1 validation song.
  const split = trainValidationSplit(n, valFraction, seed, 'highlighter', 1);
  if (split.train.length < 2) throw new HitrankError('E_TOO_SHORT', `--val-fraction ${valFraction} leaves ${split.train.length} training song(s).`);

  const epochBar = createProgress({ total: epochs, label: 'train', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
  const tTrain = performance.now();
  const { highlighter, history } = await trainHighlighter(
    split.train.map((k) => feats[k]),
    split.train.map((k) => songLabels[k]),
    {
      ...modelOptions,
      epochs,
      learningRate,
      songsPerStep,
      ...(split.validation.length > 0
        ? { validation: { songs: split.validation.map((k) => feats[k]), labels: split.validation.map((k) => songLabels[k]) } }
        : {}),
      onEpoch: (log) => {
        ctx.signal.throwIfAborted();
        epochBar.update(
          log.epoch + 1,
          `loss ${log.loss.toFixed(3)} acc ${(100 * log.accuracy).toFixed(0)} %${log.valAccuracy !== undefined ? ` val acc ${(100 * log.valAccuracy).toFixed(0)} %` : ''}`,
        );
      },
    },
  );
  epochBar.finish();
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const last = history[history.length - 1];
  const first = history[0];
  const options = {
    variant,
    nMels: cfg.nMels,
    filters: cfg.filters,
    attentionUnits: cfg.attentionUnits,
    classifierUnits: cfg.classifierUnits,
    chunkSeconds: cfg.chunkSeconds,
    scales: cfg.scales,
    features: cfg.features,
    epochs,
    learningRate,
    songsPerStep,
    seed,
    validationFraction: valFraction,
    backend,
  };
  const training = {
    manifest: manifest.path,
    songs: { train: split.train.length, validation: split.validation.length, unlabelled: unlabelled.length, failed: failed.length },
    first: first ?? null,
    last: last ?? null,
    history,
    seconds: trainSeconds,
  };
  const labelInfo = { kind: labels.kind, columns: labels.columns, counts: labels.counts };
  let info;
  try {
    info = await saveHighlighter(highlighter, outDir, { labels: labelInfo, options, training });
  } finally {
    highlighter.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (!ctx.json) {
    const cls = labels.classNames;
    const out = [
      `highlighter train: ${split.train.length} training / ${split.validation.length} validation songs, ${cls.length} classes ` +
        `(${labels.kind === 'column' ? `column ${labels.columns[0]}` : `highest z-score of ${labels.columns.length} columns`}: ${cls.slice(0, 6).join(', ')}${cls.length > 6 ? ', …' : ''})`,
      `  ${variant} model, ${epochs} epoch${epochs > 1 ? 's' : ''}: loss ${first?.loss.toFixed(3) ?? '—'} → ${last?.loss.toFixed(3) ?? '—'}, ` +
        `accuracy ${last ? (100 * last.accuracy).toFixed(0) : '—'} %${last?.valAccuracy !== undefined ? `, validation accuracy ${(100 * last.valAccuracy).toFixed(0)} %` : ''}`,
      `  saved ${outDir} (weights SHA-256 ${info.weightsSha256.slice(0, 12)}…, ${formatDuration(seconds)})`,
    ];
    if (featureStats) out.splice(1, 0, `  ${featuresText(featureStats)}, cache ${cacheDir}`);
    if (unlabelled.length > 0) out.push(`  ${unlabelled.length} song${unlabelled.length > 1 ? 's' : ''} without a label left out`);
    out.push(`Next: hitrank highlighter show <audio…> --highlighter ${outDir}  ·  hitrank train <manifest> --segment hl30 --highlighter ${outDir} --out DIR`);
    io.stdout.write(out.join('\n') + '\n');
    if (failed.length > 0) io.stdout.write(failedText(failed));
  }
  return {
    exitCode: failed.length > 0 ? EXIT.PARTIAL : EXIT.OK,
    json: {
      subcommand: 'train',
      manifest: manifest.path,
      out: outDir,
      id: info.id,
      weightsSha256: info.weightsSha256,
      classNames: labels.classNames,
      labels: labelInfo,
      options,
      songs: training.songs,
      final: last ?? null,
      epochs: history.length,
      unlabelled,
      failed,
      features: { cacheDir, ...(featureStats ?? { total: 0, cached: 0, extracted: 0, failed: 0, corrupt: 0, workers: 0, seconds: 0 }) },
      seconds,
    },
  };
}

/** One file's highlight, as `show` prints it. */
export interface ShownHighlight {
  /** Song id (manifest id, or the path as given). */
  id: string;
  /** Audio path. */
  path: string;
  /** Duration of the song in seconds. */
  seconds: number;
  /** First second of the window. */
  start: number;
  /** One past its last second. */
  end: number;
  /** The song is not longer than the window: it is taken whole (the model did not run). */
  wholeSong: boolean;
}

async function runShow(ctx: CliContext): Promise<CliResult> {
  const { values, io } = ctx;
  for (const o of TRAIN_ONLY) if (values[o] !== undefined) throw new UsageError(`--${o} is an option of highlighter train, not show.`);
  if (values.highlighter === undefined) throw new UsageError('--highlighter DIR is required (a folder written by hitrank highlighter train).');
  const files = ctx.positionals.slice(1);
  const manifestArg = values.manifest as string | undefined;
  if (manifestArg !== undefined && files.length > 0) throw new UsageError('give either audio files or --manifest, not both.');
  if (manifestArg === undefined && files.length === 0) throw new UsageError('give the audio files to show, or --manifest FILE.');
  const checked = await checkHighlighter(ctx, values.highlighter as string);
  let songs: { id: string; path: string; line: number; argument: boolean }[];
  if (manifestArg !== undefined) {
    const m = await readManifest(resolve(io.cwd, manifestArg));
    songs = m.rows.map((r, i) => ({ id: r.id, path: r.audio, line: m.lines[i], argument: false }));
  } else {
    songs = files.map((f, i) => ({ id: f, path: resolve(io.cwd, f), line: i + 2, argument: true }));
  }
  await startBackend(parseBackend(values.backend));
  const { extractHighlight } = await import('../../highlight/index.js');
  const { highlighter, info } = await loadHighlighter(checked.dir);
  const rate = highlighter.config.features.sampleRate;
  const shown: ShownHighlight[] = [];
  const failed: FailedSong[] = [];
  const bar = createProgress({ total: songs.length, label: 'highlights', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
  try {
    for (const [i, s] of songs.entries()) {
      ctx.signal.throwIfAborted();
      try {
        const a = await loadAudio(s.path, { mono: true });
        const y = a.sampleRate === rate ? a.channelData[0] : resample(a.channelData[0], { from: a.sampleRate, to: rate });
        // Whole seconds at the file's rate, as extractFeatures and the training features count them.
        const h = extractHighlight(y, highlighter, { sampleRate: rate, length: 30, seconds: Math.floor(a.channelData[0].length / a.sampleRate) });
        shown.push({ id: s.id, path: s.path, seconds: y.length / rate, start: h.startSecond, end: h.endSecond, wholeSong: h.wholeSong });
      } catch (e) {
        if (!(e instanceof HitrankError)) throw e;
        failed.push({ id: s.id, line: s.line, audio: s.path, code: e.code, message: e.detail, ...(s.argument ? { argument: true } : {}) });
      }
      bar.update(i + 1);
    }
  } finally {
    highlighter.dispose();
  }
  bar.finish();
  if (!ctx.json) {
    const out = [`highlighter show: HL-30 windows of ${info.dir} (${info.id.slice(0, 12)})`, '   start     end  length  song'];
    for (const s of shown) {
      out.push(`${s.start.toFixed(0).padStart(6)} s ${s.end.toFixed(0).padStart(5)} s ${s.seconds.toFixed(1).padStart(6)} s  ${s.id}${s.wholeSong ? '  (whole song: not longer than 30 s)' : ''}`);
    }
    io.stdout.write(out.join('\n') + '\n');
    if (failed.length > 0) io.stdout.write(failedText(failed));
  } else if (failed.length > 0 && !ctx.quiet) {
    io.stderr.write(failedText(failed));
  }
  return {
    exitCode: failed.length > 0 ? EXIT.PARTIAL : EXIT.OK,
    json: { subcommand: 'show', highlighter: { dir: info.dir, id: info.id, weightsSha256: info.weightsSha256 }, songs: shown, failed },
  };
}

async function run(ctx: CliContext): Promise<CliResult> {
  const sub = ctx.positionals[0];
  if (!(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: use hitrank highlighter train … or hitrank highlighter show ….`);
  }
  return sub === 'train' ? runTrain(ctx) : runShow(ctx);
}

/** The `highlighter` command (`train`, `show`). */
export const command: CliCommand = {
  name: 'highlighter',
  summary: 'train the music highlighter that --segment hl30 needs (HL-30, ref. [13]); show the 30-s windows it picks',
  usage: 'hitrank highlighter train --manifest FILE --out DIR [options] | hitrank highlighter show <audio…> | --manifest FILE --highlighter DIR',
  help: `The paper's HL-30 segment is the 30 s of a song that a music highlighter
(Huang et al., ref. [13]) attends to most. The highlighter learns this from
song-level class labels alone (emotion classes in the original; genre, mood
or playlist labels work the same way): each song's class is predicted from
an attention-weighted sum of its 3-s chunks, and the attention learns where
the class evidence is.

hitrank highlighter train --manifest FILE --out DIR [options]
  Trains a highlighter on the songs of a manifest and saves it atomically to
  DIR: model.json + weights.bin (tf.io layout) + hitrank.json (a card: the
  options, the labels, the training figures and the SHA-256 of the weights,
  checked whenever the highlighter is loaded). The songs' whole-song log1p
  mels are computed in worker threads and kept in the feature cache (as
  hitrank features does), so a rerun reads them back; each is then cut into
  the highlighter's 3-s chunks.

  --cache DIR         feature cache folder (default: ${DEFAULT_CACHE_DIR}/ next to the manifest)
  --jobs N            worker threads for the features (default: the number of CPUs; 1 = no workers)
  --labels L          the songs' classes (default: the tag_<name> columns): a class
                      column (genre), PREFIX* or A,B,C (numeric columns: the class is
                      the column where the song stands out most, by z-score over the
                      songs). Songs without a label are left out.
  --epochs N          passes over the songs (default 30)
  --lr X              Adam learning rate (default 0.001)
  --songs-per-step N  songs per optimisation step (default 4)
  --val-fraction X    held-out songs for validation accuracy (default 0.1 with ≥ 20 songs, else 0)
  --seed N            seed of the initialisers, the split and the song order (default 0)
  --variant V         attention (default; NAM-LF) or recurrent (the APSIPA-2017 model)
  --n-mels N, --filters A,B,C, --attention-units A,B,C, --classifier-units N
                      model sizes (default: the published ones)
  --backend B         tfjs backend: ${CLI_BACKENDS.join(' or ')} (default wasm)

hitrank highlighter show <audio…> --highlighter DIR   (or --manifest FILE)
  Prints the HL-30 window (start and end second) the highlighter picks in
  each song: the window --segment hl30 cuts (with the paper preset). Songs of
  at most 30 s are taken whole.

${COMMON_HELP}

Examples:
  hitrank highlighter train --manifest songs.csv --labels genre --out highlighter/
  hitrank highlighter show new/*.wav --highlighter highlighter/ --json
  hitrank train songs.csv --segment hl30 --highlighter highlighter/ --out models/ab-hl`,
  options: {
    manifest: { type: 'string' },
    labels: { type: 'string' },
    out: { type: 'string', short: 'o' },
    cache: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
    'val-fraction': { type: 'string' },
    'songs-per-step': { type: 'string' },
    variant: { type: 'string' },
    'n-mels': { type: 'string' },
    filters: { type: 'string' },
    'attention-units': { type: 'string' },
    'classifier-units': { type: 'string' },
    highlighter: { type: 'string' },
    backend: { type: 'string' },
  },
  positionals: { min: 1, max: 100000, names: 'a subcommand: train or show' },
  run,
};
