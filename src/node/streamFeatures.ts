/**
 * Features as a stream: the songs of a manifest come out one by one, in
 * input order, while worker threads compute the next ones — a prefetching
 * dataset (`tf.data`'s `map(…).prefetch(n)`), so a consumer that scores,
 * writes or trains on songs as they arrive keeps every core busy and holds
 * only a bounded number of songs in memory.
 *
 * @module
 */
import type { HitDataset, ManifestRow } from '../data/index.js';
import type { FeaturePreset } from '../dsp/index.js';
import { HitrankError } from '../errors.js';
import {
  prepareRun,
  ProgressCounter,
  runPool,
  SongProcessor,
  type ExtractFeaturesOptions,
  type ExtractStats,
  type SongPool,
  type SongResult,
  type SongTask,
  type TaskQueue,
} from './extractFeatures.js';
import type { SegmentChoice } from './featureCache.js';
import type { Manifest } from './manifest.js';
import type { SavedHighlighterInfo } from './savedHighlighter.js';

/** Options of {@link streamFeatures}: those of `extractFeatures` (but `collect`) plus the prefetch depth. */
export interface StreamFeaturesOptions extends Omit<ExtractFeaturesOptions, 'collect'> {
  /**
   * Songs started ahead of the consumer: at most this many are being
   * computed or wait, finished, to be read. Memory holds at most `prefetch`
   * songs' features besides the ones the consumer keeps. Default
   * `4 × jobs` (at least 2); must be ≥ `jobs` to keep every worker busy.
   */
  prefetch?: number;
  /**
   * Keep each song's features in `data` (default `true`). `false` only fills
   * the cache (needs `cacheDir`), like `extractFeatures`' `collect: false`.
   */
  keepData?: boolean;
}

/** One song of a {@link FeatureStream}, in input order. */
export interface StreamedSong {
  /** Index of the song in the input rows. */
  index: number;
  /** The manifest row (id, audio path, hit score, artists, tags). */
  row: ManifestRow;
  /** `'cached'` / `'extracted'` with `data`, or `'failed'` with `error` (the stream goes on). */
  status: 'cached' | 'extracted' | 'failed';
  /** The features, row-major `[nMels × frames]` (`shape`), unless `keepData: false` or failed. */
  data?: Float32Array;
  /** `[nMels, frames]` of `data` (absent for a failed song). */
  shape?: [number, number];
  /** Whether the song was shorter than the segment and zero-padded. */
  padded: boolean;
  /** Samples of the decoded (mono) song at its own rate (0 for a failed song). */
  sourceSamples: number;
  /** Sample rate of the decoded song in Hz (0 for a failed song). */
  sourceSampleRate: number;
  /** Why a failed song failed. */
  error?: {
    /** Error code (`E_IO` missing/unreadable file, `E_CORRUPT_FILE`, `E_UNSUPPORTED`, …; `E_INTERNAL` for a crash). */
    code: string;
    /** What went wrong, naming the file. */
    message: string;
  };
}

/** A batch of a {@link FeatureStream}: the next `size` songs that succeeded, as a dataset, and the failures met on the way. */
export interface FeatureBatch {
  /**
   * The batch's successful songs in input order: ids, hit scores, artists,
   * mels + melShape, tags / tagNames when the rows have tags — what
   * `SiameseHitModel.predict` takes.
   */
  dataset: HitDataset;
  /** The same songs as streamed (index, row, shape, source length), aligned with `dataset.ids`. */
  songs: StreamedSong[];
  /** Songs that failed since the previous batch (status `'failed'`, with `error`). */
  failed: StreamedSong[];
}

/**
 * The songs of {@link streamFeatures}, in input order; iterate with
 * `for await`. Leaving the loop early (`break`, `throw`) stops the workers;
 * so does {@link FeatureStream.close}.
 */
