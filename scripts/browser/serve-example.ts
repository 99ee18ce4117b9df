// `npm run example:browser`: bundles examples/browser and serves it on
// http://127.0.0.1:8787 (PORT=… to change; PORT=0 picks a free port) until Ctrl-C.
import { buildExample } from './example.js';
import { startStaticServer } from './server.js';

const port = Number(process.env.PORT ?? 8787);
const t0 = performance.now();
const ex = await buildExample({ minify: true });
const server = await startStaticServer(
  { files: Object.fromEntries(Object.entries(ex.files).map(([name, body]) => [`/${name}`, body])), mounts: ex.mounts },
  { port },
);
const optional = Object.entries(ex.bundle.optionalBackends)
  .filter(([, on]) => on)
  .map(([b]) => b);
console.log(
  `hitrank browser example: built in ${(performance.now() - t0).toFixed(0)} ms ` +
    `(${(ex.files['main.js'].length / 1e6).toFixed(1)} MB; backends cpu, wasm${optional.length ? ', ' + optional.join(', ') : ''})`,
);
console.log(`open ${server.url}/  (Ctrl-C to stop)`);
const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
