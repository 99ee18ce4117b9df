import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, formatProgress } from '../../src/node/index.js';

function sink(isTTY: boolean): { text: string; write(t: string): void; isTTY: boolean; columns: number } {
  return {
    text: '',
    isTTY,
    columns: 100,
    write(t: string) {
      this.text += t;
    },
  };
}

describe('progress', () => {
  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(59.6), formatDuration(61), formatDuration(3725), formatDuration(NaN), formatDuration(-1)]).toEqual([
      '0:00',
      '1:00',
      '1:01',
      '1:02:05',
      '--:--',
      '--:--',
    ]);
  });

  it('formats a line with count, percent, rate and ETA (remaining / average rate)', () => {
    expect(formatProgress({ done: 25, total: 100, elapsed: 10, label: 'features' }, 20)).toBe(
      'features  [#####---------------]  25/100  25%  2.5/s  ETA 0:30',
    );
    expect(formatProgress({ done: 100, total: 100, elapsed: 40, note: '2 failed' })).toBe('100/100  100%  2.5/s  in 0:40  2 failed');
    expect(formatProgress({ done: 0, total: 10, elapsed: 0 })).toBe('0/10  0%  0.0/s  ETA --:--');
  });

  it('redraws in place on a TTY, throttled, and ends the line', () => {
    let t = 0;
    const s = sink(true);
    const p = createProgress({ total: 4, label: 'x', stream: s, now: () => t });
    p.update(1);
    t = 50;
    p.update(2); // within 100 ms: skipped
    t = 200;
    p.update(3);
    p.finish();
    const frames = s.text.split('\r').filter(Boolean);
    expect(frames).toHaveLength(3);
    expect(frames[0]).toContain(' 1/4 ');
    expect(frames[1]).toContain(' 3/4 ');
    expect(frames[2]).toMatch(/ 3\/4 .*\n$/);
  });

  it('prints plain lines off a TTY (or for --json) and nothing when off', () => {
    let t = 0;
    const s = sink(false);
    const p = createProgress({ total: 3, stream: s, now: () => t, lineEvery: 1 });
    p.update(1);
    t = 500;
    p.update(2); // < 1 s since the last line
    t = 3000;
    p.update(3);
    p.finish('done');
    expect(s.text.split('\n')).toEqual(['1/3  33%  0.0/s  ETA --:--', '3/3  100%  1.0/s  in 0:03', '3/3  100%  1.0/s  in 0:03  done', '']);
    const off = sink(true);
    const q = createProgress({ total: 3, stream: off, mode: 'off' });
    q.update(2);
    q.finish();
    expect(off.text).toBe('');
  });
});
