/**
 * Data-parallel training of a {@link SiameseHitModel} over `worker_threads`:
 * every worker runs its own TensorFlow.js backend with a replica of the
 * model's scorer; each step's batch of pairs is split across the workers,
 * each computes the gradient of its share of Eq. 3, the main thread sums the
 * gradients, applies the optimiser to the model's own weights and hands the
 * new weights to every worker for the next step.
 *
 * Data moves through `SharedArrayBuffer`s allocated once per `fit` (weights,
 * one gradient region and two input slots per worker), so a step posts only
 * small control messages; the inputs of step t + 1 are standardised into the
 * free slot while the workers compute step t.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { HitDataset } from '../data/index.js';
import { callerModuleFile, workerEntry } from './workerModule.js';
import { HitrankError, type HitrankErrorCode } from '../errors.js';
import { startTfjsBackend, TFJS_BACKEND_MODULES } from './tfjsBackend.js';
import { combineShardLosses, planShards, shardDropoutDraw, shardGradients, type ShardPlan } from '../training/dataParallel.js';
import { enableRelaxedSimd } from './relaxedSimd.js';
import { standardizeMelsInPlace, type Standardizer } from '../training/standardizer.js';
import { Scorer, type ScorerConfig } from '../training/scorer.js';
import type {
  FitHistory,
  FitOptions,
  SiameseHitModel,
  StepExecutor,
  StepLoss,
  StepLossSpec,
  TrainingBatch,
  TrainingContext,
} from '../training/index.js';

/** Options of {@link parallelTrainingExecutor}. */
export interface ParallelTrainingOptions {
  /**
   * Worker threads (each with its own backend and model replica). Default
   * {@link defaultTrainingWorkers} (the cores available to the process).
   * Capped at `batchPairs`: a worker gets at least one pair per step.
   */
  workers?: number;
  /**
   * tfjs backend of the workers. Default: the backend active in the calling
   * thread when training starts (`tf.getBackend()`), e.g. `'wasm'`.
   */
  backend?: string;
  /**
   * Module each worker imports to register `backend`. Default
   * `@tensorflow/tfjs-backend-wasm` for `'wasm'`, `@tensorflow/tfjs-backend-cpu`
   * for `'cpu'`, `@tensorflow/tfjs-node` for `'tensorflow'`; required for
   * other backends.
   */
  backendModule?: string;
  /**
   * Turn on WebAssembly relaxed SIMD ({@link enableRelaxedSimd}) before
   * training, so hitrank's simple-CNN kernels use fused multiply-add.
   * Default true.
   */
  relaxedSimd?: boolean;
  /**
   * Test hook: make worker `worker` fail on the executor's step `step`
   * (counted from 0 over the whole fit) by throwing an uncaught error
   * (`'throw'`), calling `process.exit(7)` (`'exit'`) or throwing inside the
   * step (`'error'`, reported like any failed step).
   *
   * @internal
   */
  faultInjection?: { worker: number; step: number; kind: 'throw' | 'exit' | 'error' };
}

/** Timing and memory of a {@link ParallelTrainingExecutor}, over the steps of the last `fit`. */
export interface ParallelTrainingStats {
  /** Worker threads used in the last `fit` (0 before the first). */
  workers: number;
  /** Worker threads running now (0 once training has ended, successfully or not). */
  liveWorkers: number;
  /** Backend the workers ran. */
  backend: string;
  /** Steps taken. */
  steps: number;
  /** Mean wall time of a step in the calling thread, ms. */
  stepMs: number;
  /** Mean time of the slowest worker's shard (weights in, forward, backward, gradients out), ms. */
  workerMs: number;
  /**
   * Mean time the calling thread spent per step on the gradient sum, the
   * optimiser update and publishing the new weights — the workers wait
   * meanwhile — in ms.
   */
  reduceMs: number;
  /** Mean time spent standardising a step's inputs into the shared buffers, ms (overlapped with the workers' compute except for the first step of an epoch). */
  inputMs: number;
  /** Live tensors in each worker after its first step. */
  workerTensorsFirst: number[];
  /** Live tensors in each worker after its latest step (equal to the first when nothing leaks). */
  workerTensorsLast: number[];
}

