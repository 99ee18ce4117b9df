import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { buildSimpleCnn } from '../src/models/index.js';
await tf.setBackend('wasm'); await tf.ready(); tf.enableProdMode();
const B = Number(process.env.B ?? 32);
const cnn = buildSimpleCnn({ seed: 1 });
const x = tf.randomNormal([B,128,323]); const y = tf.randomNormal([B,1]);
const opt = tf.train.adam(1e-3);
const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
const step = () => tf.tidy(() => { opt.minimize(() => tf.losses.meanSquaredError(y, cnn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, false, vars); });
for (let i=0;i<3;i++) step();
const ts: number[] = [];
const c0 = process.cpuUsage(); const w0 = performance.now();
for (let i=0;i<Number(process.env.N ?? 20);i++){ const t0=performance.now(); step(); await vars[0].data(); ts.push(performance.now()-t0); }
const cu = process.cpuUsage(c0); const wall = performance.now() - w0;
ts.sort((a,b)=>a-b); console.log(process.env.TAG, 'B', B, 'median', ts[ts.length>>1].toFixed(1), 'min', ts[0].toFixed(1), 'cpu/wall', ((cu.user+cu.system)/1000/wall).toFixed(2));
