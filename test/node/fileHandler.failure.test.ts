// Failure injection: a write of weights.bin (or the final rename) fails half-way,
// as on a full disk. The previous model must stay intact and loadable, and no
// temporary folder may be left behind.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileHandler } from '../../src/node/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { artefacts } from './scripts/models.js';

const inject = vi.hoisted(() => ({ failWeights: false, failRenameInto: '' }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof real.open = async (...args: Parameters<typeof real.open>) => {
    const handle = await real.open(...args);
    if (!inject.failWeights || !String(args[0]).endsWith('weights.bin') || args[1] !== 'wx') return handle;
    return new Proxy(handle, {
      get(target, key) {
        if (key === 'write') {
          return async (buf: Uint8Array, offset: number, length: number) => {
            await target.write(buf, offset, Math.min(length, 1000));
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          };
        }
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  };
  const rename: typeof real.rename = async (from, to) => {
    if (inject.failRenameInto && String(to) === inject.failRenameInto && String(from).endsWith('.saving')) {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
    }
    return real.rename(from, to);
  };
  return { ...real, default: { ...real, open, rename }, open, rename };
});

const dir = mkdtempSync(join(tmpdir(), 'hitrank-fh-fail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  inject.failWeights = false;
  inject.failRenameInto = '';
});

let A: tf.io.ModelArtifacts;
let B: tf.io.ModelArtifacts;
beforeAll(async () => {
  await useBackend('cpu');
  A = await artefacts('A');
  B = await artefacts('B');
});

function nameOf(art: tf.io.ModelArtifacts): string {
  const t = tf.io.decodeWeights(art.weightData as ArrayBuffer, art.weightSpecs!);
  const first = t['dense/kernel'].dataSync()[0];
  Object.values(t).forEach((x) => x.dispose());
  return first === 1.5 ? 'A' : 'B';
}

describe('fileHandler save failures', () => {
  it('a weights.bin write failing midway leaves the previous model intact and loadable', async () => {
    const target = join(dir, 'm');
    await fileHandler(target).save!(A);
    inject.failWeights = true;
    await expect(fileHandler(target).save!(B)).rejects.toThrow(/E_IO: could not save the model to .*the previous model, if any, is untouched.*ENOSPC/);
    expect(readdirSync(dir)).toEqual(['m']);
    expect(nameOf(await fileHandler(target).load!())).toBe('A');
  });

  it('a failing final rename restores the previous model', async () => {
    const target = join(dir, 'r');
    await fileHandler(target).save!(A);
    inject.failRenameInto = target;
    await expect(fileHandler(target).save!(B)).rejects.toThrow(/could not move the saved model into .*EXDEV/);
    expect(readdirSync(dir).sort()).toEqual(['m', 'r']);
    expect(nameOf(await fileHandler(target).load!())).toBe('A');
  });

  it('a first save that fails leaves nothing behind', async () => {
    inject.failWeights = true;
    await expect(fileHandler(join(dir, 'new')).save!(A)).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(dir).sort()).toEqual(['m', 'r']);
  });
});
