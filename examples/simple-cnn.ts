// Builds the simple CNN of Yu et al. (2018) / Yang et al. (2017), trains it
// for a few Adagrad steps on random seeded "log-mels" on the cpu backend,
// and prints the loss and the output shape.
//
//   npx tsx examples/simple-cnn.ts
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildSimpleCnn } from '../src/models/index.js';

tf.enableProdMode();
await tf.setBackend('cpu');

const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const batch = 4;
const frames = smoke ? 64 : 323; // 323 frames = 30 s at 22050 Hz, hop 2048
const steps = smoke ? 3 : 10;

// Paper defaults: 128 mels, filters [32, 64, 256, 256], kernels [4, 4],
// dropout 0.25, leaky ReLU 0.1; every initialiser and dropout mask seeded.
const cnn = buildSimpleCnn({ seed: 42 });
console.log(`simple CNN: ${cnn.countParams()} parameters, layers ${cnn.layers.map((l) => l.name).join(' → ')}`);

// Random mel-major inputs [batch, 128 mels, frames] with a planted signal:
// each clip's mel bands 10–19 are lifted by a level, and the target score is
// that level.
const levels = [0.5, -0.5, 1, -1].slice(0, batch);
const bands = tf.tensor3d(Array.from({ length: 128 }, (_, m) => (m >= 10 && m < 20 ? 1 : 0)), [1, 128, 1]);
const x = tf.add(tf.randomNormal([batch, 128, frames], 0, 1, 'float32', 7), tf.mul(tf.tensor3d(levels, [batch, 1, 1]), bands));
const y = tf.tensor2d(levels, [batch, 1]);

const optimizer = tf.train.adagrad(5e-3); // the authors' optimiser and learning rate
const vars = cnn.trainableWeights.map((w) => w.read() as tf.Variable);
for (let step = 1; step <= steps; step++) {
  const loss = optimizer.minimize(
    () => tf.losses.meanSquaredError(y, cnn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
    vars,
  ) as tf.Scalar;
  console.log(`step ${step}: MSE ${loss.dataSync()[0].toFixed(5)}`);
  loss.dispose();
}

const scores = cnn.predict(x) as tf.Tensor;
console.log(`output shape [${scores.shape.join(', ')}], scores ${Array.from(scores.dataSync(), (v) => v.toFixed(4)).join(', ')}`);
tf.dispose([bands, x, y, scores]);
