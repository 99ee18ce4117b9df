// Synthetic songs with a planted "chorus": the only section whose content
// depends on the song's class. Verses (random short notes) and an optional
// decoy bridge (a sustained chord of a pitch no class uses) are the same for
// every class, so a classifier has to find the chorus, and a highlighter
// trained on the class labels should attend there.
import seedrandom from 'seedrandom';

export interface PlantedSong {
  /** Mono PCM at the generator's sample rate. */
  audio: Float32Array;
  /** Song class, 0 … classes − 1. */
  label: number;
  /** Whole seconds of the song. */
  seconds: number;
  /** Planted chorus [start, end) in whole seconds. */
  chorus: [number, number];
  /** Decoy bridge [start, end) in seconds, or null. */
  decoy: [number, number] | null;
}

export interface PlantedOptions {
  sampleRate?: number;
  minSeconds?: number;
  maxSeconds?: number;
  minChorus?: number;
  maxChorus?: number;
  classes?: number;
  /** Probability that a song has a decoy bridge. */
  decoyRate?: number;
}

/**
 * Base pitches of the class chords (Hz) and of the decoys, chosen so that the
 * close-voiced chords (base × 1, 1.12, 1.26) of different classes and decoys
 * share no mel band at 8 kHz / 32 mels.
 */
const CLASS_BASES = [200, 400, 800, 1600, 3000];
const DECOY_BASES = [280, 560, 1120];
const CHORD = [1, 1.12, 1.26];

function gauss(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Adds a sine with linear fades (a two-term recurrence instead of Math.sin per sample). */
function addTone(y: Float32Array, sr: number, f: number, a: number, t0: number, t1: number, fade = 0.01): void {
  const s0 = Math.max(0, Math.round(t0 * sr));
  const s1 = Math.min(y.length, Math.round(t1 * sr));
  const nf = Math.max(1, Math.round(fade * sr));
  const w = (2 * Math.PI * f) / sr;
  const k = 2 * Math.cos(w);
  let p1 = Math.sin(-w);
  let p2 = Math.sin(-2 * w);
  for (let i = s0; i < s1; i++) {
    const v = k * p1 - p2;
    p2 = p1;
    p1 = v;
    const env = Math.min(1, (i - s0) / nf, (s1 - i) / nf);
    y[i] += a * env * v;
  }
}

/** Fills `y` with uniform noise of standard deviation `sd` (mulberry32; fast). */
function addNoise(y: Float32Array, sd: number, seed: number, from = 0, to = y.length): void {
  let st = seed | 0;
  const scale = sd * Math.sqrt(12) / 4294967296;
  for (let i = from; i < to; i++) {
    st = (st + 0x6d2b79f5) | 0;
    let z = Math.imul(st ^ (st >>> 15), 1 | st);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    y[i] += ((z ^ (z >>> 14)) >>> 0) * scale - sd * Math.sqrt(3);
  }
}

/** `n` planted-chorus songs from `seed`; classes are balanced (round robin) and chorus positions random. */
export function plantedChorusSongs(n: number, seed: string, o: PlantedOptions = {}): PlantedSong[] {
  const sr = o.sampleRate ?? 8000;
  const minS = o.minSeconds ?? 60;
  const maxS = o.maxSeconds ?? 90;
  const minC = o.minChorus ?? 12;
  const maxC = o.maxChorus ?? 18;
  const classes = o.classes ?? 4;
  const decoyRate = o.decoyRate ?? 0.5;
  const rng = seedrandom(seed);
  const songs: PlantedSong[] = [];
  for (let s = 0; s < n; s++) {
    const label = s % classes;
    const seconds = minS + Math.floor(rng() * (maxS - minS + 1));
    const len = minC + Math.floor(rng() * (maxC - minC + 1));
    const cs = Math.floor(rng() * (seconds - len + 1));
    const chorus: [number, number] = [cs, cs + len];
    let decoy: [number, number] | null = null;
    if (rng() < decoyRate) {
      // a 9-s bridge that does not overlap the chorus (none if there is no room)
      const room: number[] = [];
      for (let t = 0; t + 9 <= seconds; t++) if (t + 9 <= cs || t >= cs + len) room.push(t);
      if (room.length > 0) {
        const t = room[Math.floor(rng() * room.length)];
        decoy = [t, t + 9];
      }
    }
    const y = new Float32Array(seconds * sr + Math.floor(rng() * sr)); // a fraction of a second extra
    addNoise(y, 0.01, Math.floor(rng() * 2 ** 31));
    const inside = (t: number, r: [number, number] | null) => r !== null && t >= r[0] && t < r[1];
    // drums: a 40-ms noise burst every 0.5 s, everywhere
    for (let t = 0; t < y.length / sr; t += 0.5) {
      const s0 = Math.round(t * sr);
      addNoise(y, 0.15, Math.floor(rng() * 2 ** 31), s0, Math.min(y.length, s0 + Math.round(0.04 * sr)));
    }
    // verse notes: 0.25-s notes of random pitch outside chorus and decoy
    for (let t = 0; t < y.length / sr; t += 0.25) {
      if (inside(t, chorus) || inside(t, decoy)) continue;
      const f = 150 * Math.pow(20, rng());
      addTone(y, sr, f, 0.25, t, t + 0.25);
    }
    const chord = (base: number, r: [number, number]) => {
      for (const m of CHORD) addTone(y, sr, base * m * (1 + 0.01 * gauss(rng)), 0.12, r[0], r[1], 0.05);
    };
    chord(CLASS_BASES[label % CLASS_BASES.length], chorus);
    if (decoy) chord(DECOY_BASES[Math.floor(rng() * DECOY_BASES.length)], decoy);
    songs.push({ audio: y, label, seconds, chorus, decoy });
  }
  return songs;
}

/** Whether the window [start, end) contains the whole planted chorus. */
export function coversChorus(start: number, end: number, chorus: [number, number]): boolean {
  return start <= chorus[0] && chorus[1] <= end;
}
