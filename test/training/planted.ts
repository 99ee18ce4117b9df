// Synthetic planted-signal datasets for the training tests.
import seedrandom from 'seedrandom';
import type { HitDataset } from '../../src/data/index.js';

function gauss(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Turns latent scores into long-tailed market shares in (0, 1). */
export function marketShares(latent: number[], tail = 1.2): Float64Array {
  const e = latent.map((z) => Math.exp(tail * z));
  const total = e.reduce((a, b) => a + b, 0) * 5; // other songs share the market too
  return Float64Array.from(e, (v) => v / total);
}

/**
 * Mel-like inputs [nMels × frames] of random "dB" values; the latent score is
 * the mean level of a planted band group (bands 3–5) in the second half of the
 * clip, plus noise. A model must find that pattern to rank well.
 */
export function plantedMelDataset(n: number, seed: string, nMels = 16, frames = 24, noise = 0.3): HitDataset & { latent: number[] } {
  const rng = seedrandom(seed);
  const mels: Float32Array[] = [];
  const latent: number[] = [];
  const artists: string[][] = [];
  for (let s = 0; s < n; s++) {
    const level = gauss(rng);
    const m = new Float32Array(nMels * frames);
    for (let i = 0; i < m.length; i++) m[i] = -40 + 10 * gauss(rng);
    for (let b = 3; b <= 5; b++) for (let t = frames / 2; t < frames; t++) m[b * frames + t] += 8 * level;
    mels.push(m);
    latent.push(level + noise * gauss(rng));
    artists.push([`artist${Math.floor(rng() * Math.max(2, n / 5))}`]);
  }
  return {
    ids: Array.from({ length: n }, (_, i) => `${seed}-${i}`),
    hitScores: marketShares(latent),
    artists,
    mels,
    melShape: [nMels, frames],
    latent,
  };
}

/** 12 features; the latent score is a nonlinear function of them plus noise. */
export function plantedFeatureDataset(n: number, seed: string): HitDataset {
  const rng = seedrandom(seed);
  const tags: Float32Array[] = [];
  const latent: number[] = [];
  for (let s = 0; s < n; s++) {
    const x = Float32Array.from({ length: 12 }, () => gauss(rng));
    // interaction, a bump and a threshold: not linear in x
    const z = 1.2 * x[0] * x[1] + 1.5 * Math.exp(-x[2] * x[2]) + (x[3] > 0.5 ? 1 : 0) - 0.5 * Math.abs(x[4]) + 0.2 * gauss(rng);
    tags.push(x);
    latent.push(z);
  }
  return {
    ids: Array.from({ length: n }, (_, i) => `${seed}-${i}`),
    hitScores: marketShares(latent),
    tags,
    tagNames: Array.from({ length: 12 }, (_, i) => `feat${i}`),
  };
}
