// URL paths shared by the pages (browser code: no Node imports here) and the
// Node side that serves them.

/** URL path of tfjs-backend-wasm's `.wasm` files; pages pass it to `setWasmPaths` (trailing slash required). */
export const WASM_URL_PATH = '/tfjs-wasm/';

/** URL path under which ../shared/fixtures is served during test runs (read-only, never copied). */
export const FIXTURES_URL_PATH = '/fixtures/';

/** URL path under which the repository's small test audio files (test/node/data) are served. */
export const TEST_AUDIO_URL_PATH = '/test-audio/';
