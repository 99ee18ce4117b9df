// Paths shared by the browser build, the static server, the browser tests and
// the browser example. Node-only (build tooling, never shipped).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is `scripts/browser/paths.ts`). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The built package (`npm run build`). */
export const distDir = join(repoRoot, 'dist');

/** The shared reference fixtures, beside the repository (never copied into it). */
export const fixturesRoot = resolve(repoRoot, '..', 'shared', 'fixtures');

/** Where tfjs-backend-wasm keeps its `.wasm` binaries; served at `WASM_URL_PATH`. */
export const tfjsWasmDir = join(repoRoot, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

/** The repository's small encoded test audio files (MP3, Ogg Vorbis, FLAC), served at `TEST_AUDIO_URL_PATH`. */
export const testAudioDir = join(repoRoot, 'test', 'node', 'data');

export { WASM_URL_PATH, FIXTURES_URL_PATH, TEST_AUDIO_URL_PATH } from './urls.js';
