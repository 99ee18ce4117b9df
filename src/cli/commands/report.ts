/**
 * `hitrank report <run-dir>`: render the HTML report of an `evaluate` /
 * `demo` run (results.json) or a `train` run (train.json).
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { HitrankError } from '../../errors.js';
import { writeFileAtomic } from '../../node/index.js';
import { renderReport } from '../../node/report.js';
import type { RunResults, TrainRun } from '../../node/reportTypes.js';
import { COMMON_HELP, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';

/**
 * Finds and parses the results file of a run folder (or a results file given directly).
 *
 * @param path - a run folder (with results.json or train.json) or the JSON file.
 * @returns the parsed run and the file it came from.
 * @throws HitrankError `E_IO` (nothing there), `E_CORRUPT_FILE` (not JSON, or not a hitrank results file).
 */
export async function readRun(path: string): Promise<{ run: RunResults | TrainRun; file: string }> {
  const st = await stat(path).catch(() => undefined);
  if (!st) throw new HitrankError('E_IO', `${path} does not exist; give a run folder of hitrank evaluate, demo or train.`);
  let file = path;
  if (st.isDirectory()) {
    const candidates = [join(path, 'results.json'), join(path, 'train.json')];
    const found = [];
    for (const c of candidates) if (await stat(c).catch(() => undefined)) found.push(c);
    if (found.length === 0) {
      throw new HitrankError('E_MISSING_DATA', `${path} holds neither results.json (hitrank evaluate / demo) nor train.json (hitrank train).`);
    }
    file = found[0];
  }
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new HitrankError('E_CORRUPT_FILE', `${file} is not valid JSON (${(e as Error).message}).`);
  }
  const fmt = (json as { format?: unknown } | null)?.format;
  if (fmt !== 'hitrank/results' && fmt !== 'hitrank/train') {
    throw new HitrankError('E_CORRUPT_FILE', `${file} is not a hitrank results file (format ${JSON.stringify(fmt)}, expected "hitrank/results" or "hitrank/train").`);
  }
  const j = json as Partial<RunResults & TrainRun>;
  const need = fmt === 'hitrank/results' ? (['rows', 'dataset', 'timing', 'settings'] as const) : (['epochs', 'settings', 'features', 'sizes'] as const);
  for (const k of need) {
    if ((j as Record<string, unknown>)[k] === undefined) throw new HitrankError('E_CORRUPT_FILE', `${file} lacks '${k}'.`);
  }
  return { run: json as RunResults | TrainRun, file };
}

async function run(ctx: CliContext): Promise<CliResult> {
  const target = resolve(ctx.io.cwd, ctx.positionals[0]);
  const { run: data, file } = await readRun(target);
  const out = ctx.values.out !== undefined ? resolve(ctx.io.cwd, ctx.values.out as string) : join(dirname(file), 'report.html');
  const html = renderReport(data);
  await writeFileAtomic(out, html);
  if (!ctx.json) ctx.io.stdout.write(`report: ${out} (${(html.length / 1024).toFixed(0)} KB, from ${file})\n`);
  return { exitCode: EXIT.OK, json: { input: file, report: out, bytes: Buffer.byteLength(html), kind: data.format === 'hitrank/train' ? 'train' : data.command } };
}

/** The `report` command. */
export const command: CliCommand = {
  name: 'report',
  summary: 'write the self-contained HTML report of an evaluate / demo / train run',
  usage: 'hitrank report <run-dir> [--out report.html]',
  help: `Renders one self-contained HTML file (inline CSS and SVG, no scripts, no
network at view time) from a run folder: results.json of hitrank evaluate /
demo (the Table-1-style table beside the paper's, per-fold bars, training
curves, predicted-vs-true scatter, sorted hit-score curve as the paper's
Fig. 3) or train.json of hitrank train (curves, validation metrics and
scatter).

Options:
  --out FILE   where to write (default report.html in the run folder)
${COMMON_HELP}

Example:
  hitrank report hitrank-demo --out /tmp/demo.html`,
  options: { out: { type: 'string' } },
  positionals: { min: 1, max: 1, names: 'the run folder' },
  run,
};
