import { Worker } from 'node:worker_threads';
const n = Number(process.env.W ?? 2);
const code = `
const { workerData } = require('node:worker_threads');
(async () => {
const tf = require('@tensorflow/tfjs-core'); require('@tensorflow/tfjs-backend-wasm');
await tf.setBackend('wasm'); await tf.ready(); tf.enableProdMode();
const B = 10;
const w1 = tf.variable(tf.randomNormal([512, 32], 0, 0.05)); const w4 = tf.variable(tf.randomNormal([256, 256], 0, 0.05));
const x = tf.randomNormal([B*320, 512]); const h = tf.randomNormal([B*78, 256]);
const step = () => tf.tidy(() => { const a = tf.matMul(x, w1); const b = tf.matMul(h, w4); const c = tf.mul(tf.step(b, 0.1), b); tf.matMul(c, w4); tf.transpose(x); return tf.sum(a); }).dataSync();
for (let i=0;i<3;i++) step();
const ts = [];
for (let i=0;i<60;i++){ const t0=performance.now(); step(); ts.push(performance.now()-t0); }
ts.sort((a,b)=>a-b); console.log('worker', workerData, 'median', ts[30].toFixed(1));
})();`;
for (let i = 0; i < n; i++) new Worker(code, { eval: true, workerData: i });
