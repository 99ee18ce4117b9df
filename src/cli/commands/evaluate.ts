/**
 * `hitrank evaluate <manifest>`: k-fold cross-validation of Table-1 rows,
 * printed beside the paper's Table 1; writes results.json and report.html.
 *
 * @module
 */
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseBackend } from '../backend.js';
import { COMMON_HELP, intOption, listOption, numberOption, UsageError, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { runExperiment } from '../runExperiment.js';
import { subsetDataset, type HitDataset } from '../../data/index.js';
import { readManifest } from '../../node/index.js';
import { HIGHLIGHT_ROWS, PAPER_TABLE1, PAPER_TABLE1_CITATION, RUNNABLE_ROWS, table1Row, trainedRows } from '../table1.js';
import { formatComparison, formatTable } from '../tableText.js';
import { experimentSettings, parseOnlyFolds, parseTrainHyper, TRAIN_OPTIONS, trainOptionsHelp } from '../trainOptions.js';
import {
  failedText,
  HOW_TO_MAKE_A_HIGHLIGHTER,
  hl30WithoutHighlighter,
  loadTrainingData,
  parsePreset,
  parseSegment,
  segmentLabel,
  type CliSegment,
  type FailedSong,
  type TrainingData,
} from '../trainingData.js';

/** Rows `--quick` runs unless `--rows` / `--all` says otherwise. */
const QUICK_ROWS = ['a', 'i'];

/**
 * Resolves `--rows` / `--all` against what the data allows.
 *
 * @param values - parsed values.
 * @param hasTags - whether the manifest has tag-like features.
 * @param quick - `--quick`.
 * @param hasHighlighter - whether `--highlighter` was given (rows c, d need it).
 * @returns the row letters in table order.
 * @throws UsageError for unknown rows, tag rows without tags, or c / d without a highlighter.
 */
export function resolveRows(values: CliContext['values'], hasTags: boolean, quick: boolean, hasHighlighter = false): string[] {
  const listed = listOption(values, 'rows');
  if (listed && values.all) throw new UsageError('give either --rows or --all, not both.');
  const runnable = PAPER_TABLE1.map((t) => t.row).filter((r) => RUNNABLE_ROWS.includes(r) || (hasHighlighter && HIGHLIGHT_ROWS.includes(r)));
  let rows: string[];
  if (listed) {
    for (const r of listed) {
      if (HIGHLIGHT_ROWS.includes(r) && !hasHighlighter) {
        throw new UsageError(
          `row ${r} is row ${r === 'c' ? 'a' : 'b'} on HL-30 highlights: give the highlighter that picks them with --highlighter DIR (${HOW_TO_MAKE_A_HIGHLIGHTER}).`,
        );
      }
      if (!runnable.includes(r)) throw new UsageError(`--rows: unknown row ${JSON.stringify(r)}; rows are ${runnable.join(', ')}.`);
      if (!hasTags && table1Row(r)!.tags) throw new UsageError(`row ${r} uses tag-like features, but the manifest has none (tag_<name> columns).`);
    }
    rows = runnable.filter((r) => listed.includes(r));
  } else if (quick && !values.all) {
    rows = QUICK_ROWS;
  } else {
    rows = runnable.filter((r) => hasTags || !table1Row(r)!.tags);
  }
  return rows;
}

/**
 * Which trained rows use HL-30 features. With a highlighter: rows c, d
 * always; the other rows follow `--segment` (`hl30`: all of them; not given:
 * the paper's layout — a, b on Mid-30, e–l on HL-30; anything else: none).
 * Without a highlighter: none.
 *
 * @param row - a trained row letter.
 * @param segment - `--segment`.
 * @param hasHighlighter - whether `--highlighter` was given.
 * @returns whether the row trains on HL-30 features.
 */
export function rowUsesHighlight(row: string, segment: CliSegment | undefined, hasHighlighter: boolean): boolean {
  if (!hasHighlighter) return false;
  if (HIGHLIGHT_ROWS.includes(row) || segment === 'hl30') return true;
  return segment === undefined && table1Row(row)?.paperSegment === 'HL-30';
}

function rowList(rows: string[]): string {
  return `row${rows.length > 1 ? 's' : ''} ${rows.join(', ')}`;
}

/** Both feature sets restricted to the songs usable in both, in the first one's order. */
function commonSongs(a: TrainingData, b: TrainingData): { a: HitDataset; b: HitDataset; failed: FailedSong[] } {
  const inB = new Map(b.dataset.ids.map((id, i) => [id, i]));
  const keepA: number[] = [];
  const keepB: number[] = [];
  a.dataset.ids.forEach((id, i) => {
    const j = inB.get(id);
    if (j !== undefined) {
      keepA.push(i);
      keepB.push(j);
    }
  });
  const failed = [...a.failed];
  for (const f of b.failed) if (!failed.some((g) => g.id === f.id)) failed.push(f);
  const all = keepA.length === a.dataset.ids.length && keepB.length === b.dataset.ids.length;
  return { a: all ? a.dataset : subsetDataset(a.dataset, keepA), b: all ? b.dataset : subsetDataset(b.dataset, keepB), failed };
}

async function run(ctx: CliContext): Promise<CliResult> {
  const t0 = performance.now();
  const loadStart = loadavg();
  const { values, io } = ctx;
  const quick = values.quick === true;
  const folds = intOption(values, 'folds', 3, 1000) ?? 10;
  const onlyFolds = parseOnlyFolds(values['only-folds'], folds);
  const hyper = parseTrainHyper(values, { epochs: quick ? 2 : 150, learningRate: 5e-3, patience: 20 });
  const topFraction = numberOption(values, 'top-fraction', 1e-6, 1) ?? 0.1;
  const backend = parseBackend(values.backend);
  const segment = parseSegment(values.segment);
  const highlighterArg = typeof values.highlighter === 'string' && values.highlighter.length > 0 ? values.highlighter : undefined;
  if (segment === 'hl30' && highlighterArg === undefined) throw hl30WithoutHighlighter();
  const hasHighlighter = highlighterArg !== undefined;
  const preset = parsePreset(values.preset);
  const manifestArg = ctx.positionals[0];
  const outDir = values.out !== undefined ? resolve(io.cwd, values.out as string) : join(dirname(resolve(io.cwd, manifestArg)), 'hitrank-evaluate');

  const manifest = await readManifest(resolve(io.cwd, manifestArg));
  const rows = resolveRows(values, manifest.rows.some((r) => (r.tags?.length ?? 0) > 0), quick, hasHighlighter);
  // Which features each trained row needs: the base segment, HL-30, or both (two feature sets of the same songs).
  const trained = trainedRows(rows);
  const hlRows = trained.filter((r) => rowUsesHighlight(r, segment, hasHighlighter));
  const baseRows = trained.filter((r) => !hlRows.includes(r));
  const load = { audio: true, tags: false, preset, cache: values.cache as string | undefined, jobs: hyper.jobs, backend };
  const baseData = baseRows.length > 0 ? await loadTrainingData(ctx, manifestArg, { ...load, segment: segment === 'hl30' ? undefined : segment }) : null;
  const hlData = hlRows.length > 0 ? await loadTrainingData(ctx, manifestArg, { ...load, segment: 'hl30', highlighter: highlighterArg }) : null;
  let data: TrainingData;
  let rowDatasets: Record<string, HitDataset> | undefined;
  if (baseData && hlData) {
    const common = commonSongs(baseData, hlData);
    data = { ...baseData, dataset: common.a, failed: common.failed, seconds: baseData.seconds + hlData.seconds };
    rowDatasets = Object.fromEntries(hlRows.map((r) => [r, common.b]));
  } else {
    data = (baseData ?? hlData)!;
  }
  if (data.dataset.ids.length < folds) {
    throw new UsageError(`${folds}-fold cross-validation needs at least ${folds} songs; ${data.dataset.ids.length} are usable.`);
  }
  if (data.failed.length > 0 && ctx.json && !ctx.quiet) io.stderr.write(failedText(data.failed));

  const baseLabel = baseData ? segmentLabel(baseData.segment) : null;
  const hlLabel = hlData ? segmentLabel(hlData.segment) : null;
  const featureLabel = `audio (${baseLabel ?? hlLabel})`;
  const rowFeatureLabels = baseData && hlData ? Object.fromEntries(hlRows.map((r) => [r, `audio (${hlLabel})`])) : undefined;
  const layout =
    baseData && hlData
      ? `${rowList(hlRows)} on ${hlLabel} (highlighter ${hlData.highlighter!.id.slice(0, 12)}), ${rowList(baseRows)} on ${baseLabel}`
      : `every row uses the same segment (${baseLabel ?? hlLabel}${hlData ? `, highlighter ${hlData.highlighter!.id.slice(0, 12)}` : ''})`;
  const notes = [
    `Rows c–l: the paper used HL-30 highlights, rows a–b Mid-30; here ${layout}.`,
    `@10%: the top ${Math.round(topFraction * 100)} % of each test set by true score (k songs; the paper's k was 150).`,
  ];
  if (onlyFolds) notes.push(`Only folds ${onlyFolds.join(', ')} of ${folds} were run.`);
  const outcome = await runExperiment(
    ctx,
    data,
    {
      rows,
      settings: experimentSettings(hyper, folds, preset, topFraction),
      onlyFolds,
      jobs: hyper.jobs,
      backend,
      outDir,
      ...(rowDatasets ? { rowDatasets } : {}),
    },
    {
      command: 'evaluate',
      title: `hitrank evaluate: ${data.manifest.path}`,
      featureLabel,
      ...(rowFeatureLabels ? { rowFeatureLabels } : {}),
      ...(hlData ? { extraSettings: { highlighter: hlData.highlighter!.dir, 'highlighter SHA-256': hlData.highlighter!.id } } : {}),
      notes,
      t0,
      loadStart,
      stages: { features: data.seconds },
    },
  );
  const r = outcome.results;
  if (!ctx.json) {
    const k = r.rows[0]?.folds[0]?.test.k;
    io.stdout.write(
      `evaluate: ${r.dataset.songs} songs, ${folds}-fold CV (${r.foldsRun.length} fold${r.foldsRun.length > 1 ? 's' : ''} run), k = ${k ?? '?'} song${k === 1 ? '' : 's'} @${Math.round(topFraction * 100)}%` +
        `${outcome.resumed ? `, ${outcome.resumed} task${outcome.resumed > 1 ? 's' : ''} resumed from checkpoints` : ''}\n\n`,
    );
    io.stdout.write(formatTable(r.rows));
    io.stdout.write(`\nOurs: mean ± sd over folds. Paper: ${PAPER_TABLE1_CITATION}\n`);
    for (const n of notes) io.stdout.write(`${n}\n`);
    if (r.comparison) io.stdout.write(`${formatComparison(r.comparison)}\n`);
    io.stdout.write(`results ${outcome.resultsPath}\nreport  ${outcome.reportPath}\n`);
    if (data.failed.length > 0) io.stdout.write(failedText(data.failed));
  }
  return {
    exitCode: data.failed.length > 0 ? EXIT.PARTIAL : EXIT.OK,
    json: {
      manifest: data.manifest.path,
      outDir,
      results: outcome.resultsPath,
      report: outcome.reportPath,
      folds,
      foldsRun: r.foldsRun,
      rows: r.rows.map((x) => ({ row: x.row, network: x.network, sampler: x.sampler, tags: x.tags, feature: x.feature, ...x.summary, spearmanAll: x.spearmanAll, paper: x.paper })),
      comparison: r.comparison,
      resumed: outcome.resumed,
      trained: outcome.trained,
      failed: data.failed,
      highlighter: hlData ? { dir: hlData.highlighter!.dir, id: hlData.highlighter!.id, rows: hlRows } : null,
      seconds: r.timing.seconds,
    },
  };
}

/** The `evaluate` command. */
export const command: CliCommand = {
  name: 'evaluate',
  summary: 'k-fold cross-validation of Table-1 rows, printed beside the paper (results.json + report.html)',
  usage: 'hitrank evaluate <manifest.csv|manifest.jsonl> [options]',
  help: `Cross-validates the paper's Table-1 configurations on your songs (§4: k folds,
(k−2) : 1 : 1 train/validation/test, each fold the test set once; the
weights that do best on validation are kept) and prints nDCG@10%,
Kendall@10% and Spearman@10% (mean ± sd over folds) beside the paper's
numbers. Rows:
  a  rating only (w = 0)               b  a + tag-like features
  e  Siamese, naive sampling           f  e + tags
  g  Siamese, artist sampling          h  g + tags
  i  Siamese, A/B sampling             j  i + tags
  k  A/B + artist models fused         l  k + tags
  c  a on HL-30 highlights             d  b on HL-30 highlights
(c, d need --highlighter DIR, a highlighter made by hitrank highlighter train.)
Tag rows need tag_<name> columns in the manifest. Segments: without
--highlighter every row uses --segment (default mid30). With --highlighter,
rows c, d use HL-30 and the other rows follow --segment: not given = the
paper's layout (a, b on Mid-30; e–l on HL-30), hl30 = every row on HL-30,
anything else = every row but c, d on that segment. Songs are featurised once
per segment (both through the cache); only songs usable in both are used. Each finished (row, fold) is checkpointed in
<out>/tasks/: an interrupted run continues where it stopped when rerun.

Options:
  --folds K          number of folds (default 10, the paper's)
  --only-folds L     run only these folds, e.g. 0,1 (default all)
  --rows L           rows to run, e.g. a,i,j (default: all that the data allows)
  --all              all rows the data allows
  --quick            2 epochs per model and rows a, i (unless --rows/--all): a smoke test
  --top-fraction X   the "@" fraction (default 0.1)
  --out DIR          run folder (default hitrank-evaluate/ next to the manifest)
${trainOptionsHelp({ epochs: 150, lr: 0.005, patience: 20, segment: 'mid30', highlighterNote: 'here: enables rows c, d (see Segments above)' })}
${COMMON_HELP}

Examples:
  hitrank evaluate songs.csv --folds 10 --rows a,i,j --epochs 50
  hitrank evaluate songs.csv --highlighter highlighter/ --all   (Table 1 with the paper's segments)`,
  options: {
    ...TRAIN_OPTIONS,
    folds: { type: 'string' },
    'only-folds': { type: 'string' },
    rows: { type: 'string' },
    all: { type: 'boolean' },
    quick: { type: 'boolean' },
    'top-fraction': { type: 'string' },
    out: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: 'the manifest path' },
  run,
};
