/**
 * The paper's hit score (§3): a song's daily market share on day 60 after its
 * release.
 *
 * @module
 */
import { HitrankError, assertInteger } from '../errors.js';
import { isoDate, utcDay } from './dates.js';
import type {
  DateLike,
  HitScoreOptions,
  HitScoreResult,
  MissingHitScore,
  PlayLogColumns,
  PlayLogRow,
  ReleaseRow,
} from './types.js';

/**
 * Hit scores from daily play logs, as defined in the paper (§3): the hit score
 * of a song is its play count on the **60th day after its release** divided by
 * the total play count of **all** songs in the log that day (its daily market
 * share — KKBOX released only these normalised counts).
 *
 * Conventions:
 * - Dates are UTC calendar days: ISO `YYYY-MM-DD` strings or `Date` objects
 *   (their UTC day). The release day is day 0, so the scored day is
 *   `releaseDate + day` (default `day` = 60).
 * - The day's total sums every row of the log on that date, including songs
 *   that have no release record (they still take market share). Several rows
 *   for the same song and day are added up.
 * - A song is **not** silently scored 0: a song whose scored day has log rows
 *   but none for the song is reported as `'no-row-for-song'` (or scored 0 with
 *   `missingRows: 'zero'`); a scored day with no plays logged at all is
 *   `'no-plays-logged-that-day'`. Both land in `missing`, not in `ids`.
 * - One pass over the rows with hash maps and a dense per-day array: O(rows +
 *   songs) time, O(songs + days spanned by the releases) memory; the rows may
 *   come from a streaming iterator (10⁷ rows: see `bench/metrics.ts`).
 *
 * @param plays - the log: an iterable of `{ songId, date, plays }` rows, or
 *   columns `{ songId[], date[], plays[] }`.
 * @param releases - `{ songId, releaseDate }` rows, or a `Map` songId → release date.
 * @param options - see {@link HitScoreOptions}.
 * @returns the scored songs (in release order) with numerator, denominator and
 *   date, plus the songs that could not be scored.
 * @throws HitrankError `E_EMPTY` (no releases), `E_PARAM` (bad date, negative
 *   plays, a song with two different release dates, bad options), `E_NAN`
 *   (non-finite plays), `E_SHAPE` (columns of unequal length).
 *
 * @example
 * ```ts
 * const { ids, hitScores, missing } = hitScoresFromPlayLogs(
 *   [{ songId: 'a', date: '2016-03-01', plays: 30 }, { songId: 'b', date: '2016-03-01', plays: 70 }],
 *   [{ songId: 'a', releaseDate: '2016-01-01' }],
 * ); // ids ['a'], hitScores [0.3] — 2016-03-01 is day 60 after 2016-01-01
 * ```
 */