export interface FeatureStream extends AsyncIterableIterator<StreamedSong> {
  /** The resolved feature recipe. */
  readonly features: FeaturePreset;
  /** The resolved segment. */
  readonly segment: SegmentChoice;
  /** The highlighter of an HL-30 segment, else `undefined`. */
  readonly highlighter: SavedHighlighterInfo | undefined;
  /** `[nMels, frames]` of every song (frames 0 when it differs per song: segment `'whole'` with a recipe that keeps every frame). */
  readonly melShape: [number, number];
  /** Tag names of a `Manifest` input with `tag_<name>` columns. */
  readonly tagNames: string[] | undefined;
  /** The prefetch depth in use. */
  readonly prefetch: number;
  /** Counts so far (songs finished, in any order); `workers` (threads that started; 0 = the calling thread) is known once the stream has ended. */
  readonly stats: ExtractStats;
  /** Stops the workers and ends the stream (songs not yet read are dropped). */
  close(): Promise<void>;
  /**
   * The rest of the stream in batches of `size` successful songs, each a
   * `HitDataset` (`tf.data`'s `batch`): score a catalogue batch by batch
   * while the workers compute the next one. The last batch may be smaller,
   * or hold only failures. Needs the features (`keepData`) and one shape for
   * every song.
   *
   * @param size - successful songs per batch (integer ≥ 1).
   * @returns the batches, in input order.
   * @throws HitrankError `E_PARAM` for a bad size, `keepData: false`, or
   *   features whose frame count differs per song.
   */
  batches(size: number): AsyncIterableIterator<FeatureBatch>;
}

/**
 * Computes the features of a manifest's songs like `extractFeatures` (same
 * recipe, segment, cache, workers, failures — bit-identical features) but
 * hands them over one at a time, in input order, as they are ready: a
 * prefetching dataset. Worker threads run at most `prefetch` songs ahead of
 * the consumer, so a long manifest (a catalogue to rank, a cache to fill) is
 * processed in bounded memory, and the consumer's own work (scoring a batch,
 * writing results) overlaps with decoding and log-mels instead of waiting
 * for all of them.
 *
 * A song that fails comes out with `status: 'failed'` and its `error`; the
 * stream goes on. The stream itself rejects only for what stops the whole
 * run: an abort (`signal.reason`), a highlighter that cannot be loaded, or
 * an `onProgress` that throws.
 *
 * With `jobs: 1` (or when worker threads cannot start) each song is
 * computed in the calling thread when it is read, without prefetching.
 *
 * @param input - a `Manifest` from `readManifest` or an array of manifest rows.
 * @param options - see {@link StreamFeaturesOptions}.
 * @returns the stream, once the options are checked and the recipe resolved.
 * @throws HitrankError `E_PARAM` / `E_EMPTY` for bad options or no rows, the
 *   errors of `readHighlighterInfo` for an HL-30 segment (all before any work).
 *
 * @example
 * ```ts
 * const stream = await streamFeatures(await readManifest('catalogue.csv'), { jobs: 4 });
 * for await (const song of stream) {
 *   if (song.status === 'failed') console.error(song.error!.message);
 *   else scoreLater(song.row.id, song.data!);   // features [128 × 323], row-major
 * }
 * ```
 */
