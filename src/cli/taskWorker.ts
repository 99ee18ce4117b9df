/**
 * The training-worker side of `taskPool.ts`: a `hitrank` process started with
 * the hidden argument `__hitrank-task-worker` receives the dataset and
 * settings once over its IPC channel, starts the tfjs backend, then runs
 * (row, fold) tasks one at a time and sends each result back.
 *
 * @module
 */
import type { HitDataset } from '../data/index.js';
import { HitrankError } from '../errors.js';
import { startBackend, type CliBackend } from './backend.js';
import { runTask, type ExperimentSettings, type TaskSpec } from './experiment.js';

/** Messages from the parent. */
export type ToWorker =
  | { type: 'init'; dataset: HitDataset; rowDatasets?: Record<string, HitDataset>; settings: ExperimentSettings; backend: CliBackend }
  | { type: 'task'; task: TaskSpec }
  | { type: 'stop' };

/** A serialisable error. */
export interface WorkerError {
  /** Error class name. */
  name: string;
  /** HitrankError code, if any. */
  code?: string;
  /** The message. */
  message: string;
  /** Stack trace. */
  stack?: string;
}

/**
 * Turns an error into a plain object for IPC.
 *
 * @param e - anything thrown.
 * @returns name, code, message, stack.
 */
export function serializeError(e: unknown): WorkerError {
  const err = e instanceof Error ? e : new Error(String(e));
  const out: WorkerError = { name: err.name, message: err.message, stack: err.stack };
  if (e instanceof HitrankError) out.code = e.code;
  return out;
}

/** Runs the worker loop until the parent says stop or disconnects. */
export function runTaskWorker(): void {
  let dataset: HitDataset | null = null;
  let rowDatasets: Record<string, HitDataset> | undefined;
  let settings: ExperimentSettings | null = null;
  const send = (msg: unknown): void => {
    if (process.connected) process.send!(msg);
  };
  // The parent decides what an interruption means; a terminal's Ctrl-C reaches the whole process group.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', () => process.exit(0));
  let queue = Promise.resolve();
  process.on('message', (msg: ToWorker) => {
    queue = queue.then(async () => {
      if (msg.type === 'stop') {
        process.disconnect();
        return;
      }
      if (msg.type === 'init') {
        try {
          await startBackend(msg.backend);
          dataset = msg.dataset;
          rowDatasets = msg.rowDatasets;
          settings = msg.settings;
          send({ type: 'ready' });
        } catch (e) {
          send({ type: 'error', error: serializeError(e) });
        }
        return;
      }
      try {
        const result = await runTask(rowDatasets?.[msg.task.row] ?? dataset!, settings!, msg.task);
        send({ type: 'result', result });
      } catch (e) {
        send({ type: 'error', task: msg.task, error: serializeError(e) });
      }
    });
  });
}
