import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HitrankError } from '../../src/errors.js';
import { loadAudio } from '../../src/node/index.js';

describe('HitrankError', () => {
  it('carries the code, a message prefixed with it, and the detail without the prefix', () => {
    const e = new HitrankError('E_SHAPE', 'x has 3 values, expected 4.');
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toBe('E_SHAPE: x has 3 values, expected 4.');
    expect(e.detail).toBe('x has 3 values, expected 4.');
    expect(e.name).toBe('HitrankError');
  });

  it('wrapped errors put the detail, not a second code, into their message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hitrank-err-'));
    const path = join(dir, 'broken.wav');
    writeFileSync(path, Buffer.from('RIFF\x10\x00\x00\x00WAVEjunkjunkjunk', 'latin1'));
    try {
      const err = await loadAudio(path).then(
        () => null,
        (x: unknown) => x,
      );
      expect(err).toBeInstanceOf(HitrankError);
      const e = err as HitrankError;
      expect(e.code).toBe('E_CORRUPT_FILE');
      expect(e.message.match(/E_[A-Z_]+: /g)).toHaveLength(1);
      expect(e.detail.startsWith(`${path}: `)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
