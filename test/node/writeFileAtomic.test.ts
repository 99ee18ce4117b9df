import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { writeFileAtomic } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates and replaces files (bytes and UTF-8 strings), leaving no temp files', async () => {
    const p = join(dir, 'a.bin');
    await writeFileAtomic(p, Uint8Array.from([1, 2, 3]));
    expect(Array.from(readFileSync(p))).toEqual([1, 2, 3]);
    await writeFileAtomic(p, 'héllo ✓');
    expect(readFileSync(p, 'utf8')).toBe('héllo ✓');
    const big = new Uint8Array(3_000_000).map((_, i) => i * 31);
    await writeFileAtomic(p, big);
    expect(readFileSync(p).equals(Buffer.from(big))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const p = join(dir, 'mode.txt');
    writeFileSync(p, 'old');
    chmodSync(p, 0o640);
    await writeFileAtomic(p, 'new');
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readFileSync(p, 'utf8')).toBe('new');
  });

  it('concurrent writers: the result is one whole version, never a mix', async () => {
    const p = join(dir, 'race.bin');
    const versions = Array.from({ length: 8 }, (_, k) => new Uint8Array(200_000).fill(k + 1));
    await Promise.all(versions.map((v) => writeFileAtomic(p, v)));
    const got = readFileSync(p);
    expect(got.length).toBe(200_000);
    expect(got.every((b) => b === got[0])).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('E_IO naming the path when the directory is missing', async () => {
    const p = join(dir, 'no', 'such', 'dir', 'x.bin');
    await expect(writeFileAtomic(p, 'x')).rejects.toSatisfy(
      (e: unknown) => e instanceof HitrankError && e.code === 'E_IO' && e.message.includes(p),
    );
  });

  it('E_IO when the target is a directory; the temp file is removed', async () => {
    const p = join(dir, 'subdir');
    mkdirSync(p);
    await expect(writeFileAtomic(p, 'x')).rejects.toSatisfy((e: unknown) => e instanceof HitrankError && e.code === 'E_IO');
    expect(statSync(p).isDirectory()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('E_PARAM for bad arguments', async () => {
    await expect(writeFileAtomic('', 'x')).rejects.toSatisfy((e: unknown) => e instanceof HitrankError && e.code === 'E_PARAM');
    await expect(writeFileAtomic(join(dir, 'y'), 42 as unknown as string)).rejects.toSatisfy(
      (e: unknown) => e instanceof HitrankError && e.code === 'E_PARAM',
    );
  });
});
