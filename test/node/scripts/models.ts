// Two distinguishable sets of model artefacts for the fileHandler tests.
import * as tf from '@tensorflow/tfjs-core';

/** Artefacts of a fake model: ~1 MB of float32 weights filled with a value per model, plus int32 and a card. */
export async function artefacts(name: 'A' | 'B'): Promise<tf.io.ModelArtifacts> {
  const fill = name === 'A' ? 1.5 : -2.25;
  const big = tf.fill([512, 512], fill);
  const idx = tf.tensor1d([1, 2, 3, name === 'A' ? 4 : 5], 'int32');
  const { data, specs } = await tf.io.encodeWeights([
    { name: 'dense/kernel', tensor: big },
    { name: 'ids', tensor: idx },
  ]);
  big.dispose();
  idx.dispose();
  return {
    modelTopology: { format: 'test-model', name },
    weightSpecs: specs,
    weightData: data,
    format: 'test-model',
    generatedBy: 'hitrank test',
    convertedBy: null,
    userDefinedMetadata: { hitrank: { name, options: { seed: 7 } } },
  };
}
