// Child process for the killed-save test: saves model A and model B to the same
// folder, alternately, forever, and prints "saved N" after each save.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fileHandler } from '../../../src/node/index.js';
import { artefacts } from './models.js';

tf.enableProdMode();
await tf.setBackend('cpu');
const [dir] = process.argv.slice(2);
const models = [await artefacts('A'), await artefacts('B')];
for (let n = 0; ; n++) {
  await fileHandler(dir).save!(models[n % 2]);
  process.stdout.write(`saved ${n}\n`);
}
