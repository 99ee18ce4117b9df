/**
 * `hitrank features <manifest>`: fill the feature cache for every song.
 *
 * @module
 */
import { isAbsolute, join, resolve } from 'node:path';
import { FEATURE_PRESETS, type FeaturePresetName } from '../../dsp/index.js';
import { createProgress, extractFeatures, formatDuration, readManifest, type ExtractFeaturesOptions } from '../../node/index.js';
import { COMMON_HELP, UsageError, intOption, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';

/** Default cache folder name, created next to the manifest. */
export const DEFAULT_CACHE_DIR = '.hitrank-cache';

function parseSegment(raw: string | boolean | undefined): ExtractFeaturesOptions['segment'] {
  if (raw === undefined) return undefined;
  if (raw === 'mid30' || raw === 'whole') return raw;
  const s = typeof raw === 'string' ? Number(raw) : NaN;
  if (Number.isFinite(s) && s > 0 && s <= 3600) return { seconds: s };
  throw new UsageError(`--segment must be mid30, whole or a number of seconds, got ${JSON.stringify(raw)}.`);
}

async function run(ctx: CliContext): Promise<CliResult> {
  const { values, io } = ctx;
  const manifestPath = resolve(io.cwd, ctx.positionals[0]);
  const preset = (values.preset as string | undefined) ?? 'paper';
  if (!(preset in FEATURE_PRESETS)) {
    throw new UsageError(`--preset must be one of ${Object.keys(FEATURE_PRESETS).join(', ')}, got ${JSON.stringify(preset)}.`);
  }
  const jobs = intOption(values, 'jobs', 1, 1024);
  const segment = parseSegment(values.segment);
  const manifest = await readManifest(manifestPath);
  const cacheArg = values.cache as string | undefined;
  const cacheDir = cacheArg === undefined ? join(manifest.dir, DEFAULT_CACHE_DIR) : isAbsolute(cacheArg) ? cacheArg : resolve(io.cwd, cacheArg);

  const bar = createProgress({
    total: manifest.rows.length,
    label: 'features',
    stream: io.stderr,
    mode: ctx.quiet ? 'off' : ctx.json ? 'lines' : undefined,
  });
  const res = await extractFeatures(manifest, {
    cacheDir,
    jobs,
    features: preset as FeaturePresetName,
    segment,
    collect: false,
    signal: ctx.signal,
    onProgress: (p) => bar.update(p.done, p.failed > 0 ? `${p.failed} failed` : undefined),
  });
  bar.finish(res.stats.failed > 0 ? `${res.stats.failed} failed` : undefined);

  const failed = res.failed.map((f) => ({ id: f.id, line: manifest.lines[f.index], audio: f.audio, code: f.code, message: f.message }));
  const s = res.stats;
  if (!ctx.json) {
    const out: string[] = [];
    out.push(
      `features: ${s.total} songs: ${s.cached} cached, ${s.extracted} extracted, ${s.failed} failed ` +
        `(${formatDuration(s.seconds)}, ${s.workers > 0 ? `${s.workers} worker${s.workers > 1 ? 's' : ''}` : 'in-process'})`,
    );
    if (s.corrupt > 0) out.push(`  ${s.corrupt} corrupt cache file${s.corrupt > 1 ? 's were' : ' was'} re-extracted`);
    if (res.padded.length > 0) out.push(`  ${res.padded.length} song${res.padded.length > 1 ? 's are' : ' is'} shorter than the segment (zero-padded)`);
    out.push(`  preset ${preset}, shape [${res.melShape[0]}, ${res.melShape[1] || 'varies'}], cache ${cacheDir}`);
    if (failed.length > 0) {
      out.push(`failed songs (${failed.length}):`);
      for (const f of failed) out.push(`  ${f.id} (manifest line ${f.line}): ${f.code}: ${f.message}`);
      out.push('Fix or remove these rows and rerun: finished songs are read back from the cache.');
    }
    io.stdout.write(out.join('\n') + '\n');
  }
  return {
    exitCode: failed.length > 0 ? EXIT.PARTIAL : EXIT.OK,
    json: {
      manifest: manifest.path,
      cacheDir,
      preset,
      segment: res.segment,
      melShape: res.melShape,
      songs: s.total,
      cached: s.cached,
      extracted: s.extracted,
      corrupt: s.corrupt,
      failedCount: s.failed,
      padded: res.padded,
      workers: s.workers,
      seconds: s.seconds,
      failed,
    },
  };
}

/** The `features` command. */
export const command: CliCommand = {
  name: 'features',
  summary: 'compute (and cache) the log-mel features of every song of a manifest',
  usage: 'hitrank features <manifest.csv|manifest.jsonl> [options]',
  help: `Computes the features of every song listed in the manifest (decode, mono,
resample, Mid-30 segment, log-mel) in parallel worker threads and stores them
in a content-addressed cache. Safe to interrupt: finished songs stay cached,
rerunning only does the rest. Songs that fail (missing or unreadable audio)
are listed with their manifest line; the others are still done (exit code 1).

Options:
  --cache DIR      feature cache folder (default: ${DEFAULT_CACHE_DIR}/ next to the manifest)
  --jobs N         worker threads (default: the number of CPUs; 1 = no workers)
  --preset NAME    feature recipe: ${Object.keys(FEATURE_PRESETS).join(', ')} (default paper)
  --segment S      mid30 (default), whole, or the middle S seconds
${COMMON_HELP}

Manifest columns (CSV header, or JSONL fields):
  id, audio, artist, hitScore [, releaseDate] [, tag_<name>... | tags]
  (audio paths relative to the manifest; several artists as "A;B")

Example:
  hitrank features data/manifest.csv --jobs 4`,
  options: {
    cache: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    preset: { type: 'string' },
    segment: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: 'the manifest path' },
  run,
};
