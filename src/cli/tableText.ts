/**
 * The Table-1-style text table that `evaluate` and `demo` print.
 *
 * @module
 */
import type { MetricStats, RowComparison, RowResult } from '../node/reportTypes.js';
import { samplerLabel } from './table1.js';

function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const s = x.toFixed(digits);
  return x >= 0 ? ` ${s}` : s;
}

function stat(s: MetricStats): string {
  if (s.n === 0) return '—';
  return s.n > 1 ? `${fmt(s.mean)} ± ${s.std.toFixed(3)}` : fmt(s.mean);
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/**
 * Formats rows as a fixed-width table: ours (mean ± sd over folds) on the
 * left, the paper's Table 1 on the right.
 *
 * @param rows - the rows.
 * @returns the table text (ends with a newline).
 */
export function formatTable(rows: readonly RowResult[]): string {
  const header = ['row', 'network', 'sampler', 'feature', 'nDCG@10%', 'Kendall@10%', 'Spearman@10%', 'Spearman (all)', '│', 'paper: nDCG', 'Kendall', 'Spearman'];
  const body = rows.map((r) => [
    `(${r.row})`,
    r.network === 'rating' ? 'Simple CNN (rating only)' : 'Siamese CNN',
    samplerLabel(r),
    r.feature,
    stat(r.summary.ndcg),
    stat(r.summary.kendall),
    stat(r.summary.spearman),
    stat(r.spearmanAll),
    '│',
    fmt(r.paper?.ndcg, 4),
    fmt(r.paper?.kendall, 4),
    fmt(r.paper?.spearman, 4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

/**
 * One sentence comparing two rows fold by fold.
 *
 * @param c - the comparison.
 * @returns the text.
 */
export function formatComparison(c: RowComparison): string {
  const d = c.meanDiff;
  const s = (x: number): string => (Number.isFinite(x) ? (x >= 0 ? `+${x.toFixed(3)}` : x.toFixed(3)) : '—');
  return (
    `Row (${c.row}) vs row (${c.baseline}): higher in ${c.wins.ndcg}/${c.folds} folds on nDCG@10%, ${c.wins.kendall}/${c.folds} on Kendall@10%, ` +
    `${c.wins.spearman}/${c.folds} on Spearman@10% and ${c.winsAll}/${c.folds} on Spearman over the whole test set; ` +
    `mean difference ${s(d.ndcg)} / ${s(d.kendall)} / ${s(d.spearman)} / ${s(c.meanDiffAll)}.`
  );
}