/** A {@link StepExecutor} running on worker threads, with its {@link ParallelTrainingStats}. */
export interface ParallelTrainingExecutor extends StepExecutor {
  /** Timing and memory figures (a snapshot). */
  readonly stats: ParallelTrainingStats;
}

/** Options of {@link fitParallel}. */
export interface FitParallelOptions extends Omit<ParallelTrainingOptions, 'workers'> {
  /**
   * Training threads. Default {@link defaultTrainingWorkers}. With `1` (a
   * single core) `fit` runs in the calling thread with no worker at all.
   */
  workers?: number;
}

const WORKER_FLAG = '__hitrankTrainingWorker';
/** Code of the error `fit` rejects with when a worker thread dies (see the report). */
const CRASH_CODE: HitrankErrorCode = 'E_IO';
const STOP_TIMEOUT_MS = 5000;


/** Variable layout in the flat weight / gradient buffers. */
interface VarSlot {
  offset: number;
  size: number;
  shape: number[];
}

interface WorkerInit {
  [WORKER_FLAG]: true;
  index: number;
  count: number;
  backend: string;
  backendModule: string;
  scorer: ScorerConfig;
  loss: StepLossSpec;
  melShape: [number, number] | null;
  /** The workers standardise their own log-mels (the main thread copies them raw). */
  melStandardizer: Standardizer | null;
  tagDim: number;
  layout: VarSlot[];
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  x: SharedArrayBuffer[] | null;
  g: SharedArrayBuffer[] | null;
  sync: SharedArrayBuffer;
  fault: ParallelTrainingOptions['faultInjection'] | null;
}

interface StepMessage {
  type: 'step';
  seq: number;
  slot: number;
  /** Epoch and step of the batch, its size and the shard's first pair: the shard's dropout draw. */
  epoch: number;
  step: number;
  batchPairs: number;
  start: number;
  pairs: number;
  yi: Float32Array;
  yj: Float32Array;
  rateWeight: number;
  rankWeight: number;
}

type ToWorker = StepMessage | { type: 'stop' };

type FromWorker =
  | { type: 'ready' }
  | { type: 'initFailed'; message: string }
  | { type: 'done'; seq: number; loss: number; rate: number; rank: number; ms: number; tensors: number }
  | { type: 'failed'; seq: number; code: string; message: string }
  | { type: 'stopped'; tensors: number };

// ---------------------------------------------------------------------------
// Worker side. Workers load *this same module file* (dist chunk, CJS bundle or
// the .ts source under tsx), as the feature-extraction workers do.

