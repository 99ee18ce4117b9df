// The paper's hit score (§3) from a synthetic daily play log: a song's plays on
// day 60 after release ÷ all plays that day (daily market share), the songs that
// cannot be scored, and the 10-fold 8 : 1 : 1 split of §4.
//
//   npx tsx examples/hit-scores.ts
import seedrandom from 'seedrandom';
import { crossValidationFolds, hitScoresFromPlayLogs, type PlayLogRow } from '../src/data/index.js';

const rng = seedrandom('hit-scores-example');
const smoke = process.env.HITRANK_EXAMPLE_SMOKE === '1';
const songs = smoke ? 500 : 5000;
const days = 180;
const iso = (d: number) => new Date(Date.UTC(2016, 0, 1) + d * 86400000).toISOString().slice(0, 10);

// Releases in the first 150 days of a 180-day log; 10 % of the songs have no release record.
const releaseDay = Array.from({ length: songs }, () => Math.floor(rng() * 150)); // some day-60s fall after the log ends
const releases = releaseDay.map((d, s) => ({ songId: `song${s}`, releaseDate: iso(d) })).filter((_, s) => s % 10 !== 0);
const appeal = Array.from({ length: songs }, () => Math.exp(2 * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())));

// A streamed log: each song is played from its release on, fading slowly; some days have no row.
function* playLog(): Generator<PlayLogRow> {
  for (let d = 0; d < days; d++) {
    for (let s = 0; s < songs; s++) {
      if (d < releaseDay[s] || rng() < 0.1) continue;
      const plays = Math.round(appeal[s] * 100 * Math.exp(-(d - releaseDay[s]) / 90) * (0.5 + rng()));
      if (plays > 0) yield { songId: `song${s}`, date: iso(d), plays };
    }
  }
}

const t0 = performance.now();
const r = hitScoresFromPlayLogs(playLog(), releases, { day: 60 });
const ms = performance.now() - t0;
console.log(`${releases.length} released songs: ${r.ids.length} scored, ${r.missing.length} missing (${ms.toFixed(0)} ms)`);
const reasons = new Map<string, number>();
for (const m of r.missing) reasons.set(m.reason, (reasons.get(m.reason) ?? 0) + 1);
for (const [reason, count] of reasons) console.log(`  missing: ${count} × ${reason}`);
console.log(`first: ${r.ids[0]} plays ${r.plays[0]} of ${r.dayTotals[0]} on ${r.targetDates[0]} → hit score ${r.hitScores[0].toExponential(3)}`);

const sorted = Float64Array.from(r.hitScores).sort().reverse();
const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
const below = sorted.filter((v) => v < mean).length / sorted.length;
console.log(`hit scores: max ${sorted[0].toExponential(2)}, median ${sorted[sorted.length >> 1].toExponential(2)}, ${(100 * below).toFixed(1)} % below the mean (paper: 87.5 %)`);

// The paper's split: 10 folds, each the test set once, the next fold validation.
const folds = crossValidationFolds(r.ids.length, { folds: 10, seed: 1 });
console.log(`\n10-fold split of ${r.ids.length} songs:`);
for (const f of folds.slice(0, 3)) console.log(`  fold ${f.fold}: train ${f.train.length}, validation ${f.validation.length}, test ${f.test.length}`);
console.log('  …');
