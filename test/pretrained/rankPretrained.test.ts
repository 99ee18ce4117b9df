// `hitrank rank --pretrained hsp-cnn-ret30 <audio…>`'s engine: any audio file
// → decode → Mid-30 → hspCnn mel + JYnet tags → score, best first.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/tf.js';
import { readF32, repoRoot } from '../helpers/fixtures.js';
import { encodeWav } from '../../src/audio/index.js';
import { pretrainedCaveat, pretrainedHitModels, rankWithPretrained } from '../../src/cli/commands/rankPretrained.js';
import { loadPretrained } from '../../src/pretrained/index.js';

describe('rankWithPretrained', () => {
  let dir = '';
  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'hitrank-rank-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores WAV and MP3 files end to end, best first, equal to HspCnnRet30.scoreAudio', async () => {
    const music = join(dir, 'music30.wav');
    writeFileSync(music, encodeWav(readF32('mel', 'signals', 'music30.f32'), 22050, { float: true, bitDepth: 32 }));
    const mp3 = join(repoRoot, 'test', 'node', 'data', 'tone-44k-stereo.mp3');
    const ranked = await rankWithPretrained([mp3, music], 'hsp-cnn-ret30');
    expect(ranked.map((r) => r.path).sort()).toEqual([mp3, music].sort());
    expect(ranked[0].score).toBeGreaterThanOrEqual(ranked[1].score);
    for (const r of ranked) {
      expect(Number.isFinite(r.score)).toBe(true);
      expect(r.hitScore).toBe(r.score > 0 ? 10 ** (-1 / r.score) : 0);
    }
    const hit = await loadPretrained('hsp-cnn-ret30');
    const direct = await hit.scoreAudio(readF32('mel', 'signals', 'music30.f32'));
    hit.dispose();
    expect(Math.abs(ranked.find((r) => r.path === music)!.score - direct.logit)).toBeLessThan(1e-6);
  });

  it('refuses the tagger, unknown names and an empty list; a missing file names its path', async () => {
    expect(pretrainedHitModels()).toEqual(['hsp-cnn-ret30']);
    await expect(rankWithPretrained(['x.wav'], 'jynet-mtat')).rejects.toMatchObject({ code: 'E_PARAM', message: expect.stringMatching(/tagger, not a hit model/) });
    await expect(rankWithPretrained(['x.wav'], 'nope')).rejects.toMatchObject({ code: 'E_PARAM' });
    await expect(rankWithPretrained([], 'hsp-cnn-ret30')).rejects.toMatchObject({ code: 'E_EMPTY' });
    await expect(rankWithPretrained([join(dir, 'missing.mp3')], 'hsp-cnn-ret30')).rejects.toMatchObject({ code: 'E_IO', message: expect.stringContaining('missing.mp3') });
    expect(pretrainedCaveat('hsp-cnn-ret30')).toMatch(/KKBOX.*Taiwanese/);
  });
});
