/**
 * Song-level class labels for `hitrank highlighter train`, from manifest
 * columns: one class column (`--labels genre`), or several numeric columns
 * whose largest value names the class (`--labels tag_*`, `--labels a,b,c`;
 * default: the `tag_<name>` columns).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { HitrankError } from '../errors.js';
import { parseCsv } from '../node/csv.js';
import type { Manifest } from '../node/index.js';
import { UsageError } from './command.js';

/** The labels of a manifest's songs. */
export interface SongLabels {
  /** `'column'`: one column holds the class; `'argmax'`: the class is the column with the largest value. */
  kind: 'column' | 'argmax';
  /** The manifest columns used. */
  columns: string[];
  /** The classes, sorted (class names of the highlighter). */
  classNames: string[];
  /** One class per manifest row, or `null` for a song without a label (left out). */
  labels: (string | null)[];
  /** Songs per class. */
  counts: Record<string, number>;
}

/** Every manifest column of every row, as text (JSONL `tags` objects become `tag_<name>`). */
async function readColumns(manifest: Manifest): Promise<{ header: string[]; byId: Map<string, Record<string, string>> }> {
  const text = await readFile(manifest.path, 'utf8').catch((e: unknown) => {
    throw new HitrankError('E_IO', `cannot read manifest ${manifest.path}: ${(e as Error).message}`);
  });
  const byId = new Map<string, Record<string, string>>();
  const header: string[] = [];
  const add = (name: string): void => {
    if (!header.includes(name)) header.push(name);
  };
  if (/\.csv$/i.test(manifest.path)) {
    const records = parseCsv(text, basename(manifest.path));
    const names = (records[0]?.fields ?? []).map((h) => h.trim());
    names.forEach(add);
    const iId = names.findIndex((h) => h.toLowerCase() === 'id');
    for (const r of records.slice(1)) {
      const row: Record<string, string> = {};
      names.forEach((h, k) => (row[h] = r.fields[k] ?? ''));
      byId.set(r.fields[iId] ?? '', row);
    }
  } else {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      const row: Record<string, string> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === 'tags' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
          for (const [t, x] of Object.entries(v as Record<string, unknown>)) {
            row[`tag_${t}`] = String(x);
            add(`tag_${t}`);
          }
        } else if (v === null || typeof v !== 'object') {
          row[k] = v === null ? '' : String(v);
          add(k);
        }
      }
      byId.set(String(o.id ?? ''), row);
    }
  }
  return { header, byId };
}

/**
 * Resolves `--labels` against a manifest and reads every song's class.
 *
 * - not given: the `tag_<name>` columns; each song's class is the column in
 *   which it stands out most (largest z-score: each column is standardised
 *   over the songs first, so columns on different scales compete fairly;
 *   constant columns are ignored);
 * - `PREFIX*`: the columns starting with PREFIX (at least two), argmax as above;
 * - `A,B,C`: those columns, argmax as above;
 * - `COLUMN`: one column whose values are the classes (e.g. `genre`); an
 *   unknown single name is tried as a prefix.
 *
 * Songs with an empty class (or no finite value in any column) are left out.
 *
 * @param manifest - the manifest read by `readManifest`.
 * @param raw - the `--labels` value.
 * @returns the labels.
 * @throws UsageError for unknown columns or fewer than 2 classes.
 */
export async function readSongLabels(manifest: Manifest, raw: string | undefined): Promise<SongLabels> {
  const { header, byId } = await readColumns(manifest);
  const lower = header.map((h) => h.toLowerCase());
  const find = (name: string): string | undefined => header[lower.indexOf(name.toLowerCase())];
  const byPrefix = (p: string): string[] => header.filter((h) => h.toLowerCase().startsWith(p.toLowerCase()) && h.length > p.length);
  let columns: string[];
  let kind: SongLabels['kind'];
  const items = raw === undefined ? [] : raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (raw === undefined) {
    columns = byPrefix('tag_');
    kind = 'argmax';
    if (columns.length < 2) {
      throw new UsageError(
        `${manifest.path} has ${columns.length === 0 ? 'no' : 'one'} tag_<name> column${columns.length === 1 ? '' : 's'} to take classes from; ` +
          'pass --labels COLUMN (a class column such as genre), --labels PREFIX* or --labels A,B,C (numeric columns: the largest names the class).',
      );
    }
  } else if (items.length === 1 && items[0].endsWith('*')) {
    columns = byPrefix(items[0].slice(0, -1));
    kind = 'argmax';
    if (columns.length < 2) throw new UsageError(`--labels ${items[0]}: ${columns.length} manifest column(s) start with "${items[0].slice(0, -1)}"; need at least 2. Columns: ${header.join(', ')}.`);
  } else if (items.length === 1) {
    const col = find(items[0]);
    if (col !== undefined) {
      columns = [col];
      kind = 'column';
    } else {
      columns = byPrefix(items[0]);
      kind = 'argmax';
      if (columns.length < 2) throw new UsageError(`--labels ${items[0]}: no such manifest column (or prefix of two or more). Columns: ${header.join(', ')}.`);
    }
  } else if (items.length > 1) {
    const missing = items.filter((c) => find(c) === undefined);
    if (missing.length > 0) throw new UsageError(`--labels: no manifest column ${missing.map((m) => JSON.stringify(m)).join(', ')}. Columns: ${header.join(', ')}.`);
    columns = items.map((c) => find(c)!);
    kind = 'argmax';
  } else {
    throw new UsageError(`--labels needs a column, a PREFIX* or a comma-separated list, got ${JSON.stringify(raw)}.`);
  }
  // Class names of argmax columns: without their common prefix (tag_mood_happy, tag_mood_sad → happy, sad).
  let cut = 0;
  if (kind === 'argmax') {
    const first = columns[0];
    while (cut < first.length && columns.every((c) => c[cut] === first[cut])) cut++;
    while (cut > 0 && first[cut - 1] !== '_' && first[cut - 1] !== '.' && first[cut - 1] !== '-') cut--;
  }
  const value = (row: Record<string, string> | undefined, c: string): number => {
    const t = (row?.[c] ?? '').trim();
    return t === '' ? NaN : Number(t);
  };
  // Columns are standardised first (z-scores over the songs), so columns on different scales compete fairly.
  const stats = columns.map((c) => {
    const xs = manifest.rows.map((r) => value(byId.get(r.id), c)).filter((x) => Number.isFinite(x));
    const mean = xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length));
    return { mean, sd };
  });
  const labels = manifest.rows.map((r): string | null => {
    const row = byId.get(r.id);
    if (!row) return null;
    if (kind === 'column') {
      const v = (row[columns[0]] ?? '').trim();
      return v === '' ? null : v;
    }
    let best = -1;
    let bestZ = -Infinity;
    columns.forEach((c, k) => {
      const z = (value(row, c) - stats[k].mean) / stats[k].sd;
      if (stats[k].sd > 0 && Number.isFinite(z) && z > bestZ) {
        bestZ = z;
        best = k;
      }
    });
    return best < 0 ? null : columns[best].slice(cut);
  });
  const counts: Record<string, number> = {};
  for (const l of labels) if (l !== null) counts[l] = (counts[l] ?? 0) + 1;
  const classNames = Object.keys(counts).sort();
  if (classNames.length < 2) {
    throw new UsageError(
      `--labels ${raw ?? '(the tag_ columns)'} gives ${classNames.length} class${classNames.length === 1 ? ` (${classNames[0]})` : 'es'}; a highlighter needs at least 2.`,
    );
  }
  return { kind, columns, classNames, labels, counts };
}
