/**
 * Features for a whole manifest: decode → segment → log-mel, in parallel
 * worker threads, through the content-addressed feature cache.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { decodeAudio } from '../audio/decodeAudio.js';
import { audioLayout } from '../audio/audioInfo.js';
import { decodeVorbisPart } from '../audio/vorbisPart.js';
import type { HitDataset, ManifestRow } from '../data/index.js';
import {
  LogMelExtractor,
  chunkMel,
  midSegment,
  resample,
  resampleInputRange,
  resampledLength,
  toMono,
  type ChunkedMel,
  type FeaturePreset,
  type FeaturePresetName,
  type HighlighterFeatureOptions,
  type LogMelOptions,
} from '../dsp/index.js';
import { resolveHighlighterFeatures } from '../dsp/highlighterFeatures.js';
import { middleRange } from '../dsp/midSegment.js';
import { callerModuleFile, workerEntry } from './workerModule.js';
import { HitrankError, type HitrankErrorCode } from '../errors.js';
import {
  featureCacheKey,
  featureSpecJson,
  readCachedFeatures,
  removeStaleTempFiles,
  writeCachedFeatures,
  type CachedFeatures,
  type SegmentChoice,
} from './featureCache.js';
import type { Manifest } from './manifest.js';
import type { Highlighter } from '../models/highlighter/index.js';
import type { extractHighlight as ExtractHighlightFn } from '../highlight/index.js';
import { loadHighlighter, readHighlighterInfo, type SavedHighlighterInfo } from './savedHighlighter.js';
import { currentTfjsBackend, startTfjsBackend } from './tfjsBackend.js';

/** Progress of {@link extractFeatures}, reported after every song. */
export interface ExtractProgress {
  /** Songs finished (any outcome). */
  done: number;
  /** Songs in the run. */
  total: number;
  /** Songs whose features came from the cache. */
  cached: number;
  /** Songs whose features were computed now. */
  extracted: number;
  /** Songs that failed. */
  failed: number;
  /** Id of the song that just finished. */
  id: string;
}

