/**
 * Crash-safe file replacement: readers see the old file or the new one, never
 * a half-written one.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rename, stat, unlink, chmod, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HitrankError } from '../errors.js';

function ioError(message: string, cause: unknown): HitrankError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  const err = new HitrankError('E_IO', `${message}: ${detail}`);
  err.cause = cause;
  return err;
}

/**
 * Writes `data` to `path` atomically: the bytes go to a temporary file in the
 * same directory (`.<name>.<pid>.<random>.tmp`), which is flushed with
 * `fsync` and then renamed over `path` (an atomic replace on POSIX file
 * systems and NTFS). On any error the temporary file is removed and `path`
 * keeps its previous content. An existing file's permission bits are kept;
 * the directory is fsync'ed after the rename where the platform allows it.
 *
 * Feature caches and model saves use this so that an interrupted run never
 * leaves a truncated file behind (the npm package `write-file-atomic` does the
 * same).
 *
 * @param path - the file to create or replace; its directory must exist.
 * @param data - the new content (strings are written as UTF-8).
 * @returns a promise that resolves once the new content is durable and in place.
 * @throws HitrankError `E_IO` naming `path` when any step fails.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new HitrankError('E_PARAM', `writeFileAtomic needs a non-empty path string, got ${JSON.stringify(path)}.`);
  }
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new HitrankError('E_PARAM', `writeFileAtomic writes a Uint8Array or a string, got ${typeof data}.`);
  }
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
      if (bytesWritten <= 0) throw new Error(`write made no progress at byte ${written} of ${bytes.length}`);
      written += bytesWritten;
    }
    const previous = await stat(path).catch(() => undefined);
    if (previous !== undefined && previous.isFile()) await chmod(tmp, previous.mode & 0o7777);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (e) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw ioError(`could not write ${path}`, e);
  }
  await syncDirectory(dir);
}

/**
 * fsyncs a directory so a rename in it survives a crash; silently skipped where unsupported (Windows).
 *
 * @param dir - the directory.
 * @internal
 */
export async function syncDirectory(dir: string): Promise<void> {
  let h: FileHandle | undefined;
  try {
    h = await open(dir, 'r');
    await h.sync();
  } catch {
    // Directories cannot be opened/fsynced on some platforms; the rename is still atomic.
  } finally {
    await h?.close().catch(() => undefined);
  }
}
