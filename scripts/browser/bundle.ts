// Bundles a page script for the browser with esbuild (platform 'browser', so
// any Node built-in reachable from the page fails the build). Used by the
// browser tests (test/browser) and the browser example (examples/browser).
//
// Two tfjs details handled here:
// - one tfjs-core (and one tfjs-backend-cpu) for the whole bundle, always the
//   repository's copy: a second copy would register backends on another engine;
// - the optional webgl / webgpu backends are bundled only when their packages
//   are installed (they are not dependencies of hitrank). The page imports the
//   virtual module `hitrank-browser:optional-backends`, which imports whichever
//   is present and exports `OPTIONAL_BACKENDS = { webgl: boolean, webgpu: boolean }`.
//   Looked up in the repository's node_modules, then in the node_modules
//   folder named by HITRANK_BROWSER_EXTRA_NODE_MODULES (for trying them
//   without adding them to package.json).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from './paths.js';

/** Name of the virtual module that registers the optional tfjs backends. */
export const OPTIONAL_BACKENDS_MODULE = 'hitrank-browser:optional-backends';

/** tfjs backends that are not dependencies of hitrank and are bundled only when installed. */
export type OptionalBackend = 'webgl' | 'webgpu';

const OPTIONAL_PACKAGES: Record<OptionalBackend, string> = {
  webgl: '@tensorflow/tfjs-backend-webgl',
  webgpu: '@tensorflow/tfjs-backend-webgpu',
};

/**
 * Where each optional backend package can be resolved from (a directory to
 * resolve it from), or `null` when it is not installed.
 *
 * @returns one entry per optional backend.
 */
export function findOptionalBackends(): Record<OptionalBackend, string | null> {
  const roots = [join(repoRoot, 'node_modules')];
  const extra = process.env.HITRANK_BROWSER_EXTRA_NODE_MODULES;
  if (extra) roots.push(resolve(extra));
  const out = { webgl: null, webgpu: null } as Record<OptionalBackend, string | null>;
  for (const b of Object.keys(OPTIONAL_PACKAGES) as OptionalBackend[]) {
    const root = roots.find((r) => existsSync(join(r, OPTIONAL_PACKAGES[b], 'package.json')));
    out[b] = root ? dirname(root) : null;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function virtualPlugin(modules: Record<string, string>): esbuild.Plugin {
  const names = Object.keys(modules);
  return {
    name: 'hitrank-virtual',
    setup(build) {
      if (!names.length) return;
      build.onResolve({ filter: new RegExp(`^(${names.map(escapeRegExp).join('|')})$`) }, (args) => ({
        path: args.path,
        namespace: 'hitrank-virtual',
      }));
      build.onLoad({ filter: /.*/, namespace: 'hitrank-virtual' }, (args) => ({
        contents: modules[args.path],
        resolveDir: repoRoot,
        loader: 'js',
      }));
    },
  };
}

function tfjsPlugin(optional: Record<OptionalBackend, string | null>): esbuild.Plugin {
  return {
    name: 'hitrank-tfjs',
    setup(build) {
      build.onResolve({ filter: /^hitrank-browser:optional-backends$/ }, () => ({
        path: 'optional-backends',
        namespace: 'hitrank-browser',
      }));
      build.onLoad({ filter: /.*/, namespace: 'hitrank-browser' }, () => {
        const lines: string[] = [];
        for (const b of Object.keys(OPTIONAL_PACKAGES) as OptionalBackend[]) {
          if (optional[b]) lines.push(`import '${OPTIONAL_PACKAGES[b]}';`);
        }
        const flags = Object.fromEntries(Object.entries(optional).map(([k, v]) => [k, v !== null]));
        lines.push(`export const OPTIONAL_BACKENDS = ${JSON.stringify(flags)};`);
        return { contents: lines.join('\n'), resolveDir: repoRoot, loader: 'js' };
      });
      // The optional backends resolve from wherever they were found.
      build.onResolve({ filter: /^@tensorflow\/tfjs-backend-(webgl|webgpu)$/ }, async (args) => {
        if (args.pluginData?.hitrankResolved) return undefined;
        const b = args.path.endsWith('webgl') ? 'webgl' : 'webgpu';
        const from = optional[b];
        if (!from) return { errors: [{ text: `${args.path} is not installed (it is optional; see scripts/browser/bundle.ts).` }] };
        const r = await build.resolve(args.path, { kind: args.kind, resolveDir: from, pluginData: { hitrankResolved: true } });
        if (r.errors.length) return { errors: r.errors };
        return { path: r.path, namespace: r.namespace, sideEffects: r.sideEffects };
      });
      // Exactly one tfjs-core and tfjs-backend-cpu: the repository's.
      build.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu)(\/.*)?$/ }, async (args) => {
        if (args.pluginData?.hitrankResolved) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, resolveDir: repoRoot, pluginData: { hitrankResolved: true } });
        if (r.errors.length) return { errors: r.errors };
        return { path: r.path, namespace: r.namespace, sideEffects: r.sideEffects };
      });
    },
  };
}

/** A bundled page script, held in memory. */
export interface BrowserBundle {
  /** The ES-module JavaScript. */
  js: string;
  /** Repository-relative paths of every input file that went into the bundle. */
  inputs: string[];
  /** Which optional tfjs backends were bundled. */
  optionalBackends: Record<OptionalBackend, boolean>;
}

/**
 * Bundles `entry` (a TypeScript or JavaScript module) into one ES module for
 * the browser. `hitrank` and `hitrank/<layer>` imports resolve through the
 * package's own `exports` map, i.e. to the built `dist/` files.
 *
 * @param entry - path of the page script (absolute, or relative to the repository root).
 * @param options - `minify` (default `false`); `virtualModules`: module name →
 *   JavaScript source, resolved from the repository root (e.g. a module that
 *   re-exports `hitrank` so the page's TypeScript need not resolve the built
 *   package at type-check time).
 * @returns the {@link BrowserBundle}.
 * @throws Error with esbuild's messages when the bundle cannot be built — among
 *   others when a Node built-in is reachable from `entry`.
 */
export async function bundleForBrowser(
  entry: string,
  options: { minify?: boolean; virtualModules?: Record<string, string> } = {},
): Promise<BrowserBundle> {
  const optional = findOptionalBackends();
  const result = await esbuild.build({
    entryPoints: [resolve(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    outfile: join(repoRoot, '.cache', 'browser-bundle.js'),
    metafile: true,
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [virtualPlugin(options.virtualModules ?? {}), tfjsPlugin(optional)],
  });
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  if (!js) throw new Error(`esbuild produced no JavaScript for ${entry}.`);
  return {
    js: js.text,
    inputs: Object.keys(result.metafile.inputs),
    optionalBackends: { webgl: optional.webgl !== null, webgpu: optional.webgpu !== null },
  };
}