/** Options of {@link extractFeatures}. */
export interface ExtractFeaturesOptions {
  /**
   * Feature cache folder (created if needed). Features found there are reused,
   * new ones are written as soon as each song is done. Default: no cache.
   */
  cacheDir?: string;
  /**
   * Number of worker threads. Default `os.availableParallelism()` (capped at
   * the number of songs). `1` runs in the calling thread without workers.
   */
  jobs?: number;
  /**
   * The feature recipe: a preset name (`'paper'`, `'hspCnn'`) or full
   * `LogMelOptions` (a preset plus overrides). Default `'paper'`.
   */
  features?: FeaturePresetName | LogMelOptions;
  /**
   * Which part of each song: `'mid30'` (the paper's Mid-30, default for
   * presets without fixed `frames`), `'whole'` (default for presets that
   * pick frames themselves, e.g. `hspCnn`), `{ seconds }` for the middle
   * `seconds`, or `{ highlighter: dir }` for the paper's HL-30: the 30 s (or
   * `seconds`, whole seconds) that the highlighter saved in `dir`
   * (`saveHighlighter`) attends to most, cut by `extractHighlight` of
   * hitrank/highlight after resampling to the preset's rate. The cache key
   * then includes the highlighter's identity (a SHA-256 of its configuration
   * and weights), so another highlighter never reuses these features. Each
   * worker thread loads the highlighter once, on `backend`.
   */
  segment?:
    | 'mid30'
    | 'whole'
    | {
        /** Length of the middle segment in seconds. */
        seconds: number;
      }
    | {
        /** Folder of a saved highlighter (`saveHighlighter` of hitrank/node). */
        highlighter: string;
        /** Length of the highlight in whole seconds. Default 30 (HL-30). */
        seconds?: number;
      };
  /**
   * tfjs backend the highlighter runs on in worker threads (HL-30 segments
   * only), e.g. `'wasm'` or `'cpu'`. Default: the backend running in the
   * calling thread, else `'wasm'`. In the calling thread (`jobs: 1`) the
   * running backend is used; this one is started only when none is.
   */
  backend?: string;
  /** Module that registers `backend` in the workers (default: `@tensorflow/tfjs-backend-<name>` for `wasm` / `cpu`). */
  backendModule?: string;
  /**
   * Keep the features in memory: `true` (default) returns them in
   * `dataset.mels` (with one `dataset.melShape`) and in `songs[k].data`;
   * `'songs'` only in `songs[k].data`, each with its own `songs[k].shape`, so
   * features whose frame count differs per song (segment `'whole'` with a
   * recipe that keeps every frame, e.g. the highlighter's) can be collected;
   * `false` only fills the cache (what `hitrank features` does; needs `cacheDir`).
   */
  collect?: boolean | 'songs';
  /** Called after every song. */
  onProgress?: (p: ExtractProgress) => void;
  /** Stops the run: queued songs are not started, workers are terminated, the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** A song whose features could not be made. */
export interface FeatureFailure {
  /** Song id. */
  id: string;
  /** Index of the song in the input rows. */
  index: number;
  /** The audio path. */
  audio: string;
  /** Error code (`E_IO` missing/unreadable file, `E_CORRUPT_FILE`, `E_UNSUPPORTED`, …; `E_INTERNAL` for a crash). */
  code: string;
  /** What went wrong, naming the file. */
  message: string;
}

/** One song whose features were made (or read from the cache), as {@link extractFeatures} returns it. */
export interface ExtractedSong {
  /** Song id. */
  id: string;
  /** Index of the song in the input rows. */
  index: number;
  /** Whether the features came from the cache (`'cached'`) or were computed in this run (`'extracted'`). */
  status: 'cached' | 'extracted';
  /** `[nMels, frames]` of this song's features. */
  shape: [number, number];
  /** The features, row-major `[nMels × frames]` (only when `collect` is `true` or `'songs'`). */
  data?: Float32Array;
  /** Whether the song was shorter than the segment and zero-padded. */
  padded: boolean;
  /**
   * Samples of the decoded (mono) song at its own rate, before resampling:
   * `⌊sourceSamples / sourceSampleRate⌋` are its whole seconds, as
   * `highlighterFeatures` counts them from the decoded audio.
   */
  sourceSamples: number;
  /** Sample rate of the decoded song in Hz (the file's rate). */
  sourceSampleRate: number;
}

/** Counts of an {@link extractFeatures} run. */
export interface ExtractStats {
  /** Songs in the input. */
  total: number;
  /** Songs served from the cache. */
  cached: number;
  /** Songs computed in this run. */
  extracted: number;
  /** Songs that failed (see `failed`). */
  failed: number;
  /** Cache files that failed verification and were re-extracted (included in `extracted`). */
  corrupt: number;
  /** Worker threads used (0 = ran in the calling thread). */
  workers: number;
  /** Wall time in seconds. */
  seconds: number;
}

/** Result of {@link extractFeatures}. */
export interface ExtractFeaturesResult {
  /**
   * The songs that succeeded, in input order: ids, hit scores, artists,
   * mels + melShape (when `collect`), tags / tagNames (when the rows have tags).
   */
  dataset: HitDataset;
  /**
   * The songs that succeeded, in input order (aligned with `dataset.ids`):
   * each one's shape, source length and, when collected, its features.
   */
  songs: ExtractedSong[];
  /** Songs that failed, with the reason. Their rows are left out of `dataset`; rerunning redoes only them. */
  failed: FeatureFailure[];
  /** Ids of songs shorter than the segment (zero-padded at the end; the paper does not say what it did). */
  padded: string[];
  /** Counts and time. */
  stats: ExtractStats;
  /** The resolved feature recipe. */
  features: FeaturePreset;
  /** The resolved segment. */
  segment: SegmentChoice;
  /** The highlighter of an HL-30 segment (folder, identity, card), else `undefined`. */
  highlighter?: SavedHighlighterInfo;
  /**
   * `[nMels, frames]` of every song's features; frames is 0 when it differs
   * per song (segment `'whole'` with a recipe that keeps every frame, only
   * allowed with `collect: 'songs'` or `false`; see `songs[k].shape`).
   */
  melShape: [number, number];
}

/** @internal One song for a worker: its row index and audio path. */
export interface SongTask {
  index: number;
  audio: string;
}

/** @internal What a worker returns for one song. */
export interface SongResult {
  index: number;
  status: 'cached' | 'extracted' | 'failed';
  data?: Float32Array;
  shape?: [number, number];
  sourceSamples?: number;
  sourceSampleRate?: number;
  padded?: boolean;
  corrupt?: boolean;
  error?: { code: string; message: string };
}

/** @internal The recipe every worker thread is started with. */
export interface WorkerSetup {
  features: FeaturePreset;
  segment: SegmentChoice;
  cacheDir: string | undefined;
  collect: boolean;
  /** Highlighter folder of a `highlight` segment. */
  highlighterDir?: string;
  /** tfjs backend (and its module) for the highlighter. */
  backend?: string;
  backendModule?: string;
}

const WORKER_FLAG = '__hitrankFeatureWorker';

/** @internal Per-thread state: the extractor (FFT plan, filterbank) is built once. */
export class SongProcessor {
  private readonly extractor: LogMelExtractor;
  private readonly specJson: string;
  readonly shape: [number, number];
  private readonly segmentSamples: number;
  private highlight: { model: Highlighter; extract: typeof ExtractHighlightFn } | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly setup: WorkerSetup) {
    this.extractor = new LogMelExtractor({ ...setup.features, preset: undefined, resample: false });
    this.specJson = featureSpecJson({ features: setup.features, segment: setup.segment });
    const f = this.extractor.features;
    this.segmentSamples = setup.segment.kind !== 'whole' ? Math.round(setup.segment.seconds * f.sampleRate) : -1;
    this.shape = [f.nMels, f.frames ?? (this.segmentSamples > 0 ? this.extractor.frames(this.segmentSamples) : 0)];
  }

