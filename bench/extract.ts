// Feature-extraction benchmark: one 4-min 44.1 kHz stereo 16-bit WAV (synthesised
// from a seed) → decode → mono → 22.05 kHz → Mid-30 → log-mel, per song, through
// extractFeatures (one thread, and one worker per core; marginal cost per song,
// without start-up), next to the same
// pipeline in Python (scipy wavfile + resample_poly + numpy log-mel, measured in
// this run when /usr/bin/python3 has scipy, which resamples the whole song as
// librosa.load does). Also the stage split: for WAV files extractFeatures
// decodes and resamples only the samples the middle 30 s depend on; the cost of
// decoding and resampling the whole song is printed for comparison.
//
//   npx tsx bench/extract.ts
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import seedrandom from 'seedrandom';
import { audioInfo, decodeAudio, decodeWav, encodeWav, wavInfo } from '../src/audio/index.js';
import { logMel, midSegment, resample, resampleInputRange, resampledLength, toMono } from '../src/dsp/index.js';
import { extractFeatures, readManifest } from '../src/node/index.js';
import { medianMs, printTable } from './timing.js';

const here = dirname(fileURLToPath(import.meta.url));
const melFixtures = resolve(here, '..', '..', 'shared', 'fixtures', 'mel');
const SR = 44100;
const SECONDS = 240;
const SONGS = 6;
const dir = mkdtempSync(join(tmpdir(), 'hitrank-bench-extract-'));
const rng = seedrandom('bench-extract');

function song(): Uint8Array {
  const n = SR * SECONDS;
  const l = new Float32Array(n);
  const r = new Float32Array(n);
  const f = 110 * (1 + Math.floor(rng() * 8));
  for (let i = 0; i < n; i++) {
    const v = 0.3 * Math.sin((2 * Math.PI * f * i) / SR) + 0.1 * Math.sin((2 * Math.PI * 3 * f * i) / SR) + 0.05 * (rng() - 0.5);
    l[i] = v;
    r[i] = 0.8 * v;
  }
  return encodeWav([l, r], SR);
}

// SONGS files, each listed REPEAT times under its own id (no cache, so every
// row is computed): per-song times are the marginal cost between the first
// SONGS rows and all of them, without worker start-up.
const REPEAT = 4;
const rows = ['id,audio,artist,hitScore'];
for (let s = 0; s < SONGS; s++) writeFileSync(join(dir, `s${s}.wav`), song());
for (let r = 0; r < SONGS * REPEAT; r++) rows.push(`s${r},s${r % SONGS}.wav,artist${r},0.001`);
writeFileSync(join(dir, 'manifest.csv'), rows.join('\n'));
const manifest = await readManifest(join(dir, 'manifest.csv'));
const firstRows = { ...manifest, rows: manifest.rows.slice(0, SONGS) };
const load = loadavg().map((v) => v.toFixed(2)).join(' ');

// Stage split on one song.
const bytes = new Uint8Array(readFileSync(join(dir, 's0.wav')));
const audio = await decodeAudio(bytes);
const mono = toMono(audio.channelData);
const nOut = resampledLength(mono.length, SR, 22050);
const L = 30 * 22050;
const range = { start: Math.floor((nOut - L) / 2), length: L };
const decodeMs = medianMs(() => void decodeAudio(bytes), 5);
const monoMs = medianMs(() => toMono(audio.channelData), 5);
const midMs = medianMs(() => resample(mono, { from: SR, to: 22050, outputRange: range }), 5);
const partMs = medianMs(() => {
  const need = resampleInputRange(wavInfo(bytes).frames, { from: SR, to: 22050, outputRange: range });
  toMono(decodeWav(bytes, { start: need.start, frames: need.length }).channelData);
}, 5);
const midScipyMs = medianMs(() => resample(mono, { from: SR, to: 22050, outputRange: range, quality: 'scipy' }), 5);
const wholeMs = medianMs(() => midSegment(resample(mono, { from: SR, to: 22050 }), { sampleRate: 22050 }), 3);
const seg = resample(mono, { from: SR, to: 22050, outputRange: range });
const melMs = medianMs(() => logMel(seg, { sampleRate: 22050 }), 10);

// Through extractFeatures (no cache: every song computed).
// process.cpuUsage counts every thread of the process (workers included), so
// CPU time / wall time is the number of cores kept busy.
const perSong: Record<number, number> = {};
const busy: Record<number, number> = {};
const cores = availableParallelism();
for (const jobs of [1, cores]) {
  const t0 = performance.now();
  await extractFeatures(firstRows, { jobs });
  const few = performance.now() - t0;
  const t1 = performance.now();
  const c0 = process.cpuUsage();
  await extractFeatures(manifest, { jobs });
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t1;
  perSong[jobs] = (wall - few) / (manifest.rows.length - SONGS);
  busy[jobs] = (c.user + c.system) / 1000 / wall;
}

