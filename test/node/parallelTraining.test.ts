// Data-parallel training on worker threads (src/node/parallelTraining.ts):
// equality with single-thread training, crash handling, leaks, clean-up.
import seedrandom from 'seedrandom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HitDataset } from '../../src/data/index.js';
import { HitrankError } from '../../src/errors.js';
import { fitParallel, parallelTrainingExecutor, type ParallelTrainingOptions } from '../../src/node/parallelTraining.js';
import { SiameseHitModel, type FitOptions, type SiameseHitModelOptions } from '../../src/training/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { plantedMelDataset } from '../training/planted.js';

beforeAll(async () => {
  await useBackend('wasm');
});

/** Planted mel dataset whose hit scores take only 5 values, so many sampled pairs are tied. */
function tiedMelDataset(n: number): HitDataset {
  const ds = plantedMelDataset(n, 'parallel', 8, 20);
  const sorted = [...ds.hitScores].sort((a, b) => a - b);
  const levels = [0.2, 0.4, 0.6, 0.8].map((q) => sorted[Math.floor(q * n)]);
  return { ...ds, hitScores: Float64Array.from(ds.hitScores, (v) => levels.find((l) => v <= l) ?? sorted[n - 1]) };
}

/** Tiny feature-only dataset for the long runs. */
function featureDataset(n: number): HitDataset {
  const rng = seedrandom('tiny');
  return {
    ids: Array.from({ length: n }, (_, i) => `t${i}`),
    hitScores: Float64Array.from({ length: n }, () => 1e-4 + 0.01 * rng()),
    tags: Array.from({ length: n }, () => Float32Array.from({ length: 4 }, () => rng() - 0.5)),
  };
}

function weightsOf(model: SiameseHitModel): Float32Array[] {
  return (model as unknown as { scorer: { namedWeights(): { tensor: tf.Tensor }[] } }).scorer
    .namedWeights()
    .map((w) => w.tensor.dataSync() as Float32Array);
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((t, i) => t.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j])))));
  return m;
}

async function train(
  data: HitDataset,
  modelOptions: SiameseHitModelOptions,
  fitOptions: FitOptions,
  parallel: ParallelTrainingOptions | null,
): Promise<{ weights: Float32Array[]; losses: number[]; stats: ReturnType<typeof parallelTrainingExecutor>['stats'] | null }> {
  const model = new SiameseHitModel(modelOptions);
  const executor = parallel ? parallelTrainingExecutor(parallel) : undefined;
  const hist = await model.fit(data, { ...fitOptions, executor });
  const weights = weightsOf(model);
  model.dispose();
  return { weights, losses: hist.epochs.map((e) => e.loss), stats: executor?.stats ?? null };
}

describe('parallelTrainingExecutor: same result as single-thread training', () => {
  const data = tiedMelDataset(40);
  // 7 pairs a step: shards of 4 and 3 pairs with different numbers of tied pairs.
  const fit: FitOptions = { sampler: 'naive', epochs: 2, batchPairs: 7, learningRate: 0.05 };

  it('one worker reproduces in-process training bit for bit (dropout on)', async () => {
    const model: SiameseHitModelOptions = { seed: 4, dropout: 0.25 };
    const ref = await train(data, model, fit, null);
    const one = await train(data, model, fit, { workers: 1 });
    expect(one.stats!.workers).toBe(1);
    expect(one.stats!.steps).toBe(12);
    expect(maxAbsDiff(ref.weights, one.weights)).toBe(0);
    expect(one.losses).toEqual(ref.losses);
  });

  it('two workers match one within 1e-5 (dropout 0, tied pairs, unequal shards)', async () => {
    const model: SiameseHitModelOptions = { seed: 4, dropout: 0, w: 0.5 };
    const ref = await train(data, model, fit, null);
    const two = await train(data, model, fit, { workers: 2 });
    expect(two.stats!.workers).toBe(2);
    const err = maxAbsDiff(ref.weights, two.weights);
    console.info(`2 workers vs in-process: max |Δweight| ${err.toExponential(2)} after ${two.stats!.steps} steps`);
    expect(err).toBeLessThan(1e-5);
    two.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i])).toBeLessThan(1e-5));
    // Training moved the weights by much more than the tolerance.
    const init = new SiameseHitModel(model);
    await init.fit(data, { ...fit, epochs: 1, pairsPerEpoch: 1, batchPairs: 1, learningRate: 1e-9 });
    expect(maxAbsDiff(weightsOf(init), ref.weights)).toBeGreaterThan(1e-3);
    init.dispose();
  });
});

