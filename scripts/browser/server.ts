// A tiny static HTTP server for the browser tests and the browser example:
// in-memory files (bundles, pages) plus read-only folders mounted under URL
// prefixes. Listens on 127.0.0.1 (an ephemeral port by default); `.wasm` is
// served as application/wasm, which tfjs-backend-wasm needs for streaming
// compilation. GET/HEAD only, no directory listings, no path escapes.
import { createReadStream, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.flac': 'audio/flac',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** MIME type by file extension (`application/octet-stream` when unknown). */
export function mimeType(path: string): string {
  return MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** What a {@link startStaticServer} serves. */
export interface StaticRoutes {
  /** Exact URL path (e.g. `/index.html`) → content; a path ending in `/` serves its `index.html`. */
  files?: Record<string, string | Uint8Array>;
  /** URL prefix ending in `/` (e.g. `/tfjs-wasm/`) → folder on disk. */
  mounts?: Record<string, string>;
}

/** A running server. */
export interface StaticServer {
  /** Base URL, `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Requests answered so far, as `"<status> <path>"` (for test diagnostics). */
  log: string[];
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head: boolean): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/**
 * Starts the server.
 *
 * @param routes - the in-memory files and mounted folders.
 * @param options - `port` (default `0` = ephemeral), `host` (default `127.0.0.1`).
 * @returns the running {@link StaticServer}.
 */
export async function startStaticServer(
  routes: StaticRoutes,
  options: { port?: number; host?: string } = {},
): Promise<StaticServer> {
  const files = new Map(Object.entries(routes.files ?? {}));
  const mounts = Object.entries(routes.mounts ?? {}).map(([prefix, dir]) => {
    if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`mount prefix "${prefix}" must start and end with "/".`);
    return { prefix, dir: normalize(dir) };
  });
  const log: string[] = [];
  const server = createServer((req, res) => {
    const head = req.method === 'HEAD';
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      path = '';
    }
    const answer = (status: number, type: string, body: string | Uint8Array) => {
      log.push(`${status} ${path}`);
      send(res, status, type, body, head);
    };
    if (req.method !== 'GET' && !head) return answer(405, 'text/plain', 'method not allowed\n');
    if (path.endsWith('/')) path += 'index.html';
    const mem = files.get(path);
    if (mem !== undefined) return answer(200, mimeType(path), mem);
    for (const m of mounts) {
      if (!path.startsWith(m.prefix)) continue;
      const file = normalize(join(m.dir, path.slice(m.prefix.length)));
      if (!file.startsWith(m.dir + sep)) return answer(403, 'text/plain', 'forbidden\n');
      let size: number;
      try {
        const st = statSync(file);
        if (!st.isFile()) return answer(404, 'text/plain', 'not found\n');
        size = st.size;
      } catch {
        return answer(404, 'text/plain', 'not found\n');
      }
      log.push(`200 ${path}`);
      res.writeHead(200, { 'content-type': mimeType(file), 'content-length': size, 'cache-control': 'no-store' });
      if (head) return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
      return;
    }
    return answer(404, 'text/plain', 'not found\n');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('the server has no TCP address.');
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    log,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