  /**
   * Loads what the segment needs once per thread (the highlighter of a
   * `highlight` segment, on the setup's backend when this thread runs none).
   * Rejects when it cannot: the run cannot go on.
   */
  init(mainThread: boolean): Promise<void> {
    const seg = this.setup.segment;
    if (seg.kind !== 'highlight') return Promise.resolve();
    this.loading ??= (async () => {
      const running = mainThread ? await currentTfjsBackend() : undefined;
      if (running === undefined) await startTfjsBackend(this.setup.backend ?? 'wasm', this.setup.backendModule);
      const { highlighter, info } = await loadHighlighter(this.setup.highlighterDir!);
      if (info.id !== seg.highlighter) {
        highlighter.dispose();
        throw new HitrankError('E_CORRUPT_FILE', `the highlighter ${info.dir} changed while features were being extracted; rerun.`);
      }
      const { extractHighlight } = await import('../highlight/index.js');
      this.highlight = { model: highlighter, extract: extractHighlight };
    })();
    return this.loading;
  }

  /** Frees the highlighter (calling thread). */
  dispose(): void {
    this.highlight?.model.dispose();
    this.highlight = null;
    this.loading = null;
  }

  async process(task: SongTask): Promise<SongResult> {
    try {
      return await this.run(task);
    } catch (e) {
      const code = e instanceof HitrankError ? e.code : 'E_INTERNAL';
      let message = e instanceof HitrankError ? e.detail : e instanceof Error ? e.message : String(e);
      if (!message.includes(task.audio)) message = `${task.audio}: ${message}`;
      return { index: task.index, status: 'failed', error: { code, message } };
    }
  }

  private async run(task: SongTask): Promise<SongResult> {
    const { cacheDir, collect } = this.setup;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(task.audio);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
      throw new HitrankError('E_IO', `cannot read audio file ${task.audio}: ${why}.`);
    }
    // Hashing a 4-min WAV (42 MB) costs ≈ 20 ms: only when there is a cache.
    const key = cacheDir === undefined ? '' : featureCacheKey(bytes, this.specJson);
    let corrupt = false;
    if (cacheDir !== undefined) {
      const hit = await readCachedFeatures(cacheDir, key, this.specJson);
      if (hit.status === 'hit' && this.fits(hit.features)) return songResult(task.index, 'cached', hit.features, collect !== false);
      corrupt = hit.status !== 'miss';
    }
    const features = await this.compute(bytes, task.audio);
    if (cacheDir !== undefined) await writeCachedFeatures(cacheDir, key, features, this.specJson);
    const r = songResult(task.index, 'extracted', features, collect !== false);
    r.corrupt = corrupt;
    return r;
  }

  /** The Mid-S shortcut (see {@link midOfFile}), or `null`. */
  private midOfFile(bytes: Uint8Array): Promise<CachedFeatures | null> {
    const seg = this.setup.segment;
    if (seg.kind !== 'mid') return Promise.resolve(null);
    const f = this.extractor.features;
    return midOfFile(bytes, this.segmentSamples, f.sampleRate, (y) => this.extractor.compute(y, f.sampleRate));
  }

  private fits(f: CachedFeatures): boolean {
    return f.shape[0] === this.shape[0] && (this.shape[1] === 0 || f.shape[1] === this.shape[1]);
  }

  private async compute(bytes: Uint8Array, path: string): Promise<CachedFeatures> {
    const f = this.extractor.features;
    const part = await this.midOfFile(bytes);
    if (part) return part;
    const audio = await decodeAudio(bytes);
    let y = audio.channelData.length > 1 ? toMono(audio.channelData) : audio.channelData[0];
    const sourceSamples = y.length;
    const sourceSeconds = sourceSamples / audio.sampleRate;
    if (y.length === 0) throw new HitrankError('E_CORRUPT_FILE', `${path}: the file decodes to no samples.`);
    if (audio.sampleRate !== f.sampleRate) {
      // Mid-S: resample only the middle S seconds (same samples as resampling the whole song, then cutting).
      const nOut = resampledLength(y.length, audio.sampleRate, f.sampleRate);
      const L = this.setup.segment.kind === 'mid' ? this.segmentSamples : -1;
      const outputRange = L > 0 && nOut > L ? middleRange(nOut, L) : undefined;
      y = resample(y, { from: audio.sampleRate, to: f.sampleRate, outputRange });
    }
    let padded = false;
    if (this.setup.segment.kind === 'mid') {
      const seg = midSegment(y, { sampleRate: f.sampleRate, seconds: this.setup.segment.seconds });
      y = seg.samples;
      padded = seg.padded;
    } else if (this.setup.segment.kind === 'highlight') {
      if (!this.highlight) await this.init(isMainThread);
      // Whole seconds at the file's rate, as highlighterFeatures counted them when the highlighter was trained.
      const seconds = Math.floor(sourceSamples / audio.sampleRate);
      const h = this.highlight!.extract(y, this.highlight!.model, { sampleRate: f.sampleRate, length: this.setup.segment.seconds, seconds });
      y = h.samples;
      padded = h.padded;
    } else if (f.frames !== null) {
      // The extractor keeps the middle `frames` columns and zero-pads shorter songs: report those.
      const natural = f.center ? 1 + Math.floor(y.length / f.hopLength) : 1 + Math.floor((y.length - f.nFft) / f.hopLength);
      padded = natural < f.frames;
    }
    const S = this.extractor.compute(y, f.sampleRate);
    return { data: S.data, shape: S.shape, padded, sourceSeconds, sourceSamples, sourceSampleRate: audio.sampleRate };
  }
}

