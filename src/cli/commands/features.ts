/**
 * `hitrank features <manifest>`: fill the feature cache for every song.
 *
 * @module
 */
import { resolve } from 'node:path';
import { FEATURE_PRESETS, type FeaturePresetName } from '../../dsp/index.js';
import { createProgress, extractFeatures, formatDuration, readManifest } from '../../node/index.js';
import { CLI_BACKENDS, parseBackend } from '../backend.js';
import { COMMON_HELP, UsageError, intOption, type CliCommand, type CliContext, type CliResult } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { checkHighlighter, DEFAULT_CACHE_DIR, extractSegment, parseSegmentOptions, resolveCacheDir, segmentLabel } from '../trainingData.js';

export { DEFAULT_CACHE_DIR };

async function run(ctx: CliContext): Promise<CliResult> {
  const { values, io } = ctx;
  const manifestPath = resolve(io.cwd, ctx.positionals[0]);
  const preset = (values.preset as string | undefined) ?? 'paper';
  if (!(preset in FEATURE_PRESETS)) {
    throw new UsageError(`--preset must be one of ${Object.keys(FEATURE_PRESETS).join(', ')}, got ${JSON.stringify(preset)}.`);
  }
  const jobs = intOption(values, 'jobs', 1, 1024);
  const { segment, highlighter: hlArg } = parseSegmentOptions(values);
  const backend = parseBackend(values.backend);
  const manifest = await readManifest(manifestPath);
  const highlighter = hlArg !== undefined ? await checkHighlighter(ctx, hlArg) : undefined;
  const cacheDir = resolveCacheDir(io.cwd, manifest.dir, values.cache as string | undefined);

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
    segment: extractSegment(segment, highlighter),
    backend,
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
    out.push(`  preset ${preset}, ${segmentLabel(res.segment)}, shape [${res.melShape[0]}, ${res.melShape[1] || 'varies'}], cache ${cacheDir}`);
    if (highlighter) out.push(`  HL-30 windows chosen by the highlighter ${highlighter.dir} (${highlighter.id.slice(0, 12)})`);
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
      highlighter: highlighter ? { dir: highlighter.dir, id: highlighter.id, weightsSha256: highlighter.weightsSha256 } : null,
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
resample, Mid-30 or HL-30 segment, log-mel) in parallel worker threads and
stores them in a content-addressed cache (HL-30 features are keyed by the
highlighter's SHA-256 too, so another highlighter never reuses them). Safe to interrupt: finished songs stay cached,
rerunning only does the rest. Songs that fail (missing or unreadable audio)
are listed with their manifest line; the others are still done (exit code 1).

Options:
  --cache DIR      feature cache folder (default: ${DEFAULT_CACHE_DIR}/ next to the manifest)
  --jobs N         worker threads (default: the number of CPUs; 1 = no workers)
  --preset NAME    feature recipe: ${Object.keys(FEATURE_PRESETS).join(', ')} (default paper)
  --segment S      mid30 (default), hl30, whole, or the middle S seconds
  --highlighter DIR  HL-30: the windows a trained highlighter picks (hitrank highlighter
                   train); implies --segment hl30. Each worker loads it once.
  --backend B      tfjs backend of the highlighter: ${CLI_BACKENDS.join(' or ')} (default wasm)
${COMMON_HELP}

Manifest columns (CSV header, or JSONL fields):
  id, audio, artist, hitScore [, releaseDate] [, tag_<name>... | tags]
  (audio paths relative to the manifest; several artists as "A;B")

Examples:
  hitrank features data/manifest.csv --jobs 4
  hitrank features data/manifest.csv --segment hl30 --highlighter highlighter/`,
  options: {
    cache: { type: 'string' },
    jobs: { type: 'string', short: 'j' },
    preset: { type: 'string' },
    segment: { type: 'string' },
    highlighter: { type: 'string' },
    backend: { type: 'string' },
  },
  positionals: { min: 1, max: 1, names: 'the manifest path' },
  run,
};
