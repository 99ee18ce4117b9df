// The paper's evaluation protocol (§4, Table 1) on a synthetic test set:
// nDCG@10 % over the whole ranking, Kendall and Spearman on the top 10 % by true
// hit score — for a random ranking, a weak model and a good model. Also shows
// why nDCG needs tie averaging and float64 inputs.
//
//   npx tsx examples/ranking-metrics.ts
import seedrandom from 'seedrandom';
import { evaluateRanking, kendallTauB, ndcgAtK, spearmanRho, topFractionK } from '../src/metrics/index.js';

const rng = seedrandom('ranking-metrics-example');
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

// 1500 test songs (the paper's test-set size); hit scores are heavy-tailed market shares.
const n = 1500;
const latent = Float64Array.from({ length: n }, gauss);
const hitScores = Float64Array.from(latent, (z) => 1e-4 * Math.exp(1.5 * z));
const models: Record<string, Float64Array> = {
  random: Float64Array.from({ length: n }, () => rng()),
  weak: Float64Array.from(latent, (z) => z + 2.5 * gauss()),
  good: Float64Array.from(latent, (z) => z + 0.5 * gauss()),
};

console.log(`test set: ${n} songs, k = 10 % = ${topFractionK(n, 0.1)} (exact integer rounding)\n`);
console.log('model    nDCG@10%  Kendall@10%  Spearman@10%');
for (const [name, scores] of Object.entries(models)) {
  const { ndcg, kendall, spearman } = evaluateRanking(hitScores, scores);
  console.log(`${name.padEnd(7)} ${ndcg.toFixed(4).padStart(9)} ${kendall.toFixed(4).padStart(12)} ${spearman.toFixed(4).padStart(13)}`);
}
console.log('(paper Table 1: nDCG 0.07–0.13, Kendall ≤ 0.24, Spearman ≤ 0.35; a random ranking scores');
console.log(' nDCG ≈ 0.1 on heavy-tailed scores, so the correlations are the more telling numbers)\n');

// Whole-list correlations, as scipy.stats.kendalltau / spearmanr.
const good = models.good;
console.log(`whole list: Kendall τ-b ${kendallTauB(hitScores, good).toFixed(4)}, Spearman ρ ${spearmanRho(hitScores, good).toFixed(4)}`);

// Ties: sklearn's default averages the gain of tied predictions (McSherry & Najork).
const yTrue = [10, 0, 0, 1, 5];
const tied = [1, 0, 0, 0, 1];
console.log(`\nnDCG@1 with the top two predictions tied: ${ndcgAtK(yTrue, tied, 1)} (tie-averaged, as sklearn)`);
console.log(`  ignoreTies: ${ndcgAtK(yTrue, tied, 1, { ignoreTies: true })} (order among ties decides)`);

// Undefined correlations are NaN, not errors: k = 1 for n ≤ 10 at 10 %.
const small = evaluateRanking([3, 1, 2, 5, 4], [1, 2, 3, 4, 5]);
console.log(`\n5 songs: k = ${small.k}, Kendall ${small.kendall}, Spearman ${small.spearman} (scipy gives NaN too)`);

// Keep metric inputs in float64: rounding near-tied predictions to float32 creates ties.
const near = Float64Array.from({ length: 10 }, (_, i) => 0.5 + i * 1e-12);
const truth = Float64Array.from({ length: 10 }, (_, i) => i);
console.log(`\nnear-tied predictions: nDCG@1 float64 ${ndcgAtK(truth, near, 1).toFixed(4)}, through Float32Array ${ndcgAtK(truth, Float32Array.from(near), 1).toFixed(4)}`);
