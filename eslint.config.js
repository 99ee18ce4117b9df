// Lint rules, including the layering of DESIGN.md §1: each layer imports only
// layers below it, only `src/node` and `src/cli` may import Node built-ins, and
// nothing below `losses` imports TensorFlow.js.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = { paths: nodeBuiltins.map((name) => ({ name, message: 'Only src/node and src/cli may import Node built-ins (the rest must run in a browser).' })) };
const layerOrder = ['dsp|audio', 'metrics|sampling|data', 'losses', 'models', 'highlight|training|pretrained', 'node|cli'];
function above(level) {
  return layerOrder.slice(level + 1).flatMap((g) => g.split('|')).map((d) => `**/${d}/**`).concat(
    layerOrder.slice(level + 1).flatMap((g) => g.split('|')).map((d) => `../${d}`),
  );
}
function layerRule(level, extraPatterns = []) {
  return {
    'no-restricted-imports': ['error', {
      ...noNode,
      patterns: [
        { group: above(level), message: 'A layer may only import layers below it (DESIGN.md §1).' },
        ...extraPatterns,
      ],
    }],
  };
}
const noTf = { group: ['@tensorflow/*'], message: 'Layers below `losses` must not import TensorFlow.js.' };

export default tseslint.config(
  { ignores: ['dist/**', 'docs/**', 'node_modules/**', 'coverage/**', '.cache/**', '.ci-out/**', '**/*.d.ts', 'wasm/**' /* AssemblyScript, checked by its compiler (scripts/build-wasm.ts) */] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  { files: ['src/errors.ts', 'src/version.ts'], rules: layerRule(-1, [noTf]) },
  { files: ['src/dsp/**', 'src/audio/**'], rules: layerRule(0, [noTf]) },
  { files: ['src/metrics/**', 'src/sampling/**', 'src/data/**'], rules: layerRule(1, [noTf]) },
  { files: ['src/losses/**'], rules: layerRule(2) },
  { files: ['src/models/**'], rules: layerRule(3) },
  { files: ['src/highlight/**', 'src/training/**', 'src/pretrained/**'], rules: layerRule(4) },
  { files: ['src/index.ts'], rules: layerRule(4) },
);
