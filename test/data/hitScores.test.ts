import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hitScoresFromPlayLogs, type PlayLogRow } from '../../src/data/index.js';
import { daysFromCivil, isoDate, utcDay } from '../../src/data/dates.js';
import { thrownCode as code } from '../helpers/errors.js';

describe('dates', () => {
  it('utcDay equals Date.UTC day numbers for every valid date (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const dt = new Date(0);
        dt.setUTCFullYear(y, m - 1, d);
        if (dt.getUTCMonth() !== m - 1) return; // day overflowed the month: invalid date
        const iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const want = Math.floor(dt.getTime() / 86400000);
        expect(utcDay(iso, 'x')).toBe(want);
        expect(daysFromCivil(y, m, d)).toBe(want);
        expect(isoDate(want)).toBe(iso);
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('uses the UTC day of a Date and refuses anything that is not YYYY-MM-DD', () => {
    expect(utcDay(new Date(Date.UTC(2016, 2, 1, 23, 59)), 'x')).toBe(utcDay('2016-03-01', 'x'));
    for (const bad of ['2016-02-30', '2017-02-29', '2016-1-01', '2016/01/01', '2016-01-01T00:00', '', 'yesterday']) {
      expect(code(() => utcDay(bad, 'x')), bad).toBe('E_PARAM');
    }
    expect(code(() => utcDay(new Date(NaN), 'x'))).toBe('E_PARAM');
    expect(utcDay('2016-02-29', 'x') - utcDay('2016-01-01', 'x')).toBe(59);
  });
});

describe('hitScoresFromPlayLogs', () => {
  const releases = [
    { songId: 'a', releaseDate: '2016-01-01' }, // day 60 = 2016-03-01 (leap year)
    { songId: 'b', releaseDate: '2016-01-02' }, // day 60 = 2016-03-02
    { songId: 'c', releaseDate: '2016-01-01' }, // no row on 2016-03-01
    { songId: 'd', releaseDate: '2017-06-01' }, // after the log ends
  ];
  const log: PlayLogRow[] = [
    { songId: 'a', date: '2016-03-01', plays: 30 },
    { songId: 'x', date: '2016-03-01', plays: 50 }, // unreleased song: still counts in the total
    { songId: 'a', date: '2016-03-01', plays: 20 }, // second row for (a, day): summed
    { songId: 'a', date: '2016-02-29', plays: 1000 }, // day 59: ignored for a
    { songId: 'b', date: '2016-03-02', plays: 10 },
    { songId: 'a', date: '2016-03-02', plays: 30 },
  ];

  it('is the market share on release + 60 days (release day = day 0)', () => {
    const r = hitScoresFromPlayLogs(log, releases);
    expect(r.ids).toEqual(['a', 'b']);
    expect(Array.from(r.hitScores)).toEqual([50 / 100, 10 / 40]);
    expect(Array.from(r.plays)).toEqual([50, 10]);
    expect(Array.from(r.dayTotals)).toEqual([100, 40]);
    expect(r.targetDates).toEqual(['2016-03-01', '2016-03-02']);
    expect(r.missing).toEqual([
      { songId: 'c', reason: 'no-row-for-song', targetDate: '2016-03-01' },
      { songId: 'd', reason: 'no-plays-logged-that-day', targetDate: '2017-07-31' },
    ]);
  });

  it("missingRows: 'zero' scores songs without a row as 0, but never a day without data", () => {
    const r = hitScoresFromPlayLogs(log, releases, { missingRows: 'zero' });
    expect(r.ids).toEqual(['a', 'b', 'c']);
    expect(r.hitScores[2]).toBe(0);
    expect(r.missing.map((m) => m.songId)).toEqual(['d']);
  });

  it('accepts columns, Date objects, a Map of releases and another day offset', () => {
    const cols = {
      songId: log.map((r) => r.songId),
      date: log.map((r) => new Date(`${r.date as string}T12:00:00Z`)),
      plays: Float64Array.from(log, (r) => r.plays),
    };
    const map = new Map(releases.map((r) => [r.songId, r.releaseDate]));
    expect(hitScoresFromPlayLogs(cols, map)).toEqual(hitScoresFromPlayLogs(log, releases));
    const d59 = hitScoresFromPlayLogs(log, releases, { day: 59 });
    expect(d59.ids).toEqual(['a']);
    expect(Array.from(d59.hitScores)).toEqual([1]);
  });

  it('equals a direct computation on random logs (property)', () => {
    const rowArb = fc.record({
      songId: fc.constantFrom('s0', 's1', 's2', 's3', 's4', 'other'),
      day: fc.integer({ min: 0, max: 12 }),
      plays: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 80 }), fc.array(fc.integer({ min: -3, max: 12 }), { minLength: 5, maxLength: 5 }), fc.integer({ min: 0, max: 3 }), (rows, rel, offset) => {
        const base = utcDay('2020-12-30', 'x');
        const releasesIn = rel.map((r, i) => ({ songId: `s${i}`, releaseDate: isoDate(base + r) }));
        const logIn = rows.map((r) => ({ songId: r.songId, date: isoDate(base + r.day), plays: r.plays }));
        const got = hitScoresFromPlayLogs(logIn, releasesIn, { day: offset });
        const ids: string[] = [];
        const scores: number[] = [];
        const missing: string[] = [];
        rel.forEach((r, i) => {
          const t = r + offset;
          const total = rows.filter((x) => x.day === t).reduce((s, x) => s + x.plays, 0);
          const own = rows.filter((x) => x.day === t && x.songId === `s${i}`);
          if (total === 0) missing.push(`s${i}:no-plays-logged-that-day`);
          else if (own.length === 0) missing.push(`s${i}:no-row-for-song`);
          else {
            ids.push(`s${i}`);
            scores.push(own.reduce((s, x) => s + x.plays, 0) / total);
          }
        });
        expect(got.ids).toEqual(ids);
        expect(Array.from(got.hitScores)).toEqual(scores);
        expect(got.missing.map((m) => `${m.songId}:${m.reason}`)).toEqual(missing);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('streams rows from a generator', () => {
    function* rows(): Generator<PlayLogRow> {
      for (let i = 0; i < 1000; i++) yield { songId: i % 2 ? 'a' : 'b', date: '2016-03-01', plays: 1 };
    }
    const r = hitScoresFromPlayLogs(rows(), [{ songId: 'a', releaseDate: '2016-01-01' }]);
    expect(Array.from(r.hitScores)).toEqual([0.5]);
  });

  it('throws clear errors for bad input', () => {
    expect(code(() => hitScoresFromPlayLogs(log, []))).toBe('E_EMPTY');
    expect(code(() => hitScoresFromPlayLogs([{ songId: 'a', date: '2016-3-1', plays: 1 }], releases))).toBe('E_PARAM');
    expect(code(() => hitScoresFromPlayLogs([{ songId: 'a', date: '2016-03-01', plays: -1 }], releases))).toBe('E_PARAM');
    expect(code(() => hitScoresFromPlayLogs([{ songId: 'a', date: '2016-03-01', plays: NaN }], releases))).toBe('E_NAN');
    expect(code(() => hitScoresFromPlayLogs(log, [...releases, { songId: 'a', releaseDate: '2016-01-05' }]))).toBe('E_PARAM');
    expect(code(() => hitScoresFromPlayLogs({ songId: ['a'], date: [], plays: [1] }, releases))).toBe('E_SHAPE');
    expect(code(() => hitScoresFromPlayLogs(log, releases, { day: -1 }))).toBe('E_PARAM');
    expect(() => hitScoresFromPlayLogs([{ songId: 'a', date: '2016-02-30', plays: 1 }], releases)).toThrow(/row 0 date.*2016-02-30/);
    // A repeated identical release record is fine.
    expect(hitScoresFromPlayLogs(log, [...releases, releases[0]]).ids).toEqual(['a', 'b']);
  });
});
