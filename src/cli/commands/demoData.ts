/**
 * `hitrank demo-data <dir>`: write the synthetic demo dataset.
 *
 * @module
 */
import { resolve } from 'node:path';
import { createProgress, writeDemoDataset, type DemoDataOptions } from '../../node/index.js';
import { COMMON_HELP, UsageError, intOption, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';

function parseSeconds(raw: string | boolean | undefined): DemoDataOptions['seconds'] {
  if (raw === undefined) return undefined;
  const m = typeof raw === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?$/.exec(raw) : null;
  const lo = m ? Number(m[1]) : NaN;
  const hi = m && m[2] !== undefined ? Number(m[2]) : lo;
  if (!m || !(lo >= 0.5) || !(hi >= lo) || hi > 3600) {
    throw new UsageError(`--seconds must be a length in seconds (≥ 0.5) or a range MIN-MAX, got ${JSON.stringify(raw)}.`);
  }
  return lo === hi ? lo : [lo, hi];
}

async function run(ctx: CliContext): Promise<CliResult> {
  const { values, io } = ctx;
  const dir = resolve(io.cwd, ctx.positionals[0]);
  const songs = intOption(values, 'songs', 1, 1_000_000) ?? 400;
  const artists = intOption(values, 'artists', 1, 1_000_000);
  const sampleRate = intOption(values, 'sample-rate', 4000, 192000);
  const seconds = parseSeconds(values.seconds);
  const seed = (values.seed as string | undefined) ?? 'hitrank-demo';
  const bar = createProgress({ total: songs, label: 'demo-data', stream: io.stderr, mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined });
  const res = await writeDemoDataset(dir, {
    songs,
    artists,
    sampleRate,
    seconds,
    seed,
    onProgress: (done) => {
      ctx.signal.throwIfAborted();
      bar.update(done);
    },
  });
  bar.finish();
  const hs = res.dataset.hitScores;
  const mean = hs.reduce((a, b) => a + b, 0) / hs.length;
  const below = hs.filter((h) => h < mean).length / hs.length;
  if (!ctx.json) {
    io.stdout.write(
      `demo-data: ${songs} songs by ${new Set(res.dataset.artists.map((a) => a[0])).size} artists in ${dir}\n` +
        `  manifest ${res.manifestPath}\n  truth    ${res.truthPath}\n` +
        `  ${res.written} WAV files written, ${songs - res.written} kept; ${(100 * below).toFixed(0)} % of hit scores below the mean\n` +
        `Next: hitrank features ${res.manifestPath}\n`,
    );
  }
  return {
    exitCode: EXIT.OK,
    json: {
      dir,
      manifest: res.manifestPath,
      truth: res.truthPath,
      songs,
      artists: res.dataset.options.artists,
      seed: res.dataset.options.seed,
      sampleRate: res.dataset.options.sampleRate,
      seconds: res.dataset.options.seconds,
      written: res.written,
      belowMean: below,
    },
  };
}

/** The `demo-data` command. */
export const command: CliCommand = {
  name: 'demo-data',
  summary: 'write the seeded synthetic demo dataset (WAVs + manifest.csv + truth.json)',
  usage: 'hitrank demo-data <dir> [options]',
  help: `Synthesises a seeded dataset of short songs (tones, chords, drum-like noise
bursts at a tempo) whose hit scores follow a planted model: half audio
properties (tempo near 120 BPM, bright timbre, dense chords), a quarter artist
popularity, a quarter noise; long-tailed market shares. Writes audio/<id>.wav,
manifest.csv (with 12 catalogue descriptors as tag_<name> columns) and
truth.json (every song's planted properties). Rerunning keeps finished WAVs.

Options:
  --songs N          number of songs (default 400)
  --artists N        number of artists (default 60)
  --seconds S        song length in seconds, or a range MIN-MAX (default 12)
  --seed S           seed (default hitrank-demo)
  --sample-rate HZ   sample rate (default 22050)
${COMMON_HELP}

Example:
  hitrank demo-data ./demo --songs 200 --seed 7 && hitrank features ./demo/manifest.csv`,
  options: {
    songs: { type: 'string' },
    artists: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    'sample-rate': { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: 'the output folder' },
  run,
};
