// The three pair-selection methods of the paper (§2.3) on a synthetic training
// set, plus the "A/B + artist" score fusion with its weight tuned on validation
// (Table 1 rows k–l).
//
//   npx tsx examples/pair-sampling.ts
import seedrandom from 'seedrandom';
import { crossValidationFolds } from '../src/data/index.js';
import { evaluateRanking } from '../src/metrics/index.js';
import { abPairs, artistPairs, createSampler, fuseRankings, naivePairs, tuneFusionWeight } from '../src/sampling/index.js';

const rng = seedrandom('pair-sampling-example');
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

// 6000 songs by 300 artists (some collaborations); long-tailed hit scores.
const n = 6000;
const artistOf = Array.from({ length: n }, () => Math.floor(300 * rng() ** 2)); // prolific artists first
const artists = artistOf.map((a) => (rng() < 0.05 ? [`artist${a}`, `artist${Math.floor(300 * rng())}`] : [`artist${a}`]));
const artistEffect = Float64Array.from({ length: 300 }, gauss);
const songEffect = Float64Array.from({ length: n }, gauss);
const hitScores = Float64Array.from({ length: n }, (_, i) => 1e-4 * Math.exp(artistEffect[artistOf[i]] + songEffect[i]));

const seed = 7;
const naive = naivePairs(n, { seed });
const ab = abPairs(hitScores, { seed });
const artist = artistPairs(artists, { seed });
console.log(`songs ${n}; group A (above the mean) ${ab.groupA.length} songs = ${((100 * ab.groupA.length) / n).toFixed(1)} %`);
console.log('sampler  valid pairs   pairs/epoch  first pairs of epoch 0');
for (const s of [naive, ab, artist]) {
  const first = [...s.pairs(0)].slice(0, 3).map(([i, j]) => `(${i}, ${j})`).join(' ');
  console.log(`${s.kind.padEnd(7)} ${String(s.validPairCount).padStart(12)} ${String(s.pairsPerEpoch).padStart(13)}  ${first}`);
}
const abShare = [...ab.pairs(1)].filter(([i, j]) => hitScores[i] > ab.threshold || hitScores[j] > ab.threshold).length / ab.pairsPerEpoch;
console.log(`A/B pairs holding a group-A song: ${(100 * abShare).toFixed(0)} %`);
const sameArtist = [...artist.pairs(1)].every(([i, j]) => artists[i].some((a) => artists[j].includes(a)));
console.log(`artist pairs sharing an artist: ${sameArtist ? 'all' : 'NOT ALL'}`);
console.log(`same seed, same epoch → same pairs: ${String(createSampler('ab', { hitScores }, { seed }).pairArray(0)) === String(ab.pairArray(0))}\n`);

// Fusion: two stand-in "models" — one sees the global (between-artist) signal,
// one the local (within-artist) signal; the weight is tuned on the validation fold.
const [{ validation, test }] = crossValidationFolds(n, { seed });
const pick = (xs: Float64Array, idx: Int32Array) => Float64Array.from(idx, (i) => xs[i]);
const globalModel = Float64Array.from({ length: n }, (_, i) => artistEffect[artistOf[i]] + 0.8 * gauss());
const localModel = Float64Array.from({ length: n }, (_, i) => songEffect[i] + 0.8 * gauss());
const tuned = tuneFusionWeight(pick(hitScores, validation), pick(globalModel, validation), pick(localModel, validation));
console.log(`fusion weight chosen on validation (Spearman@10 %): ${tuned.weight}`);
for (const [name, scores] of [
  ['A/B-like model alone', pick(globalModel, test)],
  ['artist-like model alone', pick(localModel, test)],
  [`fused, w = ${tuned.weight}`, fuseRankings(pick(globalModel, test), pick(localModel, test), tuned.weight)],
] as const) {
  const r = evaluateRanking(pick(hitScores, test), scores);
  console.log(`  ${name.padEnd(24)} test nDCG@10% ${r.ndcg.toFixed(3)}  Kendall ${r.kendall.toFixed(3)}  Spearman ${r.spearman.toFixed(3)}`);
}
