import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { DataFileError, readManifest, writeManifest } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function problemsOf(p: Promise<unknown>): Promise<DataFileError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DataFileError);
  return e as DataFileError;
}

describe('readManifest (CSV)', () => {
  it('reads rows: relative paths resolved against the manifest folder, artists split on ";", tag_ columns named', async () => {
    const p = file(
      'good.csv',
      'ID,Audio,Artist,HitScore,releaseDate,tag_tempo,tag_bright\n' +
        's1,audio/a.wav,"Ann;Bo Diddley",0.25,2016-01-01,120,0.5\n' +
        's2,/abs/b.mp3,,1e-4,,90.5,-1\n',
    );
    const m = await readManifest(p);
    expect(m.dir).toBe(dir);
    expect(m.lines).toEqual([2, 3]);
    expect(m.tagNames).toEqual(['tempo', 'bright']);
    expect(m.rows).toEqual([
      { id: 's1', audio: join(dir, 'audio/a.wav'), artists: ['Ann', 'Bo Diddley'], hitScore: 0.25, releaseDate: '2016-01-01', tags: [120, 0.5] },
      { id: 's2', audio: '/abs/b.mp3', artists: [], hitScore: 1e-4, tags: [90.5, -1] },
    ]);
  });

  it('reads a single ";"-separated tags column (unnamed)', async () => {
    const m = await readManifest(file('tags.csv', 'id,audio,artist,hitScore,tags\na,a.wav,x,1,0.1;0.2;0.3\nb,b.wav,y,2,1;2;3\n'));
    expect(m.tagNames).toBeUndefined();
    expect(m.rows.map((r) => r.tags)).toEqual([
      [0.1, 0.2, 0.3],
      [1, 2, 3],
    ]);
  });

  it('reports ALL bad rows at once with file, line, column and expectation', async () => {
    const p = file(
      'songs.csv',
      [
        'id,audio,artist,hitScore,releaseDate,tags',
        'a,a.wav,x,0.1,2016-01-01,1;2', // line 2 ok
        'b,b.wav,x,abc,,1;2', // line 3: score
        'c,,x,0.3,,1;2', // line 4: audio
        'a,d.wav,x,0.2,,1;2', // line 5: duplicate of line 2
        'e,e.wav,x,-1,2016-02-30,1;2', // line 6: score and date
        'f,f.wav,x,0.5,,1;2;3', // line 7: tag count
        '"g,h",g.wav,x,0.5', // line 8: field count
        ',h.wav,x,0.5,,1;zz', // line 9: id and tag value
      ].join('\n'),
    );
    const e = await problemsOf(readManifest(p));
    expect(e.code).toBe('E_PARAM');
    expect(e.total).toBe(9);
    const msg = e.message;
    expect(msg).toContain('songs.csv:3: column hitScore: expected a number ≥ 0, got "abc"');
    expect(msg).toContain('songs.csv:4: column audio: expected an audio file path, got an empty field.');
    expect(msg).toContain('songs.csv:5: column id: duplicate id "a" (first on line 2)');
    expect(msg).toContain('songs.csv:6: column hitScore: expected a number ≥ 0, got "-1"');
    expect(msg).toContain('songs.csv:6: column releaseDate: expected an ISO date "YYYY-MM-DD", got "2016-02-30"');
    expect(msg).toContain('songs.csv:7: column tags: expected 2 values (as the first row), got 3');
    expect(msg).toContain('songs.csv:8: expected 6 fields (as the header), got 4');
    expect(msg).toContain('songs.csv:9: column id: expected a non-empty song id');
    expect(msg).toContain('songs.csv:9: column tags: expected a finite number, got "zz"');
    expect(e.problems.map((q) => q.line)).toEqual([3, 4, 5, 6, 6, 7, 8, 9, 9]);
  });

  it('caps the listed problems and says how many more there are', async () => {
    const lines = ['id,audio,artist,hitScore'];
    for (let i = 0; i < 30; i++) lines.push(`s${i},a.wav,x,bad`);
    const e = await problemsOf(readManifest(file('many.csv', lines.join('\n')), { maxProblems: 5 }));
    expect(e.problems).toHaveLength(5);
    expect(e.total).toBe(30);
    expect(e.message).toContain('… and 25 more.');
  });

  it('names missing header columns', async () => {
    const e = await problemsOf(readManifest(file('hdr.csv', 'id,path,artist\na,a.wav,x\n')));
    expect(e.message).toMatch(/hdr\.csv:1: header lacks the required columns audio, hitScore/);
  });

  it('gives E_IO for a missing file, E_EMPTY for no rows, E_UNSUPPORTED for another extension', async () => {
    await expect(readManifest(join(dir, 'nope.csv'))).rejects.toThrow(/E_IO: cannot read manifest .*nope\.csv: no such file/);
    await expect(readManifest(file('empty.csv', 'id,audio,artist,hitScore\n'))).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(readManifest(file('m.txt', 'x'))).rejects.toMatchObject({ code: 'E_UNSUPPORTED' });
  });
});

