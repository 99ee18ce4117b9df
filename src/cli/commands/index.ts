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
    name: 'demo-data',
    summary: 'write the seeded synthetic demo dataset (WAVs + manifest.csv + truth.json)',
    load: async () => (await import('./demoData.js')).command,
  },
];
