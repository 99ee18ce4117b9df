/**
 * Where the pretrained files are, and how their bytes are read: `fetch` for
 * http(s)/blob/data URLs (browsers, Node), the file system for `file:` URLs
 * in Node — reached through `process.getBuiltinModule` at run time, so this
 * module imports nothing from Node and stays browser-safe. Both are
 * replaceable with the `fetchBytes` option.
 *
 * @module
 */
import { HitrankError } from '../errors.js';

/**
 * Reads the bytes at a URL. The default ({@link defaultFetchBytes}) uses
 * `fetch` (http, https, blob, data) and, in Node, the file system for
 * `file:` URLs. Pass your own to add authentication, caching or an offline
 * store; throw on failure.
 */
export type FetchBytes = (url: string) => Promise<Uint8Array | ArrayBuffer>;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;

interface NodeProcessLike {
  getBuiltinModule?: (id: string) => unknown;
  cwd?: () => string;
}

function nodeProcess(): NodeProcessLike | undefined {
  const p = (globalThis as { process?: NodeProcessLike & { versions?: { node?: string } } }).process;
  return p && p.versions && typeof p.versions.node === 'string' ? p : undefined;
}

/** A file-system path (POSIX or Windows) as a `file:` URL. */
function pathToFileUrl(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (!p.startsWith('/')) p = `/${p}`; // C:/x → /C:/x
  return `file://${encodeURI(p).replace(/[?#]/g, encodeURIComponent)}`;
}

/** The URL (or path) of the file this code runs from, or `undefined` when it cannot be told. */
function moduleLocation(): string | undefined {
  // CommonJS builds (and some test runners) define __filename.
  if (typeof __filename === 'string' && __filename.length > 0) return __filename;
  // ESM: the first frame of a stack trace names this file. (Not import.meta.url:
  // that syntax breaks the CommonJS build.)
  const stack = new Error().stack ?? '';
  const m = /((?:[a-z][a-z0-9+.-]*:\/\/[^\s()]*?)|(?:\/[^\s():]+?)|(?:[a-z]:\\[^\s():]+?)):\d+:\d+/i.exec(stack);
  return m ? m[1] : undefined;
}

/**
 * The package's `pretrained/` folder as a URL (ending in `/`), located from
 * the running hitrank module: `<package>/dist/…` or `<package>/src/…` →
 * `<package>/pretrained/`. In Node this is a `file:` URL; in a browser page
 * that loads hitrank's files unbundled (e.g. from a CDN) it is an http URL
 * next to them. A bundled app must pass `baseUrl` instead.
 *
 * @returns the URL of the folder that holds `<name>/card.json`.
 * @throws HitrankError `E_UNSUPPORTED` when the module's own location cannot be found.
 */
export function defaultPretrainedRoot(): string {
  const here = moduleLocation();
  if (here !== undefined) {
    const url = SCHEME.test(here) && !WINDOWS_DRIVE.test(here) ? here : pathToFileUrl(here);
    const clean = url.split(/[?#]/)[0];
    const i = Math.max(clean.lastIndexOf('/dist/'), clean.lastIndexOf('/src/'));
    if (i >= 0) return `${clean.slice(0, i + 1)}pretrained/`;
  }
  throw new HitrankError(
    'E_UNSUPPORTED',
    `cannot locate hitrank's pretrained/ folder from this module (${here ?? 'location unknown'}); ` +
      "pass { baseUrl } (the URL or path of a copy of node_modules/hitrank/pretrained/).",
  );
}

/**
 * Resolves the `baseUrl` option to an absolute URL ending in `/`: a `URL` or
 * an absolute URL string as is; in a browser, other strings relative to the
 * page; in Node, other strings are file-system paths (relative ones from the
 * working directory). Without `baseUrl`, {@link defaultPretrainedRoot}.
 *
 * @param baseUrl - the folder holding `<name>/` model folders, or `undefined`.
 * @returns the absolute URL of that folder, with a trailing `/`.
 * @throws HitrankError `E_PARAM` for a value that is neither a string nor a URL.
 */
export function resolvePretrainedRoot(baseUrl?: string | URL): string {
  if (baseUrl === undefined) return defaultPretrainedRoot();
  let s: string;
  if (typeof URL !== 'undefined' && baseUrl instanceof URL) {
    s = baseUrl.href;
  } else if (typeof baseUrl === 'string' && baseUrl.length > 0) {
    s = baseUrl;
    if (WINDOWS_DRIVE.test(s) || !SCHEME.test(s)) {
      const page = (globalThis as { location?: { href?: string } }).location?.href;
      const proc = nodeProcess();
      if (WINDOWS_DRIVE.test(s) || (proc && (s.startsWith('/') || !page))) {
        const abs = WINDOWS_DRIVE.test(s) || s.startsWith('/') ? s : `${proc?.cwd?.() ?? ''}/${s}`;
        s = new URL(pathToFileUrl(abs)).href; // normalises ./ and ../
      } else if (page) {
        s = new URL(s, page).href;
      } else {
        throw new HitrankError('E_PARAM', `baseUrl ${JSON.stringify(baseUrl)} is relative, and there is no page or working directory to resolve it against; pass an absolute URL.`);
      }
    }
  } else {
    throw new HitrankError('E_PARAM', `baseUrl must be a URL or a non-empty string, got ${JSON.stringify(baseUrl)}.`);
  }
  return s.endsWith('/') ? s : `${s}/`;
}

/**
 * The default {@link FetchBytes}: `fetch(url)` for http(s), blob and data
 * URLs; for `file:` URLs in Node, `fs.readFile` (through
 * `process.getBuiltinModule`, Node ≥ 20.16 — no network, works offline).
 *
 * @param url - absolute URL of the file.
 * @returns its bytes.
 * @throws HitrankError `E_IO` naming the URL when it cannot be read,
 *   `E_UNSUPPORTED` for a `file:` URL where no file system is reachable.
 */
export async function defaultFetchBytes(url: string): Promise<Uint8Array> {
  if (url.startsWith('file:')) {
    const get = nodeProcess()?.getBuiltinModule;
    if (typeof get !== 'function') {
      throw new HitrankError(
        'E_UNSUPPORTED',
        `cannot read ${url}: file: URLs need Node ≥ 20.16 (process.getBuiltinModule); pass { fetchBytes } (e.g. (u) => fs.promises.readFile(new URL(u))) or an http baseUrl.`,
      );
    }
    const fs = get.call(nodeProcess(), 'node:fs/promises') as { readFile(p: URL): Promise<Uint8Array> };
    try {
      return await fs.readFile(new URL(url));
    } catch (e) {
      throw new HitrankError('E_IO', `cannot read ${url}: ${(e as Error).message}`);
    }
  }
  if (typeof fetch !== 'function') {
    throw new HitrankError('E_UNSUPPORTED', `cannot read ${url}: this environment has no fetch; pass { fetchBytes }.`);
  }
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new HitrankError('E_IO', `cannot fetch ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new HitrankError('E_IO', `cannot fetch ${url}: HTTP ${res.status} ${res.statusText}`.trim());
  return new Uint8Array(await res.arrayBuffer());
}