describe('readManifest (JSONL)', () => {
  it('reads artists arrays or strings and named or unnamed tags', async () => {
    const p = file(
      'good.jsonl',
      '{"id":"a","audio":"a.wav","artists":["X","Y"],"hitScore":0.5,"tags":{"t":1,"u":2}}\n\n' +
        '{"id":"b","audio":"b.wav","artist":"Z;W","hitScore":"0.25","releaseDate":"2017-03-01","tags":{"t":3,"u":4}}\n',
    );
    const m = await readManifest(p);
    expect(m.tagNames).toEqual(['t', 'u']);
    expect(m.lines).toEqual([1, 3]);
    expect(m.rows[0]).toEqual({ id: 'a', audio: join(dir, 'a.wav'), artists: ['X', 'Y'], hitScore: 0.5, tags: [1, 2] });
    expect(m.rows[1]).toEqual({ id: 'b', audio: join(dir, 'b.wav'), artists: ['Z', 'W'], hitScore: 0.25, releaseDate: '2017-03-01', tags: [3, 4] });
  });

  it('reports every bad line with the field', async () => {
    const p = file(
      'bad.jsonl',
      [
        '{"id":"a","audio":"a.wav","artist":"x","hitScore":1}',
        '{"id":"b","audio":"b.wav","artist":"x","hitScore":1', // bad JSON
        '[1,2]',
        '{"id":"c","audio":"","artist":"x","hitScore":-2}',
        '{"id":"d","audio":"d.wav","hitScore":1}',
        '{"id":"a","audio":"e.wav","artists":"x","hitScore":1}',
      ].join('\n'),
    );
    const e = await problemsOf(readManifest(p));
    const msg = e.message;
    expect(msg).toMatch(/bad\.jsonl:2: invalid JSON/);
    expect(msg).toContain('bad.jsonl:3: expected a JSON object, got "[1,2]"');
    expect(msg).toContain('bad.jsonl:4: column audio: expected an audio file path string, got ""');
    expect(msg).toContain('bad.jsonl:4: column hitScore: expected a number ≥ 0, got "-2"');
    expect(msg).toContain('bad.jsonl:5: column artist: expected an "artist" string or an "artists" array');
    expect(msg).toContain('bad.jsonl:6: column artists: expected an array of artist names');
    expect(e.total).toBe(6);
  });
});

describe('writeManifest', () => {
  const rows = [
    { id: 'a', audio: join(dir, 'audio', 'a b.wav'), artists: ['Ann', 'Bo, Jr.'], hitScore: 1 / 3, releaseDate: '2017-01-02', tags: [0.1, -2.5e-7] },
    { id: 'b"q', audio: '/elsewhere/b.wav', artists: [], hitScore: 0, tags: [3, 4] },
  ];

  it('round-trips through CSV with named tags (relative paths inside the folder, absolute outside)', async () => {
    const p = join(dir, 'out', 'w.csv');
    await writeManifest(p, rows.map((r) => ({ ...r, audio: r.audio.replace(dir, join(dir, 'out')) })), { tagNames: ['x', 'y'] });
    const m = await readManifest(p);
    expect(m.tagNames).toEqual(['x', 'y']);
    expect(m.rows).toEqual([
      { ...rows[0], audio: join(dir, 'out', 'audio', 'a b.wav') },
      { ...rows[1] },
    ]);
  });

  it('round-trips through JSONL with unnamed tags', async () => {
    const p = join(dir, 'w.jsonl');
    await writeManifest(p, rows);
    const m = await readManifest(p);
    expect(m.rows).toEqual(rows);
  });

  it('refuses rows it could not read back', async () => {
    await expect(writeManifest(join(dir, 'x.csv'), [{ id: 'a', audio: 'a.wav', artists: ['A;B'], hitScore: 1 }])).rejects.toThrow(HitrankError);
    await expect(writeManifest(join(dir, 'x.csv'), [{ id: 'a', audio: 'a.wav', artists: [], hitScore: NaN }])).rejects.toThrow(/hitScore/);
  });
});
