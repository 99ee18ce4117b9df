/**
 * Dataset manifests on disk (DESIGN.md §4): CSV and JSONL readers that report
 * every bad row at once, and a writer.
 *
 * @module
 */
import { readFile, mkdir } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { utcDay } from '../data/dates.js';
import type { ManifestRow } from '../data/index.js';
import { HitrankError } from '../errors.js';
import { csvField, parseCsv } from './csv.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** A manifest read from disk. */
export interface Manifest {
  /** The songs, in file order. `audio` is an absolute path (resolved against {@link Manifest.dir}). */
  rows: ManifestRow[];
  /** Absolute path of the folder holding the manifest (relative audio paths are resolved against it). */
  dir: string;
  /** Absolute path of the manifest file. */
  path: string;
  /** Names of the tag / feature columns (`tag_<name>` columns or named JSONL tags), in order; absent when unnamed or no tags. */
  tagNames?: string[];
  /** 1-based line number of each row in the file (same order as `rows`), for messages. */
  lines: number[];
}

/** One problem found in a manifest or another data file. */
export interface ManifestProblem {
  /** 1-based line number in the file (0 for problems of the whole file, e.g. a missing header column). */
  line: number;
  /** The column (CSV) or field (JSONL) at fault, if any. */
  column?: string;
  /** What is wrong, and what was expected. */
  message: string;
}

/**
 * Thrown by {@link readManifest}, `readPlayLogs` and `readReleases` (code
 * `E_PARAM`) for a data file with bad rows: lists every bad row (up to
 * `maxProblems`, default 20) in its message, one per line, as
 * `file:line: column X: expected …, got …`, and as data in {@link DataFileError.problems}.
 */
export class DataFileError extends HitrankError {
  /** The problems found (at most `maxProblems`). */
  readonly problems: ManifestProblem[];
  /** The manifest file. */
  readonly file: string;
  /** Total number of problems found, including those not listed. */
  readonly total: number;

  /**
   * @param file - the manifest path.
   * @param problems - the problems to list.
   * @param total - how many there were in all.
   */
  constructor(file: string, problems: ManifestProblem[], total: number) {
    const name = basename(file);
    const lines = problems.map((p) => `  ${formatProblem(name, p)}`);
    if (total > problems.length) lines.push(`  … and ${total - problems.length} more.`);
    const what = total === 1 ? '1 problem' : `${total} problems`;
    super('E_PARAM', `${file}: ${what}:\n${lines.join('\n')}`);
    this.name = 'DataFileError';
    this.problems = problems;
    this.file = file;
    this.total = total;
  }
}

function formatProblem(file: string, p: ManifestProblem): string {
  const where = p.line > 0 ? `${file}:${p.line}` : file;
  return p.column !== undefined ? `${where}: column ${p.column}: ${p.message}` : `${where}: ${p.message}`;
}

/** Options of {@link readManifest}. */
export interface ReadManifestOptions {
  /** Stop collecting after this many problems (the error still counts the rest). Default 20. */
  maxProblems?: number;
  /** Force the format instead of going by the file extension (`.csv` / `.jsonl` / `.ndjson`). */
  format?: 'csv' | 'jsonl';
}

/** Collects problems up to a maximum, counting all (internal). @internal */
export class Problems {
  /** The collected problems. */
  readonly list: ManifestProblem[] = [];
  /** How many were added, collected or not. */
  total = 0;
  /** @param max - how many to keep. */
  constructor(private readonly max: number) {}
  /** Whether the list is full. */
  get full(): boolean {
    return this.list.length >= this.max;
  }
  /**
   * Records a problem.
   *
   * @param line - 1-based line.
   * @param column - the column, if any.
   * @param message - what is wrong.
   */
  add(line: number, column: string | undefined, message: string): void {
    this.total++;
    if (this.list.length < this.max) this.list.push(column === undefined ? { line, message } : { line, column, message });
  }
}

