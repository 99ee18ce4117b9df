// Makes sure dist/ (the built package) is there and newer than its sources
// before a test reads it: runs `npm run build` when it is missing or stale.
// Test files run in parallel workers, so the build is guarded by a lock
// directory (.cache/dist-build.lock; a lock older than 3 minutes is treated as
// left over from a crashed run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, repoRoot } from '../../scripts/browser/paths.js';

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newestMtime(join(path, name)));
  return t;
}

/**
 * Why dist/ must be rebuilt, or `null` when it is up to date: `dist/index.js`
 * must exist and be newer than every file of src/, package.json and
 * tsup.config.ts.
 *
 * @returns the reason, or `null`.
 */
export function distStaleReason(): string | null {
  const index = join(distDir, 'index.js');
  if (!existsSync(index)) return 'dist/index.js is missing';
  const built = statSync(index).mtimeMs;
  const sources = ['src', 'package.json', 'tsup.config.ts'].map((p) => join(repoRoot, p));
  const newest = Math.max(...sources.map(newestMtime));
  return newest > built ? 'sources changed since the last build' : null;
}

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Builds the package (`npm run build`) if {@link distStaleReason} says so.
 *
 * @returns what was done, for the test log.
 * @throws Error with the build's output when the build fails.
 */
export async function ensureFreshDist(): Promise<string> {
  if (distStaleReason() === null) return 'dist/ is up to date';
  const lock = join(repoRoot, '.cache', 'dist-build.lock');
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another build?)`);
      await sleep(250);
    }
  }
  try {
    const reason = distStaleReason();
    if (reason === null) return 'dist/ was built by another test worker';
    const t0 = performance.now();
    const r = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.status !== 0) {
      throw new Error(`npm run build failed (exit ${r.status}):\n${(r.stdout + r.stderr).split('\n').slice(-40).join('\n')}`);
    }
    return `ran npm run build (${reason}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
