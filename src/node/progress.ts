/**
 * A dependency-free progress bar with count, rate and ETA, for long CLI work.
 *
 * @module
 */

/** A writable text stream (e.g. `process.stderr`). */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether the stream is an interactive terminal (redrawn in place). */
  isTTY?: boolean;
  /** Terminal width in columns. */
  columns?: number;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Number of items (≥ 0). */
  total: number;
  /** Text before the bar, e.g. `'features'`. Default `''`. */
  label?: string;
  /** Where to draw. Default `process.stderr` (stdout stays free for results / `--json`). */
  stream?: ProgressStream;
  /**
   * `'bar'` redraws one line in place (`\r`), `'lines'` prints a plain line
   * every `lineEvery` seconds and at the end (logs, CI, `--json`), `'off'`
   * prints nothing. Default: `'bar'` when the stream is a TTY, else `'lines'`.
   */
  mode?: 'bar' | 'lines' | 'off';
  /** Seconds between plain lines in `'lines'` mode. Default 10. */
  lineEvery?: number;
  /** Clock in milliseconds (tests inject one). Default `performance.now`. */
  now?: () => number;
}

/** A running progress display. */
export interface Progress {
  /**
   * Sets the number of finished items and redraws (at most ~10 times a
   * second in bar mode).
   *
   * @param done - items finished so far.
   * @param note - optional short text after the counts (e.g. `'3 failed'`).
   */
  update(done: number, note?: string): void;
  /**
   * Draws the final state and ends the line.
   *
   * @param note - optional short text after the counts.
   */
  finish(note?: string): void;
}

/**
 * Formats seconds as `m:ss` or `h:mm:ss` (`--:--` when unknown).
 *
 * @param seconds - a duration; non-finite or negative gives `--:--`.
 * @returns the text.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One progress line: `label [#####-----] 50/100  50%  3.2/s  ETA 0:16  note`
 * (the bar only when `width` > 0). The ETA is the remaining count over the
 * average rate so far.
 *
 * @param s - state: `done`, `total`, `elapsed` seconds, `label`, `note`.
 * @param width - bar width in characters (0 = no bar).
 * @returns the line, without a line break.
 */
export function formatProgress(
  s: { done: number; total: number; elapsed: number; label?: string; note?: string },
  width = 0,
): string {
  const frac = s.total > 0 ? Math.min(1, s.done / s.total) : 1;
  const rate = s.elapsed > 0 ? s.done / s.elapsed : 0;
  const eta = s.done >= s.total ? 0 : rate > 0 ? (s.total - s.done) / rate : NaN;
  const parts: string[] = [];
  if (s.label) parts.push(s.label);
  if (width > 0) {
    const fill = Math.round(frac * width);
    parts.push(`[${'#'.repeat(fill)}${'-'.repeat(width - fill)}]`);
  }
  parts.push(`${s.done}/${s.total}`, `${Math.floor(frac * 100)}%`, `${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)}/s`);
  parts.push(s.done >= s.total ? `in ${formatDuration(s.elapsed)}` : `ETA ${formatDuration(eta)}`);
  if (s.note) parts.push(s.note);
  return parts.join('  ');
}

/**
 * Starts a progress display on stderr: a bar redrawn in place on a terminal,
 * plain periodic lines otherwise (like tqdm's behaviour with a non-TTY file).
 *
 * @param options - see {@link ProgressOptions}.
 * @returns the {@link Progress} to update and finish.
 *
 * @example
 * ```ts
 * const bar = createProgress({ total: rows.length, label: 'features' });
 * await extractFeatures(rows, { onProgress: (p) => bar.update(p.done, `${p.failed} failed`) });
 * bar.finish();
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? (stream.isTTY ? 'bar' : 'lines');
  const now = options.now ?? (() => performance.now());
  const lineEvery = (options.lineEvery ?? 10) * 1000;
  const total = Math.max(0, options.total);
  const t0 = now();
  let last = -Infinity;
  let done = 0;
  let finished = false;
  let lastWidth = 0;
  const line = (note: string | undefined, bar: boolean): string => {
    const cols = stream.columns ?? 80;
    const text = formatProgress({ done, total, elapsed: (now() - t0) / 1000, label: options.label, note }, bar ? Math.max(10, Math.min(30, cols - 60)) : 0);
    return bar && text.length >= cols ? text.slice(0, cols - 1) : text;
  };
  const draw = (note: string | undefined, force: boolean): void => {
    const t = now();
    if (mode === 'off') return;
    if (mode === 'bar') {
      if (!force && t - last < 100) return;
      last = t;
      const text = line(note, true);
      stream.write(`\r${text}${' '.repeat(Math.max(0, lastWidth - text.length))}`);
      lastWidth = text.length;
    } else {
      if (!force && t - last < lineEvery) return;
      last = t;
      stream.write(`${line(note, false)}\n`);
    }
  };
  return {
    update(n: number, note?: string): void {
      if (finished) return;
      done = Math.max(0, Math.min(total, n));
      draw(note, false);
    },
    finish(note?: string): void {
      if (finished) return;
      finished = true;
      draw(note, true);
      if (mode === 'bar') stream.write('\n');
    },
  };
}
