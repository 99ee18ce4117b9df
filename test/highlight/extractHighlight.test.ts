import { beforeAll, describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { tf, useBackend } from '../helpers/tf.js';
import {
  attentionScores,
  attentionScoresFromMel,
  chunkAttention,
  cutSegments,
  extractHighlight,
  extractHighlights,
  midThirty,
  perSecondScores,
  selectHighlight,
} from '../../src/highlight/index.js';
import { buildHighlighter, type Highlighter, type HighlighterOptions } from '../../src/models/highlighter/index.js';
import { chunkMel, highlighterFeatures, highlighterMel } from '../../src/dsp/highlighterFeatures.js';
import { midSegment, resample } from '../../src/dsp/index.js';
import { thrownCode as code } from '../helpers/errors.js';

const SR = 8000;
const FEATURES = { sampleRate: SR, nFft: 512, hopLength: 256 };
const TINY: HighlighterOptions = { nMels: 16, filters: [4, 6, 8], attentionUnits: [8, 8, 8], classifierUnits: 8, numClasses: 3, seed: 2, features: FEATURES };
const TINY_RNN: HighlighterOptions = { ...TINY, variant: 'recurrent', filters: [4, 6, 6, 8], kernelSizes: [3, 4, 4, 4], strides: [2, 2, 1, 1], attentionUnits: [8], lstmUnits: 4 };

/** Noise with a loud tone between `from` and `to` seconds, so attention is not flat. */
function song(seconds: number, seed: string, rate = SR, extra = 0): Float32Array {
  const rng = seedrandom(seed);
  const y = new Float32Array(seconds * rate + extra);
  const from = Math.floor(rng() * seconds * 0.6);
  for (let i = 0; i < y.length; i++) {
    const t = i / rate;
    y[i] = (rng() - 0.5) * 0.2 + (t >= from && t < from + 10 ? 0.5 * Math.sin(2 * Math.PI * 600 * t) : 0);
  }
  return y;
}

let hl: Highlighter;
beforeAll(async () => {
  await useBackend('cpu');
  hl = buildHighlighter(TINY);
});

describe('perSecondScores', () => {
  it('repeats each chunk weight over its seconds and zero-fills the remainder', () => {
    expect(Array.from(perSecondScores([0.25, 0.5], 3, 7))).toEqual([0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0]);
    expect(Array.from(perSecondScores([1], 1, 1))).toEqual([1]);
    expect(code(() => perSecondScores([1, 1, 1], 3, 8))).toBe('E_SHAPE');
  });
});

describe('attentionScores', () => {
  it('gives one score per whole second, max-normalised, from the chunk attention', () => {
    const y = song(47, 'a', SR, 1234);
    const s = attentionScores(hl, y);
    expect(s.length).toBe(47);
    expect(Math.max(...s)).toBeCloseTo(1, 6);
    const w = chunkAttention(hl, highlighterFeatures(y, hl.featureOptions()));
    expect(w.length).toBe(15);
    const expected = perSecondScores(w, 3, 47);
    const max = Math.max(...expected);
    expect(Array.from(s)).toEqual(Array.from(expected, (v) => Math.fround(v / max)));
    expect(Array.from(s.subarray(45))).toEqual([0, 0]); // 47 = 15·3 + 2
    const raw = attentionScores(hl, y, { normalize: false });
    expect(raw.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 5); // weights sum to 1, each repeated 3×
  });

  it('sums the per-second scores of several chunk lengths (the recurrent model runs at 1, 2, 3, 4 s)', () => {
    const rnn = buildHighlighter(TINY_RNN);
    const y = song(20, 'b');
    const mel = highlighterMel(y, rnn.featureOptions());
    const total = new Float32Array(20);
    for (const s of [1, 2, 3, 4]) {
      const p = perSecondScores(chunkAttention(rnn, chunkMel(mel, 20, s)), s, 20);
      p.forEach((v, i) => (total[i] += v));
    }
    const max = Math.max(...total);
    const got = attentionScores(rnn, y);
    expect(got.length).toBe(20);
    for (let i = 0; i < 20; i++) expect(got[i]).toBeCloseTo(total[i] / max, 6);
    // shorter than some scales: only the scales that fit are used
    expect(attentionScoresFromMel(rnn, highlighterMel(song(3, 'c'), rnn.featureOptions()), 3).length).toBe(3);
    rnn.dispose();
  });

  it('seconds: scores the song as its file-rate length, which can be one second shorter than the resampled audio\'s', () => {
    // 45 s − 1 sample at 16 kHz: 44 whole seconds; resampled to 8 kHz it has 45·8000 samples (ceil), 45 seconds.
    const y16 = song(45, 'sec', 16000, -1);
    const y8 = resample(y16, { from: 16000, to: SR });
    expect(Math.floor(y16.length / 16000)).toBe(44);
    expect(Math.floor(y8.length / SR)).toBe(45);
    const fileRate = attentionScores(hl, y8, { seconds: 44 });
    expect(fileRate.length).toBe(44);
    // The features training uses for that song: highlighterFeatures at the file's rate.
    const w = chunkAttention(hl, highlighterFeatures(y16, { ...hl.featureOptions(), inputSampleRate: 16000 }));
    const expected = perSecondScores(w, 3, 44);
    const max = Math.max(...expected);
    expect(Array.from(fileRate)).toEqual(Array.from(expected, (v) => Math.fround(v / max)));
    expect(attentionScores(hl, y8).length).toBe(45);
    expect(extractHighlight(y8, hl, { length: 30, seconds: 44 }).scores?.length).toBe(44);
    expect(code(() => attentionScores(hl, y8, { seconds: 46 }))).toBe('E_PARAM');
  });

  it('rejects audio shorter than every chunk and mels of the wrong height', () => {
    expect(code(() => attentionScores(hl, song(2, 'd')))).toBe('E_TOO_SHORT');
    expect(code(() => attentionScoresFromMel(hl, { data: new Float32Array(10 * 40), shape: [10, 40] }, 10))).toBe('E_SHAPE');
    expect(code(() => attentionScores(hl, song(5, 'd'), { sampleRate: 0 }))).toBe('E_PARAM');
  });
});

describe('extractHighlight', () => {
  it('cuts the selected 30 s from the audio', () => {
    const y = song(50, 'e', SR, 999);
    const h = extractHighlight(y, hl);
    const w = selectHighlight(attentionScores(hl, y));
    expect(h.wholeSong).toBe(false);
    expect(h.padded).toBe(false);
    expect([h.startSecond, h.endSecond]).toEqual([w.start, w.end]);
    expect([h.start, h.end]).toEqual([w.start * SR, w.end * SR]);
    expect(h.samples.length).toBe(30 * SR);
    expect(Array.from(h.samples.subarray(0, 50))).toEqual(Array.from(y.subarray(h.start, h.start + 50)));
    expect(h.samples[h.samples.length - 1]).toBe(y[h.end - 1]);
    expect(h.scores?.length).toBe(50);
  });

  it('returns songs of at most 30 s whole (zero-padded to 30 s) and flags them, without running the model', () => {
    const short = song(25, 'f', SR, 100);
    const h = extractHighlight(short, hl);
    expect(h).toMatchObject({ start: 0, end: short.length, startSecond: 0, endSecond: 25, wholeSong: true, padded: true, scores: null });
    expect(h.samples.length).toBe(30 * SR);
    expect(Array.from(h.samples.subarray(0, short.length))).toEqual(Array.from(short));
    expect(h.samples.subarray(short.length).every((v) => v === 0)).toBe(true);
    const thirty = song(30, 'g', SR, 4000); // 30.5 s: 30 whole seconds → whole
    const h30 = extractHighlight(thirty, hl);
    expect(h30).toMatchObject({ start: 0, end: 30 * SR, endSecond: 30, wholeSong: true, padded: false, scores: null });
    expect(extractHighlight(song(31, 'h'), hl).wholeSong).toBe(false);
    // a 2-s clip cannot be scored but is still returned whole
    expect(extractHighlight(song(2, 'i'), hl, { length: 30 }).wholeSong).toBe(true);
  });

  it('takes audio at another rate: features from the resampled audio, samples cut from the original', () => {
    const y16 = song(45, 'j', 16000);
    const h = extractHighlight(y16, hl, { sampleRate: 16000 });
    const w = selectHighlight(attentionScores(hl, resample(y16, { from: 16000, to: SR })));
    expect(h.startSecond).toBe(w.start);
    expect(h.samples.length).toBe(30 * 16000);
    expect(h.start).toBe(w.start * 16000);
    expect(h.samples[123]).toBe(y16[h.start + 123]);
  });

  it('honours the segment length', () => {
    const h = extractHighlight(song(40, 'k'), hl, { length: 10 });
    expect(h.endSecond - h.startSecond).toBe(10);
    expect(h.samples.length).toBe(10 * SR);
  });
});

describe('Mid-30 and cutSegments', () => {
  it('midThirty is midSegment as a Highlight', () => {
    const y = song(41, 'l', SR, 321);
    const m = midThirty(y, { sampleRate: SR });
    const ref = midSegment(y, { sampleRate: SR });
    expect(Array.from(m.samples)).toEqual(Array.from(ref.samples));
    expect(m).toMatchObject({ start: ref.start, end: ref.end, padded: false, wholeSong: false, scores: null, startSecond: ref.start / SR });
    expect(midThirty(song(20, 'm'), { sampleRate: SR })).toMatchObject({ wholeSong: true, padded: true });
  });

  it("switches between 'mid30' and 'hl30' by name", () => {
    const songs = [song(45, 'n'), song(33, 'o')];
    const mid = cutSegments(songs, { segment: 'mid30', sampleRate: SR });
    const hl30 = cutSegments(songs, { segment: 'hl30', highlighter: hl });
    expect(mid.map((s) => s.start)).toEqual(songs.map((y) => midSegment(y, { sampleRate: SR }).start));
    expect(hl30.map((s) => s.startSecond)).toEqual(songs.map((y) => extractHighlight(y, hl).startSecond));
    expect(code(() => cutSegments(songs, { segment: 'hl30' }))).toBe('E_PARAM');
    expect(code(() => cutSegments(songs, { segment: 'end30' as 'mid30' }))).toBe('E_PARAM');
  });
});

describe('no tensor leaks', () => {
  it('extracting highlights from many songs leaves tf.memory().numTensors flat (both variants)', () => {
    const rnn = buildHighlighter(TINY_RNN);
    const songs = Array.from({ length: 12 }, (_, i) => song(33 + 3 * i, `leak${i}`));
    for (const model of [hl, rnn]) {
      extractHighlights(songs.slice(0, 2), model); // warm-up (lazily built state, caches)
      const before = tf.memory().numTensors;
      const out = extractHighlights(songs, model);
      expect(out).toHaveLength(12);
      expect(tf.memory().numTensors).toBe(before);
      extractHighlights(songs, model, { bnAtInference: 'moving' });
      expect(tf.memory().numTensors).toBe(before);
    }
    rnn.dispose();
  });
});
