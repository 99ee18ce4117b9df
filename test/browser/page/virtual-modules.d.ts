// A module that exists only inside the esbuild bundle of the test page
// (virtualModules of scripts/browser/bundle.ts, set by ../browser.test.ts).
// Typed loosely here; the page casts to the types of the src/ modules.
// ('hitrank-browser:optional-backends' is declared in examples/browser/virtual-modules.d.ts.)

declare module 'hitrank-browser:package' {
  /** `import * as hitrank from 'hitrank'`: the built package (dist/index.js). */
  export const hitrank: unknown;
  /** `import * as losses from 'hitrank/losses'`. */
  export const losses: unknown;
  /** `import * as training from 'hitrank/training'`, or `null` when the build has no such subpath. */
  export const training: unknown;
}
