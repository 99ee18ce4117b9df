/**
 * Runs (row, fold) training tasks on several cores. tfjs-backend-wasm is
 * single-threaded in Node, so parallelism comes from processes: up to `jobs`
 * copies of the `hitrank` executable started as training workers
 * (`taskWorker.ts`), each given the dataset once over IPC (structured clone:
 * typed arrays are copied, not turned into JSON). Results are the same for
 * any `jobs` (every task is seeded on its own). When the CLI is not running
 * from its executable (`runCli` inside a test), or `jobs` is 1, the tasks
 * run in this process.
 *
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { HitDataset } from '../data/index.js';
import { HitrankError, type HitrankErrorCode } from '../errors.js';
import { startBackend, type CliBackend } from './backend.js';
import { UnavailableError } from './command.js';
import { cliEntry, WORKER_ARG } from './entry.js';
import { runTask, type ExperimentSettings, type TaskResult, type TaskSpec } from './experiment.js';
import type { ToWorker, WorkerError } from './taskWorker.js';

/** Options of {@link runTaskPool}. */
export interface TaskPoolOptions {
  /** Training processes (1 = in this process). */
  jobs: number;
  /** tfjs backend of every process. */
  backend: CliBackend;
  /** All songs. */
  dataset: HitDataset;
  /** Rows that train on other features of the same songs (e.g. HL-30 rows c, d beside Mid-30 rows a, b): row → dataset (same ids, same order). */
  rowDatasets?: Record<string, HitDataset>;
  /** Experiment settings. */
  settings: ExperimentSettings;
  /** Aborts: workers are killed, finished results stay delivered. */
  signal: AbortSignal;
  /** Called once per finished task, in completion order (e.g. to checkpoint it). */
  onResult: (r: TaskResult) => void | Promise<void>;
}

function reviveError(e: WorkerError, task?: TaskSpec): Error {
  const where = task ? `row ${task.row}, fold ${task.fold}: ` : '';
  if (e.code) {
    const msg = e.message.startsWith(`${e.code}: `) ? e.message.slice(e.code.length + 2) : e.message;
    return new HitrankError(e.code as HitrankErrorCode, `${where}${msg}`);
  }
  if (e.name === 'UnavailableError') return new UnavailableError(e.message);
  const err = new Error(`${where}${e.message} (in a training process)`);
  err.name = e.name;
  err.stack = e.stack;
  return err;
}

/**
 * Runs every task and returns their results (in task order).
 *
 * @param tasks - the (row, fold) tasks.
 * @param options - see {@link TaskPoolOptions}.
 * @returns the results and the number of processes used (0 = in-process).
 */
export async function runTaskPool(tasks: readonly TaskSpec[], options: TaskPoolOptions): Promise<{ results: TaskResult[]; processes: number }> {
  const entry = cliEntry();
  const jobs = Math.min(options.jobs, tasks.length);
  const results: TaskResult[] = [];
  if (tasks.length === 0) return { results, processes: 0 };
  if (jobs <= 1 || entry === null) {
    await startBackend(options.backend);
    for (const t of tasks) {
      options.signal.throwIfAborted();
      const r = await runTask(options.rowDatasets?.[t.row] ?? options.dataset, options.settings, t, options.signal);
      results.push(r);
      await options.onResult(r);
    }
    return { results: order(tasks, results), processes: 0 };
  }
  await runInProcesses(entry, tasks, jobs, options, results);
  return { results: order(tasks, results), processes: jobs };
}

function order(tasks: readonly TaskSpec[], results: TaskResult[]): TaskResult[] {
  return tasks.map((t) => results.find((r) => r.row === t.row && r.fold === t.fold)!);
}

function runInProcesses(entry: string, tasks: readonly TaskSpec[], jobs: number, options: TaskPoolOptions, results: TaskResult[]): Promise<void> {
  return new Promise<void>((resolveAll, rejectAll) => {
    let next = 0;
    let settled = false;
    let pending = Promise.resolve();
    const children = new Set<ChildProcess>();
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      for (const c of children) c.kill();
      children.clear();
      // Deliver the results already received before settling.
      void pending.then(
        () => (err === undefined ? resolveAll() : rejectAll(err)),
        (e: unknown) => rejectAll(err ?? e),
      );
    };
    const onAbort = (): void => finish(options.signal.reason);
    if (options.signal.aborted) return finish(options.signal.reason);
    options.signal.addEventListener('abort', onAbort, { once: true });

    const spawnWorker = (): void => {
      const child = fork(entry, [WORKER_ARG], {
        execArgv: process.execArgv,
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      children.add(child);
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      let current: TaskSpec | undefined;
      const give = (): void => {
        if (settled) return;
        if (next < tasks.length) {
          current = tasks[next++];
          child.send({ type: 'task', task: current } satisfies ToWorker);
        } else {
          current = undefined;
          child.send({ type: 'stop' } satisfies ToWorker);
          children.delete(child);
          if (children.size === 0) finish();
        }
      };
      child.on('message', (msg: { type: 'ready' } | { type: 'result'; result: TaskResult } | { type: 'error'; task?: TaskSpec; error: WorkerError }) => {
        if (settled) return;
        if (msg.type === 'ready') give();
        else if (msg.type === 'result') {
          current = undefined;
          results.push(msg.result);
          pending = pending.then(() => options.onResult(msg.result));
          pending.catch((e: unknown) => finish(e));
          give();
        } else {
          finish(reviveError(msg.error, msg.task));
        }
      });
      child.on('exit', (code, sig) => {
        if (settled || !children.has(child)) return;
        children.delete(child);
        const what = current ? ` while training row ${current.row}, fold ${current.fold}` : '';
        finish(new Error(`a training process exited (${sig ?? `code ${code}`})${what}.${stderr ? `\n${stderr.trim()}` : ''}`));
      });
      child.on('error', (e) => finish(e));
      child.send({ type: 'init', dataset: options.dataset, rowDatasets: options.rowDatasets, settings: options.settings, backend: options.backend } satisfies ToWorker);
    };
    for (let k = 0; k < jobs; k++) spawnWorker();
  });
}