const REQUIRED = ['id', 'audio', 'artist', 'hitScore'] as const;

/** Quote a cell for messages, shortened. @internal */
export function shown(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const t = s === undefined ? String(v) : s;
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t);
}

/**
 * Reads a dataset manifest (DESIGN.md §4), CSV or JSONL by file extension.
 *
 * **CSV** (RFC 4180: fields with commas, quotes or line breaks in double
 * quotes, `""` for a quote; UTF-8, optional BOM; blank lines skipped). A header
 * row is required; column names are matched case-insensitively, columns may
 * come in any order, and unknown columns are ignored:
 *
 * | column | required | content |
 * |---|---|---|
 * | `id` | yes | song id, unique, non-empty |
 * | `audio` | yes | audio file path; relative paths are resolved against the manifest's folder |
 * | `artist` | yes (may be empty) | artist name(s); several artists separated by `;` (`"A;B"`) |
 * | `hitScore` | yes | a finite number ≥ 0 (the original-scale hit score, e.g. a market share) |
 * | `releaseDate` | no | ISO date `YYYY-MM-DD` (may be empty) |
 * | `tag_<name>` | no | one column per tag / feature dimension; the names (without `tag_`) become `tagNames` |
 * | `tags` | no | alternatively all tag values in one field, separated by `;` (unnamed) |
 *
 * **JSONL** (one JSON object per line, blank lines skipped): the same fields
 * by name; artists as `artists: string[]` or `artist: "A;B"`; tags as an
 * array of numbers (unnamed) or an object `{ name: value }` (named; every row
 * the same names in the same order).
 *
 * Every row is checked, and all problems (up to `maxProblems`) are reported
 * together in one {@link DataFileError}, each with file, line number, column
 * and expectation, e.g. `songs.csv:14: column hitScore: expected a number ≥ 0,
 * got "abc"`. Checks: required columns present, non-empty `id` and `audio`,
 * unique ids, numeric non-negative `hitScore`, valid `releaseDate`, finite tag
 * values and the same tag count on every row. Audio files are **not** opened
 * here (a missing file is reported per song by `extractFeatures`, so one bad
 * file does not stop the rest).
 *
 * pandas equivalent: `pd.read_csv(path)` plus the validation you would write
 * after it.
 *
 * @param path - the manifest file (`.csv`, `.jsonl` or `.ndjson`).
 * @param options - see {@link ReadManifestOptions}.
 * @returns the rows (audio paths made absolute), the manifest folder and tag names.
 * @throws DataFileError (`E_PARAM`) listing the bad rows; HitrankError `E_IO`
 *   when the file cannot be read, `E_EMPTY` when it has no rows, `E_UNSUPPORTED`
 *   for another extension.
 *
 * @example
 * ```ts
 * const { rows, tagNames } = await readManifest('data/songs.csv');
 * const { dataset, failed } = await extractFeatures({ rows, tagNames }, { cacheDir: '.hitrank-cache' });
 * ```
 */
export async function readManifest(path: string, options: ReadManifestOptions = {}): Promise<Manifest> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HitrankError('E_PARAM', `readManifest needs a non-empty path string, got ${JSON.stringify(path)}.`);
  }
  const maxProblems = options.maxProblems ?? 20;
  const abs = resolve(path);
  const format = options.format ?? formatOf(abs);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    const err = new HitrankError('E_IO', `cannot read manifest ${path}: ${why}.`);
    err.cause = e;
    throw err;
  }
  const dir = dirname(abs);
  const problems = new Problems(maxProblems);
  const parsed = format === 'csv' ? parseCsvManifest(text, abs, dir, problems) : parseJsonlManifest(text, dir, problems);
  if (problems.total === 0 && parsed.rows.length === 0) {
    throw new HitrankError('E_EMPTY', `manifest ${path} has no songs.`);
  }
  checkDuplicates(parsed.rows, parsed.lines, problems);
  if (problems.total > 0) throw new DataFileError(abs, problems.list.sort((a, b) => a.line - b.line), problems.total);
  const out: Manifest = { rows: parsed.rows, dir, path: abs, lines: parsed.lines };
  if (parsed.tagNames) out.tagNames = parsed.tagNames;
  return out;
}

