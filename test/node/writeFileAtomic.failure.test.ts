// Failure injection: node:fs/promises is wrapped so that a write fails half-way
// (as on a full disk) or the final rename fails. The old file must survive
// untouched and the temporary file must be gone.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/node/index.js';

const inject = vi.hoisted(() => ({ failWriteAfterBytes: -1, failRename: false, failSync: false, partialWrites: 0 }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write' && inject.failWriteAfterBytes >= 0) {
          return async (buf: Uint8Array, offset: number, length: number) => {
            const n = Math.min(length, inject.failWriteAfterBytes);
            if (n > 0) {
              await target.write(buf, offset, n);
              inject.partialWrites++;
            }
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        if (key === 'sync' && inject.failSync) {
          return async () => {
            throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
          };
        }
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  const rename: typeof real.rename = async (from, to) => {
    if (inject.failRename) throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

const dir = mkdtempSync(join(tmpdir(), 'hitrank-atomic-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  inject.failWriteAfterBytes = -1;
  inject.failRename = false;
  inject.failSync = false;
  inject.partialWrites = 0;
});
const temps = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

async function expectIoError(p: Promise<void>, message: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(HitrankError);
  expect((caught as HitrankError).code).toBe('E_IO');
  expect((caught as HitrankError).message).toMatch(message);
}

describe('writeFileAtomic under failure', () => {
  it('a write failing mid-way leaves the old file intact and no temp file', async () => {
    const p = join(dir, 'model.json');
    writeFileSync(p, 'OLD CONTENT');
    inject.failWriteAfterBytes = 1000;
    await expectIoError(writeFileAtomic(p, new Uint8Array(50_000).fill(65)), /model\.json: ENOSPC/);
    expect(inject.partialWrites).toBe(1); // half the bytes really reached the temp file
    expect(readFileSync(p, 'utf8')).toBe('OLD CONTENT');
    expect(temps()).toEqual([]);
  });

  it('a failing fsync or rename leaves the old file intact and no temp file', async () => {
    const p = join(dir, 'cache.bin');
    writeFileSync(p, 'OLD');
    inject.failSync = true;
    await expectIoError(writeFileAtomic(p, 'NEW'), /EIO/);
    inject.failSync = false;
    inject.failRename = true;
    await expectIoError(writeFileAtomic(p, 'NEW'), /EXDEV/);
    expect(readFileSync(p, 'utf8')).toBe('OLD');
    expect(temps()).toEqual([]);
  });

  it('a failed first write creates no file at all', async () => {
    const p = join(dir, 'fresh.bin');
    inject.failWriteAfterBytes = 10;
    await expectIoError(writeFileAtomic(p, 'some new content'), /ENOSPC/);
    expect(existsSync(p)).toBe(false);
    expect(temps()).toEqual([]);
  });

  it('works again once the fault is gone', async () => {
    const p = join(dir, 'model.json');
    await writeFileAtomic(p, 'NEW CONTENT');
    expect(readFileSync(p, 'utf8')).toBe('NEW CONTENT');
  });
});
