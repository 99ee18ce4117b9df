// Log-mel of the 30-s fixture clip: hitrank vs librosa (issue 2's benchmark).
//
// librosa cannot run here (not packaged for Debian), so the peer is measured two
// ways: the recorded librosa figures of ../shared/fixtures/mel/bench_results.json
// (another machine), and numpy pipelines run in this same process tree
// (bench/peers/numpy_logmel.py), which also calibrate the recorded librosa time
// to this machine: librosa_here ≈ numpy_f64_here × (librosa_full / numpy_f64)_recorded.
import { execFileSync } from 'node:child_process';
import FFT from 'fft.js';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogMelExtractor } from '../src/dsp/index.js';
import { MelEngine } from '../src/dsp/melSpectrogram.js';
import { ComplexFft } from '../src/dsp/fft/complexFft.js';
import { checkSignal, StftPlan } from '../src/dsp/stft.js';
import { medianMs, printTable } from './timing.js';


const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mel = resolve(root, '..', 'shared', 'fixtures', 'mel');
const clip = join(mel, 'signals', 'music30.f32');
if (!existsSync(clip)) throw new Error(`missing ${clip}: the benchmark needs ../shared/fixtures`);
const b = readFileSync(clip);
const y = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const iters = Number(process.env.BENCH_ITERS ?? 30);

const paper = { sampleRate: 22050, nFft: 4096, hopLength: 2048, window: 'hamming' as const, nMels: 128 };
const fx = new LogMelExtractor();
const plan = new StftPlan(paper);
const engine = new MelEngine(paper);
const p = new Array<number>(2 * plan.nBins).fill(0);
const T = plan.frames(y.length);

// The FFT alone, on the clip's frame pairs that need no padding (window applied
// while loading, 4096-point complex transform, no post-processing): ours vs fft.js.
const N = paper.nFft;
const hop = paper.hopLength;
const win = Array.from(plan.window);
const ours = new ComplexFft(N);
const zOurs = ours.createBuffer();
const ref = new FFT(N);
const zIn = ref.createComplexArray();
const zOut = ref.createComplexArray();
const lastFull = Math.floor((y.length - N / 2) / hop) - 1; // frame t spans [t·hop − N/2, t·hop + N/2)
function fftOurs(): void {
  for (let t = 1; t + 1 <= lastFull; t += 2) {
    const s = t * hop - N / 2;
    ours.forwardRealPair(zOurs, y, s, y, s + hop, win);
  }
}
function fftJs(): void {
  for (let t = 1; t + 1 <= lastFull; t += 2) {
    const s = t * hop - N / 2;
    const s2 = s + hop;
    for (let i = 0; i < N; i++) {
      zIn[2 * i] = y[s + i] * win[i];
      zIn[2 * i + 1] = y[s2 + i] * win[i];
    }
    ref.transform(zOut, zIn);
  }
}
// The power path as it was with fft.js (window + packed FFT + separation), for the ratio.
const pa = new Float64Array(plan.nBins);
const pb = new Float64Array(plan.nBins);
function powerFftJs(): void {
  const nb = plan.nBins;
  for (let t = 0; t < T; t += 2) {
    const tb = t + 1 < T ? t + 1 : -1;
    for (let f = 0; f < 2; f++) {
      const tt = f === 0 ? t : tb;
      const s = tt * hop - N / 2;
      for (let i = 0; i < N; i++) {
        const idx = s + i;
        zIn[2 * i + f] = tt >= 0 && idx >= 0 && idx < y.length ? y[idx] * win[i] : 0;
      }
    }
    ref.transform(zOut, zIn);
    for (let k = 0; k < nb; k++) {
      const j = k === 0 ? 0 : N - k;
      const ar = zOut[2 * k] + zOut[2 * j];
      const ai = zOut[2 * k + 1] - zOut[2 * j + 1];
      const br = zOut[2 * k + 1] + zOut[2 * j + 1];
      const bi = zOut[2 * k] - zOut[2 * j];
      pa[k] = 0.25 * (ar * ar + ai * ai);
      pb[k] = 0.25 * (br * br + bi * bi);
    }
  }
}