/**
 * Mid-S of a file longer than S seconds whose length is known without
 * decoding it (WAV, MPEG-1 MP3, FLAC, Ogg Vorbis: `audioLayout`), decoding only the input samples
 * the segment depends on (`resampleInputRange`, `decodeAudio`'s start /
 * frames): bit-identical to decoding the whole file, down-mixing, resampling
 * the middle and cutting it (the path for other files), at ≈ S / duration of
 * the decoding and down-mixing cost. Samples outside that span are not read,
 * so a NaN there (float WAV) is not reported: it cannot change the features.
 * `null` when the shortcut does not apply.
 */
async function midOfFile(
  bytes: Uint8Array,
  segmentSamples: number,
  sampleRate: number,
  compute: (y: Float32Array) => { data: Float32Array; shape: [number, number] },
): Promise<CachedFeatures | null> {
  const layout = await audioLayout(bytes);
  if (!layout) return null;
  const { info, vorbis } = layout;
  const n = info.frames;
  const nOut = resampledLength(n, info.sampleRate, sampleRate);
  if (n === 0 || nOut <= segmentSamples) return null; // short songs: padded by midSegment on the full path
  const outputRange = middleRange(nOut, segmentSamples);
  const need = resampleInputRange(n, { from: info.sampleRate, to: sampleRate, outputRange });
  // Ogg Vorbis: reuse the page index audioLayout verified (decodeAudio would check the stream's start again, ≈ 6 ms).
  const audio =
    (vorbis && (await decodeVorbisPart(bytes, vorbis.offsets[0], need.start, need.length, vorbis))) ?? (await decodeAudio(bytes, { start: need.start, frames: need.length }));
  const mono = audio.channelData.length > 1 ? toMono(audio.channelData) : audio.channelData[0];
  const y = resample(mono, { from: info.sampleRate, to: sampleRate, outputRange, inputWindow: { start: need.start, total: n } });
  const S = compute(y);
  return { data: S.data, shape: S.shape, padded: false, sourceSeconds: n / info.sampleRate, sourceSamples: n, sourceSampleRate: info.sampleRate };
}

function songResult(index: number, status: 'cached' | 'extracted', f: CachedFeatures, collect: boolean): SongResult {
  const r: SongResult = {
    index,
    status,
    padded: f.padded,
    shape: [f.shape[0], f.shape[1]],
    sourceSamples: f.sourceSamples,
    sourceSampleRate: f.sourceSampleRate,
  };
  if (collect) r.data = f.data;
  return r;
}

// ---------------------------------------------------------------------------
// Worker side. Workers load *this same module file* (dist chunk, dist CJS
// bundle or the .ts source under tsx), so the worker code always sits next to
// the code that spawns it, whatever the bundler did.

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) {
  const port = parentPort;
  const processor = new SongProcessor((workerData as { setup: WorkerSetup }).setup);
  port.on('message', (msg: { type: 'task'; task: SongTask } | { type: 'stop' }) => {
    if (msg.type === 'stop') {
      port.close();
      return;
    }
    void processor.process(msg.task).then((r) => {
      // Transfer (not copy) the features; copy first if they are a view into a larger buffer.
      if (r.data && (r.data.byteOffset !== 0 || r.data.byteLength !== r.data.buffer.byteLength)) r.data = r.data.slice();
      port.postMessage({ type: 'result', result: r }, r.data ? [r.data.buffer as ArrayBuffer] : []);
    });
  });
  processor.init(false).then(
    () => port.postMessage({ type: 'ready' }),
    (e: unknown) => {
      const code = e instanceof HitrankError ? e.code : 'E_INTERNAL';
      const message = e instanceof HitrankError ? e.detail : e instanceof Error ? e.message : String(e);
      port.postMessage({ type: 'initFailed', code, message });
    },
  );
}


// ---------------------------------------------------------------------------
// Main side.

async function resolveSegment(
  seg: ExtractFeaturesOptions['segment'],
  features: FeaturePreset,
): Promise<{ segment: SegmentChoice; highlighter?: SavedHighlighterInfo }> {
  if (seg === undefined) return { segment: features.frames !== null ? { kind: 'whole' } : { kind: 'mid', seconds: 30 } };
  if (seg === 'mid30') return { segment: { kind: 'mid', seconds: 30 } };
  if (seg === 'whole') return { segment: { kind: 'whole' } };
  if (seg && typeof seg === 'object' && 'highlighter' in seg) {
    if (typeof seg.highlighter !== 'string' || seg.highlighter.length === 0) {
      throw new HitrankError('E_PARAM', `segment.highlighter must be the folder of a saved highlighter, got ${JSON.stringify(seg.highlighter)}.`);
    }
    const seconds = seg.seconds ?? 30;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) {
      throw new HitrankError('E_PARAM', `segment.seconds of a highlight must be a whole number of seconds in [1, 3600], got ${seconds}.`);
    }
    const info = await readHighlighterInfo(seg.highlighter);
    return { segment: { kind: 'highlight', seconds, highlighter: info.id }, highlighter: info };
  }
  if (seg && typeof seg === 'object' && typeof seg.seconds === 'number' && seg.seconds > 0 && Number.isFinite(seg.seconds)) {
    return { segment: { kind: 'mid', seconds: seg.seconds } };
  }
  throw new HitrankError('E_PARAM', `segment must be 'mid30', 'whole', { seconds: number > 0 } or { highlighter: dir }, got ${JSON.stringify(seg)}.`);
}