// The same songs as 128 kb/s MP3 (when Debian's lame is installed): decoding
// the whole file against decoding only the frames Mid-30 reads.
const MP3_SONGS = 2;
let mp3: { wholeMs: number; partMs: number; perSong: Record<number, number> } | null = null;
if (spawnSync('lame', ['--version'], { stdio: 'ignore' }).status === 0) {
  for (let s = 0; s < MP3_SONGS; s++) spawnSync('lame', ['--quiet', '-b', '128', join(dir, `s${s}.wav`), join(dir, `s${s}.mp3`)]);
  const mp3Rows = ['id,audio,artist,hitScore'];
  for (let r = 0; r < MP3_SONGS * 6; r++) mp3Rows.push(`m${r},s${r % MP3_SONGS}.mp3,artist${r},0.001`);
  writeFileSync(join(dir, 'mp3.csv'), mp3Rows.join('\n'));
  const m = await readManifest(join(dir, 'mp3.csv'));
  const mFirst = { ...m, rows: m.rows.slice(0, MP3_SONGS) };
  const mBytes = new Uint8Array(readFileSync(join(dir, 's0.mp3')));
  const timeAsync = async (f: () => Promise<unknown>, n: number) => {
    const ts: number[] = [];
    for (let i = 0; i < n + 1; i++) {
      const t0 = performance.now();
      await f();
      if (i > 0) ts.push(performance.now() - t0);
    }
    return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)];
  };
  const info = audioInfo(mBytes)!;
  const mNeed = resampleInputRange(info.frames, { from: SR, to: 22050, outputRange: range });
  const wholeMp3 = await timeAsync(() => decodeAudio(mBytes), 3);
  const partMp3 = await timeAsync(() => decodeAudio(mBytes, { start: mNeed.start, frames: mNeed.length }), 3);
  const per: Record<number, number> = {};
  for (const jobs of [1, cores]) {
    const t0 = performance.now();
    await extractFeatures(mFirst, { jobs });
    const few = performance.now() - t0;
    const t1 = performance.now();
    await extractFeatures(m, { jobs });
    per[jobs] = (performance.now() - t1 - few) / (m.rows.length - MP3_SONGS);
  }
  mp3 = { wholeMs: wholeMp3, partMs: partMp3, perSong: per };
}

let peer: number | null = null;
const py = spawnSync('/usr/bin/python3', [join(here, 'peers', 'scipy_extract.py'), join(dir, 's0.wav'), melFixtures, '5'], { encoding: 'utf8' });
if (py.status === 0) peer = (JSON.parse(py.stdout.trim()) as { ms: number }).ms;
rmSync(dir, { recursive: true, force: true });

console.log(`\nFeature extraction, 4-min 44.1 kHz stereo WAV → Mid-30 log-mel [128 × 323] (Node ${process.version}, load ${load})\n`);
printTable([
  ['stage (one song, one thread)', 'ms'],
  ['decode WAV (whole song)', decodeMs.toFixed(1)],
  ['stereo → mono', monoMs.toFixed(1)],
  ['decode + mono of only the samples Mid-30 reads (extractFeatures, WAV)', partMs.toFixed(1)],
  ['resample 44.1 → 22.05 kHz, middle 30 s only', midMs.toFixed(1)],
  ["  same with quality 'scipy' (the peer's 41-tap filter)", midScipyMs.toFixed(1)],
  ['log-mel', melMs.toFixed(1)],
  ['(before: resample the whole song, then cut)', wholeMs.toFixed(1)],
]);
console.log(
  `\nThe peer resamples with scipy's default filter (41 taps, 35–55 dB stop band); hitrank's default 'hq' has 257 taps ` +
    `(≥ 80 dB) — ${(midMs / midScipyMs).toFixed(1)}× the work of quality 'scipy'.`,
);
console.log(`resampling only the middle 30 s: ${(wholeMs / midMs).toFixed(1)}× less time than resampling the whole song\n`);
const rowsOut = [['pipeline', 'ms / song', 'songs / s', 'hitrank / peer', 'cores busy']];
rowsOut.push(['extractFeatures, 1 thread', perSong[1].toFixed(0), (1000 / perSong[1]).toFixed(2), peer ? (perSong[1] / peer).toFixed(2) : '—', busy[1].toFixed(2)]);
if (cores > 1) rowsOut.push([`extractFeatures, ${cores} workers`, perSong[cores].toFixed(0), (1000 / perSong[cores]).toFixed(2), peer ? (perSong[cores] / peer).toFixed(2) : '—', `${busy[cores].toFixed(2)} of ${cores}`]);
rowsOut.push([peer ? 'scipy + numpy, 1 thread (same run)' : 'scipy + numpy: /usr/bin/python3 has no scipy', peer ? peer.toFixed(0) : '—', peer ? (1000 / peer).toFixed(2) : '—', '', '']);
printTable(rowsOut);
if (mp3) {
  console.log(
    `\n128 kb/s MP3 of the same songs: decoding the whole file ${mp3.wholeMs.toFixed(0)} ms, only the frames Mid-30 reads ` +
      `${mp3.partMs.toFixed(0)} ms (${(mp3.wholeMs / mp3.partMs).toFixed(1)}× less); extractFeatures ${mp3.perSong[1].toFixed(0)} ms per song on 1 thread, ` +
      `${mp3.perSong[cores].toFixed(0)} ms on ${cores} workers.`,
  );
} else {
  console.log('\n(MP3 rows skipped: Debian\'s lame is not installed.)');
}
const best = Math.min(perSong[1], perSong[cores]);
console.log(`\nThe paper's 12k songs: ${((12000 * best) / 3.6e6).toFixed(2)} h of extraction on ${cores} core(s), once (features are cached).`);
