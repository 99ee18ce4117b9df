/**
 * `hitrank train <manifest> --out DIR`: train one Table-1 configuration and
 * save it (tf.io layout + hitrank.json model card + train.json history).
 *
 * @module
 */
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { subsetDataset, type HitDataset } from '../../data/index.js';
import { HitrankError } from '../../errors.js';
import { evaluateRanking } from '../../metrics/index.js';
import { createProgress, fileHandler, fitParallel, writeFileAtomic } from '../../node/index.js';
import type { EpochPoint, MetricTriple, TrainRun } from '../../node/reportTypes.js';
import { fuseRankings, tuneFusionWeight } from '../../sampling/index.js';
import { VERSION } from '../../version.js';
import { parseBackend, startBackend } from '../backend.js';
import { COMMON_HELP, numberOption, UsageError, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { epochPoint } from '../experiment.js';
import { PAPER_TABLE1 } from '../table1.js';
import { parseTrainHyper, TRAIN_OPTIONS, trainOptionsHelp } from '../trainOptions.js';
import { failedText, loadTrainingData, parsePreset, parseSegmentOptions, segmentLabel } from '../trainingData.js';

const SAMPLERS = ['naive', 'ab', 'artist', 'ab+artist'] as const;
type CliSampler = (typeof SAMPLERS)[number];

/** File name of the training record written next to the model files. */
export const TRAIN_JSON = 'train.json';

/**
 * Splits song indices into training and validation sets with a seeded shuffle.
 *
 * @param n - number of songs.
 * @param fraction - validation fraction in [0, 0.5].
 * @param seed - seed.
 * @param stream - what the split is for (seeds a separate stream; `train` here, `highlighter` for `highlighter train`).
 * @param minValidation - the fewest validation songs when fraction > 0 (2: a ranking metric needs a pair).
 * @returns index lists (validation empty when fraction is 0).
 */
export function trainValidationSplit(
  n: number,
  fraction: number,
  seed: number,
  stream = 'train',
  minValidation = 2,
): { train: number[]; validation: number[] } {
  const rng = seedrandom(`hitrank-${stream}-split-${seed}`);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = fraction === 0 ? 0 : Math.max(minValidation, Math.round(n * fraction));
  return { validation: order.slice(0, nVal).sort((a, b) => a - b), train: order.slice(nVal).sort((a, b) => a - b) };
}

const triple = (e: { ndcg: number; kendall: number; spearman: number }): MetricTriple => ({ ndcg: e.ndcg, kendall: e.kendall, spearman: e.spearman });

function tableRow(network: 'rating' | 'siamese', sampler: CliSampler, tags: boolean, audio: boolean, highlight: boolean): string | null {
  if (!audio) return null;
  const s = network === 'rating' ? null : sampler;
  const segment = highlight ? 'HL-30' : 'Mid-30';
  return PAPER_TABLE1.find((r) => r.network === network && r.sampler === s && r.tags === tags && (network === 'siamese' || r.paperSegment === segment))?.row ?? null;
}

async function run(ctx: CliContext): Promise<CliResult> {
  const t0 = performance.now();
  const { values, io } = ctx;
  if (values.out === undefined) throw new UsageError('--out DIR is required (the folder the model is saved to).');
  const outDir = resolve(io.cwd, values.out as string);
  const hyper = parseTrainHyper(values, { epochs: 150, learningRate: 5e-3, patience: 20 });
  const samplerRaw = (values.sampler as string | undefined) ?? 'ab';
  if (!(SAMPLERS as readonly string[]).includes(samplerRaw)) throw new UsageError(`--sampler must be one of ${SAMPLERS.join(', ')}, got ${JSON.stringify(samplerRaw)}.`);
  const sampler = samplerRaw as CliSampler;
  const ratingOnly = values['rating-only'] === true;
  if (ratingOnly && values.w !== undefined && Number(values.w) !== 0) throw new UsageError('--rating-only means w = 0; do not also give --w.');
  if (ratingOnly && values.sampler !== undefined) throw new UsageError('--rating-only trains without pairs sampling; drop --sampler.');
  const w = ratingOnly ? 0 : hyper.w;
  const audio = values['no-audio'] !== true;
  const tags = values.tags === true || !audio;
  const tuneOn = values.tune === true;
  const valFraction = numberOption(values, 'val-fraction', 0, 0.5) ?? 0.1;
  if (tuneOn && valFraction === 0) throw new UsageError('--tune needs a validation set (--val-fraction > 0).');
  if (sampler === 'ab+artist' && valFraction === 0) throw new UsageError('--sampler ab+artist chooses the fusion weight on validation: --val-fraction must be > 0.');
  const backend = parseBackend(values.backend);
  const { segment, highlighter } = parseSegmentOptions(values);
  const preset = parsePreset(values.preset);

  const data = await loadTrainingData(ctx, ctx.positionals[0], {
    audio,
    tags,
    segment,
    preset,
    cache: values.cache as string | undefined,
    jobs: hyper.jobs,
    highlighter,
    backend,
  });
  if (data.failed.length > 0 && ctx.json && !ctx.quiet) io.stderr.write(failedText(data.failed));
  const all = data.dataset;
  const n = all.ids.length;
  if (n < 4) throw new HitrankError('E_TOO_SHORT', `${n} usable song${n === 1 ? '' : 's'}: training needs at least 4 (2 to train on, 2 to validate).`);
  const split = trainValidationSplit(n, valFraction, hyper.seed);
  if (split.train.length < 2) throw new HitrankError('E_TOO_SHORT', `--val-fraction ${valFraction} leaves ${split.train.length} training song(s).`);
  const train = subsetDataset(all, split.train);
  const val: HitDataset | undefined = split.validation.length > 0 ? subsetDataset(all, split.validation) : undefined;

  await startBackend(backend);
  const { SiameseHitModel, tune } = await import('../../training/index.js');
  const network = w === 0 ? 'rating' : 'siamese';
  let params = { margin: hyper.margin, w, mu: hyper.mu };
  const modelBase = { audio, tags, featurePreset: preset, seed: hyper.seed };
  const fitBase = { epochs: hyper.epochs, learningRate: hyper.learningRate, batchPairs: hyper.batchPairs, patience: hyper.patience, monitor: hyper.monitor };
  let tuning: TrainRun['tuning'] = null;
  if (tuneOn) {
    const grid = { margin: [0.5, 1, 2], w: ratingOnly ? [0] : [0.25, 0.5, 0.75], mu: tags && audio ? [0.25, 0.5, 0.75] : [hyper.mu] };
    const trials = grid.margin.length * grid.w.length * grid.mu.length;
    const bar = createProgress({ total: trials, label: 'tune', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
    let done = 0;
    const res = await tune(train, val!, {
      model: { ...modelBase, ...params },
      fit: { ...fitBase, sampler: ratingOnly ? undefined : sampler },
      grid,
      onTrial: (t) => {
        ctx.signal.throwIfAborted();
        bar.update(++done, `m ${t.params.margin} w ${t.params.w} μ ${t.params.mu}: Spearman@10% ${t.validation.spearman.toFixed(3)}`);
      },
    });
    bar.finish();
    params = res.best;
    tuning = res.trials.map((t) => ({ params: t.params, validation: triple(t.validation) }));
  }

  // Training threads: one per job (each batch split across them), one for a tag-only DNN (its step is too small to share out).
  const threads = audio ? Math.min(hyper.jobs, hyper.batchPairs) : 1;
  const fitOne = async (kind: 'naive' | 'ab' | 'artist' | undefined, label: string, dir: string) => {
    const model = new SiameseHitModel({ ...modelBase, ...params });
    const bar = createProgress({ total: hyper.epochs, label, stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
    const epochs: EpochPoint[] = [];
    try {
      // All cores: one wasm/cpu backend per worker thread (data-parallel, same numbers as one thread within 1e-5).
      const h = await fitParallel(model, train, {
        ...fitBase,
        sampler: kind,
        validation: val,
        onEpoch: (log) => {
          epochs.push(epochPoint(log));
          ctx.signal.throwIfAborted();
          bar.update(log.epoch + 1, `loss ${log.loss.toFixed(4)}${log.val ? ` val nDCG@10% ${log.val.ndcg.toFixed(3)}` : ''}`);
        },
      }, { workers: threads, backend });
      bar.finish(h.stoppedEarly ? `stopped early, kept epoch ${h.bestEpoch}` : `kept epoch ${h.bestEpoch}`);
      await model.save(fileHandler(dir));
      const valScores = val ? await model.predict(val) : null;
      const valHit = val ? await model.predictHitScores(val) : null;
      const card = model.modelCard();
      return { h, epochs, valScores, valHit, card };
    } finally {
      model.dispose();
    }
  };

  let record: TrainRun;
  const features: TrainRun['features'] = {
    preset,
    segment: data.segment,
    melShape: audio ? (all.melShape ?? null) : null,
  };
  if (data.highlighter) features.highlighter = { dir: data.highlighter.dir, id: data.highlighter.id, weightsSha256: data.highlighter.weightsSha256 };
  const common = {
    format: 'hitrank/train' as const,
    formatVersion: 1,
    library: VERSION,
    createdAt: new Date().toISOString(),
    manifest: data.manifest.path,
    row: tableRow(network, sampler, tags, audio, data.segment.kind === 'highlight'),
    settings: {
      sampler: network === 'rating' ? null : sampler,
      w: params.w,
      margin: params.margin,
      mu: params.mu,
      tags,
      audio,
      epochs: hyper.epochs,
      'learning rate': hyper.learningRate,
      'batch pairs': hyper.batchPairs,
      patience: Number.isFinite(hyper.patience) ? hyper.patience : 'never',
      monitor: hyper.monitor,
      seed: hyper.seed,
      'validation fraction': valFraction,
      tuned: tuneOn,
      backend,
      'training threads': threads,
    },
    features,
    sizes: { train: train.ids.length, validation: val?.ids.length ?? 0 },
    hitScores: Array.from(train.hitScores),
  };
  const files: string[] = [];
  if (network === 'siamese' && sampler === 'ab+artist') {
    const a = await fitOne('ab', 'train ab', join(outDir, 'ab'));
    const b = await fitOne('artist', 'train artist', join(outDir, 'artist'));
    let weight = 0.5;
    try {
      weight = tuneFusionWeight(val!.hitScores, a.valScores!, b.valScores!, { metric: 'spearman' }).weight;
    } catch (e) {
      if (!(e instanceof HitrankError && (e.code === 'E_TOO_SHORT' || e.code === 'E_MISSING_DATA'))) throw e;
    }
    const fused = fuseRankings(a.valScores!, b.valScores!, weight);
    const fusedHit = fuseRankings(a.valHit!, b.valHit!, weight);
    record = {
      ...common,
      fusion: { models: ['ab', 'artist'], weight },
      epochs: a.epochs,
      epochs2: b.epochs,
      bestEpoch: a.h.bestEpoch,
      validation: val && val.ids.length >= 2 ? triple(evaluateRanking(val.hitScores, fused)) : null,
      predictions: val ? { ids: val.ids, trueScores: Array.from(val.hitScores), predicted: Array.from(fusedHit) } : null,
      tuning,
      seconds: 0,
    };
    for (const d of ['ab', 'artist']) for (const f of ['model.json', 'weights.bin', 'hitrank.json']) files.push(join(outDir, d, f));
  } else {
    const a = await fitOne(network === 'rating' ? undefined : (sampler as 'naive' | 'ab' | 'artist'), 'train', outDir);
    record = {
      ...common,
      fusion: null,
      epochs: a.epochs,
      bestEpoch: a.h.bestEpoch,
      validation: val && val.ids.length >= 2 ? triple(evaluateRanking(val.hitScores, a.valScores!)) : null,
      predictions: val ? { ids: val.ids, trueScores: Array.from(val.hitScores), predicted: Array.from(a.valHit!) } : null,
      tuning,
      seconds: 0,
    };
    for (const f of ['model.json', 'weights.bin', 'hitrank.json']) files.push(join(outDir, f));
  }
  record.seconds = (performance.now() - t0) / 1000;
  const trainJson = join(outDir, TRAIN_JSON);
  await writeFileAtomic(trainJson, JSON.stringify(record, null, 1) + '\n');
  files.push(trainJson);

  if (!ctx.json) {
    const v = record.validation;
    const out: string[] = [
      `train: ${record.row ? `Table-1 row (${record.row}), ` : ''}${network === 'rating' ? 'rating only (w = 0)' : `Siamese, ${sampler} sampling, w = ${params.w}, m = ${params.margin}`}` +
        `${tags ? `, tags (μ = ${params.mu})` : ''}${audio ? `, ${segmentLabel(data.segment)}` : ', no audio'}; ${train.ids.length} training / ${val?.ids.length ?? 0} validation songs`,
    ];
    if (data.highlighter) out.push(`  HL-30 windows chosen by the highlighter ${data.highlighter.dir} (${data.highlighter.id.slice(0, 12)})`);
    if (tuneOn) out.push(`  tuned on validation: m = ${params.margin}, w = ${params.w}, μ = ${params.mu}`);
    if (record.fusion) out.push(`  fusion weight of the artist model: ${record.fusion.weight}`);
    out.push(`  kept epoch ${record.bestEpoch}; validation nDCG@10% ${fmt(v?.ndcg)}, Kendall@10% ${fmt(v?.kendall)}, Spearman@10% ${fmt(v?.spearman)}`);
    out.push(`  saved ${outDir} (${record.seconds.toFixed(0)} s)`);
    out.push(`Next: hitrank rank ${outDir} <audio files…>  ·  hitrank report ${outDir}`);
    io.stdout.write(out.join('\n') + '\n');
    if (data.failed.length > 0) io.stdout.write(failedText(data.failed));
  }
  return {
    exitCode: data.failed.length > 0 ? EXIT.PARTIAL : EXIT.OK,
    json: {
      manifest: data.manifest.path,
      out: outDir,
      files,
      row: record.row,
      settings: record.settings,
      features: record.features,
      fusion: record.fusion,
      sizes: record.sizes,
      bestEpoch: record.bestEpoch,
      validation: record.validation,
      tuning,
      failed: data.failed,
      seconds: record.seconds,
    },
  };
}

function fmt(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3);
}

/** The `train` command. */
export const command: CliCommand = {
  name: 'train',
  summary: 'train one Table-1 configuration (rating only or Siamese, any sampler, tags on/off) and save it',
  usage: 'hitrank train <manifest.csv|manifest.jsonl> --out DIR [options]',
  help: `Trains the paper's model on the songs of a manifest: features (cached),
a seeded train/validation split, then SiameseHitModel.fit with the
validation set driving learning-rate decay, early stopping and the kept
weights. Saves DIR/model.json + weights.bin (tf.io layout) + hitrank.json
(model card) and DIR/train.json (settings, training curves, validation
predictions: input of hitrank report). With --sampler ab+artist, two models
are saved in DIR/ab and DIR/artist and their fusion weight in train.json.

Options:
  --out DIR            model folder (required; an existing model there is replaced atomically)
  --sampler S          pair sampler: naive, ab (default), artist, ab+artist
  --rating-only        rating loss only (w = 0, Table 1 rows a-d; c, d with --highlighter)
  --tags               add the tag branch on the manifest's tag_<name> columns (Eq. 4)
  --no-audio           tag-like features only (no audio branch; implies --tags)
  --tune               grid-search m ∈ {0.5, 1, 2}, w ∈ {0.25, 0.5, 0.75} (and μ with tags) on validation first
  --val-fraction X     validation share (default 0.1; 0 = no validation, keep the last epoch)
${trainOptionsHelp({ epochs: 150, lr: 0.005, patience: 20, segment: 'mid30' })}
${COMMON_HELP}

Examples:
  hitrank train songs.csv --out models/ab --sampler ab --tags
  hitrank train songs.csv --out models/rating --rating-only --epochs 50
  hitrank train songs.csv --out models/ab-hl --segment hl30 --highlighter highlighter/`,
  options: {
    ...TRAIN_OPTIONS,
    out: { type: 'string', short: 'o' },
    sampler: { type: 'string' },
    'rating-only': { type: 'boolean' },
    tags: { type: 'boolean' },
    'no-audio': { type: 'boolean' },
    tune: { type: 'boolean' },
    'val-fraction': { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: 'the manifest path' },
  run,
};