async function runWorker(port: NonNullable<typeof parentPort>, init: WorkerInit): Promise<void> {
  let scorer: Scorer;
  let vars: tf.Variable[];
  try {
    await startTfjsBackend(init.backend, init.backendModule);
    scorer = new Scorer(init.scorer);
    vars = scorer.variables();
    const mismatch = vars.length !== init.layout.length || vars.some((v, i) => v.size !== init.layout[i].size);
    if (mismatch) throw new Error('the replica has different variables than the model.');
  } catch (e) {
    port.postMessage({ type: 'initFailed', message: e instanceof Error ? e.message : String(e) } satisfies FromWorker);
    return;
  }
  const sync = new Int32Array(init.sync);
  const weights = new Float32Array(init.weights);
  const grads = new Float32Array(init.grads);
  const xs = init.x?.map((b) => new Float32Array(b)) ?? null;
  const gs = init.g?.map((b) => new Float32Array(b)) ?? null;
  let step = 0;

  const run = (m: StepMessage): FromWorker => {
    const t0 = performance.now();
    Atomics.load(sync, 0); // pairs with the main thread's Atomics.store after it wrote weights and inputs
    init.layout.forEach((s, i) => {
      const t = tf.tensor(weights.slice(s.offset, s.offset + s.size), s.shape);
      vars[i].assign(t);
      t.dispose();
    });
    const clips = 2 * m.pairs;
    const xData = xs && init.melShape ? xs[m.slot].subarray(0, clips * init.melShape[0] * init.melShape[1]) : undefined;
    // The main thread copied the log-mels raw; standardise here, off its core (same arithmetic, same bits).
    if (xData && init.melShape && init.melStandardizer) standardizeMelsInPlace(xData, clips, init.melShape[0], init.melShape[1], init.melStandardizer);
    const x = xData && init.melShape ? tf.tensor3d(xData, [clips, ...init.melShape]) : null;
    const g = gs ? tf.tensor2d(gs[m.slot].subarray(0, clips * init.tagDim), [clips, init.tagDim]) : null;
    let r: ReturnType<typeof shardGradients>;
    try {
      r = shardGradients(scorer, vars, x, g, m.yi, m.yj, init.loss, m.rateWeight, m.rankWeight, shardDropoutDraw(m.epoch, m.step, m.batchPairs, m.start, m.pairs), xData);
    } finally {
      x?.dispose();
      g?.dispose();
    }
    init.layout.forEach((s, i) => {
      grads.set(r.grads[i].dataSync() as Float32Array, s.offset);
      r.grads[i].dispose();
    });
    Atomics.store(sync, 1 + init.index, m.seq);
    return { type: 'done', seq: m.seq, loss: r.loss, rate: r.rate, rank: r.rank, ms: performance.now() - t0, tensors: tf.memory().numTensors };
  };

  port.on('message', (m: ToWorker) => {
    if (m.type === 'stop') {
      port.postMessage({ type: 'stopped', tensors: tf.memory().numTensors } satisfies FromWorker);
      return;
    }
    const f = init.fault;
    if (f && f.worker === init.index && f.step === step) {
      if (f.kind === 'exit') process.exit(7);
      if (f.kind === 'throw') throw new Error(`injected crash in training worker ${init.index} at step ${step}`);
    }
    step++;
    let reply: FromWorker;
    try {
      if (f && f.kind === 'error' && f.worker === init.index && f.step === step - 1) {
        throw new HitrankError('E_NAN', `injected step failure in training worker ${init.index}`);
      }
      reply = run(m);
    } catch (e) {
      const code = e instanceof HitrankError ? e.code : 'E_INTERNAL';
      const message = e instanceof HitrankError ? e.detail : e instanceof Error ? e.message : String(e);
      reply = { type: 'failed', seq: m.seq, code, message };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) {
  void runWorker(parentPort, workerData as WorkerInit);
}


// ---------------------------------------------------------------------------
// Main side.

/**
 * Worker threads {@link fitParallel} uses by default: the number of cores
 * this process may run on (`os.availableParallelism()`, which honours CPU
 * affinity). `1` means training stays in the calling thread.
 *
 * @returns the default number of training threads (≥ 1).
 */
export function defaultTrainingWorkers(): number {
  return Math.max(1, availableParallelism());
}

interface Prepared {
  batch: TrainingBatch;
  plans: ShardPlan[];
  slot: number;
}

interface Pending {
  seq: number;
  batch: TrainingBatch;
  results: (StepLoss | null)[];
  workerMs: number[];
  left: number;
  resolve: (r: StepLoss[]) => void;
  reject: (e: unknown) => void;
}

class WorkerPoolExecutor implements ParallelTrainingExecutor {
  private readonly wanted: number;
  private readonly backendOption: string | undefined;
  private readonly backendModuleOption: string | undefined;
  private readonly relaxedSimd: boolean;
  private readonly fault: ParallelTrainingOptions['faultInjection'] | null;
  private ctx: TrainingContext | null = null;
  private workers: Worker[] = [];
  private threadIds: number[] = [];
  private live = new Set<Worker>();
  private layout: VarSlot[] = [];
  private weightView: Float32Array | null = null;
  private gradViews: Float32Array[] = [];
  private xViews: Float32Array[][] | null = null;
  private gViews: Float32Array[][] | null = null;
  private sync: Int32Array | null = null;
  private seq = 0;
  private slotToggle = 0;
  private prefetched: Prepared | null = null;
  private pending: Pending | null = null;
  private failure: unknown = null;
  private stopping = false;
  private running = false;
  private phase = 'while starting';
  private readonly s: ParallelTrainingStats = {
    workers: 0,
    liveWorkers: 0,
    backend: '',
    steps: 0,
    stepMs: 0,
    workerMs: 0,
    reduceMs: 0,
    inputMs: 0,
    workerTensorsFirst: [],
    workerTensorsLast: [],
  };
  private sums = { step: 0, worker: 0, reduce: 0, input: 0, inputs: 0 };

  constructor(options: ParallelTrainingOptions) {
    const workers = options.workers ?? defaultTrainingWorkers();
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
      throw new HitrankError('E_PARAM', `workers must be an integer in [1, 256], got ${workers}.`);
    }
    this.wanted = workers;
    this.backendOption = options.backend;
    this.backendModuleOption = options.backendModule;
    this.relaxedSimd = options.relaxedSimd ?? true;
    this.fault = options.faultInjection ?? null;
  }

  get stats(): ParallelTrainingStats {
    const n = Math.max(this.s.steps, 1);
    return {
      ...this.s,
      liveWorkers: this.live.size,
      stepMs: this.sums.step / n,
      workerMs: this.sums.worker / n,
      reduceMs: this.sums.reduce / n,
      inputMs: this.sums.input / Math.max(this.sums.inputs, 1),
      workerTensorsFirst: [...this.s.workerTensorsFirst],
      workerTensorsLast: [...this.s.workerTensorsLast],
    };
  }

  async start(ctx: TrainingContext): Promise<void> {
    if (this.running) throw new HitrankError('E_PARAM', 'this training executor is already running a fit; create one executor per concurrent fit.');
    if (this.relaxedSimd) enableRelaxedSimd();
    const backend = this.backendOption ?? tf.getBackend();
    if (!backend) throw new HitrankError('E_PARAM', 'no tfjs backend is active; call tf.setBackend() first or pass { backend }.');
    const backendModule = this.backendModuleOption ?? TFJS_BACKEND_MODULES[backend];
    if (!backendModule) {
      throw new HitrankError('E_PARAM', `no default module for backend '${backend}'; pass backendModule (the package that registers it).`);
    }
    const boot = workerEntry(callerModuleFile('train without an executor', typeof __filename === 'string' ? __filename : undefined));
    this.running = true;
    this.stopping = false;
    this.failure = null;
    this.ctx = ctx;
    this.seq = 0;
    this.prefetched = null;
    this.phase = 'while starting';
    this.sums = { step: 0, worker: 0, reduce: 0, input: 0, inputs: 0 };
    const count = Math.min(this.wanted, ctx.maxPairs);
    Object.assign(this.s, { workers: count, backend, steps: 0, workerTensorsFirst: [], workerTensorsLast: [] });

    let offset = 0;
    this.layout = ctx.variables.map((v) => {
      const slot = { offset, size: v.size, shape: [...v.shape] };
      offset += v.size;
      return slot;
    });
    const shardPairs = Math.ceil(ctx.maxPairs / count);
    const f32 = (n: number) => new SharedArrayBuffer(4 * Math.max(n, 1));
    const weights = f32(offset);
    this.weightView = new Float32Array(weights);
    const syncBuf = new SharedArrayBuffer(4 * (1 + count));
    this.sync = new Int32Array(syncBuf);
    const melSize = ctx.melShape ? ctx.melShape[0] * ctx.melShape[1] : 0;
    const inits: WorkerInit[] = [];
    this.gradViews = [];
    this.xViews = ctx.melShape ? [] : null;
    this.gViews = ctx.tagDim > 0 ? [] : null;
    for (let w = 0; w < count; w++) {
      const grads = f32(offset);
      const x = ctx.melShape ? [f32(2 * shardPairs * melSize), f32(2 * shardPairs * melSize)] : null;
      const g = ctx.tagDim > 0 ? [f32(2 * shardPairs * ctx.tagDim), f32(2 * shardPairs * ctx.tagDim)] : null;
      this.gradViews.push(new Float32Array(grads));
      if (x) this.xViews!.push(x.map((b) => new Float32Array(b)));
      if (g) this.gViews!.push(g.map((b) => new Float32Array(b)));
      inits.push({
        [WORKER_FLAG]: true,
        index: w,
        count,
        backend,
        backendModule,
        // Every replica keeps the model's seed: each step's dropout masks follow the shard's rows
        // (shardDropoutDraw), so N workers draw the masks one thread would. Weights come from the model.
        scorer: { ...ctx.scorer },
        loss: ctx.loss,
        melShape: ctx.melShape,
        melStandardizer: ctx.melStandardizer,
        tagDim: ctx.tagDim,
        layout: this.layout,
        weights,
        grads,
        x,
        g,
        sync: syncBuf,
        fault: this.fault,
      });
    }

    await new Promise<void>((resolve, reject) => {
      let ready = 0;
      const startFailed = (w: number, why: string): void => {
        if (this.failure) return;
        this.failure = new HitrankError('E_UNSUPPORTED', `training worker ${w + 1} of ${count} could not start: ${why}. Train without an executor instead.`);
        reject(this.failure);
      };
      this.workers = inits.map((init, w) => {
        const worker = new Worker(boot.spec, { eval: boot.eval, workerData: init });
        this.threadIds[w] = worker.threadId;
        this.live.add(worker);
        worker.on('message', (m: FromWorker) => {
          if (m.type === 'ready') {
            if (++ready === count) resolve();
          } else if (m.type === 'initFailed') {
            startFailed(w, m.message);
          } else {
            this.onMessage(w, m);
          }
        });
        worker.on('error', (e) => {
          const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
          if (ready < count) startFailed(w, why);
          else this.crash(w, `threw an uncaught ${why}`);
        });
        worker.on('exit', (code) => {
          this.live.delete(worker);
          if (this.stopping) return;
          if (ready < count) startFailed(w, `it exited with code ${code}`);
          else this.crash(w, `exited with code ${code}`);
        });
        return worker;
      });
    }).catch(async (e) => {
      await this.terminate();
      this.running = false;
      throw e;
    });
    this.phase = 'between steps';
  }

  /** A worker died: fail the step in flight (or the next one) and stop every worker. */
  private crash(w: number, why: string): void {
    if (this.failure || this.stopping) return;
    const where = this.pending ? `at epoch ${this.pending.batch.epoch}, step ${this.pending.batch.step}` : this.phase;
    this.failure = new HitrankError(
      CRASH_CODE,
      `training worker ${w + 1} of ${this.workers.length} (thread ${this.threadIds[w] ?? '?'}) ${why} ${where}; all training workers were stopped.`,
    );
    this.pending?.reject(this.failure);
    this.pending = null;
    void this.terminate();
  }

  private onMessage(w: number, m: FromWorker): void {
    const p = this.pending;
    if (m.type === 'stopped') {
      this.s.workerTensorsLast[w] = m.tensors;
      return;
    }
    if (!p || (m.type !== 'done' && m.type !== 'failed') || m.seq !== p.seq) return;
    if (m.type === 'failed') {
      const code = (m.code.startsWith('E_') && m.code !== 'E_INTERNAL' ? m.code : CRASH_CODE) as HitrankErrorCode;
      this.pending = null;
      p.reject(new HitrankError(code, `training worker ${w + 1} of ${this.workers.length} failed at epoch ${p.batch.epoch}, step ${p.batch.step}: ${m.message}`));
      return;
    }
    if (this.sync) Atomics.load(this.sync, 1 + w); // pairs with the worker's store after writing its gradients
    p.results[w] = { loss: m.loss, rate: m.rate, rank: m.rank };
    p.workerMs[w] = m.ms;
    if (this.s.workerTensorsFirst[w] === undefined) this.s.workerTensorsFirst[w] = m.tensors;
    this.s.workerTensorsLast[w] = m.tensors;
    if (--p.left === 0) {
      this.pending = null;
      this.sums.worker += Math.max(...p.workerMs);
      p.resolve(p.results as StepLoss[]);
    }
  }

  /** Splits `batch` into shards and writes their inputs into `slot` (log-mels raw: the workers standardise them). */
  private prepare(batch: TrainingBatch, slot: number): Prepared {
    const ctx = this.ctx!;
    const t0 = performance.now();
    const plans = planShards(batch.yi, batch.yj, ctx.loss.w, ctx.loss.ties, this.workers.length);
    const B = batch.pairs;
    plans.forEach((p, s) => {
      const songs = new Int32Array(2 * p.pairs);
      songs.set(batch.songs.subarray(p.start, p.start + p.pairs), 0);
      songs.set(batch.songs.subarray(B + p.start, B + p.start + p.pairs), p.pairs);
      ctx.fillInputs(songs, this.xViews?.[s][slot] ?? null, this.gViews?.[s][slot] ?? null, ctx.melStandardizer !== null);
    });
    this.sums.input += performance.now() - t0;
    this.sums.inputs++;
    return { batch, plans, slot };
  }

  async step(batch: TrainingBatch, next: TrainingBatch | null): Promise<StepLoss> {
    if (this.failure) throw this.failure;
    const ctx = this.ctx;
    if (!ctx || !this.running) throw new HitrankError('E_PARAM', 'the training executor was not started (it is driven by SiameseHitModel.fit).');
    const t0 = performance.now();
    let cur: Prepared;
    if (this.prefetched && this.prefetched.batch === batch) {
      cur = this.prefetched;
    } else {
      this.slotToggle ^= 1;
      cur = this.prepare(batch, this.slotToggle);
    }
    this.prefetched = null;
    // Publish the weights the optimiser left, then start the shards.
    const tw = performance.now();
    const weights = this.weightView!;
    ctx.variables.forEach((v, i) => weights.set(v.dataSync() as Float32Array, this.layout[i].offset));
    this.sums.reduce += performance.now() - tw;
    const seq = ++this.seq;
    Atomics.store(this.sync!, 0, seq);
    const k = cur.plans.length;
    const done = new Promise<StepLoss[]>((resolve, reject) => {
      this.pending = { seq, batch, results: new Array(k).fill(null), workerMs: new Array(k).fill(0), left: k, resolve, reject };
    });
    this.phase = `at epoch ${batch.epoch}, step ${batch.step}`;
    cur.plans.forEach((p, s) => {
      const msg: StepMessage = {
        type: 'step',
        seq,
        slot: cur.slot,
        epoch: batch.epoch,
        step: batch.step,
        batchPairs: batch.pairs,
        start: p.start,
        pairs: p.pairs,
        yi: batch.yi.slice(p.start, p.start + p.pairs),
        yj: batch.yj.slice(p.start, p.start + p.pairs),
        rateWeight: p.rateWeight,
        rankWeight: p.rankWeight,
      };
      this.workers[s].postMessage(msg);
    });
    // While the workers compute: standardise the next step's inputs into the other slot.
    if (next) this.prefetched = this.prepare(next, cur.slot ^ 1);
    this.slotToggle = cur.slot ^ 1;
    let parts: StepLoss[];
    try {
      parts = await done;
    } catch (e) {
      this.prefetched = null;
      throw e;
    }
    this.phase = `after epoch ${batch.epoch}, step ${batch.step}`;
    const t1 = performance.now();
    const grads = this.layout.map(({ offset, size, shape }) => {
      const sum = this.gradViews[0].slice(offset, offset + size);
      for (let s = 1; s < k; s++) {
        const g = this.gradViews[s];
        for (let j = 0; j < size; j++) sum[j] += g[offset + j];
      }
      return tf.tensor(sum, shape);
    });
    ctx.applyGradients(grads);
    this.sums.reduce += performance.now() - t1;
    this.sums.step += performance.now() - t0;
    this.s.steps++;
    return combineShardLosses(cur.plans, parts);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.phase = 'while stopping';
    if (!this.failure) {
      // Ask for the final tensor counts, then end the threads.
      const replies = this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            const finish = (): void => {
              clearTimeout(timer);
              w.off('message', onMessage);
              w.off('exit', finish);
              resolve();
            };
            const onMessage = (m: FromWorker): void => {
              if (m.type === 'stopped') finish();
            };
            const timer = setTimeout(finish, STOP_TIMEOUT_MS);
            w.on('message', onMessage);
            w.once('exit', finish);
            w.postMessage({ type: 'stop' } satisfies ToWorker);
          }),
      );
      await Promise.all(replies);
    }
    await this.terminate();
    this.prefetched = null;
    this.pending = null;
    this.ctx = null;
    this.running = false;
  }

  private async terminate(): Promise<void> {
    const all = [...this.live];
    await Promise.all(all.map((w) => w.terminate().catch(() => undefined)));
    for (const w of all) this.live.delete(w);
  }
}

