import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/audio/index.js';
import { validateDataset } from '../../src/data/index.js';
import { spearmanRho } from '../../src/metrics/index.js';
import { DEMO_DESCRIPTOR_NAMES, readManifest, synthesizeDemoDataset, writeDemoDataset } from '../../src/node/index.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthesizeDemoDataset', () => {
  const demo = synthesizeDemoDataset(); // 400 songs, no audio rendered

  it('is a valid, seeded HitDataset with long-tailed market shares', () => {
    expect(validateDataset({ ids: demo.ids, hitScores: demo.hitScores, artists: demo.artists, tags: demo.descriptors, tagNames: demo.descriptorNames })).toBe(400);
    const h = Array.from(demo.hitScores);
    expect(h.every((x) => x > 0 && x < 1)).toBe(true);
    const mean = h.reduce((a, b) => a + b) / h.length;
    expect(mean).toBeCloseTo(2e-4, 12); // normalised by the catalogue's daily total
    const below = h.filter((x) => x < mean).length / h.length;
    expect(below).toBeGreaterThan(0.8); // paper Fig. 3: 87 % below the mean
    expect(below).toBeLessThan(0.92);
    const again = synthesizeDemoDataset();
    expect(Array.from(again.hitScores)).toEqual(h);
    expect(Array.from(synthesizeDemoDataset({ seed: 'other' }).hitScores)).not.toEqual(h);
  });

  it('follows the documented generative model', () => {
    for (const s of demo.songs) {
      expect(s.latent).toBeCloseTo(Math.sqrt(0.5) * s.audioEffect + 0.5 * s.artistEffect + 0.5 * s.noise, 12);
      expect(s.tempo).toBeGreaterThanOrEqual(70);
      expect(s.tempo).toBeLessThanOrEqual(170);
      expect([2, 3, 4, 5]).toContain(s.chordNotes);
    }
    const A = demo.songs.map((s) => s.audioEffect);
    const m = A.reduce((a, b) => a + b) / A.length;
    const v = A.reduce((a, b) => a + (b - m) ** 2, 0) / A.length;
    expect(Math.abs(m)).toBeLessThan(0.15); // standardised with population moments
    expect(v).toBeGreaterThan(0.8);
    expect(v).toBeLessThan(1.2);
    // The planted audio effect ranks the hits: an oracle gets ρ ≈ 0.7.
    const rho = spearmanRho(demo.hitScores, Float64Array.from(A));
    expect(rho).toBeGreaterThan(0.6);
    expect(rho).toBeLessThan(0.85);
    // Descriptors carry noisy measurements of the planted properties.
    const tempoCol = Float64Array.from(demo.descriptors, (d) => d[0]);
    expect(spearmanRho(Float64Array.from(demo.songs, (s) => s.tempo), tempoCol)).toBeGreaterThan(0.95);
    expect(demo.descriptorNames).toEqual([...DEMO_DESCRIPTOR_NAMES]);
    // Some songs have a featured artist.
    expect(demo.artists.some((a) => a.length === 2)).toBe(true);
  });

  it('renders audio deterministically on demand, at the requested rate and length', () => {
    const small = synthesizeDemoDataset({ songs: 3, seconds: [2, 4], sampleRate: 16000, seed: 5 });
    const y = small.renderSong(1);
    expect(y.length).toBe(Math.round(small.songs[1].seconds * 16000));
    expect(small.songs[1].seconds).toBeGreaterThanOrEqual(2);
    expect(small.songs[1].seconds).toBeLessThanOrEqual(4);
    let peak = 0;
    for (const v of y) peak = Math.max(peak, Math.abs(v));
    expect(peak).toBeCloseTo(small.songs[1].loudness, 5);
    expect(Array.from(small.renderSong(1))).toEqual(Array.from(y));
    expect(() => small.renderSong(3)).toThrow(/song index/);
  });

  it('brighter songs have more high-frequency energy (the planted timbre is audible)', () => {
    const d = synthesizeDemoDataset({ songs: 40, seconds: 2, seed: 'bright' });
    const hf: number[] = [];
    for (let i = 0; i < 40; i++) {
      const y = d.renderSong(i);
      let e = 0;
      let t = 0;
      for (let n = 1; n < y.length; n++) {
        e += (y[n] - y[n - 1]) ** 2; // first difference ≈ high-pass
        t += y[n] ** 2;
      }
      hf.push(e / t);
    }
    expect(spearmanRho(Float64Array.from(d.songs, (s) => s.brightness), Float64Array.from(hf))).toBeGreaterThan(0.3);
  });

  it('validates options', () => {
    expect(() => synthesizeDemoDataset({ songs: 0 })).toThrow(/songs/);
    expect(() => synthesizeDemoDataset({ seconds: [5, 2] })).toThrow(/seconds/);
    expect(() => synthesizeDemoDataset({ sampleRate: 100 })).toThrow(/sampleRate/);
  });
});

describe('writeDemoDataset', () => {
  it('writes WAVs, a manifest readManifest accepts, and truth.json; a rerun keeps finished WAVs', async () => {
    const out = join(dir, 'demo');
    const res = await writeDemoDataset(out, { songs: 6, seconds: 1, seed: 3 });
    expect(res.written).toBe(6);
    expect(readdirSync(join(out, 'audio'))).toHaveLength(6);
    const m = await readManifest(res.manifestPath);
    expect(m.rows.map((r) => r.id)).toEqual(res.dataset.ids);
    expect(m.rows.map((r) => r.hitScore)).toEqual(Array.from(res.dataset.hitScores));
    expect(m.tagNames).toEqual([...DEMO_DESCRIPTOR_NAMES]);
    m.rows.forEach((r, i) => expect(Array.from(Float32Array.from(r.tags!))).toEqual(Array.from(res.dataset.descriptors[i])));
    const wav = decodeWav(readFileSync(m.rows[2].audio));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.channelData[0].length).toBe(22050);
    const truth = JSON.parse(readFileSync(res.truthPath, 'utf8'));
    expect(truth.songs[2].tempo).toBe(res.dataset.songs[2].tempo);
    const mtime = statSync(m.rows[0].audio).mtimeMs;
    const again = await writeDemoDataset(out, { songs: 6, seconds: 1, seed: 3 });
    expect(again.written).toBe(0);
    expect(statSync(m.rows[0].audio).mtimeMs).toBe(mtime);
  });
});
