/**
 * Play-log and release CSV files → the paper's hit scores (§3), streamed so
 * that logs of 10⁷ rows are never held in memory as text.
 *
 * @module
 */
import { basename, resolve } from 'node:path';
import { utcDay } from '../data/dates.js';
import { hitScoresFromPlayLogs } from '../data/index.js';
import type { HitScoreOptions, HitScoreResult, PlayLogRow, ReleaseRow } from '../data/index.js';
import { HitrankError } from '../errors.js';
import { readCsvRecords, type CsvRecord } from './csv.js';
import { DataFileError, Problems, shown } from './manifest.js';

/** Options of {@link readPlayLogs} and {@link readReleases}. */
export interface ReadPlayLogsOptions {
  /** Stop after this many bad rows and throw (they are all listed). Default 20. */
  maxProblems?: number;
  /** Read size in bytes (default 1 MiB). */
  chunkBytes?: number;
}

interface Columns {
  idx: number[];
  names: string[];
}

function headerColumns(rec: CsvRecord | undefined, wanted: string[], file: string, problems: Problems): Columns | null {
  if (!rec) {
    throw new HitrankError('E_EMPTY', `${file} is empty; expected a header row "${wanted.join(',')}".`);
  }
  const names = rec.fields.map((f) => f.trim());
  const lower = names.map((f) => f.toLowerCase());
  const idx = wanted.map((w) => lower.indexOf(w.toLowerCase()));
  const missing = wanted.filter((_, k) => idx[k] < 0);
  if (missing.length > 0) {
    problems.add(
      rec.line,
      undefined,
      `header lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(expected a header row with "${wanted.join(',')}", got "${names.join(',')}").`,
    );
    return null;
  }
  return { idx, names: idx.map((k) => names[k]) };
}

/**
 * Reads a daily play log, CSV with a header row containing `songId`, `date`
 * and `plays` (DESIGN.md §4; names matched case-insensitively, any order,
 * other columns ignored; `date` an ISO `YYYY-MM-DD` day, `plays` a finite
 * number ≥ 0). The file is read lazily, 1 MiB at a time, every time the
 * returned iterable is iterated: feed it straight to `hitScoresFromPlayLogs`
 * (or use {@link hitScoresFromPlayLogFiles}); a 10⁷-row log is never held as
 * one string or one array.
 *
 * Bad rows are skipped while reading and collected; when `maxProblems` of them
 * are found, or at the end of the file if there were any, the iteration throws
 * one {@link DataFileError} listing them with line numbers and columns (e.g.
 * `plays.csv:7: column plays: expected a number ≥ 0, got "-3"`).
 *
 * pandas equivalent: `pd.read_csv(path, chunksize=…)`.
 *
 * @param path - the play-log CSV file.
 * @param options - see {@link ReadPlayLogsOptions}.
 * @returns an iterable of `{ songId, date, plays }` rows (each iteration re-reads the file).
 * @throws (while iterating) HitrankError `E_IO` when the file cannot be read,
 *   `E_EMPTY` when it is empty, {@link DataFileError} for bad rows.
 *
 * @example
 * ```ts
 * const res = hitScoresFromPlayLogs(readPlayLogs('plays.csv'), readReleases('releases.csv'));
 * ```
 */
export function readPlayLogs(path: string, options: ReadPlayLogsOptions = {}): Iterable<PlayLogRow> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HitrankError('E_PARAM', `readPlayLogs needs a non-empty path string, got ${JSON.stringify(path)}.`);
  }
  const abs = resolve(path);
  return {
    [Symbol.iterator]: () => playLogRows(abs, options),
  };
}

function* playLogRows(abs: string, options: ReadPlayLogsOptions): Generator<PlayLogRow> {
  const file = basename(abs);
  const problems = new Problems(options.maxProblems ?? 20);
  const records = readCsvRecords(abs, file, options.chunkBytes);
  const cols = headerColumns(records.next().value as CsvRecord | undefined, ['songId', 'date', 'plays'], file, problems);
  if (!cols) {
    records.return(undefined);
    throw new DataFileError(abs, problems.list, problems.total);
  }
  const [iSong, iDate, iPlays] = cols.idx;
  const width = Math.max(iSong, iDate, iPlays) + 1;
  const goodDates = new Set<string>();
  for (const { fields, line } of records) {
    if (fields.length < width) {
      problems.add(line, undefined, `expected at least ${width} fields, got ${fields.length}.`);
    } else {
      const before = problems.total;
      const songId = fields[iSong];
      if (songId.length === 0) problems.add(line, cols.names[0], 'expected a non-empty song id.');
      const date = fields[iDate];
      if (!goodDates.has(date)) {
        try {
          utcDay(date, 'date');
          if (goodDates.size > 100000) goodDates.clear();
          goodDates.add(date);
        } catch {
          problems.add(line, cols.names[1], `expected an ISO date "YYYY-MM-DD", got ${shown(date)}.`);
        }
      }
      const raw = fields[iPlays];
      const plays = raw.length === 0 ? NaN : Number(raw);
      if (!(plays >= 0 && plays < Infinity)) problems.add(line, cols.names[2], `expected a number ≥ 0, got ${shown(raw)}.`);
      if (problems.total === before) yield { songId, date, plays };
    }
    if (problems.full) {
      records.return(undefined);
      throw new DataFileError(abs, problems.list, problems.total);
    }
  }
  if (problems.total > 0) throw new DataFileError(abs, problems.list, problems.total);
}

