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
import { PAPER_TABLE1_CITATION, RUNNABLE_ROWS, table1Row } from '../table1.js';
import { formatComparison, formatTable } from '../tableText.js';
import { experimentSettings, parseOnlyFolds, parseTrainHyper, TRAIN_OPTIONS, trainOptionsHelp } from '../trainOptions.js';
import { failedText, loadTrainingData, parsePreset, parseSegment, segmentLabel } from '../trainingData.js';

/** Rows `--quick` runs unless `--rows` / `--all` says otherwise. */
const QUICK_ROWS = ['a', 'i'];

/**
 * Resolves `--rows` / `--all` against what the data allows.
 *
 * @param values - parsed values.
 * @param hasTags - whether the manifest has tag-like features.
 * @param quick - `--quick`.
 * @returns the row letters in table order.
 * @throws UsageError for unknown rows, or tag rows without tags.
 */
export function resolveRows(values: CliContext['values'], hasTags: boolean, quick: boolean): string[] {
  const listed = listOption(values, 'rows');
  if (listed && values.all) throw new UsageError('give either --rows or --all, not both.');
  let rows: string[];
  if (listed) {
    for (const r of listed) {
      if (r === 'c' || r === 'd') {
        throw new UsageError(`row ${r} is row ${r === 'c' ? 'a' : 'b'} on HL-30 highlights, which the CLI cannot make yet (--segment hl30); run row ${r === 'c' ? 'a' : 'b'}.`);
      }
      if (!RUNNABLE_ROWS.includes(r)) throw new UsageError(`--rows: unknown row ${JSON.stringify(r)}; rows are ${RUNNABLE_ROWS.join(', ')}.`);
      if (!hasTags && table1Row(r)!.tags) throw new UsageError(`row ${r} uses tag-like features, but the manifest has none (tag_<name> columns).`);
    }
    rows = RUNNABLE_ROWS.filter((r) => listed.includes(r));
  } else if (quick && !values.all) {
    rows = QUICK_ROWS;
  } else {
    rows = RUNNABLE_ROWS.filter((r) => hasTags || !table1Row(r)!.tags);
  }
  return rows;
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
  const preset = parsePreset(values.preset);
  const manifestArg = ctx.positionals[0];
  const outDir = values.out !== undefined ? resolve(io.cwd, values.out as string) : join(dirname(resolve(io.cwd, manifestArg)), 'hitrank-evaluate');

  const data = await loadTrainingData(ctx, manifestArg, { audio: true, tags: false, segment, preset, cache: values.cache as string | undefined, jobs: hyper.jobs });
  const hasTags = (data.dataset.tags?.length ?? 0) > 0 && (data.dataset.tags?.[0]?.length ?? 0) > 0;
  const rows = resolveRows(values, hasTags, quick);
  if (data.dataset.ids.length < folds) {
    throw new UsageError(`${folds}-fold cross-validation needs at least ${folds} songs; ${data.dataset.ids.length} are usable.`);
  }
  if (data.failed.length > 0 && ctx.json && !ctx.quiet) io.stderr.write(failedText(data.failed));

  const featureLabel = `audio (${segmentLabel(data.segment)})`;
  const notes = [
    `Rows e–l: the paper used HL-30 highlights; here every row uses the same segment (${segmentLabel(data.segment)}).`,
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
    },
    {
      command: 'evaluate',
      title: `hitrank evaluate: ${data.manifest.path}`,
      featureLabel,
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
(c, d are a, b on HL-30 highlights: not available yet.) Tag rows need tag_<name>
columns in the manifest. Each finished (row, fold) is checkpointed in
<out>/tasks/: an interrupted run continues where it stopped when rerun.

Options:
  --folds K          number of folds (default 10, the paper's)
  --only-folds L     run only these folds, e.g. 0,1 (default all)
  --rows L           rows to run, e.g. a,i,j (default: all that the data allows)
  --all              all rows the data allows
  --quick            2 epochs per model and rows a, i (unless --rows/--all): a smoke test
  --top-fraction X   the "@" fraction (default 0.1)
  --out DIR          run folder (default hitrank-evaluate/ next to the manifest)
${trainOptionsHelp({ epochs: 150, lr: 0.005, patience: 20, segment: 'mid30' })}
${COMMON_HELP}

Example:
  hitrank evaluate songs.csv --folds 10 --rows a,i,j --epochs 50`,
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
