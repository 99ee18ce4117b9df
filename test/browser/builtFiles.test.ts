// The built package (dist/) imports no Node built-in outside `hitrank/node`
// and the CLI — checked two ways for every browser entry of package.json
// "exports" (so a new subpath is covered automatically):
// 1. esbuild bundles the entry with platform 'browser' (it fails on any Node
//    built-in reachable from it, in our files or in a dependency);
// 2. a scan of the entry and every dist/ chunk it reaches (ESM and CJS builds)
//    for import/require/import() of `node:*` or a bare built-in name.
// Both checks are run on `hitrank/node` as well, where they must find the
// built-ins: that proves they can fail. eslint's layering rules check src/;
// this checks what ships.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { distDir, repoRoot } from '../../scripts/browser/paths.js';
import { ensureFreshDist } from './dist.js';

type Conditions = { import?: { default: string }; require?: { default: string } };
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, Conditions | string> };
const NODE_ONLY = new Set(['./node', './cli']);
const entries = Object.entries(pkg.exports).filter(([, v]) => typeof v === 'object') as [string, Conditions][];
const browserEntries = entries.filter(([k]) => !NODE_ONLY.has(k));

const BUILTINS = new Set(builtinModules);
function isBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

// import … from "x" · export … from "x" · import "x" · import("x") · require("x")
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;

/** Every module specifier in `file` and the dist/ files it reaches by relative specifiers. */
function scan(file: string): { files: string[]; builtins: string[] } {
  const seen = new Set<string>();
  const builtins: string[] = [];
  const todo = [resolve(file)];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2];
      if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec));
      else if (isBuiltin(spec)) builtins.push(`${relative(repoRoot, f)}: "${spec}"`);
    }
  }
  return { files: [...seen].map((f) => relative(repoRoot, f)), builtins };
}

async function bundleForBrowser(file: string): Promise<{ ok: boolean; errors: string[] }> {
  try {
    await esbuild.build({
      entryPoints: [file],
      absWorkingDir: repoRoot,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    return { ok: true, errors: [] };
  } catch (e) {
    const errors = (e as esbuild.BuildFailure).errors ?? [{ text: String(e) }];
    return { ok: false, errors: errors.map((x) => x.text) };
  }
}

describe('the built package has no Node built-ins outside hitrank/node and the CLI', () => {
  beforeAll(async () => {
    console.log(`[builtFiles] ${await ensureFreshDist()}`);
  }, 180_000);

  it('package.json lists browser entries (and hitrank/node, the control)', () => {
    expect(browserEntries.map(([k]) => k)).toContain('.');
    expect(entries.map(([k]) => k)).toContain('./node');
  });

  for (const [name, cond] of browserEntries) {
    it(`${name}: bundles for the browser, and its ESM and CJS files import no Node built-in`, async () => {
      const esm = join(repoRoot, cond.import!.default);
      const bundled = await bundleForBrowser(esm);
      expect(bundled.errors).toEqual([]);
      expect(bundled.ok).toBe(true);
      for (const file of [cond.import?.default, cond.require?.default]) {
        if (!file) continue;
        const s = scan(join(repoRoot, file));
        expect(s.files.every((f) => f.startsWith('dist/'))).toBe(true);
        expect(s.builtins).toEqual([]);
      }
    });
  }

  it('control: hitrank/node does import Node built-ins, and both checks catch it', async () => {
    const node = entries.find(([k]) => k === './node')![1];
    const bundled = await bundleForBrowser(join(repoRoot, node.import!.default));
    expect(bundled.ok).toBe(false);
    expect(bundled.errors.join('\n')).toMatch(/node:|built into node|fs|path/);
    expect(scan(join(repoRoot, node.import!.default)).builtins.length).toBeGreaterThan(0);
    expect(scan(join(repoRoot, node.require!.default)).builtins.length).toBeGreaterThan(0);
  });

  it('the scanner reads dist/ (sanity: the root entry reaches at least one chunk)', () => {
    const s = scan(join(distDir, 'index.js'));
    expect(s.files.length).toBeGreaterThan(1);
  });
});
