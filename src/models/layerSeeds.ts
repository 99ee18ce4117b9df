// Per-layer seeds derived from one model seed, so layers of the same shape
// start from different weights and the same model seed always gives the same
// network.
import seedrandom from 'seedrandom';

/** Returns a function that yields a new 31-bit seed per call, from `seed`. */
export function layerSeeds(seed: number, model: string): () => number {
  const rng = seedrandom(`hitrank:${model}:${seed}`);
  return () => Math.floor(rng() * 2147483647);
}
