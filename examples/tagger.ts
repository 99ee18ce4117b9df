// The hit model's tag features g(x) (Yu et al. 2018 §2.4): JYnet's six-scale
// log-mel front end → the multi-scale FCN tagger with Gaussian scan → 50 MTAT
// tag activations, on a clip synthesised from a seed.
//
//   npx tsx examples/tagger.ts
//
// The tagger here has RANDOM weights (the authors' pretrained weights ship in a
// later release; with them: `loadJynetWeights(tagger, weightsByName)`), so the
// tags it prints are meaningless — the example shows the pipeline and shapes.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { jynetFeatures } from '../src/dsp/jynetFeatures.js';
import { buildTagger, MTAT_TOP50, tagFeatures } from '../src/models/tagger/index.js';

const SR = 16000;
const seconds = process.env.HITRANK_EXAMPLE_SMOKE === '1' ? 10 : 30;

/** A seeded toy track at 16 kHz: a plucked arpeggio over a kick drum. */
function synthClip(rng: () => number): Float32Array {
  const y = new Float32Array(SR * seconds);
  const notes = [220, 277.2, 329.6, 440].map((f) => f * (0.9 + 0.2 * rng()));
  const step = Math.round(SR * (0.15 + 0.1 * rng()));
  const beat = 4 * step;
  for (let i = 0; i < y.length; i++) {
    const n = Math.floor(i / step);
    const f = notes[n % notes.length];
    const tn = (i % step) / SR;
    const tb = (i % beat) / SR;
    y[i] = 0.3 * Math.sin(2 * Math.PI * f * tn) * Math.exp(-6 * tn) + 0.5 * Math.sin(2 * Math.PI * 55 * tb) * Math.exp(-20 * tb) + 0.01 * (rng() * 2 - 1);
  }
  return y;
}

if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to start');
await tf.ready();

const clip = synthClip(seedrandom('tagger-example-7'));
const t0 = performance.now();
const feats = jynetFeatures(clip); // six [911 × 128] inputs, self-standardised (the authors' inference)
const t1 = performance.now();
const tagger = buildTagger({ seed: 7 }); // JYnet: 6 scales → 188 MTAT tags; random weights
const g = tagFeatures(tagger, feats, { tags: MTAT_TOP50 }); // the 50 tags of the hit model, by name
const t2 = performance.now();

console.log(`clip: ${seconds} s at ${SR} Hz (synthesised, seed 'tagger-example-7')`);
console.log(`features: ${feats.inputs.length} scales (n_fft ${feats.nFfts.join(', ')}) × [${feats.shape.join(' × ')}] from ${feats.sourceFrames} frames, ${(t1 - t0).toFixed(0)} ms`);
console.log(`tagger: ${tagger.model.countParams().toLocaleString('en')} parameters, ${tagger.tags.length} tags; 50 tag features in ${(t2 - t1).toFixed(0)} ms (${tf.getBackend()})`);
console.log('top 5 of the 50 tag features (RANDOM weights — not a real prediction):');
Array.from(g.keys())
  .sort((a, b) => g[b] - g[a])
  .slice(0, 5)
  .forEach((i) => console.log(`  ${MTAT_TOP50[i].padEnd(14)} ${g[i].toFixed(3)}`));
tagger.dispose();