function formatOf(path: string): 'csv' | 'jsonl' {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new HitrankError(
    'E_UNSUPPORTED',
    `manifest ${path}: unknown extension "${ext}"; expected .csv or .jsonl (or pass { format }).`,
  );
}

interface Parsed {
  rows: ManifestRow[];
  lines: number[];
  tagNames?: string[];
}

function parseCsvManifest(text: string, file: string, dir: string, problems: Problems): Parsed {
  const records = parseCsv(text, basename(file));
  const rows: ManifestRow[] = [];
  const lines: number[] = [];
  if (records.length === 0) return { rows, lines };
  const header = records[0].fields.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const col = (name: string): number => lower.indexOf(name.toLowerCase());
  const missing = REQUIRED.filter((c) => col(c) < 0);
  if (missing.length > 0) {
    problems.add(
      records[0].line,
      undefined,
      `header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(expected a header row "id,audio,artist,hitScore[,releaseDate][,tag_<name>…|,tags]", got "${header.join(',')}").`,
    );
    return { rows, lines };
  }
  const iId = col('id');
  const iAudio = col('audio');
  const iArtist = col('artist');
  const iScore = col('hitScore');
  const iDate = col('releaseDate');
  const iTags = col('tags');
  const tagCols: number[] = [];
  const tagNames: string[] = [];
  lower.forEach((h, k) => {
    if (h.startsWith('tag_') && h.length > 4) {
      tagCols.push(k);
      tagNames.push(header[k].slice(4));
    }
  });
  if (iTags >= 0 && tagCols.length > 0) {
    problems.add(records[0].line, 'tags', 'use either one "tags" column or tag_<name> columns, not both.');
    return { rows, lines };
  }
  const dupCol = lower.find((h, k) => h.length > 0 && lower.indexOf(h) !== k);
  if (dupCol !== undefined) {
    problems.add(records[0].line, dupCol, 'this column appears twice in the header.');
    return { rows, lines };
  }
  let tagDim = tagCols.length > 0 ? tagCols.length : -1;
  for (let r = 1; r < records.length; r++) {
    const { fields, line } = records[r];
    if (fields.length !== header.length) {
      problems.add(line, undefined, `expected ${header.length} fields (as the header), got ${fields.length}.`);
      continue;
    }
    const before = problems.total;
    const id = fields[iId].trim();
    if (id.length === 0) problems.add(line, header[iId], 'expected a non-empty song id.');
    const audio = fields[iAudio].trim();
    if (audio.length === 0) problems.add(line, header[iAudio], 'expected an audio file path, got an empty field.');
    const hitScore = parseScore(fields[iScore], line, header[iScore], problems);
    const releaseDate = iDate >= 0 ? parseDate(fields[iDate], line, header[iDate], problems) : undefined;
    let tags: number[] | undefined;
    if (tagCols.length > 0) {
      tags = tagCols.map((k) => parseTag(fields[k], line, header[k], problems));
    } else if (iTags >= 0) {
      const raw = fields[iTags].trim();
      if (raw.length === 0) {
        problems.add(line, header[iTags], 'expected tag values separated by ";", got an empty field.');
      } else {
        tags = raw.split(';').map((v) => parseTag(v, line, header[iTags], problems));
        if (tagDim < 0) tagDim = tags.length;
        else if (tags.length !== tagDim) {
          problems.add(line, header[iTags], `expected ${tagDim} values (as the first row), got ${tags.length}.`);
        }
      }
    }
    if (problems.total > before) continue;
    const row: ManifestRow = { id, audio: resolveAudio(dir, audio), artists: splitArtists(fields[iArtist]), hitScore };
    if (releaseDate) row.releaseDate = releaseDate;
    if (tags) row.tags = tags;
    rows.push(row);
    lines.push(line);
  }
  const out: Parsed = { rows, lines };
  if (tagCols.length > 0) out.tagNames = tagNames;
  return out;
}

