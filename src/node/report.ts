/**
 * One self-contained HTML report of a hitrank run: inline CSS and inline SVG
 * charts, no scripts, no fonts or images from the network — it opens offline
 * and prints.
 *
 * @module
 */
import { esc, groupedBarChart, lineChart, PALETTE, scatterChart, sortedCurveChart, type LineSeries } from './reportCharts.js';
import type { EpochPoint, MetricStats, RowResult, RunResults, TrainRun } from './reportTypes.js';

const CSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1120px; padding: 24px; color: #1b1b1b; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.meta { color: #555; margin: 2px 0; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 3px 5px; border-bottom: 1px solid #e4e4e4; text-align: left; white-space: nowrap; }
th { background: #f5f5f5; font-weight: 600; }
td.num { text-align: right; }
td.paper { color: #666; text-align: right; }
tr.win td { background: #eef7ee; }
.charts { display: flex; flex-wrap: wrap; gap: 8px 18px; }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
svg .grid { stroke: #eee; }
svg .axis { stroke: #444; }
svg .tick { font-size: 10px; fill: #333; }
svg .label { font-size: 11px; fill: #333; }
svg .title { font-size: 12px; font-weight: 600; fill: #111; }
.note { color: #555; font-size: 13px; }
.callout { background: #f3f8fd; border-left: 4px solid #0072B2; padding: 8px 12px; margin: 10px 0; }
.wide { overflow-x: auto; }
code { background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
`;

function fmt(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

function stat(s: MetricStats): string {
  if (s.n === 0) return '—';
  return s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
}

/** One colour per sampler (Okabe–Ito), a lighter one for the + tag rows. */
const ROW_COLORS: Record<string, [string, string]> = {
  rating: ['#0072B2', '#56B4E9'],
  naive: ['#009E73', '#6FCFB0'],
  artist: ['#CC79A7', '#E5B3D0'],
  ab: ['#D55E00', '#F29A5E'],
  'ab+artist': ['#8C564B', '#C49C94'],
};

function colorOf(r: Pick<RowResult, 'network' | 'sampler' | 'tags'>): string {
  const pair = ROW_COLORS[r.network === 'rating' ? 'rating' : (r.sampler ?? 'ab')] ?? [PALETTE[0], PALETTE[5]];
  return r.tags ? pair[1] : pair[0];
}

function samplerText(s: RowResult['sampler']): string {
  return s === 'ab' ? 'A/B' : s === 'ab+artist' ? 'A/B + artist' : (s ?? '—');
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<p class="note">Written by hitrank. This file is self-contained: inline CSS and SVG, no scripts, nothing loaded from the network.</p>
</body>
</html>
`;
}

/** Mean curve over folds of one metric per epoch (folds that stopped early drop out). */
function meanCurve(folds: { epochs?: EpochPoint[] }[], pick: (e: EpochPoint) => number | null): [number, number][] {
  const sums = new Map<number, { s: number; n: number }>();
  for (const f of folds) {
    for (const e of f.epochs ?? []) {
      const v = pick(e);
      if (v === null || !Number.isFinite(v)) continue;
      const cur = sums.get(e.epoch) ?? { s: 0, n: 0 };
      cur.s += v;
      cur.n++;
      sums.set(e.epoch, cur);
    }
  }
  return [...sums.entries()].sort((a, b) => a[0] - b[0]).map(([x, { s, n }]) => [x, s / n]);
}

function resultsTable(r: RunResults): string {
  const head =
    '<tr><th>row</th><th>network</th><th>sampler</th><th>feature</th><th>nDCG@10%</th><th>Kendall@10%</th><th>Spearman@10%</th>' +
    '<th title="Spearman over the whole test set">Spearman (all)</th><th>paper: nDCG</th><th>Kendall</th><th>Spearman</th></tr>';
  const win = r.comparison?.row;
  const body = r.rows
    .map((x) => {
      const cls = x.row === win ? ' class="win"' : '';
      const net = x.network === 'rating' ? 'CNN, rating only' : 'Siamese CNN';
      return (
        `<tr${cls}><td>(${esc(x.row)})</td><td>${net}</td><td>${esc(samplerText(x.sampler))}</td><td>${esc(x.feature)}</td>` +
        `<td class="num">${stat(x.summary.ndcg)}</td><td class="num">${stat(x.summary.kendall)}</td><td class="num">${stat(x.summary.spearman)}</td>` +
        `<td class="num">${stat(x.spearmanAll)}</td>` +
        `<td class="paper">${fmt(x.paper?.ndcg, 4)}</td><td class="paper">${fmt(x.paper?.kendall, 4)}</td><td class="paper">${fmt(x.paper?.spearman, 4)}</td></tr>`
      );
    })
    .join('\n');
  return `<div class="wide"><table>${head}\n${body}</table></div>`;
}

function comparisonText(r: RunResults): string {
  const c = r.comparison;
  if (!c) return '';
  const d = c.meanDiff;
  const sign = (x: number): string => (x >= 0 ? `+${fmt(x)}` : fmt(x));
  return (
    `<div class="callout"><b>Row (${esc(c.row)}) vs row (${esc(c.baseline)})</b> over ${c.folds} fold${c.folds > 1 ? 's' : ''}: ` +
    `higher nDCG@10% in ${c.wins.ndcg}/${c.folds}, Kendall@10% in ${c.wins.kendall}/${c.folds}, Spearman@10% in ${c.wins.spearman}/${c.folds} folds ` +
    `and Spearman over the whole test set in ${c.winsAll ?? '—'}/${c.folds}; ` +
    `mean differences ${sign(d.ndcg)}, ${sign(d.kendall)}, ${sign(d.spearman)}, ${sign(c.meanDiffAll ?? NaN)}.</div>`
  );
}

function settingsTable(settings: Record<string, unknown>): string {
  const rows = Object.entries(settings)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v === null ? '—' : String(v))}</td></tr>`)
    .join('');
  return `<table>${rows}</table>`;
}

function runReport(r: RunResults): string {
  const parts: string[] = [];
  const t = r.timing;
  parts.push(`<h1>${esc(r.title)}</h1>`);
  parts.push(
    `<p class="meta">hitrank ${esc(r.library)} · ${esc(r.command)} · ${esc(r.createdAt)} · ${r.dataset.songs} songs, ${r.dataset.artists} artists · ` +
      `${r.folds}-fold CV (folds run: ${r.foldsRun.join(', ')}) · ${esc(t.backend)} backend, ${t.jobs} training process${t.jobs === 1 ? '' : 'es'} on ${t.cpus} CPUs · ` +
      `${t.seconds.toFixed(0)} s (load average ${t.loadAverageStart.map((x) => x.toFixed(2)).join(' ')} at start, ${t.loadAverageEnd
        .map((x) => x.toFixed(2))
        .join(' ')} at end)</p>`,
  );
  if (r.dataset.description) parts.push(`<p class="note">${esc(r.dataset.description)}</p>`);

  parts.push('<h2>Results (Table-1 style)</h2>');
  parts.push(resultsTable(r));
  parts.push(comparisonText(r));
  parts.push(`<p class="note">Mean ± sd over folds of the test-set metrics. Paper columns: ${esc(r.paperCitation)}</p>`);
  for (const n of r.notes) parts.push(`<p class="note">${esc(n)}</p>`);

  // Per-fold bars.
  parts.push('<h2>Per-fold test metrics</h2><div class="charts">');
  const groups = r.rows.map((x) => `(${x.row})`);
  const colors = r.rows.map((x) => colorOf(x));
  const labels = r.foldsRun.map((f) => `fold ${f}`);
  const metrics: [keyof RowResult['summary'], string][] = [
    ['ndcg', 'nDCG@10%'],
    ['kendall', 'Kendall@10%'],
    ['spearman', 'Spearman@10%'],
  ];
  for (const [m, label] of metrics) {
    parts.push(
      groupedBarChart({
        title: `${label} per fold (bars) and mean (line)`,
        groups,
        values: r.rows.map((x) => r.foldsRun.map((f) => x.folds.find((o) => o.fold === f)?.test[m] ?? NaN)),
        barLabels: labels,
        colors,
        markers: r.rows.map((x) => x.summary[m].mean),
        yLabel: label,
      }),
    );
  }
  parts.push('</div>');

  // Training curves (mean over folds).
  const trained = r.rows.filter((x) => x.folds.some((f) => f.epochs && f.epochs.length > 0));
  if (trained.length > 0) {
    parts.push('<h2>Training curves (mean over folds)</h2><div class="charts">');
    const series = (pick: (e: EpochPoint) => number | null): LineSeries[] =>
      trained.map((x) => ({ name: `(${x.row}) ${x.network === 'rating' ? 'rating' : samplerText(x.sampler)}${x.tags ? ' + tag' : ''}`, points: meanCurve(x.folds, pick), color: colorOf(x), dash: x.tags }));
    parts.push(lineChart({ title: 'Training loss (Eq. 3; rating rows: Eq. 1)', series: series((e) => e.loss), xLabel: 'epoch', yLabel: 'loss' }));
    parts.push(lineChart({ title: 'Validation nDCG@10%', series: series((e) => e.valNdcg), xLabel: 'epoch', yLabel: 'nDCG@10%' }));
    parts.push(lineChart({ title: 'Validation Spearman@10%', series: series((e) => e.valSpearman), xLabel: 'epoch', yLabel: 'Spearman@10%' }));
    parts.push(lineChart({ title: 'Validation loss', series: series((e) => e.valLoss), xLabel: 'epoch', yLabel: 'loss' }));
    parts.push('</div>');
  }

  // Predicted vs true.
  const withPred = r.rows.filter((x) => x.folds.some((f) => f.predictions));
  if (withPred.length > 0) {
    const pick = ['a', 'i'].map((l) => withPred.find((x) => x.row === l)).filter((x): x is RowResult => x !== undefined);
    const shown = pick.length > 0 ? pick : withPred.slice(0, 2);
    parts.push('<h2>Predicted vs true hit scores (test sets of every fold)</h2><div class="charts">');
    parts.push(
      scatterChart({
        title: shown.map((x) => `(${x.row})`).join(' vs ') + ': predicted vs true (log10)',
        series: shown.map((x) => ({
          name: `(${x.row}) ${x.network === 'rating' ? 'rating only' : samplerText(x.sampler)}`,
          color: colorOf(x),
          points: x.folds.flatMap((f) => (f.predictions ? f.predictions.trueScores.map((tv, i) => [tv, f.predictions!.predicted[i]] as [number, number]) : [])),
        })),
        xLabel: 'true hit score',
        yLabel: 'predicted hit score',
        log: true,
      }),
    );
    parts.push('</div><p class="note">The ranking metrics only use the order of the predictions; points far from the diagonal can still be ranked right.</p>');
  }

  // Fig. 3.
  parts.push('<h2>Sorted hit scores (as the paper\'s Fig. 3)</h2><div class="charts">');
  parts.push(sortedCurveChart({ title: `(a) all ${r.dataset.songs} songs`, values: r.dataset.hitScores, yLabel: 'hit score' }));
  const firstFold = r.rows.flatMap((x) => x.folds).find((f) => f.predictions)?.predictions;
  if (firstFold) {
    parts.push(sortedCurveChart({ title: `(b) one test set (${firstFold.trueScores.length} songs)`, values: firstFold.trueScores, yLabel: 'hit score', color: PALETTE[1] }));
  }
  parts.push(`</div><p class="note">${(100 * r.dataset.belowMean).toFixed(1)} % of the songs are below the mean hit score (the paper's KKBOX data: about 87.5 %).</p>`);

  parts.push('<h2>Settings</h2>');
  parts.push(
    settingsTable({
      manifest: r.dataset.manifest,
      segment: r.dataset.segment,
      'mel shape': r.dataset.melShape ? r.dataset.melShape.join(' × ') : null,
      preset: r.dataset.preset,
      'tag-like features': r.dataset.tagNames ? r.dataset.tagNames.join(', ') : null,
      ...r.settings,
      ...Object.fromEntries(Object.entries(t.stages).map(([k, v]) => [`time: ${k}`, `${v.toFixed(1)} s`])),
    }),
  );
  return page(r.title, parts.join('\n'));
}

function trainReport(t: TrainRun): string {
  const parts: string[] = [];
  const what =
    t.settings.w === 0 || t.settings.sampler === null
      ? 'rating only'
      : `Siamese, ${t.settings.sampler === 'ab' ? 'A/B' : t.settings.sampler === 'ab+artist' ? 'A/B + artist' : String(t.settings.sampler)} sampling`;
  const title = `hitrank train: ${t.row ? `row (${t.row}), ` : ''}${what}${t.settings.tags ? ' + tags' : ''}${t.settings.audio === false ? ' (no audio)' : ''}`;
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(
    `<p class="meta">hitrank ${esc(t.library)} · ${esc(t.createdAt)} · ${t.sizes.train} training and ${t.sizes.validation} validation songs · kept epoch ${t.bestEpoch} · ${t.seconds.toFixed(0)} s</p>`,
  );
  parts.push('<h2>Validation metrics of the saved model</h2>');
  parts.push(
    `<table><tr><th>nDCG@10%</th><th>Kendall@10%</th><th>Spearman@10%</th></tr><tr><td class="num">${fmt(t.validation?.ndcg)}</td><td class="num">${fmt(
      t.validation?.kendall,
    )}</td><td class="num">${fmt(t.validation?.spearman)}</td></tr></table>`,
  );
  if (t.tuning && t.tuning.length > 0) {
    parts.push('<h2>Hyper-parameter search (--tune)</h2><table><tr><th>m</th><th>w</th><th>μ</th><th>nDCG@10%</th><th>Kendall@10%</th><th>Spearman@10%</th></tr>');
    for (const tr of t.tuning) {
      parts.push(
        `<tr><td>${tr.params.margin}</td><td>${tr.params.w}</td><td>${tr.params.mu}</td><td class="num">${fmt(tr.validation.ndcg)}</td><td class="num">${fmt(
          tr.validation.kendall,
        )}</td><td class="num">${fmt(tr.validation.spearman)}</td></tr>`,
      );
    }
    parts.push('</table>');
  }
  parts.push('<h2>Training curves</h2><div class="charts">');
  const curves: { name: string; epochs: EpochPoint[] }[] = [{ name: t.fusion ? t.fusion.models[0] : 'model', epochs: t.epochs }];
  if (t.fusion && t.epochs2) curves.push({ name: t.fusion.models[1], epochs: t.epochs2 });
  const series = (pick: (e: EpochPoint) => number | null, dashLast = false): LineSeries[] =>
    curves.map((c, i) => ({ name: c.name, color: PALETTE[i], points: c.epochs.map((e) => [e.epoch, pick(e) ?? NaN] as [number, number]), dash: dashLast && i > 0 }));
  parts.push(lineChart({ title: 'Training loss', series: series((e) => e.loss), xLabel: 'epoch', yLabel: 'loss' }));
  parts.push(lineChart({ title: 'Validation nDCG@10%', series: series((e) => e.valNdcg), xLabel: 'epoch', yLabel: 'nDCG@10%' }));
  parts.push(lineChart({ title: 'Validation loss', series: series((e) => e.valLoss), xLabel: 'epoch', yLabel: 'loss' }));
  parts.push('</div>');
  if (t.predictions) {
    const p = t.predictions;
    parts.push('<h2>Validation set: predicted vs true</h2><div class="charts">');
    parts.push(
      scatterChart({
        title: 'predicted vs true hit score (log10)',
        series: [{ name: 'validation songs', color: PALETTE[0], points: p.trueScores.map((v, i) => [v, p.predicted[i]] as [number, number]) }],
        xLabel: 'true hit score',
        yLabel: 'predicted hit score',
        log: true,
      }),
    );
    parts.push('</div>');
  }
  parts.push('<h2>Sorted hit scores of the training songs (as the paper\'s Fig. 3)</h2><div class="charts">');
  parts.push(sortedCurveChart({ title: `${t.hitScores.length} training songs`, values: t.hitScores, yLabel: 'hit score' }));
  parts.push('</div><h2>Settings</h2>');
  parts.push(settingsTable({ manifest: t.manifest, preset: t.features.preset, segment: JSON.stringify(t.features.segment), ...t.settings }));
  return page(title, parts.join('\n'));
}

/**
 * Renders the HTML report of a run: for `results.json` (`hitrank evaluate` /
 * `hitrank demo`) the Table-1-style results beside the paper's, per-fold
 * bars, training curves (loss, validation nDCG / Spearman), predicted vs true
 * hit scores and the sorted hit-score curve of the paper's Fig. 3; for
 * `train.json` (`hitrank train`) the model's curves, validation metrics and
 * scatter. One self-contained page: inline CSS and SVG, no scripts, no URLs.
 *
 * @param run - the parsed results file.
 * @returns the HTML document.
 */
export function renderReport(run: RunResults | TrainRun): string {
  return run.format === 'hitrank/train' ? trainReport(run) : runReport(run);
}