function checkRows(rows: readonly ManifestRow[]): void {
  if (!Array.isArray(rows)) throw new HitrankError('E_PARAM', 'extractFeatures needs an array of manifest rows or a Manifest.');
  if (rows.length === 0) throw new HitrankError('E_EMPTY', 'extractFeatures got no songs.');
  rows.forEach((r, i) => {
    if (!r || typeof r.id !== 'string' || typeof r.audio !== 'string' || r.audio.length === 0) {
      throw new HitrankError('E_PARAM', `rows[${i}] must have a string id and a non-empty audio path.`);
    }
  });
}

/**
 * What {@link extractFeatures} and `streamFeatures` resolve before any work:
 * the rows, the recipe, the segment (and its highlighter), the worker setup
 * and the thread count.
 *
 * @internal
 */
export interface PreparedRun {
  rows: readonly ManifestRow[];
  tagNames: string[] | undefined;
  features: FeaturePreset;
  segment: SegmentChoice;
  highlighter: SavedHighlighterInfo | undefined;
  setup: WorkerSetup;
  jobs: number;
}

/**
 * Checks the input and options shared by {@link extractFeatures} and
 * `streamFeatures`, resolves the recipe and segment and clears stale
 * temporary files from the cache.
 *
 * @internal
 */
export async function prepareRun(
  input: Pick<Manifest, 'rows' | 'tagNames'> | readonly ManifestRow[],
  options: Omit<ExtractFeaturesOptions, 'collect'>,
  keepData: boolean,
): Promise<PreparedRun> {
  const rows: readonly ManifestRow[] = Array.isArray(input) ? input : (input as Manifest)?.rows;
  const tagNames = Array.isArray(input) ? undefined : (input as Manifest).tagNames;
  checkRows(rows);
  const featOpts: LogMelOptions = typeof options.features === 'string' ? { preset: options.features } : (options.features ?? {});
  const features: FeaturePreset = { ...new LogMelExtractor(featOpts).features };
  const { segment, highlighter } = await resolveSegment(options.segment, features);
  let jobs = options.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 1024) throw new HitrankError('E_PARAM', `jobs must be an integer in [1, 1024], got ${jobs}.`);
  jobs = Math.min(jobs, rows.length);
  options.signal?.throwIfAborted();
  const cacheDir = options.cacheDir;
  if (cacheDir !== undefined) await removeStaleTempFiles(cacheDir);
  const setup: WorkerSetup = { features, segment, cacheDir, collect: keepData };
  if (highlighter) {
    setup.highlighterDir = highlighter.dir;
    setup.backend = options.backend ?? (await currentTfjsBackend()) ?? 'wasm';
    if (options.backendModule !== undefined) setup.backendModule = options.backendModule;
  }
  return { rows, tagNames, features, segment, highlighter, setup, jobs };
}

/** @internal Counts finished songs and reports {@link ExtractProgress}. */
export class ProgressCounter {
  readonly state: ExtractProgress;
  /** Cache files that failed verification and were re-extracted. */
  corrupt = 0;

  constructor(
    private readonly rows: readonly ManifestRow[],
    private readonly onProgress: ((p: ExtractProgress) => void) | undefined,
  ) {
    this.state = { done: 0, total: rows.length, cached: 0, extracted: 0, failed: 0, id: '' };
  }

  /** Counts one finished song and calls `onProgress` (which may throw: the run stops). */
  count(r: SongResult): void {
    const p = this.state;
    p.done++;
    if (r.status === 'cached') p.cached++;
    else if (r.status === 'extracted') p.extracted++;
    else p.failed++;
    if (r.corrupt) this.corrupt++;
    p.id = this.rows[r.index].id;
    this.onProgress?.({ ...p });
  }
}

