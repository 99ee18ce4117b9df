import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hitScoresFromPlayLogs } from '../../src/data/index.js';
import { DataFileError, hitScoresFromPlayLogFiles, readPlayLogs, readReleases } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-plays-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readPlayLogs / readReleases', () => {
  it('streams rows (any column order, extra columns ignored) and gives the §3 hit scores', () => {
    const plays = file('plays.csv', 'plays,extra,date,SongId\n30,x,2016-03-01,a\n70,y,2016-03-01,b\n5,z,2016-03-02,a\n');
    const rel = file('releases.csv', 'songId,releaseDate\na,2016-01-01\nb,2016-01-02\n');
    const rows = [...readPlayLogs(plays)];
    expect(rows).toEqual([
      { songId: 'a', date: '2016-03-01', plays: 30 },
      { songId: 'b', date: '2016-03-01', plays: 70 },
      { songId: 'a', date: '2016-03-02', plays: 5 },
    ]);
    expect(readReleases(rel)).toEqual([
      { songId: 'a', releaseDate: '2016-01-01' },
      { songId: 'b', releaseDate: '2016-01-02' },
    ]);
    const res = hitScoresFromPlayLogFiles(plays, rel);
    expect(res.ids).toEqual(['a']);
    expect(Array.from(res.hitScores)).toEqual([0.3]);
    expect(res.missing).toEqual([{ songId: 'b', reason: 'no-row-for-song', targetDate: '2016-03-02' }]);
  });

  it('matches hitScoresFromPlayLogs on in-memory rows for a larger log read in small chunks', () => {
    const lines = ['songId,date,plays'];
    const mem: { songId: string; date: string; plays: number }[] = [];
    for (let d = 0; d < 90; d++) {
      const date = `2016-${String(1 + Math.floor(d / 30)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')}`;
      for (let s = 0; s < 50; s++) {
        const plays = (s * 7 + d * 13) % 101;
        lines.push(`s${s},${date},${plays}`);
        mem.push({ songId: `s${s}`, date, plays });
      }
    }
    const plays = file('big.csv', lines.join('\r\n'));
    const releases = Array.from({ length: 50 }, (_, s) => ({ songId: `s${s}`, releaseDate: '2015-12-01' }));
    const fromFile = hitScoresFromPlayLogs(readPlayLogs(plays, { chunkBytes: 777 }), releases, { day: 70 });
    const fromMem = hitScoresFromPlayLogs(mem, releases, { day: 70 });
    expect(fromFile.ids).toEqual(fromMem.ids);
    expect(fromFile.ids.length).toBeGreaterThan(0);
    expect(Array.from(fromFile.hitScores)).toEqual(Array.from(fromMem.hitScores));
  });

  it('is lazy: reading the first row does not parse the rest (a bad row far below is not seen)', () => {
    const p = file('lazy.csv', 'songId,date,plays\na,2016-01-01,1\n' + 'b,2016-01-01,1\n'.repeat(50000) + 'c,bad-date,1\n');
    const it = readPlayLogs(p, { chunkBytes: 1024 })[Symbol.iterator]();
    expect(it.next().value).toEqual({ songId: 'a', date: '2016-01-01', plays: 1 });
    it.return?.();
  });

  it('lists every bad row with line and column, after reading the rest', () => {
    const p = file('bad.csv', 'songId,date,plays\na,2016-01-01,1\n,2016-01-01,2\nb,2016-13-01,3\nc,2016-01-01,-3\nd,2016-01-01\ne,2016-01-01,x\n');
    let caught: unknown;
    const seen: string[] = [];
    try {
      for (const r of readPlayLogs(p)) seen.push(r.songId);
    } catch (e) {
      caught = e;
    }
    expect(seen).toEqual(['a']);
    expect(caught).toBeInstanceOf(DataFileError);
    const msg = (caught as Error).message;
    expect(msg).toContain('bad.csv:3: column songId: expected a non-empty song id');
    expect(msg).toContain('bad.csv:4: column date: expected an ISO date "YYYY-MM-DD", got "2016-13-01"');
    expect(msg).toContain('bad.csv:5: column plays: expected a number ≥ 0, got "-3"');
    expect(msg).toContain('bad.csv:6: expected at least 3 fields, got 2');
    expect(msg).toContain('bad.csv:7: column plays: expected a number ≥ 0, got "x"');
  });

  it('checks headers, conflicting release dates and missing files', () => {
    expect(() => [...readPlayLogs(file('h.csv', 'song,date,plays\n'))]).toThrow(/h\.csv:1: header lacks the column songId/);
    expect(() => readReleases(file('r.csv', 'songId,releaseDate\na,2016-01-01\na,2016-01-03\n'))).toThrow(
      /r\.csv:3: column releaseDate: song "a" was released on 2016-01-01 according to line 2; got "2016-01-03"/,
    );
    expect(() => [...readPlayLogs(join(dir, 'nope.csv'))]).toThrow(/E_IO: cannot read .*nope\.csv: no such file/);
  });
});