function parseJsonlManifest(text: string, dir: string, problems: Problems): Parsed {
  const rows: ManifestRow[] = [];
  const lines: number[] = [];
  let tagNames: string[] | undefined;
  let tagDim = -1;
  let namedTags: boolean | undefined;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const all = src.split(/\r?\n/);
  for (let k = 0; k < all.length; k++) {
    const line = k + 1;
    const t = all[k].trim();
    if (t.length === 0) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      problems.add(line, undefined, `invalid JSON (${(e as Error).message}); expected one JSON object per line.`);
      continue;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      problems.add(line, undefined, `expected a JSON object, got ${shown(obj)}.`);
      continue;
    }
    const o = obj as Record<string, unknown>;
    const before = problems.total;
    const id = o.id;
    if (typeof id !== 'string' || id.trim().length === 0) {
      problems.add(line, 'id', `expected a non-empty string, got ${shown(id)}.`);
    }
    const audio = o.audio;
    if (typeof audio !== 'string' || audio.trim().length === 0) {
      problems.add(line, 'audio', `expected an audio file path string, got ${shown(audio)}.`);
    }
    let artists: string[] = [];
    if (o.artists !== undefined) {
      if (!Array.isArray(o.artists) || o.artists.some((a) => typeof a !== 'string')) {
        problems.add(line, 'artists', `expected an array of artist names, got ${shown(o.artists)}.`);
      } else {
        artists = (o.artists as string[]).map((a) => a.trim()).filter((a) => a.length > 0);
      }
    } else if (o.artist !== undefined && o.artist !== null) {
      if (typeof o.artist !== 'string') problems.add(line, 'artist', `expected a string, got ${shown(o.artist)}.`);
      else artists = splitArtists(o.artist);
    } else {
      problems.add(line, 'artist', 'expected an "artist" string or an "artists" array (use "" or [] for unknown).');
    }
    let hitScore = NaN;
    if (typeof o.hitScore === 'number') {
      if (Number.isFinite(o.hitScore) && o.hitScore >= 0) hitScore = o.hitScore;
      else problems.add(line, 'hitScore', `expected a number ≥ 0, got ${shown(o.hitScore)}.`);
    } else if (typeof o.hitScore === 'string') {
      hitScore = parseScore(o.hitScore, line, 'hitScore', problems);
    } else {
      problems.add(line, 'hitScore', `expected a number ≥ 0, got ${o.hitScore === undefined ? 'nothing' : shown(o.hitScore)}.`);
    }
    let releaseDate: string | undefined;
    if (o.releaseDate !== undefined && o.releaseDate !== null && o.releaseDate !== '') {
      if (typeof o.releaseDate !== 'string') problems.add(line, 'releaseDate', `expected "YYYY-MM-DD", got ${shown(o.releaseDate)}.`);
      else releaseDate = parseDate(o.releaseDate, line, 'releaseDate', problems);
    }
    let tags: number[] | undefined;
    if (o.tags !== undefined && o.tags !== null) {
      const named = !Array.isArray(o.tags) && typeof o.tags === 'object';
      if (namedTags !== undefined && named !== namedTags) {
        problems.add(line, 'tags', `expected ${namedTags ? 'an object of named values' : 'an array of numbers'} (as the first row with tags).`);
      } else if (Array.isArray(o.tags)) {
        namedTags = false;
        tags = o.tags.map((v, j) => tagNumber(v, line, `tags[${j}]`, problems));
        if (tagDim < 0) tagDim = tags.length;
        else if (tags.length !== tagDim) problems.add(line, 'tags', `expected ${tagDim} values (as the first row), got ${tags.length}.`);
      } else if (named) {
        namedTags = true;
        const entries = Object.entries(o.tags as Record<string, unknown>);
        const names = entries.map(([n]) => n);
        if (!tagNames) tagNames = names;
        else if (names.length !== tagNames.length || names.some((n, j) => n !== tagNames![j])) {
          problems.add(line, 'tags', `expected the tag names ${shown(tagNames.join(','))} in that order (as the first row), got ${shown(names.join(','))}.`);
        }
        tags = entries.map(([n, v]) => tagNumber(v, line, `tags.${n}`, problems));
      } else {
        problems.add(line, 'tags', `expected an array of numbers or an object of named numbers, got ${shown(o.tags)}.`);
      }
    }
    if (problems.total > before) continue;
    const row: ManifestRow = { id: (id as string).trim(), audio: resolveAudio(dir, (audio as string).trim()), artists, hitScore };
    if (releaseDate) row.releaseDate = releaseDate;
    if (tags) row.tags = tags;
    rows.push(row);
    lines.push(line);
  }
  // Every row must agree on having tags or not.
  if (problems.total === 0 && rows.length > 0) {
    const withTags = rows.filter((r) => r.tags !== undefined).length;
    if (withTags > 0 && withTags < rows.length) {
      const k = rows.findIndex((r) => r.tags === undefined);
      problems.add(lines[k], 'tags', 'expected tags on every row (other rows have them), got none.');
    }
  }
  const out: Parsed = { rows, lines };
  if (tagNames) out.tagNames = tagNames;
  return out;
}