/**
 * Reads release dates, CSV with a header row containing `songId` and
 * `releaseDate` (ISO `YYYY-MM-DD`; names matched case-insensitively, other
 * columns ignored). Streams like {@link readPlayLogs} and checks every row;
 * a song listed twice must have the same date both times.
 *
 * @param path - the releases CSV file.
 * @param options - see {@link ReadPlayLogsOptions}.
 * @returns the releases in file order (a song listed twice appears once).
 * @throws HitrankError `E_IO` / `E_EMPTY`, {@link DataFileError} listing bad rows.
 */
export function readReleases(path: string, options: ReadPlayLogsOptions = {}): ReleaseRow[] {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HitrankError('E_PARAM', `readReleases needs a non-empty path string, got ${JSON.stringify(path)}.`);
  }
  const abs = resolve(path);
  const file = basename(abs);
  const problems = new Problems(options.maxProblems ?? 20);
  const records = readCsvRecords(abs, file, options.chunkBytes);
  const cols = headerColumns(records.next().value as CsvRecord | undefined, ['songId', 'releaseDate'], file, problems);
  if (!cols) {
    records.return(undefined);
    throw new DataFileError(abs, problems.list, problems.total);
  }
  const [iSong, iDate] = cols.idx;
  const width = Math.max(iSong, iDate) + 1;
  const out: ReleaseRow[] = [];
  const seen = new Map<string, { date: string; line: number }>();
  for (const { fields, line } of records) {
    if (fields.length < width) {
      problems.add(line, undefined, `expected at least ${width} fields, got ${fields.length}.`);
      continue;
    }
    const songId = fields[iSong];
    const date = fields[iDate].trim();
    const before = problems.total;
    if (songId.length === 0) problems.add(line, cols.names[0], 'expected a non-empty song id.');
    try {
      utcDay(date, 'releaseDate');
    } catch {
      problems.add(line, cols.names[1], `expected an ISO date "YYYY-MM-DD", got ${shown(fields[iDate])}.`);
    }
    if (problems.total > before) continue;
    const prev = seen.get(songId);
    if (prev) {
      if (prev.date !== date) {
        problems.add(line, cols.names[1], `song ${shown(songId)} was released on ${prev.date} according to line ${prev.line}; got ${shown(date)}.`);
      }
      continue;
    }
    seen.set(songId, { date, line });
    out.push({ songId, releaseDate: date });
  }
  if (problems.total > 0) throw new DataFileError(abs, problems.list, problems.total);
  if (out.length === 0) throw new HitrankError('E_EMPTY', `${abs} lists no releases.`);
  return out;
}

/**
 * The paper's hit scores (§3: market share on day 60 after release) straight
 * from the two CSV files: `hitScoresFromPlayLogs(readPlayLogs(playsCsv),
 * readReleases(releasesCsv), options)`. The log is streamed once.
 *
 * @param playsCsv - the play log (`songId,date,plays`).
 * @param releasesCsv - the releases (`songId,releaseDate`).
 * @param options - `day` (default 60) and `missingRows` of `hitScoresFromPlayLogs`.
 * @param readOptions - see {@link ReadPlayLogsOptions}.
 * @returns the scored songs and those that could not be scored (see `HitScoreResult`).
 * @throws as {@link readPlayLogs}, {@link readReleases} and `hitScoresFromPlayLogs`.
 */
export function hitScoresFromPlayLogFiles(
  playsCsv: string,
  releasesCsv: string,
  options: HitScoreOptions = {},
  readOptions: ReadPlayLogsOptions = {},
): HitScoreResult {
  const releases = readReleases(releasesCsv, readOptions);
  return hitScoresFromPlayLogs(readPlayLogs(playsCsv, readOptions), releases, options);
}
