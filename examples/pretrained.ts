// The pretrained models in the box: the HSP_CNN authors' released hit-score
// CNN (`hsp-cnn-ret30`, Yu et al., ICASSP 2018) and the JYnet tagger
// (`jynet-mtat`) score a 40-s song synthesised from a seed, end to end:
// Mid-30 → hspCnn mel + JYnet tags → fused logit → predicted retention-30.
//
//   npx tsx examples/pretrained.ts
//
// The weights ship in the package (pretrained/, Apache-2.0, HSP_CNN authors —
// see pretrained/NOTICE.md); nothing is downloaded.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { logMel } from '../src/dsp/index.js';
import { listPretrained, loadPretrained, topTags } from '../src/pretrained/index.js';

const SR = 22050;

/** A seeded 40-s pop-ish loop at 22050 Hz: chords, a bass line, kick + hi-hat. */
function synthSong(seed: string, seconds = 40): Float32Array {
  const rng = seedrandom(seed);
  const y = new Float32Array(SR * seconds);
  const bpm = 100 + 30 * rng();
  const beat = Math.round((60 / bpm) * SR);
  const roots = [0, 5, 7, 3].map((s) => 110 * 2 ** ((s + Math.floor(4 * rng())) / 12));
  for (let i = 0; i < y.length; i++) {
    const b = Math.floor(i / beat);
    const tb = (i % beat) / SR;
    const root = roots[Math.floor(b / 4) % roots.length];
    const t = i / SR;
    const chord = [1, 1.26, 1.5].reduce((s, r) => s + Math.sin(2 * Math.PI * 2 * root * r * t), 0) / 3;
    const bass = Math.sin(2 * Math.PI * root * 0.5 * t) * Math.exp(-3 * tb);
    const kick = Math.sin(2 * Math.PI * (50 + 60 * Math.exp(-30 * tb)) * tb) * Math.exp(-12 * tb);
    const hat = b % 2 === 1 ? (rng() * 2 - 1) * Math.exp(-60 * tb) : 0;
    y[i] = 0.25 * chord + 0.3 * bass + 0.5 * kick + 0.1 * hat;
  }
  return y;
}

if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-backend-wasm failed to start');
await tf.ready();
tf.enableProdMode();

console.log(`pretrained models in the package: ${listPretrained().join(', ')}`);
const t0 = performance.now();
const hit = await loadPretrained('hsp-cnn-ret30'); // reads pretrained/hsp-cnn-ret30/*, checks SHA-256
const tagger = await hit.loadTagger(); // jynet-mtat, owned by `hit`
const t1 = performance.now();
console.log(`loaded ${hit.card.name} + ${tagger.card.name} in ${(t1 - t0).toFixed(0)} ms (${tf.getBackend()}); licence ${hit.card.license}, ${hit.card.copyright}`);

const song = synthSong('pretrained-example-7');
const s = await hit.scoreAudio(song, { sampleRate: SR }); // Mid-30 → mel [128 × 323] + 50 JYnet tags → score
const t2 = performance.now();
console.log(`song: ${s.seconds.toFixed(1)} s synthesised from seed 'pretrained-example-7', scored in ${(t2 - t1).toFixed(0)} ms`);
console.log(`  logit ${s.logit.toFixed(4)} (CNN branch ${s.pt.toFixed(4)} + 0.5 × tag branch ${s.tag.toFixed(4)})`);
console.log(`  predicted retention-30 ${s.ret30.toExponential(3)}`);
// The same song through the two-step API, with the fusion the authors trained with, (1 − μ)·pt + μ·tag:
const convex = hit.score(logMel(song, { preset: 'hspCnn' }), s.tags, { fusion: 'convex', mu: 0.5 });
console.log(`  training-time (convex) fusion: logit ${convex.logit.toFixed(4)}, retention-30 ${convex.ret30.toExponential(3)}`);
console.log('  top JYnet tags of the Mid-30 (of the 50 fed to the hit model):');
for (const { tag, score } of topTags(s.tags, hit.card.tags, 5)) console.log(`    ${tag.padEnd(12)} ${score.toFixed(3)}`);
console.log(`\ncaveat: ${hit.card.caveat}`);
hit.dispose(); // frees the tagger too

