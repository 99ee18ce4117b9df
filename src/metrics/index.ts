/**
 * hitrank/metrics — the paper's ranking metrics (§4) in pure TypeScript,
 * numerically equal to scikit-learn's `ndcg_score` and scipy's `kendalltau` /
 * `spearmanr`: nDCG@k, Kendall τ-b (O(n log n)), Spearman ρ, and
 * {@link evaluateRanking}, the "@10 %" protocol of Table 1.
 *
 * Inputs are `ArrayLike<number>` read as float64; NaN/±Infinity, empty input
 * and length mismatches throw `HitrankError`. Correlations that are
 * undefined (constant input, fewer than 2 values) are NaN, as in scipy.
 *
 * @module hitrank/metrics
 */
export { ndcgAtK, type NdcgOptions } from './ndcg.js';
export { kendallTauB } from './kendall.js';
export { spearmanRho, rankData } from './spearman.js';
export { topFractionK, topKIndices } from './topFraction.js';
export { evaluateRanking, type EvaluateRankingOptions, type RankingEvaluation } from './evaluateRanking.js';
