import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { SiameseHitModel, type HitDataset } from '../src/index.js';
import { parallelTrainingExecutor } from '../src/node/parallelTraining.js';
const rng = seedrandom('bench-train');
const n = 64;
const ds: HitDataset = { ids: Array.from({ length: n }, (_, i) => `s${i}`), hitScores: Float64Array.from({ length: n }, () => 1e-4 + 0.01 * rng() ** 4),
  mels: Array.from({ length: n }, () => Float32Array.from({ length: 128 * 323 }, () => -40 + 20 * rng())), melShape: [128, 323] };
await tf.setBackend('wasm'); tf.enableProdMode();
const pairs = Number(process.env.P ?? 10), steps = Number(process.env.S ?? 12), epochs = 3;
for (const workers of (process.env.WS ?? '0,2').split(',').map(Number)) {
  const m = new SiameseHitModel({ seed: 1 });
  const executor = workers === 0 ? undefined : parallelTrainingExecutor({ workers });
  const marks: number[] = [];
  await m.fit(ds, { sampler: 'naive', epochs: 1 + epochs, batchPairs: pairs, pairsPerEpoch: pairs * steps, learningRate: 1e-3, executor, onEpoch: () => { marks.push(performance.now()); } });
  m.dispose();
  const per = marks.slice(1).map((t, i) => (t - marks[i]) / steps);
  const s = executor?.stats;
  console.log(`workers ${workers} pairs ${pairs}: ms/step`, per.map((v) => v.toFixed(1)).join(' '), s ? `step ${s.stepMs.toFixed(1)} shard ${s.workerMs.toFixed(1)} reduce ${s.reduceMs.toFixed(1)}` : '');
}
