/**
 * A small streaming RFC 4180 CSV reader (internal): manifests and play logs.
 *
 * @internal
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { HitrankError } from '../errors.js';

/** One CSV record with the 1-based line number it starts on. */
export interface CsvRecord {
  /** The fields, unquoted. */
  fields: string[];
  /** 1-based physical line number of the record's first character. */
  line: number;
}

/**
 * Incremental RFC 4180 parser: fields separated by `,`, records by LF or CRLF
 * (a lone CR too), fields optionally quoted with `"` (a doubled `""` inside a
 * quoted field is one quote; quoted fields may contain commas and line
 * breaks). A UTF-8 byte order mark at the start is skipped; blank lines are
 * skipped. Leniency: a quote inside an unquoted field is kept literally.
 *
 * @internal
 */
export class CsvParser {
  private field = '';
  private fields: string[] = [];
  private inQuotes = false;
  /** After a closing quote: only `,` or a line break may follow. */
  private afterQuote = false;
  private pendingCR = false;
  /** A chunk ended on a quote inside a quoted field. */
  private quotePending = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  private first = true;
  private readonly source: string;

  /** @param source - name used in error messages (the file name). */
  constructor(source: string) {
    this.source = source;
  }

  /**
   * Feeds a chunk of text and returns the records it completed.
   *
   * @param text - the next chunk.
   * @returns the completed records (possibly none).
   */
  push(text: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    const n = text.length;
    if (this.first && n > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.pendingCR && i < n) {
      this.pendingCR = false;
      if (text.charCodeAt(i) === 10) i++;
    }
    if (this.quotePending && i < n) {
      this.quotePending = false;
      if (text.charCodeAt(i) === 34) {
        this.field += '"';
        i++;
      } else {
        this.inQuotes = false;
        this.afterQuote = true;
      }
    }
    while (i < n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          const chunk = text.slice(i);
          this.countLines(chunk);
          this.field += chunk;
          break;
        }
        const chunk = text.slice(i, q);
        this.countLines(chunk);
        this.field += chunk;
        if (q + 1 >= n) {
          // Cannot tell yet whether this is "" or the closing quote: decide on the next chunk.
          this.quotePending = true;
          break;
        }
        if (text.charCodeAt(q + 1) === 34) {
          this.field += '"';
          i = q + 2;
        } else {
          this.inQuotes = false;
          this.afterQuote = true;
          i = q + 1;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 44) {
        this.fields.push(this.field);
        this.field = '';
        this.afterQuote = false;
        this.started = true;
        i++;
      } else if (c === 10 || c === 13) {
        this.endRecord(out);
        this.line++;
        this.recordLine = this.line;
        if (c === 13) {
          if (i + 1 < n) {
            if (text.charCodeAt(i + 1) === 10) i++;
          } else {
            this.pendingCR = true;
          }
        }
        i++;
      } else if (this.afterQuote) {
        throw new HitrankError(
          'E_PARAM',
          `${this.source}:${this.line}: unexpected character ${JSON.stringify(text[i])} after a closing quote; ` +
            'a quoted field must end at a comma or line break (write "" for a quote inside quotes).',
        );
      } else if (c === 34 && this.field.length === 0) {
        this.inQuotes = true;
        this.started = true;
        i++;
      } else {
        // Fast path: copy up to the next comma or line break.
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13) break;
          j++;
        }
        this.field += text.slice(i, j);
        this.started = true;
        i = j;
      }
    }
    return out;
  }

  /**
   * Ends the input: returns the last record if the text did not end with a line break.
   *
   * @returns the final record(s).
   * @throws HitrankError `E_PARAM` for a quoted field that is never closed.
   */
  end(): CsvRecord[] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.inQuotes) {
      throw new HitrankError(
        'E_PARAM',
        `${this.source}:${this.recordLine}: a quoted field opened on this line is never closed (missing ").`,
      );
    }
    const out: CsvRecord[] = [];
    this.endRecord(out);
    return out;
  }

  private endRecord(out: CsvRecord[]): void {
    if (this.started || this.field.length > 0) {
      this.fields.push(this.field);
      out.push({ fields: this.fields, line: this.recordLine });
    }
    this.fields = [];
    this.field = '';
    this.started = false;
    this.afterQuote = false;
  }

  private countLines(s: string): void {
    let k = s.indexOf('\n');
    while (k >= 0) {
      this.line++;
      k = s.indexOf('\n', k + 1);
    }
  }
}

/**
 * Parses a whole CSV text.
 *
 * @param text - the file content.
 * @param source - file name for messages.
 * @returns the records.
 * @internal
 */
export function parseCsv(text: string, source: string): CsvRecord[] {
  const p = new CsvParser(source);
  const out = p.push(text);
  for (const r of p.end()) out.push(r);
  return out;
}

/**
 * Reads a CSV file lazily, in 1 MiB chunks with synchronous reads, so a file of
 * 10⁷ rows is never held as one string. The file is closed when the iteration
 * ends, throws or is abandoned (`return()`).
 *
 * @param path - the file.
 * @param source - file name for messages.
 * @param chunkBytes - read size (tests use small ones).
 * @returns an iterator over the records.
 * @internal
 */
export function* readCsvRecords(path: string, source: string, chunkBytes = 1 << 20): Generator<CsvRecord> {
  const fd = openCsv(path);
  try {
    const parser = new CsvParser(source);
    const decoder = new TextDecoder('utf-8');
    const buf = new Uint8Array(chunkBytes);
    while (true) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      yield* parser.push(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    const tail = decoder.decode();
    if (tail) yield* parser.push(tail);
    yield* parser.end();
  } finally {
    closeSync(fd);
  }
}

function openCsv(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    const err = new HitrankError('E_IO', `cannot read ${path}: ${why}.`);
    err.cause = e;
    throw err;
  }
}

/**
 * Quotes a CSV field when it needs it (RFC 4180).
 *
 * @param s - the field text.
 * @returns the field, quoted when it contains a comma, quote or line break, or
 *   starts/ends with a space.
 * @internal
 */
export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