describe('parallelTrainingExecutor: dropout masks do not depend on the split', () => {
  const data = tiedMelDataset(40);
  const fit: FitOptions = { sampler: 'naive', epochs: 2, batchPairs: 7, learningRate: 0.05 };

  it('two workers match one within 1e-5 with dropout on (the default 0.25), three workers too', async () => {
    const model: SiameseHitModelOptions = { seed: 4, w: 0.5 };
    const ref = await train(data, model, fit, null);
    for (const workers of [2, 3]) {
      const many = await train(data, model, fit, { workers });
      expect(many.stats!.workers).toBe(workers);
      const err = maxAbsDiff(ref.weights, many.weights);
      console.info(`${workers} workers vs in-process, dropout 0.25: max |Δweight| ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
      many.losses.forEach((l, i) => expect(Math.abs(l - ref.losses[i])).toBeLessThan(1e-5));
    }
    // Dropout is really on: without it training ends elsewhere.
    const off = await train(data, { ...model, dropout: 0 }, fit, null);
    expect(maxAbsDiff(off.weights, ref.weights)).toBeGreaterThan(1e-4);
  });
});

describe('parallelTrainingExecutor: failures and clean-up', () => {
  const data = featureDataset(24);
  const model: SiameseHitModelOptions = { audio: false, tags: true, seed: 1 };
  const fit: FitOptions = { sampler: 'naive', epochs: 2, batchPairs: 4, learningRate: 0.01 };

  for (const kind of ['exit', 'throw'] as const) {
    it(`a worker that crashes (${kind}) makes fit reject naming the worker and step; all workers end`, async () => {
      const m = new SiameseHitModel(model);
      const executor = parallelTrainingExecutor({ workers: 2, faultInjection: { worker: 1, step: 3, kind } });
      const before = tf.memory().numTensors;
      const err = await m.fit(data, { ...fit, executor }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HitrankError);
      const why = kind === 'exit' ? 'exited with code 7' : 'threw an uncaught Error: injected crash';
      expect((err as Error).message).toContain(`training worker 2 of 2`);
      expect((err as Error).message).toContain(why);
      expect((err as Error).message).toContain('at epoch 0, step 3');
      expect(executor.stats.liveWorkers).toBe(0);
      // Only the model's own weights remain (built in this fit).
      expect(tf.memory().numTensors - before).toBe(m.parameterCount > 0 ? weightsOf(m).length : 0);
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('an error inside a worker step rejects with its code; workers are stopped', async () => {
    const m = new SiameseHitModel(model);
    const executor = parallelTrainingExecutor({ workers: 2, faultInjection: { worker: 0, step: 1, kind: 'error' } });
    await expect(m.fit(data, { ...fit, executor })).rejects.toThrow(/E_NAN: training worker 1 of 2 failed at epoch 0, step 1: injected step failure/);
    expect(executor.stats.liveWorkers).toBe(0);
    m.dispose();
  });

  it('a worker that cannot start rejects with E_UNSUPPORTED', async () => {
    const m = new SiameseHitModel(model);
    const executor = parallelTrainingExecutor({ workers: 2, backendModule: 'hitrank-no-such-backend-module' });
    await expect(m.fit(data, { ...fit, executor })).rejects.toThrow(/E_UNSUPPORTED: training worker \d of 2 could not start: .*hitrank-no-such-backend-module/);
    expect(executor.stats.liveWorkers).toBe(0);
    m.dispose();
  });

  it('1,000 steps on two workers leak no tensors in the main thread or the workers; workers end with fit', async () => {
    const m = new SiameseHitModel(model);
    const executor = parallelTrainingExecutor({ workers: 2 });
    await m.fit(data, { ...fit, epochs: 1, pairsPerEpoch: 20, executor }); // builds the model: 5 steps
    const after5 = tf.memory().numTensors;
    expect(executor.stats.liveWorkers).toBe(0);
    await m.fit(featureDataset(64), { ...fit, epochs: 2, batchPairs: 2, pairsPerEpoch: 1000, executor });
    const s = executor.stats;
    expect(s.steps).toBe(1000);
    expect(tf.memory().numTensors).toBe(after5);
    expect(s.workerTensorsLast).toEqual(s.workerTensorsFirst);
    expect(s.workerTensorsFirst.length).toBe(2);
    expect(s.liveWorkers).toBe(0);
    console.info(`1,000 tiny steps on 2 workers: ${s.stepMs.toFixed(2)} ms/step (reduce + apply ${s.reduceMs.toFixed(2)} ms)`);
    m.dispose();
  });

  it('fitParallel with workers: 1 trains in the calling thread; with 2 on workers, same result within 1e-5', async () => {
    const fitOpts: FitOptions = { ...fit, epochs: 1 };
    const a = new SiameseHitModel({ ...model, dropout: 0 });
    const b = new SiameseHitModel({ ...model, dropout: 0 });
    const c = new SiameseHitModel({ ...model, dropout: 0 });
    const tensors = tf.memory().numTensors;
    await fitParallel(a, data, fitOpts, { workers: 1 });
    await a.fit(data, fitOpts); // a second in-process fit of a continues; only compare b and c
    await b.fit(data, fitOpts);
    await fitParallel(c, data, fitOpts, { workers: 2 });
    expect(maxAbsDiff(weightsOf(b), weightsOf(c))).toBeLessThan(1e-5);
    expect(maxAbsDiff(weightsOf(a), weightsOf(b))).toBeGreaterThan(0);
    [a, b, c].forEach((x) => x.dispose());
    expect(tf.memory().numTensors).toBe(tensors);
    await expect(fitParallel(a, data, fitOpts, { workers: 0 })).rejects.toThrow(/workers must be an integer/);
    expect(() => parallelTrainingExecutor({ workers: 1.5 })).toThrow(/workers must be an integer/);
  });
});
