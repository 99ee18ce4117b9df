/**
 * A seeded synthetic hit-song dataset with a planted, documented signal: the
 * data behind `hitrank demo` (no downloads).
 *
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { encodeWav } from '../audio/encodeWav.js';
import { isoDate, utcDay } from '../data/dates.js';
import type { ManifestRow } from '../data/index.js';
import { HitrankError, assertInteger, assertInRange } from '../errors.js';
import { writeManifest } from './manifest.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** Options of {@link synthesizeDemoDataset} and {@link writeDemoDataset}. */
export interface DemoDataOptions {
  /** Number of songs. Default 400. */
  songs?: number;
  /** Song length in seconds, or `[min, max]` for a uniform length per song. Default 12. */
  seconds?: number | [number, number];
  /** Seed of every random choice. Default `'hitrank-demo'`. */
  seed?: string | number;
  /** Sample rate of the rendered audio in Hz. Default 22050 (the paper's). */
  sampleRate?: number;
  /** Number of artists. Default 60. */
  artists?: number;
}

/** The planted properties and latent parts of one demo song (the ground truth). */
export interface DemoSong {
  /** Song id, `song-0001` … */
  id: string;
  /** Artist names (the first is the main artist; about 8 % have a featured artist). */
  artists: string[];
  /** Hit score: a market share in (0, 1). */
  hitScore: number;
  /** Release date, ISO `YYYY-MM-DD` (2017). */
  releaseDate: string;
  /** Length in seconds. */
  seconds: number;
  /** Tempo in BPM, uniform in [70, 170]. **Planted**: songs near 120 BPM do better. */
  tempo: number;
  /** Timbre brightness in [0, 1] (spectral slope of every instrument). **Planted**: brighter does better. */
  brightness: number;
  /** Notes per chord, 2–5. **Planted**: denser chords do better. */
  chordNotes: number;
  /** Key (root pitch class 0–11). Nuisance (no effect), partly set by the artist. */
  key: number;
  /** Major (1) or minor (0). Nuisance. */
  major: number;
  /** Drum level in [0.1, 1]. Nuisance, an artist trait. */
  drums: number;
  /** Peak level in [0.3, 0.95]. Nuisance, an artist trait. */
  loudness: number;
  /** Standardised audio part of the latent score (mean 0, variance 1 over the population). */
  audioEffect: number;
  /** Artist part: the mean artist popularity of the song's artists (each N(0, 1)). */
  artistEffect: number;
  /** Noise part, N(0, 1). */
  noise: number;
  /** The latent score z (see {@link synthesizeDemoDataset}). */
  latent: number;
}

/** {@link DemoDataOptions} with every default filled in. */
export interface ResolvedDemoDataOptions {
  /** Number of songs. */
  songs: number;
  /** Number of artists. */
  artists: number;
  /** Sample rate in Hz. */
  sampleRate: number;
  /** The seed. */
  seed: string | number;
  /** Song length range `[min, max]` in seconds (equal for a fixed length). */
  seconds: [number, number];
}

/** A synthetic dataset: ground truth per song, manifest-like fields, and audio on demand. */
export interface DemoDataset {
  /** The resolved options. */
  options: ResolvedDemoDataOptions;
  /** Ground truth per song. */
  songs: DemoSong[];
  /** Song ids. */
  ids: string[];
  /** Hit scores (market shares), as `HitDataset.hitScores`. */
  hitScores: Float64Array;
  /** Artists per song, as `HitDataset.artists`. */
  artists: string[][];
  /** The 12-dim catalogue descriptor per song (use as `HitDataset.tags`). */
  descriptors: Float32Array[];
  /** Names of the 12 descriptor dimensions (`HitDataset.tagNames`). */
  descriptorNames: string[];
  /**
   * Renders song `i` (deterministic; computed on demand so 400 songs never sit in memory).
   *
   * @param i - song index.
   * @returns mono PCM at `options.sampleRate`, peak = the song's loudness.
   */
  renderSong(i: number): Float32Array;
}

