// Ranking metrics and hit scores at scale (issue 3's benchmark):
//   kendallTauB and evaluateRanking on 10⁶ items vs scipy.stats.kendalltau and
//   sklearn ndcg_score + scipy on the @10 % subset; hitScoresFromPlayLogs on 10⁷
//   log rows vs the same computation in numpy on integer-coded columns.
// The fixtures carry no recorded BENCH figure for the metrics, so the peers run
// here, in this process tree, on the same data (written to a temp dir), when
// /usr/bin/python3 has numpy + scipy + sklearn; otherwise only our times are
// printed and the missing peer is said so. Sizes: BENCH_N (default 1e6),
// BENCH_ROWS (default 1e7), BENCH_ITERS (default 5).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { hitScoresFromPlayLogs } from '../src/data/index.js';
import { evaluateRanking, kendallTauB } from '../src/metrics/index.js';
import { medianMs, printTable } from './timing.js';

const N = Number(process.env.BENCH_N ?? 1e6);
const ROWS = Number(process.env.BENCH_ROWS ?? 1e7);
const ITERS = Number(process.env.BENCH_ITERS ?? 5);

// ---- data -----------------------------------------------------------------------------
const rng = seedrandom('hitrank-bench-metrics');
const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const yTrue = new Float64Array(N);
const yPred = new Float64Array(N);
for (let i = 0; i < N; i++) {
  const z = gauss();
  yTrue[i] = Math.exp(1.5 * z); // heavy-tailed "market shares"
  yPred[i] = z + 1.2 * gauss(); // a noisy model, continuous (no ties)
}
// A second pair with heavy ties (integer play counts vs a coarse score) for Kendall.
const tTrue = Float64Array.from(yTrue, (v) => Math.floor(v * 3));
const tPred = Float64Array.from(yPred, (v) => Math.round(v * 4));

const SONGS = 150000; // 100k released songs + 50k without release data
const RELEASED = 100000;
const DAYS = 548; // 2016-01-01 … 2017-07-01, like the paper's 1.5 years
const isoOf = (d: number) => new Date(Date.UTC(2016, 0, 1) + d * 86400000).toISOString().slice(0, 10);
const dayStrings = Array.from({ length: DAYS }, (_, d) => isoOf(d));
const songNames = Array.from({ length: SONGS }, (_, s) => `song${s}`);
const relDay = Int32Array.from({ length: RELEASED }, () => Math.floor(rng() * (DAYS - 60)));
const logSong = new Int32Array(ROWS);
const logDay = new Int32Array(ROWS);
const logPlays = new Float64Array(ROWS);
const songIdCol: string[] = new Array(ROWS);
const dateCol: string[] = new Array(ROWS);
for (let r = 0; r < ROWS; r++) {
  // ~2 day-60 rows per released song on average, so most (not all) of them get a score.
  const s = Math.floor(rng() * SONGS);
  const d = s < RELEASED && rng() < 0.03 ? relDay[s] + 60 : Math.floor(rng() * DAYS);
  logSong[r] = s;
  logDay[r] = d;
  logPlays[r] = Math.floor(Math.exp(2 * gauss()));
  songIdCol[r] = songNames[s];
  dateCol[r] = dayStrings[d];
}
const releases = Array.from({ length: RELEASED }, (_, s) => ({ songId: songNames[s], releaseDate: dayStrings[relDay[s]] }));

// ---- hitrank ----------------------------------------------------------------------------
const ours = {
  kendall: medianMs(() => kendallTauB(yTrue, yPred), ITERS),
  kendallTies: medianMs(() => kendallTauB(tTrue, tPred), ITERS),
  evaluate: medianMs(() => evaluateRanking(yTrue, yPred), ITERS),
  hitScores: medianMs(() => hitScoresFromPlayLogs({ songId: songIdCol, date: dateCol, plays: logPlays }, releases), Math.max(1, Math.min(ITERS, 3))),
};
const values = {
  kendall: kendallTauB(yTrue, yPred),
  kendallTies: kendallTauB(tTrue, tPred),
  evaluate: evaluateRanking(yTrue, yPred),
  hit: hitScoresFromPlayLogs({ songId: songIdCol, date: dateCol, plays: logPlays }, releases),
};

