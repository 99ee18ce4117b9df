// A module that exists only inside the esbuild bundle of the pretrained
// browser page (virtualModules of scripts/browser/bundle.ts, set by
// ../browser.test.ts). Typed loosely here; the page casts to the src/ types.

declare module 'hitrank-browser:pretrained' {
  /** `import * as pretrained from 'hitrank/pretrained'`: the built package (dist/pretrained/index.js). */
  export const pretrained: unknown;
  /** `import * as audio from 'hitrank/audio'`. */
  export const audio: unknown;
}
