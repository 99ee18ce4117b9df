// Builds the browser example (examples/browser) into memory: its index.html
// and main.ts bundled to main.js, plus the folders the page needs served.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForBrowser, type BrowserBundle } from './bundle.js';
import { repoRoot, tfjsWasmDir, WASM_URL_PATH } from './paths.js';

/** The example's folder. */
export const exampleDir = join(repoRoot, 'examples', 'browser');

/** The built example: files by URL path (relative to where it is mounted) and the bundle facts. */
export interface BuiltExample {
  /** `index.html` and `main.js`. */
  files: Record<string, string>;
  /** Mounts the page needs at the server root (tfjs-backend-wasm's `.wasm` files). */
  mounts: Record<string, string>;
  /** The bundle of main.ts. */
  bundle: BrowserBundle;
}

/**
 * Bundles examples/browser/main.ts (hitrank from source, tfjs and its backends).
 *
 * @param options - `minify` (default `false`).
 * @returns the {@link BuiltExample}.
 */
export async function buildExample(options: { minify?: boolean } = {}): Promise<BuiltExample> {
  const bundle = await bundleForBrowser(join(exampleDir, 'main.ts'), options);
  return {
    files: { 'index.html': readFileSync(join(exampleDir, 'index.html'), 'utf8'), 'main.js': bundle.js },
    mounts: { [WASM_URL_PATH]: tfjsWasmDir },
    bundle,
  };
}
