// Table 1 rows with HL-30 and with tags, end to end on synthetic songs:
// audio → segment (Mid-30 / HL-30) → log-mel (+ tags) → SiameseHitModel → @10 % metrics.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHighlighter, type HighlighterOptions } from '../../src/models/index.js';
import { prepareSongs, SiameseHitModel } from '../../src/training/index.js';
import type { HitDataset } from '../../src/data/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { plantedChorusSongs } from '../highlight/synth.js';
import { marketShares } from './planted.js';

const SR = 8000;
const TINY: HighlighterOptions = {
  nMels: 16,
  filters: [4, 6, 8],
  attentionUnits: [8, 8, 8],
  classifierUnits: 8,
  numClasses: 3,
  seed: 2,
  features: { sampleRate: SR, nFft: 512, hopLength: 256 },
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('Table 1 rows through prepareSongs + SiameseHitModel', () => {
  it('HL-30 + tags (row j) and Mid-30 rating-only (row a) run end to end; segments are where they should be', async () => {
    const songs = plantedChorusSongs(24, 'rows', { sampleRate: SR, minSeconds: 35, maxSeconds: 45, classes: 3 });
    const highlighter = buildHighlighter(TINY);
    // a cheap "tagger": loudness and brightness of the segment (any feature function works)
    const tagger = (seg: Float32Array) => {
      let e = 0;
      let d = 0;
      for (let i = 1; i < seg.length; i++) {
        e += seg[i] * seg[i];
        d += (seg[i] - seg[i - 1]) ** 2;
      }
      return Float32Array.from([Math.log(1e-9 + e / seg.length), Math.log(1e-9 + d / (e + 1e-9))]);
    };
    const hitScores = marketShares(songs.map((s, i) => (s.label === 0 ? 1 : 0) + 0.1 * Math.sin(i)));
    const before = tf.memory().numTensors;
    const rows: Record<string, { segment: 'mid30' | 'hl30'; tags: boolean; w: number }> = {
      a: { segment: 'mid30', tags: false, w: 0 },
      j: { segment: 'hl30', tags: true, w: 0.5 },
    };
    for (const [row, cfg] of Object.entries(rows)) {
      const prep = prepareSongs(songs.map((s) => s.audio), {
        sampleRate: SR,
        segment: cfg.segment,
        highlighter: highlighter,
        tagger: cfg.tags ? tagger : undefined,
        seconds: 30,
        features: { sampleRate: SR }, // the paper's recipe at 8 kHz: no resampling in the test
      });
      expect(prep.melShape).toEqual([128, 1 + Math.floor((30 * SR) / 2048)]);
      for (const [k, seg] of prep.segments.entries()) {
        expect(seg.end - seg.start).toBe(30 * SR);
        if (cfg.segment === 'mid30') expect(seg.start).toBe(Math.floor((songs[k].audio.length - 30 * SR) / 2));
      }
      const ds: HitDataset = { ids: songs.map((_, i) => `s${i}`), hitScores, ...prep };
      const model = new SiameseHitModel({ tags: cfg.tags, w: cfg.w, seed: 1 });
      await model.fit(ds, { epochs: 1, sampler: 'ab', learningRate: 0.01 });
      const r = await model.evaluate(ds);
      expect(Number.isFinite(r.ndcg), `row ${row}`).toBe(true);
      expect(model.modelCard().tagNames?.length ?? 0).toBe(cfg.tags ? 2 : 0);
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    highlighter.dispose();
  });

  it('hl30 without a highlighter is a clear error', () => {
    expect(() => prepareSongs([new Float32Array(SR * 40)], { sampleRate: SR, segment: 'hl30' })).toThrow(/E_PARAM/);
  });
});
