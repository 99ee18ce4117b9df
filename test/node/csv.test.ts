import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvParser, csvField, parseCsv, readCsvRecords } from '../../src/node/csv.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEXT =
  '\uFEFFid,name,note\r\n' +
  'a,"Smith, J.","said ""hi"""\r\n' +
  '\r\n' +
  'b,"two\nlines",x\n' +
  'c,,\n' +
  'd,"",last';

const EXPECTED = [
  { fields: ['id', 'name', 'note'], line: 1 },
  { fields: ['a', 'Smith, J.', 'said "hi"'], line: 2 },
  { fields: ['b', 'two\nlines', 'x'], line: 4 },
  { fields: ['c', '', ''], line: 6 },
  { fields: ['d', '', 'last'], line: 7 },
];

describe('CSV parser (RFC 4180)', () => {
  it('parses quotes, embedded commas / quotes / line breaks, CRLF, BOM, blank lines, and keeps line numbers', () => {
    expect(parseCsv(TEXT, 't.csv')).toEqual(EXPECTED);
  });

  it('gives the same records for every way of cutting the text into chunks', () => {
    for (let cut = 1; cut < TEXT.length; cut++) {
      const p = new CsvParser('t.csv');
      const out = [...p.push(TEXT.slice(0, cut)), ...p.push(TEXT.slice(cut)), ...p.end()];
      expect(out, `cut at ${cut}`).toEqual(EXPECTED);
    }
    // One character at a time.
    const p = new CsvParser('t.csv');
    const out = [];
    for (const ch of TEXT) out.push(...p.push(ch));
    out.push(...p.end());
    expect(out).toEqual(EXPECTED);
  });

  it('streams a file in small chunks', () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, TEXT);
    expect([...readCsvRecords(path, 'a.csv', 3)]).toEqual(EXPECTED);
  });

  it('names the line of an unclosed quote and of text after a closing quote', () => {
    expect(() => parseCsv('id,x\n1,"open\n2,3\n', 'bad.csv')).toThrow(/bad\.csv:2: a quoted field opened on this line is never closed/);
    expect(() => parseCsv('id,x\n1,"a"b\n', 'bad.csv')).toThrow(/bad\.csv:2: unexpected character "b" after a closing quote/);
  });

  it('quotes fields only when needed, and they parse back', () => {
    const vals = ['plain', 'a,b', 'say "x"', 'two\nlines', ' padded', ''];
    expect(vals.map(csvField)).toEqual(['plain', '"a,b"', '"say ""x"""', '"two\nlines"', '" padded"', '']);
    expect(parseCsv(vals.map(csvField).join(',') + '\n', 'x')[0].fields).toEqual(vals);
  });
});
