// A highlighter trained on song-level class labels must find the part of a
// song that holds the class evidence. Synthetic songs (test/highlight/synth.ts)
// carry their class only in a planted 12–18-s "chorus" (a class-specific
// chord); verses and a decoy bridge in half the songs are class-independent.
import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '../helpers/tf.js';
import { attentionScoresFromMel, extractHighlight, selectHighlight, trainHighlighter } from '../../src/highlight/index.js';
import { highlighterFeatures, highlighterMel } from '../../src/dsp/highlighterFeatures.js';
import { coversChorus, plantedChorusSongs } from './synth.js';

const SR = 8000;
const FEATURES = { sampleRate: SR, nFft: 1024, hopLength: 512 };
const MODEL = { nMels: 32, filters: [16, 32, 32], attentionUnits: [32, 32, 32], classifierUnits: 32, features: FEATURES, seed: 1 };

/**
 * The window covers the chorus at the model's resolution: every 3-s chunk
 * lying wholly inside the planted chorus is inside the window (chunks that
 * straddle a chorus edge are mostly verse and cannot be told apart).
 */
function coversChorusChunks(start: number, end: number, chorus: [number, number]): boolean {
  return start <= Math.ceil(chorus[0] / 3) * 3 && Math.floor(chorus[1] / 3) * 3 <= end;
}

describe('planted-chorus songs', () => {
  it('a trained highlighter puts its 30-s window over the planted chorus in ≥ 90 % of held-out songs (cpu)', async () => {
    await useBackend('cpu');
    const train = plantedChorusSongs(40, 'hl-train', { sampleRate: SR });
    const test = plantedChorusSongs(40, 'hl-test', { sampleRate: SR });
    const featureOptions = { ...FEATURES, nMels: 32 };
    const before = tf.memory().numTensors;
    const { highlighter, history } = await trainHighlighter(
      train.map((s) => highlighterFeatures(s.audio, featureOptions)),
      train.map((s) => s.label),
      { ...MODEL, epochs: 10, learningRate: 3e-3, songsPerStep: 4 },
    );
    expect(history).toHaveLength(10);
    expect(history[9].loss).toBeLessThan(history[0].loss);
    let chunkHits = 0;
    let strictHits = 0;
    let overlap = 0;
    for (const s of test) {
      const scores = attentionScoresFromMel(highlighter, highlighterMel(s.audio, featureOptions), s.seconds);
      const w = selectHighlight(scores);
      if (coversChorusChunks(w.start, w.end, s.chorus)) chunkHits++;
      if (coversChorus(w.start, w.end, s.chorus)) strictHits++;
      overlap += Math.max(0, Math.min(w.end, s.chorus[1]) - Math.max(w.start, s.chorus[0])) / (s.chorus[1] - s.chorus[0]);
    }
    console.log(
      `planted chorus, ${test.length} held-out songs: window covers every whole chorus chunk in ${chunkHits}, ` +
        `the whole chorus to the second in ${strictHits}; mean fraction of the chorus inside the window ${(overlap / test.length).toFixed(3)}`,
    );
    expect(chunkHits / test.length).toBeGreaterThanOrEqual(0.9);
    expect(overlap / test.length).toBeGreaterThan(0.9);

    // extractHighlight agrees and returns the chorus samples
    const h = extractHighlight(test[0].audio, highlighter);
    const w0 = selectHighlight(attentionScoresFromMel(highlighter, highlighterMel(test[0].audio, featureOptions), test[0].seconds));
    expect(h.startSecond).toBe(w0.start);
    expect(h.samples.length).toBe(30 * SR);

    highlighter.dispose();
    expect(tf.memory().numTensors).toBe(before); // training and scoring leave nothing behind
  }, 120_000);
});