// ---- peers (Python, same data) ------------------------------------------------------------
const PY = String.raw`
import json, sys, time, numpy as np, scipy, sklearn, scipy.stats
from sklearn.metrics import ndcg_score
d, iters = sys.argv[1], int(sys.argv[2])
f = lambda n, t: np.fromfile(f"{d}/{n}", dtype=t)
yt, yp, tt, tp = f("yt", "<f8"), f("yp", "<f8"), f("tt", "<f8"), f("tp", "<f8")
song, day, plays, rel = f("song", "<i4"), f("day", "<i4"), f("plays", "<f8"), f("rel", "<i4")
def med(fn, n):
    fn(); ts = []
    for _ in range(n):
        t = time.perf_counter(); fn(); ts.append((time.perf_counter() - t) * 1000)
    return float(np.median(ts))
def evaluate():
    n = len(yt); k = max(1, (n + 9) // 10)
    nd = ndcg_score([yt], [yp], k=k)
    sub = np.argsort(-yt, kind="stable")[:k]
    return nd, scipy.stats.kendalltau(yt[sub], yp[sub])[0], scipy.stats.spearmanr(yt[sub], yp[sub])[0]
def hits():
    # Same hit score on integer-coded columns (no string ids / date parsing).
    tot = np.bincount(day, weights=plays, minlength=int(day.max()) + 61)
    target = rel + 60
    m = song < len(rel)
    m[m] = day[m] == target[song[m]]
    own = np.bincount(song[m], weights=plays[m], minlength=len(rel))
    has = np.bincount(song[m], minlength=len(rel)) > 0
    return np.where(has & (tot[target] > 0), own / np.where(tot[target] > 0, tot[target], 1), np.nan)
out = {
  "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
  "kendall_ms": med(lambda: scipy.stats.kendalltau(yt, yp), iters),
  "kendall_ties_ms": med(lambda: scipy.stats.kendalltau(tt, tp), iters),
  "evaluate_ms": med(evaluate, iters),
  "hits_ms": med(hits, max(1, min(iters, 3))),
  "kendall": float(scipy.stats.kendalltau(yt, yp)[0]),
  "kendall_ties": float(scipy.stats.kendalltau(tt, tp)[0]),
  "evaluate": [float(v) for v in evaluate()],
}
h = hits(); np.asarray(h, "<f8").tofile(f"{d}/hits_out")
print(json.dumps(out))
`;
interface Peer {
  versions: Record<string, string>;
  kendall_ms: number;
  kendall_ties_ms: number;
  evaluate_ms: number;
  hits_ms: number;
  kendall: number;
  kendall_ties: number;
  evaluate: [number, number, number];
}
let peer: Peer | null = null;
let hitMaxDiff = NaN;
const dir = mkdtempSync(join(tmpdir(), 'hitrank-bench-metrics-'));
try {
  const w = (name: string, a: Float64Array | Int32Array) => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  w('yt', yTrue);
  w('yp', yPred);
  w('tt', tTrue);
  w('tp', tPred);
  w('song', logSong);
  w('day', logDay);
  w('plays', logPlays);
  w('rel', relDay);
  const out = execFileSync('/usr/bin/python3', ['-c', PY, dir, String(ITERS)], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 24,
  });
  peer = JSON.parse(out) as Peer;
  // Cross-check the hit scores song by song.
  const { readFileSync } = await import('node:fs');
  const b = readFileSync(join(dir, 'hits_out'));
  const ref = new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const byId = new Map(values.hit.ids.map((id, i) => [id, values.hit.hitScores[i]]));
  hitMaxDiff = 0;
  let agree = 0;
  for (let s = 0; s < RELEASED; s++) {
    const v = byId.get(songNames[s]);
    if (v === undefined) {
      if (!Number.isNaN(ref[s])) hitMaxDiff = Infinity;
    } else {
      hitMaxDiff = Math.max(hitMaxDiff, Math.abs(v - ref[s]));
      agree++;
    }
  }
  if (agree !== values.hit.ids.length) hitMaxDiff = Infinity;
} catch (e) {
  console.log(`(Python peer not run: ${(e as Error).message.split('\n')[0]}; needs /usr/bin/python3 with numpy, scipy, sklearn)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// ---- report -------------------------------------------------------------------------------
const fmt = (x: number) => x.toFixed(1);
const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)} ×` : 'n/a');
console.log(`\nRanking metrics, n = ${N.toLocaleString('en')}; hit scores, ${ROWS.toLocaleString('en')} log rows; median of ${ITERS} runs, one thread`);
if (peer) console.log(`peer: ${Object.entries(peer.versions).map(([k, v]) => `${k} ${v}`).join(', ')} (measured now, same data)`);
console.log('ratio = hitrank time / peer time (< 1: hitrank faster)\n');
printTable([
  ['task', 'hitrank ms', 'peer ms', 'ratio', 'peer'],
  ['kendallTauB, continuous', fmt(ours.kendall), peer ? fmt(peer.kendall_ms) : '-', ratio(ours.kendall, peer?.kendall_ms), 'scipy.stats.kendalltau'],
  ['kendallTauB, heavy ties', fmt(ours.kendallTies), peer ? fmt(peer.kendall_ties_ms) : '-', ratio(ours.kendallTies, peer?.kendall_ties_ms), 'scipy.stats.kendalltau'],
  ['evaluateRanking (@10 %)', fmt(ours.evaluate), peer ? fmt(peer.evaluate_ms) : '-', ratio(ours.evaluate, peer?.evaluate_ms), 'ndcg_score(k) + kendalltau + spearmanr'],
  ['hitScoresFromPlayLogs', fmt(ours.hitScores), peer ? fmt(peer.hits_ms) : '-', ratio(ours.hitScores, peer?.hits_ms), 'numpy bincount, int-coded columns*'],
]);
console.log('* the numpy peer gets integer song/day codes; hitrank reads string ids and ISO date strings.');
if (peer) {
  console.log('\nagreement with the peer on the same data:');
  console.log(`  kendall continuous |Δ| = ${Math.abs(values.kendall - peer.kendall).toExponential(2)}`);
  console.log(`  kendall ties       |Δ| = ${Math.abs(values.kendallTies - peer.kendall_ties).toExponential(2)}`);
  const [nd, kt, sp] = peer.evaluate;
  const e = values.evaluate;
  console.log(`  @10 % (k = ${e.k}): |Δ ndcg| = ${Math.abs(e.ndcg - nd).toExponential(2)}, |Δ kendall| = ${Math.abs(e.kendall - kt).toExponential(2)}, |Δ spearman| = ${Math.abs(e.spearman - sp).toExponential(2)}`);
  console.log(`  hit scores: ${values.hit.ids.length} scored, ${values.hit.missing.length} reported missing, max |Δ| = ${hitMaxDiff.toExponential(2)}`);
}
