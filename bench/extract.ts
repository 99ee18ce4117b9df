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
import { decodeAudio, decodeWav, encodeWav, wavInfo } from '../src/audio/index.js';
import { audioLayout } from '../src/audio/audioInfo.js';
import { logMel, midSegment, resample, resampleInputRange, resampledLength, toMono } from '../src/dsp/index.js';
import { extractFeatures, readManifest } from '../src/node/index.js';
import { medianMs, medianMsAsync, printTable } from './timing.js';

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

// The same songs compressed (with Debian's lame, flac and oggenc when installed):
// decoding the whole file against decoding only the frames (pages) Mid-30
// reads, and extractFeatures' marginal cost per song.
const CODED_SONGS = 2;
interface CodedRow {
  label: string;
  wholeMs: number;
  partMs: number | null;
  perSong: Record<number, number>;
}
const coded: CodedRow[] = [];
const missing: string[] = [];
const encoders: Array<{ label: string; ext: string; cmd: string; args: (wav: string, out: string) => string[] }> = [
  { label: 'MP3 128 kb/s (lame)', ext: 'mp3', cmd: 'lame', args: (w, o) => ['--quiet', '-b', '128', w, o] },
  { label: 'FLAC level 5 (flac)', ext: 'flac', cmd: 'flac', args: (w, o) => ['--silent', '--force', '-5', '-o', o, w] },
  { label: 'Ogg Vorbis q4 (oggenc)', ext: 'ogg', cmd: 'oggenc', args: (w, o) => ['--quiet', '-q', '4', '-o', o, w] },
];
for (const enc of encoders) {
  if (spawnSync(enc.cmd, ['--version'], { stdio: 'ignore' }).status !== 0) {
    missing.push(enc.cmd);
    continue;
  }
  for (let s = 0; s < CODED_SONGS; s++) spawnSync(enc.cmd, enc.args(join(dir, `s${s}.wav`), join(dir, `s${s}.${enc.ext}`)));
  const codedRows = ['id,audio,artist,hitScore'];
  for (let r = 0; r < CODED_SONGS * 6; r++) codedRows.push(`c${r},s${r % CODED_SONGS}.${enc.ext},artist${r},0.001`);
  writeFileSync(join(dir, `${enc.ext}.csv`), codedRows.join('\n'));
  const m = await readManifest(join(dir, `${enc.ext}.csv`));
  const mFirst = { ...m, rows: m.rows.slice(0, CODED_SONGS) };
  const cBytes = new Uint8Array(readFileSync(join(dir, `s0.${enc.ext}`)));
  const info = (await audioLayout(cBytes))?.info;
  const wholeMs = await medianMsAsync(() => decodeAudio(cBytes), 3);
  let partMs: number | null = null;
  if (info) {
    const need = resampleInputRange(info.frames, { from: info.sampleRate, to: 22050, outputRange: range });
    partMs = await medianMsAsync(() => decodeAudio(cBytes, { start: need.start, frames: need.length }), 3);
  }
  const per: Record<number, number> = {};
  for (const jobs of [1, cores]) {
    const t0 = performance.now();
    await extractFeatures(mFirst, { jobs });
    const few = performance.now() - t0;
    const t1 = performance.now();
    await extractFeatures(m, { jobs });
    per[jobs] = (performance.now() - t1 - few) / (m.rows.length - CODED_SONGS);
  }
  coded.push({ label: enc.label, wholeMs, partMs, perSong: per });
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
if (coded.length > 0) {
  console.log('');
  printTable([
    ['the same songs compressed', 'decode whole (ms)', 'decode Mid-30 part (ms)', 'extractFeatures ms/song, 1 thread', `… ${cores} workers`],
    ...coded.map((c) => [
      c.label,
      c.wholeMs.toFixed(0),
      c.partMs === null ? 'whole' : `${c.partMs.toFixed(0)} (${(c.wholeMs / c.partMs).toFixed(1)}× less)`,
      c.perSong[1].toFixed(0),
      c.perSong[cores].toFixed(0),
    ]),
  ]);
}
if (missing.length > 0) console.log(`(rows skipped: ${missing.join(', ')} not installed — Debian packages lame, flac, vorbis-tools)`);
const best = Math.min(perSong[1], perSong[cores]);
console.log(`\nThe paper's 12k songs: ${((12000 * best) / 3.6e6).toFixed(2)} h of extraction on ${cores} core(s), once (features are cached).`);