/**
 * Computes the features of every song of a manifest (DESIGN.md §4): per song,
 * read the file → decode (WAV / MP3 / FLAC / Ogg Vorbis) → down-mix to mono
 * (channel mean) → resample to the preset's rate (`resample`) → the segment
 * (`midSegment`, the paper's Mid-30 by default) → `logMel` with the preset.
 * Equivalent to `librosa.load(path, sr=22050, mono=True)` + the middle 30 s +
 * `logMel` per song, but parallel and resumable:
 *
 * - **Workers**: `jobs` `worker_threads` each build the FFT plan and
 *   filterbank once and take songs one at a time; `jobs: 1` runs in the
 *   calling thread. Results are identical (bit for bit) for any `jobs`.
 * - **Cache** (`cacheDir`): features are content-addressed by the audio bytes
 *   and the full recipe (`featureCacheKey`) and written atomically as soon as
 *   each song is done, so a killed run loses at most the songs in flight;
 *   rerunning reads the finished ones back. A corrupt cache file is
 *   re-extracted and overwritten, never used.
 * - **HL-30** (`segment: { highlighter: dir }`): the segment is the
 *   window a saved highlighter picks (`extractHighlight` of
 *   hitrank/highlight, the paper's §2.5); every worker thread starts the
 *   tfjs `backend` and loads the highlighter once. Its identity (SHA-256 of
 *   configuration and weights) is part of the cache key.
 * - **Failures**: a missing or undecodable file does not stop the run: the
 *   song is listed in `failed` with its path and reason and left out of
 *   `dataset`, every other song is finished and cached. Check
 *   `failed.length` (the CLI exits with code 1).
 *
 * Worker threads load the module file that contains this function (found
 * through `__filename` or the stack trace); from TypeScript sources they are
 * started with tsx's loader. If that file cannot be found or workers cannot
 * start, the songs are processed in the calling thread (`stats.workers` is
 * then 0). If your bundler merges hitrank into one file with your own code,
 * use `jobs: 1`.
 *
 * @param input - a {@link Manifest} from `readManifest` (its `tagNames` are
 *   used) or an array of manifest rows with absolute (or cwd-relative) audio paths.
 * @param options - see {@link ExtractFeaturesOptions}.
 * @returns the dataset of the successful songs, the failures and counts.
 * @throws HitrankError `E_PARAM` / `E_EMPTY` for bad options or no rows (before any work);
 *   for an HL-30 segment, the errors of `readHighlighterInfo` (missing or damaged highlighter
 *   folder, before any work) and `E_UNSUPPORTED` when the tfjs backend cannot start;
 *   `signal.reason` when aborted.
 *
 * @example
 * ```ts
 * const manifest = await readManifest('songs.csv');
 * const { dataset, failed } = await extractFeatures(manifest, { cacheDir: '.hitrank-cache', jobs: 4 });
 * if (failed.length) console.error(failed.map((f) => f.message).join('\n'));
 * ```
 */
export async function extractFeatures(
  input: Pick<Manifest, 'rows' | 'tagNames'> | readonly ManifestRow[],
  options: ExtractFeaturesOptions = {},
): Promise<ExtractFeaturesResult> {
  const t0 = performance.now();
  const collect = options.collect ?? true;
  if (collect !== true && collect !== false && collect !== 'songs') {
    throw new HitrankError('E_PARAM', `collect must be true, false or 'songs', got ${JSON.stringify(collect)}.`);
  }
  if (collect === false && options.cacheDir === undefined) {
    throw new HitrankError('E_PARAM', 'collect: false keeps nothing unless a cacheDir is given.');
  }
  const run = await prepareRun(input, options, collect !== false);
  const { rows, tagNames, features, segment, highlighter, setup, jobs } = run;
  if (collect === true && segment.kind === 'whole' && features.frames === null) {
    throw new HitrankError(
      'E_PARAM',
      "segment 'whole' with a recipe that keeps every frame gives songs different shapes, which a dataset cannot hold; " +
        "use collect: 'songs' (each song's features with its own shape), segment 'mid30' (or { seconds }), a preset with fixed frames, or collect: false.",
    );
  }
  const n = rows.length;
  const signal = options.signal;
  const local = new SongProcessor(setup);
  const results: (SongResult | undefined)[] = new Array(n);
  const progress = new ProgressCounter(rows, options.onProgress);
  const record = (r: SongResult): void => {
    results[r.index] = r;
    progress.count(r);
  };
  const tasks: SongTask[] = rows.map((r, index) => ({ index, audio: r.audio }));

  let workersUsed = 0;
  try {
    if (jobs <= 1) {
      await local.init(true);
      for (const t of tasks) {
        signal?.throwIfAborted();
        record(await local.process(t));
      }
    } else {
      workersUsed = await runPool(arrayQueue(tasks), jobs, setup, record, signal).done;
      // Workers that could not start leave their songs to this thread.
      for (const t of tasks) {
        if (results[t.index] === undefined) {
          signal?.throwIfAborted();
          await local.init(true);
          record(await local.process(t));
        }
      }
    }
  } finally {
    local.dispose();
  }

  // Assemble the dataset of the successful songs, in input order.
  const ok: number[] = [];
  const failed: FeatureFailure[] = [];
  const padded: string[] = [];
  results.forEach((r, i) => {
    if (!r) return;
    if (r.status === 'failed') {
      failed.push({ id: rows[i].id, index: i, audio: rows[i].audio, code: r.error!.code, message: r.error!.message });
      return;
    }
    ok.push(i);
    if (r.padded) padded.push(rows[i].id);
  });
  const dataset: HitDataset = {
    ids: ok.map((i) => rows[i].id),
    hitScores: Float64Array.from(ok, (i) => rows[i].hitScore),
    artists: ok.map((i) => [...(rows[i].artists ?? [])]),
  };
  const melShape: [number, number] = [local.shape[0], local.shape[1]];
  const songs: ExtractedSong[] = ok.map((i) => {
    const r = results[i]!;
    const song: ExtractedSong = {
      id: rows[i].id,
      index: i,
      status: r.status as 'cached' | 'extracted',
      shape: r.shape!,
      padded: r.padded ?? false,
      sourceSamples: r.sourceSamples!,
      sourceSampleRate: r.sourceSampleRate!,
    };
    if (r.data) song.data = r.data;
    return song;
  });
  if (collect === true) {
    dataset.mels = ok.map((i) => results[i]!.data!);
    dataset.melShape = melShape;
  }
  if (ok.length > 0 && rows[ok[0]].tags) {
    dataset.tags = ok.map((i) => Float32Array.from(rows[i].tags ?? []));
    if (tagNames) dataset.tagNames = [...tagNames];
  }
  return {
    dataset,
    songs,
    failed,
    padded,
    features,
    segment,
    ...(highlighter ? { highlighter } : {}),
    melShape,
    stats: {
      total: n,
      cached: progress.state.cached,
      extracted: progress.state.extracted,
      failed: progress.state.failed,
      corrupt: progress.corrupt,
      workers: workersUsed,
      seconds: (performance.now() - t0) / 1000,
    },
  };
}

