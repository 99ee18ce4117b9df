/**
 * The command registry. Each entry loads its module on demand, so `hitrank
 * --help` and light commands do not pay for TensorFlow.js.
 *
 * To add a command: write `commands/<name>.ts` exporting `command: CliCommand`
 * and add one line here.
 *
 * @module
 */
import type { CliCommand } from '../command.js';

/** A registered command: name and summary (for help) and a loader. */
export interface CommandEntry {
  /** Name as typed. */
  name: string;
  /** One-line summary. */
  summary: string;
  /** Loads the command module. */
  load(): Promise<CliCommand>;
}

/** All commands, in help order. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'features',
    summary: 'compute (and cache) the log-mel features of every song of a manifest',
    load: async () => (await import('./features.js')).command,
  },
  {
    name: 'train',
    summary: 'train one Table-1 configuration (rating only or Siamese, any sampler, tags on/off) and save it',
    load: async () => (await import('./train.js')).command,
  },
  {
    name: 'rank',
    summary: 'score audio files (or a manifest) with a trained model and print them sorted, best first',
    load: async () => (await import('./rank.js')).command,
  },
  {
    name: 'evaluate',
    summary: 'k-fold cross-validation of Table-1 rows, printed beside the paper (results.json + report.html)',
    load: async () => (await import('./evaluate.js')).command,
  },
  {
    name: 'highlighter',
    summary: 'train the music highlighter that --segment hl30 needs (HL-30); show the 30-s windows it picks',
    load: async () => (await import('./highlighter.js')).command,
  },
  {
    name: 'demo',
    summary: 'the whole pipeline on seeded synthetic songs: Table-1 rows with k-fold CV beside the paper, and an HTML report',
    load: async () => (await import('./demo.js')).command,
  },
  {
    name: 'report',
    summary: 'write the self-contained HTML report of an evaluate / demo / train run',
    load: async () => (await import('./report.js')).command,
  },
  {
    name: 'demo-data',
    summary: 'write the seeded synthetic demo dataset (WAVs + manifest.csv + truth.json)',
    load: async () => (await import('./demoData.js')).command,
  },
];
