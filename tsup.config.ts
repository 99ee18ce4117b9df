import { defineConfig } from 'tsup';

// One entry per public subpath (see package.json "exports"); the CLI is an
// ESM-only executable.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'dsp/index': 'src/dsp/index.ts',
      'audio/index': 'src/audio/index.ts',
      'metrics/index': 'src/metrics/index.ts',
      'sampling/index': 'src/sampling/index.ts',
      'data/index': 'src/data/index.ts',
      'losses/index': 'src/losses/index.ts',
      'models/index': 'src/models/index.ts',
      'training/index': 'src/training/index.ts',
      'highlight/index': 'src/highlight/index.ts',
      'pretrained/index': 'src/pretrained/index.ts',
      'node/index': 'src/node/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: true,
    external: [/^@tensorflow\//],
  },
  {
    // The `hitrank` executable (package.json "bin"): ESM only, with a shebang.
    // Its chunks stay in dist/cli/; feature workers load the chunk that holds
    // extractFeatures (see src/node/extractFeatures.ts).
    entry: { main: 'src/cli/main.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: false,
    target: 'es2022',
    splitting: true,
    external: [/^@tensorflow\//],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