/**
 * Where the pool takes its songs from. `take` returns the next task,
 * `null` when none may start now (the pool waits for {@link SongPool.kick}),
 * or `undefined` when every task has been handed out.
 *
 * @internal
 */
export interface TaskQueue {
  take(): SongTask | null | undefined;
  /** Tasks not yet handed out (a crashed worker is replaced only while some remain). */
  readonly left: number;
  /** All tasks of the run (bounds the number of crashes tolerated). */
  readonly total: number;
}

/** @internal A {@link TaskQueue} over a fixed list, never waiting. */
export function arrayQueue(tasks: readonly SongTask[]): TaskQueue {
  let next = 0;
  return {
    take: () => (next < tasks.length ? tasks[next++] : undefined),
    get left() {
      return tasks.length - next;
    },
    total: tasks.length,
  };
}

/** @internal A running worker pool. */
export interface SongPool {
  /**
   * Settles when the pool is done: resolves with the number of workers that
   * started once the queue is empty and every task came back (or when the
   * workers could not start: then the songs not taken are the caller's), or
   * rejects when a worker cannot load the segment's highlighter, on abort,
   * or when `record` throws.
   */
  done: Promise<number>;
  /** Hands tasks to the workers parked on a `null` from the queue. */
  kick(): void;
  /** Terminates every worker; `done` resolves (nothing more is recorded). */
  stop(): void;
}

/**
 * Runs tasks on `jobs` worker threads. A worker that crashes fails its song
 * (`E_INTERNAL`) and is replaced; if workers cannot start at all, the songs
 * they did not take are left for the caller (results stay undefined).
 *
 * @internal
 */
