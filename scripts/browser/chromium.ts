// Headless Chromium through playwright-core, always the system browser
// (Debian's `chromium` package): playwright's own browser download is never
// used. See ../shared/TOOLCHAIN.md, "Headless Chromium".
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The browser executable: `HITRANK_CHROMIUM`, default `/usr/bin/chromium` (Debian's package). */
export const CHROMIUM_PATH = process.env.HITRANK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Command-line flags. No `--disable-gpu` and no `--use-gl=…`: without a GPU,
 * Chromium then runs WebGL2 on SwiftShader (ANGLE/Vulkan), and
 * `--enable-unsafe-webgpu` adds a SwiftShader WebGPU adapter. The rest keep a
 * test run quiet and offline. Playwright adds `--headless` and, as root, the
 * sandbox stays off (its default `chromiumSandbox: false`).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--mute-audio',
];

/** Whether the browser executable exists. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A launched browser with one page. */
export interface ChromiumSession {
  /** The browser context (one fresh profile). */
  context: BrowserContext;
  /** Its first page. */
  page: Page;
  /** The fresh `--user-data-dir` of this session (removed by `close`). */
  userDataDir: string;
  /** Every console message and page error so far, as text (for diagnostics). */
  console: string[];
  /** Closes the browser and removes the profile; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Launches headless Chromium on a fresh profile.
 *
 * @param options - `viewport` (default 1100 × 800).
 * @returns the {@link ChromiumSession}.
 */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<ChromiumSession> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PATH} not found: apt-get install -y chromium`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'hitrank-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1100, height: 800 },
      timeout: 30_000,
    });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const messages: string[] = [];
  page.on('console', (m) => messages.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`[pageerror] ${e.message}`));
  let closed = false;
  return {
    context,
    page,
    userDataDir,
    console: messages,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Process ids whose command line mentions `needle` (Linux `/proc`; `[]`
 * elsewhere). Used to check that no browser process outlives its session:
 * every Chromium process of a session carries its `--user-data-dir`.
 *
 * @param needle - text to look for, e.g. a session's `userDataDir`.
 * @returns the matching pids.
 */
export function processesMentioning(needle: string): number[] {
  if (!existsSync('/proc')) return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmd.includes(needle)) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