function parseScore(raw: string, line: number, column: string, problems: Problems): number {
  const t = raw.trim();
  const v = t.length === 0 ? NaN : Number(t);
  if (!Number.isFinite(v) || v < 0) {
    problems.add(line, column, `expected a number ≥ 0, got ${shown(raw)}.`);
    return NaN;
  }
  return v;
}

function parseDate(raw: string, line: number, column: string, problems: Problems): string | undefined {
  const t = raw.trim();
  if (t.length === 0) return undefined;
  try {
    utcDay(t, column);
    return t;
  } catch {
    problems.add(line, column, `expected an ISO date "YYYY-MM-DD", got ${shown(raw)}.`);
    return undefined;
  }
}

function parseTag(raw: string, line: number, column: string, problems: Problems): number {
  const t = raw.trim();
  const v = t.length === 0 ? NaN : Number(t);
  if (!Number.isFinite(v)) {
    problems.add(line, column, `expected a finite number, got ${shown(raw)}.`);
    return NaN;
  }
  return v;
}

function tagNumber(v: unknown, line: number, column: string, problems: Problems): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  problems.add(line, column, `expected a finite number, got ${shown(v)}.`);
  return NaN;
}

function splitArtists(field: string): string[] {
  return field
    .split(';')
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

function resolveAudio(dir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dir, p);
}

function checkDuplicates(rows: ManifestRow[], lines: number[], problems: Problems): void {
  const first = new Map<string, number>();
  rows.forEach((r, k) => {
    const prev = first.get(r.id);
    if (prev !== undefined) problems.add(lines[k], 'id', `duplicate id ${shown(r.id)} (first on line ${prev}); ids must be unique.`);
    else first.set(r.id, lines[k]);
  });
}

/** Options of {@link writeManifest}. */
export interface WriteManifestOptions {
  /**
   * Names of the tag dimensions: CSV gets one `tag_<name>` column each (JSONL
   * a named `tags` object). Without names, tags go in one `tags` field
   * (`;`-separated in CSV, an array in JSONL).
   */
  tagNames?: string[];
  /** Force the format instead of going by the file extension. */
  format?: 'csv' | 'jsonl';
}

