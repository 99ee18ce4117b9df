// The JYnet port against the numpy reference of ../shared/fixtures/jynet
// (MANIFEST.md "Reference outputs": the authors' weights, true convolutions),
// on cpu and wasm: intermediates on the stored inputs, and end to end from
// audio for both standardisations.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { tf, useBackend } from '../helpers/tf.js';
import { readF32, readJson, readRaw } from '../helpers/fixtures.js';
import { buildTagger, JYNET_VARIABLES, loadJynetWeights, MTAT_TOP188, MTAT_TOP50, tagFeatures, type Tagger } from '../../src/models/tagger/index.js';
import { jynetFeatures, jynetFeaturesFrom22k, type JynetStandardizer } from '../../src/dsp/jynetFeatures.js';
import { decodeWav } from '../../src/audio/index.js';

const NFFTS = [512, 1024, 2048, 4096, 8192, 16384];
const TOL = 1e-4;

function loadWeights(): Record<string, Float32Array> {
  const w: Record<string, Float32Array> = {};
  for (const v of JYNET_VARIABLES) w[v.name] = readF32('jynet', 'weights', `${v.name}.f32`);
  return w;
}

const shipped: JynetStandardizer = {
  mean: NFFTS.map((n) => readF32('jynet', 'standardizers', `mean_${n}.f32`)),
  std: NFFTS.map((n) => readF32('jynet', 'standardizers', `std_${n}.f32`)),
};

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** [T, C] row-major → [C, T] row-major. */
function transpose(x: Float32Array, t: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < t; i++) for (let j = 0; j < c; j++) out[j * t + i] = x[i * c + j];
  return out;
}

function top(p: Float32Array, tags: readonly string[], k: number): string[] {
  return Array.from(p.keys())
    .sort((a, b) => p[b] - p[a])
    .slice(0, k)
    .map((i) => tags[i]);
}

interface Top10 {
  clips: Record<string, { top10: Record<string, Array<[string, number]>> }>;
}

describe.each(['cpu', 'wasm'] as const)('JYnet port vs numpy reference (%s)', (backend) => {
  let tagger: Tagger;
  const music = NFFTS.map((n) => readF32('jynet', 'reference', 'music30', `input_${n}.f32`));
  const index = readJson<Top10>('jynet', 'reference', 'index.json');

  beforeAll(async () => {
    await useBackend(backend);
    tagger = buildTagger();
    loadJynetWeights(tagger, loadWeights());
  });

  it('matches concat_flipped [192, 57] and frame188_flipped [188, 57] on the stored inputs', () => {
    const sub = tfl.model({
      inputs: tagger.model.inputs,
      outputs: [tagger.model.getLayer('concat').output as tfl.SymbolicTensor, tagger.model.getLayer('late_conv_output').output as tfl.SymbolicTensor],
    });
    const [concat, frame] = tf.tidy(() => {
      const ys = sub.predict(music.map((x) => tf.tensor3d(x, [1, 911, 128]))) as tf.Tensor[];
      return ys.map((y) => y.dataSync() as Float32Array);
    });
    expect(concat.length).toBe(57 * 192);
    const eConcat = maxAbs(transpose(concat, 57, 192), readF32('jynet', 'reference', 'music30', 'concat_flipped.f32'));
    const eFrame = maxAbs(transpose(frame, 57, 188), readF32('jynet', 'reference', 'music30', 'frame188_flipped.f32'));
    expect(eConcat).toBeLessThanOrEqual(TOL); // measured ≈ 1e-5 (values up to 13)
    expect(eFrame).toBeLessThanOrEqual(TOL); // measured ≈ 1.5e-6
  });

  it('matches tags188_flipped and tags50_flipped (shipped scalers) and not the unflipped convention', () => {
    const p = tagger.predict(music);
    expect(maxAbs(p, readF32('jynet', 'reference', 'music30', 'tags188_flipped.f32'))).toBeLessThanOrEqual(TOL);
    const p50 = tagFeatures(tagger, music);
    expect(maxAbs(p50, readF32('jynet', 'reference', 'music30', 'tags50_flipped.f32'))).toBeLessThanOrEqual(TOL);
    expect(maxAbs(p, readF32('jynet', 'reference', 'music30', 'tags188_unflipped.f32'))).toBeGreaterThan(0.05);
    expect(top(p, MTAT_TOP188, 10)).toEqual(index.clips.music30.top10.flipped.map(([t]) => t));
  });

  it('self-standardised music30 from 22-kHz audio matches tags188_flipped_selfstd', () => {
    const feats = jynetFeaturesFrom22k(readF32('mel', 'signals', 'music30.f32'));
    const p = tagger.predict(feats);
    expect(maxAbs(p, readF32('jynet', 'reference', 'music30', 'tags188_flipped_selfstd.f32'))).toBeLessThanOrEqual(TOL);
    expect(top(p, MTAT_TOP188, 10)).toEqual(index.clips.music30.top10.flipped_selfstandardised.map(([t]) => t));
  });

  it('dangerous_symphony30 end to end from the 16-kHz wav, both standardisations', () => {
    const wav = decodeWav(readRaw('jynet', 'reference', 'dangerous_symphony30_16k.wav'));
    expect(wav.sampleRate).toBe(16000);
    const y = wav.channelData[0];
    expect(y.length).toBe(480000);
    const self = tagFeatures(tagger, y, { tags: MTAT_TOP188 }); // default: self-standardised
    expect(maxAbs(self, readF32('jynet', 'reference', 'dangerous_symphony30', 'tags188_flipped_selfstd.f32'))).toBeLessThanOrEqual(TOL);
    expect(top(self, MTAT_TOP188, 10)).toEqual(index.clips.dangerous_symphony30.top10.flipped_selfstandardised.map(([t]) => t));
    const self50 = tagFeatures(tagger, y);
    expect(maxAbs(self50, readF32('jynet', 'reference', 'dangerous_symphony30', 'tags50_flipped_selfstd.f32'))).toBeLessThanOrEqual(TOL);
    const feats = jynetFeatures(y, { standardize: 'shipped', shippedStats: shipped });
    const sh = tagger.predict(feats);
    expect(maxAbs(sh, readF32('jynet', 'reference', 'dangerous_symphony30', 'tags188_flipped.f32'))).toBeLessThanOrEqual(TOL);
    expect(maxAbs(tagFeatures(tagger, feats, { tags: MTAT_TOP50 }), readF32('jynet', 'reference', 'dangerous_symphony30', 'tags50_flipped.f32'))).toBeLessThanOrEqual(TOL);
    expect(top(sh, MTAT_TOP188, 10)).toEqual(index.clips.dangerous_symphony30.top10.flipped.map(([t]) => t));
  });
});