export function hitScoresFromPlayLogs(
  plays: Iterable<PlayLogRow> | PlayLogColumns,
  releases: Iterable<ReleaseRow> | ReadonlyMap<string, DateLike>,
  options: HitScoreOptions = {},
): HitScoreResult {
  const dayOffset = options.day ?? 60;
  assertInteger(dayOffset, 'day', 0, 366000);
  const missingRows = options.missingRows ?? 'report';
  if (missingRows !== 'report' && missingRows !== 'zero') {
    throw new HitrankError('E_PARAM', `missingRows must be 'report' or 'zero', got ${String(missingRows)}.`);
  }

  // Releases → song index and target day.
  const index = new Map<string, number>();
  const ids: string[] = [];
  const targets: number[] = [];
  const addRelease = (songId: unknown, date: DateLike, where: string): void => {
    if (typeof songId !== 'string') throw new HitrankError('E_PARAM', `${where}: songId must be a string, got ${typeof songId}.`);
    const t = utcDay(date, `${where} (releaseDate of "${songId}")`) + dayOffset;
    const prev = index.get(songId);
    if (prev !== undefined) {
      if (targets[prev] !== t) {
        throw new HitrankError('E_PARAM', `${where}: song "${songId}" has two different release dates.`);
      }
      return;
    }
    index.set(songId, ids.length);
    ids.push(songId);
    targets.push(t);
  };
  if (releases instanceof Map) {
    for (const [songId, date] of releases) addRelease(songId, date, `releases entry "${songId}"`);
  } else {
    let r = 0;
    for (const row of releases as Iterable<ReleaseRow>) {
      addRelease(row?.songId, row?.releaseDate, `releases row ${r}`);
      r++;
    }
  }
  const m = ids.length;
  if (m === 0) throw new HitrankError('E_EMPTY', 'releases is empty; expected at least one { songId, releaseDate }.');

  let lo = Infinity;
  let hi = -Infinity;
  for (const t of targets) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const span = hi - lo + 1;
  const dayTotal = new Float64Array(span);
  const target = Int32Array.from(targets);
  const songPlays = new Float64Array(m);
  const songHasRow = new Uint8Array(m);

  // One pass over the log. Date strings repeat (one per day), so their day numbers are cached.
  const dateCache = new Map<string, number>();
  const addRow = (songId: string, date: DateLike, p: number, r: number): void => {
    if (typeof p !== 'number' || !(p >= 0 && p < Infinity)) {
      if (typeof p === 'number' && p < 0) {
        throw new HitrankError('E_PARAM', `play log row ${r}: plays is ${p}; expected a number ≥ 0.`);
      }
      throw new HitrankError('E_NAN', `play log row ${r}: plays is ${String(p)}; expected a finite number ≥ 0.`);
    }
    if (typeof songId !== 'string') {
      throw new HitrankError('E_PARAM', `play log row ${r}: songId must be a string, got ${typeof songId}.`);
    }
    let day: number | undefined;
    if (typeof date === 'string') {
      day = dateCache.get(date);
      if (day === undefined) {
        day = utcDay(date, `play log row ${r} date`);
        if (dateCache.size >= 100000) dateCache.clear();
        dateCache.set(date, day);
      }
    } else {
      day = utcDay(date, `play log row ${r} date`);
    }
    const d = day - lo;
    if (d >= 0 && d < span) {
      dayTotal[d] += p;
      const s = index.get(songId);
      if (s !== undefined && target[s] === day) {
        songPlays[s] += p;
        songHasRow[s] = 1;
      }
    }
  };
  if (isColumns(plays)) {
    const n = plays.songId.length;
    if (plays.date.length !== n || plays.plays.length !== n) {
      throw new HitrankError(
        'E_SHAPE',
        `play log columns differ in length: songId ${n}, date ${plays.date.length}, plays ${plays.plays.length}.`,
      );
    }
    const sid = plays.songId;
    const dt = plays.date;
    const pl = plays.plays;
    for (let r = 0; r < n; r++) addRow(sid[r], dt[r], pl[r], r);
  } else {
    let r = 0;
    for (const row of plays) {
      addRow(row.songId, row.date, row.plays, r);
      r++;
    }
  }

  // Collect.
  const outIds: string[] = [];
  const outScore: number[] = [];
  const outPlays: number[] = [];
  const outTotal: number[] = [];
  const outDates: string[] = [];
  const missing: MissingHitScore[] = [];
  for (let s = 0; s < m; s++) {
    const total = dayTotal[target[s] - lo];
    const targetDate = isoDate(target[s]);
    if (!(total > 0)) {
      missing.push({ songId: ids[s], reason: 'no-plays-logged-that-day', targetDate });
      continue;
    }
    if (!songHasRow[s] && missingRows === 'report') {
      missing.push({ songId: ids[s], reason: 'no-row-for-song', targetDate });
      continue;
    }
    outIds.push(ids[s]);
    outScore.push(songPlays[s] / total);
    outPlays.push(songPlays[s]);
    outTotal.push(total);
    outDates.push(targetDate);
  }
  return {
    ids: outIds,
    hitScores: Float64Array.from(outScore),
    plays: Float64Array.from(outPlays),
    dayTotals: Float64Array.from(outTotal),
    targetDates: outDates,
    missing,
  };
}

function isColumns(x: Iterable<PlayLogRow> | PlayLogColumns): x is PlayLogColumns {
  if (x === null || typeof x !== 'object') {
    throw new HitrankError('E_PARAM', `plays must be an iterable of rows or an object of columns, got ${String(x)}.`);
  }
  if (typeof (x as Iterable<PlayLogRow>)[Symbol.iterator] === 'function') return false;
  const c = x as PlayLogColumns;
  if (!c.songId || !c.date || !c.plays) {
    throw new HitrankError('E_PARAM', 'plays columns must have songId, date and plays arrays.');
  }
  return true;
}
