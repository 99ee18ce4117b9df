/**
 * The rows of the paper's Table 1 (what each row trains) and its published
 * numbers, for `hitrank evaluate` and `hitrank demo` to print beside their own.
 *
 * @module
 */
import type { MetricTriple, ResultRowSpec } from '../node/reportTypes.js';

/** Where {@link PAPER_TABLE1} comes from. */
export const PAPER_TABLE1_CITATION =
  'Yu, Yang, Hung & Chen, "Hit song prediction for pop music by Siamese CNN with ranking loss", ICASSP 2018, Table 1 ' +
  '(KKBOX, 15k songs, 10-fold CV, test sets of 1.5k songs, @10% = top 150).';

/** One row of Table 1: its letter, what it trains, and the paper's numbers. */
export interface Table1Row extends ResultRowSpec {
  /** The paper's mean over its 10 folds. */
  paper: MetricTriple;
  /** The segment the paper used for this row. */
  paperSegment: 'Mid-30' | 'HL-30';
}

const r = (
  row: string,
  network: 'rating' | 'siamese',
  sampler: ResultRowSpec['sampler'],
  paperSegment: 'Mid-30' | 'HL-30',
  tags: boolean,
  ndcg: number,
  kendall: number,
  spearman: number,
): Table1Row => ({ row, network, sampler, tags, paperSegment, paper: { ndcg, kendall, spearman } });

/**
 * Table 1 of the paper, verbatim (nDCG@10 %, Kendall@10 %, Spearman@10 %;
 * see {@link PAPER_TABLE1_CITATION}). Rows c–d are rows a–b with the HL-30
 * highlight instead of Mid-30; rows e–l (Siamese) all use HL-30 in the paper.
 */
export const PAPER_TABLE1: readonly Table1Row[] = Object.freeze([
  r('a', 'rating', null, 'Mid-30', false, 0.0725, -0.0421, -0.0696),
  r('b', 'rating', null, 'Mid-30', true, 0.0872, 0.0157, 0.0225),
  r('c', 'rating', null, 'HL-30', false, 0.0999, 0.0735, 0.1121),
  r('d', 'rating', null, 'HL-30', true, 0.1241, 0.108, 0.1663),
  r('e', 'siamese', 'naive', 'HL-30', false, 0.1069, 0.0828, 0.1222),
  r('f', 'siamese', 'naive', 'HL-30', true, 0.0994, 0.1059, 0.1578),
  r('g', 'siamese', 'artist', 'HL-30', false, 0.12, 0.0575, 0.0854),
  r('h', 'siamese', 'artist', 'HL-30', true, 0.1285, 0.1687, 0.2465),
  r('i', 'siamese', 'ab', 'HL-30', false, 0.1127, 0.1852, 0.2713),
  r('j', 'siamese', 'ab', 'HL-30', true, 0.1287, 0.2415, 0.3481),
  r('k', 'siamese', 'ab+artist', 'HL-30', false, 0.1127, 0.1868, 0.2753),
  r('l', 'siamese', 'ab+artist', 'HL-30', true, 0.1287, 0.2421, 0.3484),
]);

/** Rows the CLI can run on one segment: every row except c–d (they differ from a–b only by the segment). */
export const RUNNABLE_ROWS: readonly string[] = Object.freeze(['a', 'b', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l']);

/** Rows that need a highlighter (`--highlighter DIR`): a, b on HL-30 highlights. */
export const HIGHLIGHT_ROWS: readonly string[] = Object.freeze(['c', 'd']);

/**
 * Looks a row up by letter.
 *
 * @param letter - `a` … `l`.
 * @returns the row, or `undefined`.
 */
export function table1Row(letter: string): Table1Row | undefined {
  return PAPER_TABLE1.find((x) => x.row === letter);
}

/**
 * The rows whose models must be trained to report `rows`: fusion rows k / l
 * need the A/B and artist models of rows i, g / j, h (their predictions are
 * fused; nothing is trained twice).
 *
 * @param rows - requested row letters.
 * @returns the trained (non-fusion) rows, in table order.
 */
export function trainedRows(rows: readonly string[]): string[] {
  const need = new Set<string>();
  for (const x of rows) {
    if (x === 'k') ['i', 'g'].forEach((y) => need.add(y));
    else if (x === 'l') ['j', 'h'].forEach((y) => need.add(y));
    else need.add(x);
  }
  return PAPER_TABLE1.map((t) => t.row).filter((x) => need.has(x));
}

/** The two rows a fusion row fuses (`[A/B row, artist row]`), or `null` for a trained row. */
export function fusionParts(row: string): [string, string] | null {
  if (row === 'k') return ['i', 'g'];
  if (row === 'l') return ['j', 'h'];
  return null;
}

/**
 * Human label of a row's network.
 *
 * @param spec - the row.
 * @returns e.g. `Simple CNN (rating only)`.
 */
export function networkLabel(spec: Pick<ResultRowSpec, 'network'>): string {
  return spec.network === 'rating' ? 'Simple CNN (rating only)' : 'Siamese CNN (rating + ranking)';
}

/**
 * Human label of a row's pair sampler.
 *
 * @param spec - the row.
 * @returns `naive`, `A/B`, `artist`, `A/B + artist` or `—`.
 */
export function samplerLabel(spec: Pick<ResultRowSpec, 'sampler'>): string {
  switch (spec.sampler) {
    case 'naive':
      return 'naive';
    case 'ab':
      return 'A/B';
    case 'artist':
      return 'artist';
    case 'ab+artist':
      return 'A/B + artist';
    default:
      return '—';
  }
}