export function runPool(
  queue: TaskQueue,
  jobs: number,
  setup: WorkerSetup,
  record: (r: SongResult) => void,
  signal: AbortSignal | undefined,
): SongPool {
  let boot: { spec: string | URL; eval: boolean };
  try {
    boot = workerEntry(callerModuleFile('use jobs: 1', typeof __filename === 'string' ? __filename : undefined));
  } catch {
    return { done: Promise.resolve(0), kick: () => undefined, stop: () => undefined }; // the caller runs every song in-process
  }
  let started = 0;
  let crashes = 0;
  const live = new Set<Worker>();
  const parked = new Set<() => void>();
  let finish: (err?: unknown) => void = () => undefined;

  const done = new Promise<number>((resolvePool, rejectPool) => {
    let settled = false;
    finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      parked.clear();
      const all = [...live];
      live.clear();
      for (const w of all) void w.terminate();
      if (err !== undefined) rejectPool(err);
      else resolvePool(started);
    };
    const onAbort = (): void => finish(signal!.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    const spawn = (): void => {
      if (settled || queue.left === 0) return;
      let ready = false;
      let current: SongTask | undefined;
      const worker = new Worker(boot.spec, {
        eval: boot.eval,
        workerData: { [WORKER_FLAG]: true, setup },
        stdout: false,
        stderr: false,
      });
      live.add(worker);
      const give = (): void => {
        if (settled || !live.has(worker)) return;
        const t = queue.take();
        if (t === null) {
          current = undefined;
          parked.add(give);
        } else if (t !== undefined) {
          current = t;
          worker.postMessage({ type: 'task', task: current });
        } else {
          current = undefined;
          live.delete(worker);
          void worker.terminate();
          if (live.size === 0) finish();
        }
      };
      worker.on('message', (msg: { type: 'ready' } | { type: 'result'; result: SongResult } | { type: 'initFailed'; code: string; message: string }) => {
        if (settled) return; // stopped: a result still in the port is dropped
        if (msg.type === 'initFailed') {
          // The highlighter (or its backend) cannot be loaded: no song can be done, stop the run.
          finish(new HitrankError(msg.code as HitrankErrorCode, msg.message));
          return;
        }
        if (msg.type === 'ready') {
          ready = true;
          started++;
          give();
        } else {
          current = undefined;
          try {
            record(msg.result);
          } catch (e) {
            finish(e); // an onProgress callback threw
            return;
          }
          give();
        }
      });
      const die = (why: string): void => {
        if (!live.has(worker) || settled) return;
        live.delete(worker);
        parked.delete(give);
        void worker.terminate();
        if (current) {
          const t = current;
          current = undefined;
          record({ index: t.index, status: 'failed', error: { code: 'E_INTERNAL', message: `${t.audio}: the worker thread crashed (${why}).` } });
        }
        if (!ready) {
          // Could not start (loader problem): the caller finishes the remaining songs in-process.
          if (live.size === 0) finish();
          return;
        }
        crashes++;
        if (crashes <= queue.total && queue.left > 0) spawn();
        else if (live.size === 0) finish();
      };
      worker.on('error', (e) => die(e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => die(`exit code ${code}`));
    };
    for (let k = 0; k < jobs; k++) spawn();
  });
  return {
    done,
    kick: () => {
      const waiting = [...parked];
      parked.clear();
      for (const give of waiting) give();
    },
    stop: () => finish(),
  };
}

/** Options of {@link extractHighlighterFeatures}. */
export interface ExtractHighlighterFeaturesOptions extends Pick<ExtractFeaturesOptions, 'cacheDir' | 'jobs' | 'onProgress' | 'signal'> {
  /**
   * The highlighter's feature options (`HighlighterFeatureOptions` of
   * hitrank/dsp: rate, FFT, hop, mel bands, padding, chunk length; not
   * `inputSampleRate`, which is each file's own). Default: the published
   * recipe (`HIGHLIGHTER_PRESET`, 3-s chunks).
   */
  features?: Omit<HighlighterFeatureOptions, 'inputSampleRate'>;
}

/** Result of {@link extractHighlighterFeatures}. */
export interface HighlighterFeaturesResult {
  /** Ids of the songs that succeeded, in input order. */
  ids: string[];
  /** Index of each of them in the input rows (aligned with `ids`). */
  indices: number[];
  /** Their chunked log1p mels, aligned with `ids`: what `highlighterFeatures` gives for each decoded song. */
  mels: ChunkedMel[];
  /**
   * Songs that failed, in input order: those of {@link extractFeatures}
   * (unreadable, undecodable…) and songs shorter than one chunk (`E_TOO_SHORT`).
   */
  failed: FeatureFailure[];
  /**
   * Counts of the whole-song extraction (`cached` / `extracted` count every
   * song decoded or read back, including those then too short to chunk).
   */
  stats: ExtractStats;
  /** The resolved whole-song recipe (the features part of the cache key). */
  features: FeaturePreset;
  /** Chunk length in whole seconds. */
  chunkSeconds: number;
}

/**
 * The music highlighter's input for every song of a manifest (Huang et al.,
 * ref. [13]; what `trainHighlighter` of hitrank/highlight takes): the same
 * numbers, bit for bit, as `highlighterFeatures(loadAudio(path, { mono: true
 * }).channelData[0], { ...features, inputSampleRate })` per song, but made by
 * {@link extractFeatures}: the whole-song log1p mel is computed in `jobs`
 * worker threads and kept in the content-addressed cache (`cacheDir`), so a
 * rerun reads it back; the calling thread then cuts it into chunks with
 * `chunkMel`, using the song's whole seconds at its own rate
 * (`⌊sourceSamples / sourceSampleRate⌋`, stored in the cache entry).
 *
 * @param input - a {@link Manifest} or an array of manifest rows (absolute or cwd-relative audio paths).
 * @param options - see {@link ExtractHighlighterFeaturesOptions}.
 * @returns the chunked features of the songs that succeeded, the failures and the counts.
 * @throws HitrankError `E_PARAM` for bad feature options, `E_EMPTY` for no rows (before any work);
 *   `signal.reason` when aborted.
 *
 * @example
 * ```ts
 * const { ids, mels, failed } = await extractHighlighterFeatures(manifest, { cacheDir: '.hitrank-cache' });
 * const { highlighter } = await trainHighlighter(mels, labelsOf(ids));
 * ```
 */
export async function extractHighlighterFeatures(
  input: Pick<Manifest, 'rows' | 'tagNames'> | readonly ManifestRow[],
  options: ExtractHighlighterFeaturesOptions = {},
): Promise<HighlighterFeaturesResult> {
  const { chunkSeconds, ...recipe } = resolveHighlighterFeatures(options.features);
  const res = await extractFeatures(input, {
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
    ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    features: recipe,
    segment: 'whole',
    collect: 'songs',
  });
  const out: HighlighterFeaturesResult = { ids: [], indices: [], mels: [], failed: [...res.failed], stats: res.stats, features: res.features, chunkSeconds };
  for (const song of res.songs) {
    const data = song.data!;
    delete song.data; // the whole-song mel is dropped once chunked
    try {
      const seconds = Math.floor(song.sourceSamples / song.sourceSampleRate);
      out.mels.push(chunkMel({ data, shape: song.shape }, seconds, chunkSeconds));
      out.ids.push(song.id);
      out.indices.push(song.index);
    } catch (e) {
      if (!(e instanceof HitrankError)) throw e;
      const raw = e.detail;
      const audio = (Array.isArray(input) ? (input as readonly ManifestRow[]) : (input as Manifest).rows)[song.index].audio;
      out.failed.push({ id: song.id, index: song.index, audio, code: e.code, message: `${audio}: ${raw}` });
    }
  }
  out.failed.sort((a, b) => a.index - b.index);
  return out;
}