// The stages are timed interleaved (one call of each per round), so machine
// noise hits them alike and the cumulative medians stay ordered.
const stages: Record<string, () => unknown> = {
  check: () => checkSignal(y),
  stft: () => {
    for (let t = 0; t < T; t += 2) plan.powerFrames(y, t, t + 1 < T ? t + 1 : -1, p, 2);
  },
  mel: () => engine.compute(y),
  full: () => fx.compute(y),
  fftOurs,
  fftJs,
  powerFftJs,
};
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(stages).map((k) => [k, []]));
for (let r = 0; r < iters + 3; r++) {
  for (const [k, f] of Object.entries(stages)) {
    const t0 = performance.now();
    f();
    if (r >= 3) samples[k].push(performance.now() - t0);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const check = med(samples.check);
const stftOnly = med(samples.stft);
const melOnly = med(samples.mel);
const full = med(samples.full);
const fftO = med(samples.fftOurs);
const fftJ = med(samples.fftJs);
const powJ = med(samples.powerFftJs);
const extractorsOnce = medianMs(() => new LogMelExtractor({ nMels: 127 }).compute(y), Math.min(iters, 10));

// Peers
const rec = JSON.parse(readFileSync(join(mel, 'bench_results.json'), 'utf8')) as {
  runs: { single_thread?: { cases: Record<string, { median_ms: number }> }; [k: string]: unknown }[];
};
function recorded(name: string): number {
  const xs: number[] = [];
  for (const run of rec.runs) {
    for (const v of Object.values(run)) {
      const c = (v as { cases?: Record<string, { median_ms: number }> }).cases;
      if (c && c[name]) xs.push(c[name].median_ms);
    }
  }
  xs.sort((a, c) => a - c);
  return xs[xs.length >> 1];
}
const librosaRec = recorded('librosa_full');
const numpyRec = recorded('numpy_f64');

let numpyNow: number | null = null;
let librosaLike: number | null = null;
try {
  const out = execFileSync('/usr/bin/python3', [join(root, 'bench', 'peers', 'numpy_logmel.py'), mel, String(iters)], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const j = JSON.parse(out) as { numpy_f64: number; librosa_like: number };
  numpyNow = j.numpy_f64;
  librosaLike = j.librosa_like;
} catch (e) {
  console.log(`(numpy peer not run: ${(e as Error).message.split('\n')[0]}; install python3-numpy to measure it here)`);
}

console.log(`\nlogMel, 30-s clip (661 500 samples → [128 × 323]), median of ${iters} runs, one thread\n`);
const pct = (x: number) => `${((100 * x) / full).toFixed(0)} %`;
const melStage = Math.max(0, melOnly - stftOnly);
const dbStage = Math.max(0, full - melOnly);
printTable([
  ['stage', 'ms', 'share'],
  ['STFT power (window fused into radix-8 FFT, frame pairs)', stftOnly.toFixed(2), pct(stftOnly)],
  ['mel filterbank (frame pairs) + finiteness from output', melStage.toFixed(2), pct(melStage)],
  ['powerToDb + rest', dbStage.toFixed(2), pct(dbStage)],
  ['logMel total (LogMelExtractor.compute)', full.toFixed(2), '100 %'],
  ['logMel incl. building a new extractor', extractorsOnce.toFixed(2), ''],
  ['(not in total) full input scan, paid only on bad output', check.toFixed(2), ''],
]);
const pairs = Math.floor(lastFull / 2);
console.log('');
printTable([
  ['FFT, same run', 'ms', 'µs / pair', 'fft.js / ours'],
  [`bare FFT, ${pairs} pairs (window + 4096 complex): fft.js`, fftJ.toFixed(2), ((1000 * fftJ) / pairs).toFixed(1), ''],
  [`bare FFT, ${pairs} pairs (window + 4096 complex): ours`, fftO.toFixed(2), ((1000 * fftO) / pairs).toFixed(1), (fftJ / fftO).toFixed(2)],
  ['STFT power path with fft.js (as before)', powJ.toFixed(2), '', ''],
  ['STFT power path, ours (line above)', stftOnly.toFixed(2), '', (powJ / stftOnly).toFixed(2)],
]);
const rows: string[][] = [['peer', 'peer ms', 'hitrank / peer']];
if (numpyNow !== null && librosaLike !== null) {
  const librosaHere = numpyNow * (librosaRec / numpyRec);
  rows.push(['numpy_f64 naive (same run)', numpyNow.toFixed(2), (full / numpyNow).toFixed(2)]);
  rows.push(['librosa-like numpy (same run)', librosaLike.toFixed(2), (full / librosaLike).toFixed(2)]);
  rows.push(['librosa_full, calibrated to this run', librosaHere.toFixed(2), (full / librosaHere).toFixed(2)]);
}
rows.push(['librosa_full, recorded (other machine)', librosaRec.toFixed(2), (full / librosaRec).toFixed(2)]);
console.log('');
printTable(rows);