/** Names of the catalogue descriptor dimensions, in order. */
export const DEMO_DESCRIPTOR_NAMES: readonly string[] = Object.freeze([
  'tempo_bpm',
  'brightness',
  'chord_notes',
  'drum_level',
  'loudness',
  'key',
  'mode_major',
  'duration_s',
  'release_month',
  'acousticness',
  'valence',
  'energy',
]);

/** Weights of the standardised planted properties in the audio effect (before rescaling to unit variance). */
const AUDIO_WEIGHTS = { tempo: 1.0, brightness: 0.8, chords: 0.6 };
/** Variance shares of the latent score: audio, artist, noise. */
const SHARE = { audio: 0.5, artist: 0.25, noise: 0.25 };
/** Log-scale spread of the hit scores: std of ln(score). */
const KAPPA = 2.25;
/** Songs in the (virtual) catalogue whose plays make up a day's total. */
const CATALOGUE = 5000;
/** Exponent of the Zipf law of main artists' song counts. */
const ZIPF = 0.6;
const TEMPO_SWEET = 120;
const TEMPO_WIDTH = 18;

function tempoFit(bpm: number): number {
  return Math.exp(-((bpm - TEMPO_SWEET) ** 2) / (2 * TEMPO_WIDTH ** 2));
}

/** Mean and std of tempoFit(T) for T uniform in [70, 170] (midpoint rule, 10⁴ points). */
const TEMPO_MOMENTS = (() => {
  let s = 0;
  let s2 = 0;
  const n = 10000;
  for (let k = 0; k < n; k++) {
    const v = tempoFit(70 + (100 * (k + 0.5)) / n);
    s += v;
    s2 += v * v;
  }
  const mean = s / n;
  return { mean, sd: Math.sqrt(s2 / n - mean * mean) };
})();