/**
 * Writes a manifest that {@link readManifest} reads back to the same rows:
 * CSV (header `id,audio,artist,hitScore[,releaseDate][,tag_<name>…]`, RFC 4180
 * quoting, `;` between artists) or JSONL, by extension. Audio paths inside the
 * manifest's folder are written relative to it (portable datasets), others
 * absolute. Numbers are written with full precision (shortest round-trip
 * form). The file is replaced atomically; its folder is created if needed.
 *
 * @param path - the manifest file to write (`.csv`, `.jsonl` or `.ndjson`).
 * @param rows - the songs; `audio` relative to the manifest's folder or absolute.
 * @param options - tag names and format.
 * @returns a promise that resolves when the file is in place.
 * @throws HitrankError `E_PARAM` for a row that could not be read back (an
 *   artist name containing `;`, tags of different lengths, …), `E_IO` on write failure.
 */
export async function writeManifest(path: string, rows: readonly ManifestRow[], options: WriteManifestOptions = {}): Promise<void> {
  const abs = resolve(path);
  const format = options.format ?? formatOf(abs);
  const dir = dirname(abs);
  const names = options.tagNames;
  const dim = rows.find((r) => r.tags)?.tags?.length;
  rows.forEach((r, k) => {
    if (typeof r.id !== 'string' || r.id.trim().length === 0 || r.id.trim() !== r.id) {
      throw new HitrankError('E_PARAM', `rows[${k}].id must be a non-empty string without surrounding spaces, got ${shown(r.id)}.`);
    }
    if (!Number.isFinite(r.hitScore) || r.hitScore < 0) {
      throw new HitrankError('E_PARAM', `rows[${k}].hitScore (song "${r.id}") is ${r.hitScore}; expected a number ≥ 0.`);
    }
    for (const a of r.artists) {
      if (a.includes(';') || a.trim() !== a || a.length === 0) {
        throw new HitrankError('E_PARAM', `rows[${k}] (song "${r.id}"): artist name ${shown(a)} must be non-empty, have no leading or trailing spaces and contain no ";".`);
      }
    }
    if ((r.tags?.length ?? dim) !== dim || (dim !== undefined && !r.tags)) {
      throw new HitrankError('E_PARAM', `rows[${k}] (song "${r.id}") has ${r.tags?.length ?? 0} tags; expected ${dim} on every row.`);
    }
    if (names && dim !== undefined && names.length !== dim) {
      throw new HitrankError('E_PARAM', `tagNames has ${names.length} names but the rows have ${dim} tags.`);
    }
  });
  const audioOf = (a: string): string => {
    const full = resolve(dir, a);
    const rel = relative(dir, full);
    return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : full;
  };
  const hasDates = rows.some((r) => r.releaseDate !== undefined);
  let text: string;
  if (format === 'csv') {
    const header = ['id', 'audio', 'artist', 'hitScore'];
    if (hasDates) header.push('releaseDate');
    if (dim !== undefined) {
      if (names) header.push(...names.map((n) => `tag_${n}`));
      else header.push('tags');
    }
    const out = [header.map(csvField).join(',')];
    for (const r of rows) {
      const f = [r.id, audioOf(r.audio), r.artists.join(';'), String(r.hitScore)];
      if (hasDates) f.push(r.releaseDate ?? '');
      if (r.tags) {
        if (names) f.push(...r.tags.map(String));
        else f.push(r.tags.map(String).join(';'));
      }
      out.push(f.map(csvField).join(','));
    }
    text = out.join('\n') + '\n';
  } else {
    text = rows
      .map((r) => {
        const o: Record<string, unknown> = { id: r.id, audio: audioOf(r.audio), artists: r.artists, hitScore: r.hitScore };
        if (r.releaseDate !== undefined) o.releaseDate = r.releaseDate;
        if (r.tags) o.tags = names ? Object.fromEntries(names.map((n, j) => [n, r.tags![j]])) : r.tags;
        return JSON.stringify(o);
      })
      .join('\n') + '\n';
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(abs, text);
}
