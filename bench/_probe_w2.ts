import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
const n = Number(process.env.W ?? 2);
const file = fileURLToPath(new URL('./_probe_step.ts', import.meta.url));
const code = `require('tsx/cjs'); import(${JSON.stringify('file://' + file)});`;
for (let i = 0; i < n; i++) new Worker(`
process.env.B='10'; process.env.N='100'; process.env.TAG='thread${i}';
const { register } = require('tsx/esm/api'); register(); import(${JSON.stringify('file://' + file)});`, { eval: true });
