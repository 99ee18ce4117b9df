// A module that exists only inside the esbuild bundles of the browser pages
// (scripts/browser/bundle.ts); the browser tests' page uses it too.

declare module 'hitrank-browser:optional-backends' {
  /** Which optional tfjs backends (packages hitrank does not depend on) were bundled. */
  export const OPTIONAL_BACKENDS: { webgl: boolean; webgpu: boolean };
}