export async function streamFeatures(
  input: Pick<Manifest, 'rows' | 'tagNames'> | readonly ManifestRow[],
  options: StreamFeaturesOptions = {},
): Promise<FeatureStream> {
  const t0 = performance.now();
  const keepData = options.keepData ?? true;
  if (typeof keepData !== 'boolean') throw new HitrankError('E_PARAM', `keepData must be true or false, got ${JSON.stringify(keepData)}.`);
  if (!keepData && options.cacheDir === undefined) throw new HitrankError('E_PARAM', 'keepData: false keeps nothing unless a cacheDir is given.');
  const run = await prepareRun(input, options, keepData);
  const { rows, setup, jobs } = run;
  const prefetch = options.prefetch ?? Math.max(2, 4 * jobs);
  if (!Number.isInteger(prefetch) || prefetch < 1 || prefetch > 1e6) {
    throw new HitrankError('E_PARAM', `prefetch must be an integer in [1, 1e6], got ${String(prefetch)}.`);
  }
  const signal = options.signal;
  const n = rows.length;
  const tasks: SongTask[] = rows.map((r, index) => ({ index, audio: r.audio }));
  const local = new SongProcessor(setup);
  const progress = new ProgressCounter(rows, options.onProgress);
  const ready = new Map<number, SongResult>();
  let cursor = 0; // next index to hand to the consumer
  let handedOut = 0; // tasks given to workers (in index order)
  let workers = 0;
  let closed = false;
  let failure: { error: unknown } | null = null;
  let waiting: (() => void)[] = [];
  const notify = (): void => {
    const all = waiting;
    waiting = [];
    for (const w of all) w();
  };

  const record = (r: SongResult): void => {
    if (closed) return;
    ready.set(r.index, r);
    progress.count(r);
    notify();
  };

  let pool: SongPool | null = null;
  let poolDone = true;
  if (jobs > 1) {
    const queue: TaskQueue = {
      take: () => (handedOut >= n ? undefined : handedOut - cursor >= prefetch ? null : tasks[handedOut++]),
      get left() {
        return n - handedOut;
      },
      total: n,
    };
    pool = runPool(queue, jobs, setup, record, signal);
    poolDone = false;
    pool.done.then(
      (started) => {
        workers = started;
        poolDone = true;
        notify();
      },
      (e: unknown) => {
        poolDone = true;
        failure ??= { error: e };
        notify();
      },
    );
  }

  const shutdown = (): void => {
    if (closed) return;
    closed = true;
    pool?.stop();
    local.dispose();
    ready.clear();
    notify(); // pending next() calls end the stream
  };

  const next = async (): Promise<IteratorResult<StreamedSong>> => {
    while (!closed) {
      if (failure) {
        const { error } = failure;
        shutdown();
        throw error;
      }
      if (cursor >= n) {
        shutdown();
        break;
      }
      const r = ready.get(cursor);
      if (r) {
        ready.delete(cursor);
        cursor++;
        pool?.kick();
        return { done: false, value: streamedSong(rows[r.index], r) };
      }
      if (poolDone && cursor >= handedOut) {
        // No workers (jobs 1, or they could not start): compute the song here, when it is read.
        // Claim the song before awaiting, so a next() called meanwhile waits for it instead of computing it too.
        const i = cursor;
        handedOut = Math.max(handedOut, i + 1);
        try {
          signal?.throwIfAborted();
          await local.init(true);
          record(await local.process(tasks[i]));
        } catch (e) {
          failure ??= { error: e };
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
      });
    }
    return { done: true, value: undefined };
  };

  const stream: FeatureStream = {
    features: run.features,
    segment: run.segment,
    highlighter: run.highlighter,
    melShape: [local.shape[0], local.shape[1]],
    tagNames: run.tagNames ? [...run.tagNames] : undefined,
    prefetch,
    get stats(): ExtractStats {
      const p = progress.state;
      return {
        total: n,
        cached: p.cached,
        extracted: p.extracted,
        failed: p.failed,
        corrupt: progress.corrupt,
        workers,
        seconds: (performance.now() - t0) / 1000,
      };
    },
    next,
    return: async () => {
      shutdown();
      return { done: true, value: undefined };
    },
    close: async () => {
      shutdown();
    },
    batches: (size: number) => {
      if (!Number.isInteger(size) || size < 1) throw new HitrankError('E_PARAM', `batch size must be an integer ≥ 1, got ${String(size)}.`);
      if (!keepData) throw new HitrankError('E_PARAM', 'batches need the features: this stream was made with keepData: false.');
      if (stream.melShape[1] === 0) {
        throw new HitrankError('E_PARAM', "batches need one feature shape for every song; segment 'whole' with a recipe that keeps every frame gives each song its own.");
      }
      return batchesOf(stream, size);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return stream;
}

/** Groups a stream's songs into {@link FeatureBatch}es of `size` successful songs. */
async function* batchesOf(stream: FeatureStream, size: number): AsyncGenerator<FeatureBatch, void, undefined> {
  let songs: StreamedSong[] = [];
  let failed: StreamedSong[] = [];
  const make = (): FeatureBatch => {
    const rows = songs.map((s) => s.row);
    const dataset: HitDataset = {
      ids: rows.map((r) => r.id),
      hitScores: Float64Array.from(rows, (r) => r.hitScore),
      artists: rows.map((r) => [...(r.artists ?? [])]),
      mels: songs.map((s) => s.data!),
      melShape: [stream.melShape[0], stream.melShape[1]],
    };
    if (rows.length > 0 && rows[0].tags) {
      dataset.tags = rows.map((r) => Float32Array.from(r.tags ?? []));
      if (stream.tagNames) dataset.tagNames = [...stream.tagNames];
    }
    const batch = { dataset, songs, failed };
    songs = [];
    failed = [];
    return batch;
  };
  for await (const s of stream) {
    if (s.status === 'failed') failed.push(s);
    else songs.push(s);
    if (songs.length === size) yield make();
  }
  if (songs.length > 0 || failed.length > 0) yield make();
}

/** A worker's result as the stream hands it over. */
function streamedSong(row: ManifestRow, r: SongResult): StreamedSong {
  const s: StreamedSong = {
    index: r.index,
    row,
    status: r.status,
    padded: r.padded ?? false,
    sourceSamples: r.sourceSamples ?? 0,
    sourceSampleRate: r.sourceSampleRate ?? 0,
  };
  if (r.data) s.data = r.data;
  if (r.shape) s.shape = r.shape;
  if (r.error) s.error = r.error;
  return s;
}