function gaussian(rng: () => number): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * Synthesises a seeded dataset of short songs whose hit scores follow a
 * planted, documented model — so a reader knows what a good model should
 * recover. Nothing is downloaded; audio is rendered on demand
 * ({@link DemoDataset.renderSong}).
 *
 * **Songs.** Each song has a tempo T ~ U(70, 170) BPM, a brightness
 * B ~ U(0, 1) (every instrument's partials fall off as h^−(2.2 − 1.6 B)), a
 * chord density C ∈ {2, 3, 4, 5} notes (uniform), a key and mode, and a
 * drum level and loudness drawn around its artist's own style (nuisances an
 * audio model can use to recognise an artist). The audio: a I–IV–V–vi
 * progression, one chord per 4-beat bar, C stacked thirds from a root of
 * 110–208 Hz; a lead note an octave up on 60 % of the beats; kick (beats 1,
 * 3), snare (2, 4) and hi-hat (every eighth) as decaying tone / noise bursts
 * at the drum level; peak-normalised to the loudness.
 *
 * **Artists.** Main artists are drawn with Zipf weights (a + 1)^−0.6 (a few
 * prolific artists, a long tail: with 60 artists the busiest has ~9 % of the songs); ~8 % of songs list a featured artist too.
 * Each artist has a popularity α ~ N(0, 1).
 *
 * **Latent score** of song i:
 *
 *   z = √0.5 · A + √0.25 · R + √0.25 · ε
 *
 * - A (audio effect, variance 1 over the population) = (1.0 · std(τ) + 0.8 ·
 *   std(B) + 0.6 · std(C)) / √(1.0² + 0.8² + 0.6²), where τ = exp(−(T −
 *   120)² / (2 · 18²)) is the tempo's closeness to a 120 BPM sweet spot and
 *   std(·) standardises with the population mean and sd (exact for B, C;
 *   numerical for τ);
 * - R = mean α of the song's artists;
 * - ε ~ N(0, 1) noise.
 *
 * So half the latent variance is audible in the song, a quarter is who the
 * artist is, a quarter is luck.
 *
 * **Hit score** (a daily market share, as the paper's KKBOX data): plays ∝
 * exp(2.25 · z), divided by the day's total plays of a catalogue of 5000
 * such songs: hitScore_i = exp(2.25 z_i) / (5000 · mean_j exp(2.25 z_j)).
 * ln(hitScore) is then normal with sd 2.25 given the latent, so the scores
 * are long-tailed: about 85 % of songs are below the mean score (the paper's
 * Fig. 3 shape: 87 %), with a mean of 2·10⁻⁴.
 *
 * **Catalogue descriptors** (12 numbers per song, {@link DEMO_DESCRIPTOR_NAMES},
 * for feature-only models): noisy measurements of the planted properties
 * (`tempo_bpm` = T + N(0, 4²), `brightness` = B + N(0, 0.1²), `chord_notes` =
 * C + N(0, 0.5²)), the nuisances (`drum_level`, `loudness`, `key`,
 * `mode_major`, `duration_s`, `release_month`), and three with no signal
 * (`acousticness` = 1 − drums + noise, `valence` ~ U(0, 1), `energy` =
 * (loudness + drums) / 2 + noise).
 *
 * What a good model should recover: the ranking by A (an oracle that knows A
 * exactly has Spearman ρ ≈ 0.73 with the hit scores, one that also knows R ≈ 0.85); an audio model that also recognises
 * artists from their style can do a little better; no model can predict ε.
 *
 * @param options - see {@link DemoDataOptions}.
 * @returns the dataset (ground truth + on-demand audio).
 * @throws HitrankError `E_PARAM` for bad options.
 *
 * @example
 * ```ts
 * const demo = synthesizeDemoDataset({ songs: 50, seed: 1 });
 * const pcm = demo.renderSong(0); // 12 s at 22050 Hz
 * ```
 */
export function synthesizeDemoDataset(options: DemoDataOptions = {}): DemoDataset {
  const nSongs = options.songs ?? 400;
  assertInteger(nSongs, 'songs', 1, 1_000_000);
  const nArtists = options.artists ?? 60;
  assertInteger(nArtists, 'artists', 1, 1_000_000);
  const sampleRate = options.sampleRate ?? 22050;
  assertInteger(sampleRate, 'sampleRate', 4000, 192000);
  const secs = options.seconds ?? 12;
  const range: [number, number] = Array.isArray(secs) ? [secs[0], secs[1]] : [secs, secs];
  assertInRange(range[0], 'seconds (min)', 0.5, 3600);
  assertInRange(range[1], 'seconds (max)', range[0], 3600);
  const seed = options.seed ?? 'hitrank-demo';
  if (typeof seed !== 'string' && typeof seed !== 'number') {
    throw new HitrankError('E_PARAM', `seed must be a string or a number, got ${typeof seed}.`);
  }
  const rngFor = (what: string): (() => number) => seedrandom(`hitrank-demo:${String(seed)}:${what}`);

  // Artists: popularity and style.
  const ar = rngFor('artists');
  const width = String(nArtists).length;
  const artistNames = Array.from({ length: nArtists }, (_, a) => `artist-${String(a + 1).padStart(Math.max(2, width), '0')}`);
  const artistAlpha = new Float64Array(nArtists);
  const artistDrums = new Float64Array(nArtists);
  const artistLoud = new Float64Array(nArtists);
  const artistKeys: number[][] = [];
  for (let a = 0; a < nArtists; a++) {
    artistAlpha[a] = gaussian(ar);
    artistDrums[a] = 0.2 + 0.75 * ar();
    artistLoud[a] = 0.4 + 0.5 * ar();
    const k0 = Math.floor(12 * ar());
    artistKeys.push([k0, (k0 + 5) % 12, (k0 + 7) % 12]);
  }
  const zipf = new Float64Array(nArtists);
  let zs = 0;
  for (let a = 0; a < nArtists; a++) zs += (a + 1) ** -ZIPF;
  let acc = 0;
  for (let a = 0; a < nArtists; a++) {
    acc += (a + 1) ** -ZIPF / zs;
    zipf[a] = acc;
  }
  const pickArtist = (u: number): number => {
    let lo = 0;
    let hi = nArtists - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (zipf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const wNorm = Math.hypot(AUDIO_WEIGHTS.tempo, AUDIO_WEIGHTS.brightness, AUDIO_WEIGHTS.chords);
  const sdB = Math.sqrt(1 / 12);
  const sdC = Math.sqrt(1.25);
  const day0 = utcDay('2017-01-01', 'release base');
  const songs: DemoSong[] = [];
  const artistIdx: number[][] = [];
  const descriptors: Float32Array[] = [];
  for (let i = 0; i < nSongs; i++) {
    const r = rngFor(`song:${i}`);
    const main = pickArtist(r());
    const idx = [main];
    if (nArtists > 1 && r() < 0.08) {
      let feat = pickArtist(r());
      if (feat === main) feat = (main + 1) % nArtists;
      idx.push(feat);
    }
    const tempo = 70 + 100 * r();
    const brightness = r();
    const chordNotes = 2 + Math.floor(4 * r());
    const keys = artistKeys[main];
    const key = r() < 0.7 ? keys[Math.floor(3 * r())] : Math.floor(12 * r());
    const major = r() < 0.6 ? 1 : 0;
    const drums = clamp(artistDrums[main] + 0.1 * gaussian(r), 0.1, 1);
    const loudness = clamp(artistLoud[main] + 0.05 * gaussian(r), 0.3, 0.95);
    const seconds = range[0] + (range[1] - range[0]) * r();
    const release = day0 + Math.floor(365 * r());
    const noise = gaussian(r);
    const audioEffect =
      (AUDIO_WEIGHTS.tempo * (tempoFit(tempo) - TEMPO_MOMENTS.mean) / TEMPO_MOMENTS.sd +
        (AUDIO_WEIGHTS.brightness * (brightness - 0.5)) / sdB +
        (AUDIO_WEIGHTS.chords * (chordNotes - 3.5)) / sdC) /
      wNorm;
    const artistEffect = idx.reduce((s, a) => s + artistAlpha[a], 0) / idx.length;
    const latent = Math.sqrt(SHARE.audio) * audioEffect + Math.sqrt(SHARE.artist) * artistEffect + Math.sqrt(SHARE.noise) * noise;
    const releaseDate = isoDate(release);
    songs.push({
      id: `song-${String(i + 1).padStart(Math.max(4, String(nSongs).length), '0')}`,
      artists: idx.map((a) => artistNames[a]),
      hitScore: 0,
      releaseDate,
      seconds: Math.round(seconds * 1000) / 1000,
      tempo,
      brightness,
      chordNotes,
      key,
      major,
      drums,
      loudness,
      audioEffect,
      artistEffect,
      noise,
      latent,
    });
    artistIdx.push(idx);
    const desc = [
      tempo + 4 * gaussian(r),
      brightness + 0.1 * gaussian(r),
      chordNotes + 0.5 * gaussian(r),
      drums,
      loudness,
      key,
      major,
      Math.round(seconds * 1000) / 1000,
      Number(releaseDate.slice(5, 7)),
      clamp(1 - drums + 0.2 * gaussian(r), 0, 1),
      r(),
      clamp((loudness + drums) / 2 + 0.1 * gaussian(r), 0, 1),
    ];
    // Rounded to 4 decimals, so the manifest shows short numbers that read back to the same float32.
    descriptors.push(Float32Array.from(desc, (v) => Math.round(v * 1e4) / 1e4));
  }
  let mean = 0;
  for (const s of songs) mean += Math.exp(KAPPA * s.latent);
  mean /= nSongs;
  for (const s of songs) s.hitScore = Math.exp(KAPPA * s.latent) / (CATALOGUE * mean);

  const resolved: ResolvedDemoDataOptions = { songs: nSongs, artists: nArtists, sampleRate, seed, seconds: range };
  return {
    options: resolved,
    songs,
    ids: songs.map((s) => s.id),
    hitScores: Float64Array.from(songs, (s) => s.hitScore),
    artists: songs.map((s) => [...s.artists]),
    descriptors,
    descriptorNames: [...DEMO_DESCRIPTOR_NAMES],
    renderSong: (i: number) => {
      assertInteger(i, 'song index', 0, nSongs - 1);
      return renderDemoSong(songs[i], sampleRate, rngFor(`audio:${i}`));
    },
  };
}

/** One-cycle wavetable with partials h = 1..H at amplitude h^−slope. */
function wavetable(slope: number, partials: number, size = 2048): Float32Array {
  const t = new Float32Array(size + 1);
  let peak = 0;
  for (let k = 0; k < size; k++) {
    let v = 0;
    for (let h = 1; h <= partials; h++) v += Math.sin((2 * Math.PI * h * k) / size) * h ** -slope;
    t[k] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let k = 0; k < size; k++) t[k] /= peak;
  t[size] = t[0];
  return t;
}

/** Adds a decaying wavetable tone: attack 10 ms, then exp(−t / decay). */
function addTone(buf: Float32Array, sr: number, start: number, len: number, freq: number, amp: number, decay: number, table: Float32Array): void {
  const size = table.length - 1;
  const inc = (freq * size) / sr;
  const end = Math.min(buf.length, start + len);
  const attack = Math.max(1, Math.round(0.01 * sr));
  const k = Math.exp(-1 / (decay * sr));
  let env = 1;
  let phase = 0;
  for (let n = start; n < end; n++) {
    const j = n - start;
    const a = j < attack ? j / attack : (env *= k);
    const p = phase | 0;
    const f = phase - p;
    buf[n] += amp * a * (table[p] + f * (table[p + 1] - table[p]));
    phase += inc;
    if (phase >= size) phase -= size;
  }
}

/** Adds a decaying noise burst; `bright` mixes in the first difference (a crude high-pass). */
function addNoise(buf: Float32Array, sr: number, start: number, len: number, amp: number, decay: number, bright: number, rng: () => number): void {
  const end = Math.min(buf.length, start + len);
  const k = Math.exp(-1 / (decay * sr));
  let env = 1;
  let prev = 0;
  for (let n = start; n < end; n++) {
    const w = 2 * rng() - 1;
    buf[n] += amp * env * ((1 - bright) * w + bright * 0.5 * (w - prev));
    prev = w;
    env *= k;
  }
}

function renderDemoSong(s: DemoSong, sr: number, rng: () => number): Float32Array {
  const n = Math.max(1, Math.round(s.seconds * sr));
  const y = new Float32Array(n);
  const partials = Math.max(1, Math.min(10, Math.floor((0.45 * sr) / 520)));
  const slope = 2.2 - 1.6 * s.brightness;
  const table = wavetable(slope, partials);
  const beat = (60 / s.tempo) * sr;
  const bar = 4 * beat;
  const degrees = [0, 5, 7, 9];
  const thirds = s.major ? [0, 4, 7, 11, 14] : [0, 3, 7, 10, 14];
  const bars = Math.ceil(n / bar);
  for (let b = 0; b < bars; b++) {
    const start = Math.round(b * bar);
    const root = 110 * 2 ** ((s.key + degrees[b % 4]) / 12);
    for (let c = 0; c < s.chordNotes; c++) {
      addTone(y, sr, start, Math.round(bar), root * 2 ** (thirds[c] / 12), 0.22 / Math.sqrt(s.chordNotes), 1.2, table);
    }
    for (let q = 0; q < 4; q++) {
      const at = Math.round(start + q * beat);
      if (rng() < 0.6) {
        const note = thirds[Math.floor(rng() * Math.min(3, s.chordNotes))];
        addTone(y, sr, at, Math.round(beat), 2 * root * 2 ** (note / 12), 0.18, 0.25, table);
      }
      if (q % 2 === 0) {
        // Kick: a low tone with a fast decay.
        addTone(y, sr, at, Math.round(0.15 * sr), 55, 0.5 * s.drums, 0.06, table);
      } else {
        addNoise(y, sr, at, Math.round(0.2 * sr), 0.3 * s.drums, 0.06, 0.3, rng);
      }
      for (const h of [0, 0.5]) addNoise(y, sr, Math.round(at + h * beat), Math.round(0.05 * sr), 0.12 * s.drums, 0.015, 1, rng);
    }
  }
  let peak = 0;
  for (let k = 0; k < n; k++) peak = Math.max(peak, Math.abs(y[k]));
  const g = peak > 0 ? s.loudness / peak : 0;
  for (let k = 0; k < n; k++) y[k] *= g;
  return y;
}

/** Result of {@link writeDemoDataset}. */
export interface WrittenDemoDataset {
  /** Absolute path of `manifest.csv`. */
  manifestPath: string;
  /** Absolute path of `truth.json` (options + ground truth per song). */
  truthPath: string;
  /** The dataset that was written. */
  dataset: DemoDataset;
  /** WAV files written now (the others existed with the right size and were kept). */
  written: number;
}

/**
 * Writes a {@link synthesizeDemoDataset} dataset to `dir`:
 * `audio/<id>.wav` (16-bit PCM mono), `manifest.csv` (id, audio, artist,
 * hitScore, releaseDate and the 12 descriptors as `tag_<name>` columns — what
 * `readManifest` and `hitrank features` read) and `truth.json` (the options
 * and every song's planted properties and latent parts). Every file is
 * written atomically; WAVs that already exist with the expected size are
 * kept, so an interrupted run resumes.
 *
 * @param dir - the output folder (created if needed).
 * @param options - {@link DemoDataOptions}, plus `onProgress(done, total)` called after each WAV.
 * @returns the paths, the dataset and how many WAVs were written.
 * @throws HitrankError `E_PARAM` for bad options, `E_IO` when writing fails.
 */
export async function writeDemoDataset(
  dir: string,
  options: DemoDataOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<WrittenDemoDataset> {
  if (typeof dir !== 'string' || dir.length === 0) throw new HitrankError('E_PARAM', `writeDemoDataset needs a folder path, got ${JSON.stringify(dir)}.`);
  const ds = synthesizeDemoDataset(options);
  const root = resolve(dir);
  const audioDir = join(root, 'audio');
  try {
    await mkdir(audioDir, { recursive: true });
  } catch (e) {
    const err = new HitrankError('E_IO', `cannot create ${audioDir}: ${(e as Error).message}`);
    err.cause = e;
    throw err;
  }
  const rows: ManifestRow[] = [];
  let written = 0;
  for (let i = 0; i < ds.songs.length; i++) {
    const s = ds.songs[i];
    const path = join(audioDir, `${s.id}.wav`);
    const expected = 44 + 2 * Math.max(1, Math.round(s.seconds * ds.options.sampleRate));
    const st = await stat(path).catch(() => undefined);
    if (!st || st.size !== expected) {
      await writeFileAtomic(path, encodeWav(ds.renderSong(i), ds.options.sampleRate, { bitDepth: 16 }));
      written++;
    }
    rows.push({ id: s.id, audio: path, artists: s.artists, hitScore: s.hitScore, releaseDate: s.releaseDate, tags: Array.from(ds.descriptors[i], (v) => Number(v.toPrecision(8))) });
    options.onProgress?.(i + 1, ds.songs.length);
  }
  const manifestPath = join(root, 'manifest.csv');
  await writeManifest(manifestPath, rows, { tagNames: ds.descriptorNames });
  const truthPath = join(root, 'truth.json');
  const truth = {
    generator: 'hitrank synthesizeDemoDataset',
    options: ds.options,
    model: {
      latent: 'z = sqrt(0.5)*audioEffect + sqrt(0.25)*artistEffect + sqrt(0.25)*noise',
      audioEffect: '(1.0*std(tempoFit) + 0.8*std(brightness) + 0.6*std(chordNotes)) / sqrt(2), tempoFit = exp(-(tempo-120)^2/(2*18^2))',
      hitScore: 'exp(2.25*z) / (5000 * mean_j exp(2.25*z_j))',
    },
    songs: ds.songs,
  };
  await writeFileAtomic(truthPath, JSON.stringify(truth, null, 1) + '\n');
  return { manifestPath, truthPath, dataset: ds, written };
}