/**
 * A {@link StepExecutor} that trains on worker threads (data parallelism,
 * as PyTorch's `DistributedDataParallel` on one machine or TensorFlow's
 * `MirroredStrategy`): pass it as `FitOptions.executor`.
 *
 * - Each worker imports tfjs and the backend (`options.backend`, default the
 *   calling thread's, e.g. wasm — which is single-threaded in Node, so this
 *   is how training uses a second core) and builds a replica of the scorer.
 * - Every step, the batch of B pairs is cut into one run of consecutive pairs
 *   per worker; each worker differentiates its share of Eq. 3 — the rate
 *   term weighted by its share of the 2B songs, the rank term by its share of
 *   the counted (untied) pairs — so the summed gradients are the batch
 *   gradient of single-thread training (to float rounding). The calling
 *   thread sums them, applies Adagrad to the model's weights and publishes
 *   the weights for the next step; validation, learning-rate decay and early
 *   stopping run there as without workers.
 * - Dropout: worker 1 uses the model's mask stream, the others their own; so
 *   one worker reproduces single-thread training exactly, several match it
 *   only with `dropout: 0` (otherwise the masks differ, not their law). The
 *   streams restart at every `fit`.
 * - A worker that crashes (uncaught error, `process.exit`, out of memory)
 *   makes `fit` reject with a {@link HitrankError} naming the worker and the
 *   step; every worker is terminated. Workers also end when `fit` ends.
 *
 * Workers load the module file that contains this function (located as for
 * `extractFeatures`; from TypeScript sources through tsx's loader). If your
 * bundler merges hitrank into one file with your own code, train without an
 * executor.
 *
 * @param options - see {@link ParallelTrainingOptions}.
 * @returns an executor with live {@link ParallelTrainingStats}; reusable for
 *   consecutive (not concurrent) fits.
 * @throws HitrankError `E_PARAM` for a bad worker count.
 *
 * @example
 * ```ts
 * const executor = parallelTrainingExecutor({ workers: 2 });
 * await model.fit(train, { epochs: 50, executor });
 * console.log(executor.stats.stepMs, executor.stats.workerMs);
 * ```
 */
