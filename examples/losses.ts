// The training objectives of Yu et al. (ICASSP 2018) on a tiny worked example:
// 4 songs, 2 Siamese pairs. Prints Eq. 1–4, the TF-Ranking-style extras and a
// gradient, then the target transform round trip.
//
//   npx tsx examples/losses.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers'; // registers the gradients (bare tfjs-core has none)
import '@tensorflow/tfjs-backend-cpu';
import {
  fitTargetTransform,
  fuseScores,
  listnetLoss,
  lossByName,
  multiObjectiveLossParts,
  rankHingeLoss,
  ranknetLoss,
  rateLoss,
} from '../src/losses/index.js';

tf.enableProdMode();
await tf.setBackend('cpu');

// Four songs with day-60 market shares (hit scores) and the model's outputs.
const songs = ['A', 'B', 'C', 'D'];
const hitScores = [0.012, 0.0004, 0.0031, 0.0031]; // C and D tie
const tt = fitTargetTransform('negInvLog10', hitScores); // y ↦ −1/log10(y), the authors' scale
const y = tt.forward(hitScores);
const audio = [0.45, 0.2, 0.3, 0.36]; // f_θ(x): audio-branch scores
const tags = [0.6, 0.1, 0.25, 0.4]; // f_φ(g(x)): tag-branch scores
const fused = fuseScores(audio, tags, { mu: 0.5 }); // Eq. 4 fusion (a tensor: dispose it)
const f = Array.from(fused.dataSync());
fused.dispose();

// Two pairs: (A, B) — A is the bigger hit — and (C, D), a tie.
const pairs: [number, number][] = [
  [0, 1],
  [2, 3],
];
const fi = pairs.map(([i]) => f[i]);
const fj = pairs.map(([, j]) => f[j]);
const yi = pairs.map(([i]) => y[i]);
const yj = pairs.map(([, j]) => y[j]);

const show = (name: string, t: tf.Tensor): void => {
  console.log(`${name.padEnd(44)} ${t.dataSync()[0].toFixed(6)}`);
  t.dispose();
};

console.log('song  hit score  target −1/log10(y)  fused score');
songs.forEach((s, k) => console.log(`${s.padEnd(5)} ${hitScores[k].toFixed(4).padStart(9)}  ${y[k].toFixed(6).padStart(18)}  ${f[k].toFixed(4).padStart(11)}`));
console.log();
show('Eq. 1 rateLoss (4 songs)', rateLoss(f, y));
show('Eq. 4 rateLoss(fuseScores(a, b, μ=0.5))', tf.tidy(() => rateLoss(fuseScores(audio, tags), y)));
for (const ties of ['skip', 'paper', 'delta0'] as const) {
  show(`Eq. 2 rankHingeLoss m=1 ties='${ties}'`, rankHingeLoss(fi, fj, yi, yj, { margin: 1, ties }));
}
const parts = multiObjectiveLossParts(fi, fj, yi, yj, { margin: 1, w: 0.5 });
show('Eq. 3 multiObjectiveLoss w=0.5 — rate part', parts.rate);
show('Eq. 3 multiObjectiveLoss w=0.5 — rank part', parts.rank);
show('Eq. 3 multiObjectiveLoss w=0.5', parts.loss);
show("ranknetLoss (TF-Ranking pairwise logistic)", ranknetLoss(fi, fj, yi, yj));
show('listnetLoss (TF-Ranking softmax, one list)', listnetLoss(f, Array.from(y)));
show("lossByName('multiObjective') m=0.5 w=0.3", lossByName('multiObjective')(fi, fj, yi, yj, { margin: 0.5, w: 0.3 }));

// Gradient of Eq. 3 w.r.t. the pair scores, as a trainer would backpropagate it.
const inputs = [tf.tensor1d(fi), tf.tensor1d(fj)];
const [gi, gj] = tf.grads((a: tf.Tensor, b: tf.Tensor) => multiObjectiveLossParts(a, b, yi, yj).loss)(inputs);
console.log(`\nd loss/d fi = [${Array.from(gi.dataSync(), (v) => v.toFixed(4)).join(', ')}]`);
console.log(`d loss/d fj = [${Array.from(gj.dataSync(), (v) => v.toFixed(4)).join(', ')}]  (pair 2 is tied: only the rate term)`);
tf.dispose([gi, gj, ...inputs]);
console.log(`tensors alive: ${tf.memory().numTensors}`);
console.log(`predictions back on the hit-score scale: [${Array.from(tt.inverse(f), (v) => v.toExponential(2)).join(', ')}]`);
console.log(`model card entry: ${JSON.stringify({ targetTransform: tt })}`);