export function parallelTrainingExecutor(options: ParallelTrainingOptions = {}): ParallelTrainingExecutor {
  return new WorkerPoolExecutor(options);
}

/**
 * `model.fit(train, fitOptions)` on all available cores: with more than one
 * training thread (default {@link defaultTrainingWorkers}, i.e. whenever the
 * process may use more than one core) the steps run on
 * {@link parallelTrainingExecutor}; with one, in the calling thread. This is
 * what hitrank's Node entry points use; `SiameseHitModel.fit` itself (and so
 * the browser) stays single-threaded unless given an executor.
 *
 * @param model - the model to train.
 * @param train - the training set.
 * @param fitOptions - {@link FitOptions} (an `executor` given here wins).
 * @param parallel - {@link FitParallelOptions}: `workers`, `backend`, `backendModule`, `relaxedSimd`.
 * @returns the {@link FitHistory}.
 * @throws as `SiameseHitModel.fit`, plus a HitrankError when a worker cannot start or crashes.
 *
 * @example
 * ```ts
 * const history = await fitParallel(model, train, { validation: val, epochs: 150 }); // all cores
 * ```
 */
export async function fitParallel(
  model: SiameseHitModel,
  train: HitDataset,
  fitOptions: FitOptions = {},
  parallel: FitParallelOptions = {},
): Promise<FitHistory> {
  const workers = parallel.workers ?? defaultTrainingWorkers();
  if (!Number.isInteger(workers) || workers < 1) throw new HitrankError('E_PARAM', `workers must be an integer ≥ 1, got ${workers}.`);
  if (parallel.relaxedSimd ?? true) enableRelaxedSimd();
  if (fitOptions.executor || workers === 1) return model.fit(train, fitOptions);
  return model.fit(train, { ...fitOptions, executor: parallelTrainingExecutor({ ...parallel, workers }) });
}
