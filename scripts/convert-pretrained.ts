// Converts the HSP_CNN authors' released weights (the reference fixtures in
// ../shared/fixtures/hsp_cnn and ../shared/fixtures/jynet) into the tf.io
// model folders hitrank ships:
//
//   pretrained/LICENSE                      Apache-2.0 text of HSP_CNN (verbatim)
//   pretrained/NOTICE.md                    attribution + what was changed
//   pretrained/hsp-cnn-ret30/{card.json, model.json, weights.bin}
//   pretrained/jynet-mtat/{card.json, model.json, weights.bin, standardizers.bin}
//   src/pretrained/checksums.ts             SHA-256 of each card.json
//
// The models are built with hitrank's own builders (buildSimpleCnn +
// buildTagDnn, buildTagger), the weights loaded with loadHspCnnWeights /
// loadJynetWeights, then written from the built models (model.json =
// LayersModel topology + tf.io weights manifest; weights.bin = float32 LE).
// Deterministic: a rerun writes identical bytes (test/pretrained checks it).
//
//   npx tsx scripts/convert-pretrained.ts            # write
//   npx tsx scripts/convert-pretrained.ts --check    # compare only, exit 1 on a difference
//   options: --fixtures DIR (default ../shared/fixtures) --out DIR (default pretrained)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import {
  buildSimpleCnn,
  buildTagDnn,
  buildTagger,
  HSP_CNN_VARIABLES,
  JYNET_VARIABLES,
  loadHspCnnWeights,
  loadJynetWeights,
  MTAT_TOP188,
  MTAT_TOP50,
} from '../src/models/index.js';
import { JYNET_FEATURES } from '../src/dsp/index.js';
import { HspCnnRet30 } from '../src/pretrained/hspCnnRet30.js';
import { pretrainedInfo, PRETRAINED_NAMES, type PretrainedCard, type PretrainedName, type PretrainedStandardizers } from '../src/pretrained/cards.js';
import { encodeFloat32Tensors, type NamedFloat32 } from '../src/pretrained/weightsFile.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LICENSE_SHA256 = 'c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4';
const GENERATED_BY = 'hitrank scripts/convert-pretrained.ts';

/** Everything the converter writes, in memory. */
export interface PretrainedArtifacts {
  /** File bytes by path relative to the output `pretrained/` folder. */
  files: Record<string, Uint8Array>;
  /** The text of src/pretrained/checksums.ts. */
  checksumsTs: string;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function readChecked(path: string, expected: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`missing fixture ${path} (the converter reads ../shared/fixtures; pass --fixtures DIR)`);
  const b = new Uint8Array(readFileSync(path));
  const got = sha256(b);
  if (got !== expected) throw new Error(`${path}: sha256 ${got}, but the fixture manifest records ${expected}`);
  return b;
}

function f32(b: Uint8Array): Float32Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return Float32Array.from({ length: b.byteLength / 4 }, (_, i) => dv.getFloat32(4 * i, true));
}

function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

/** The tfjs-layers topology of a model, without the tfjs version stamp (so files do not change with tfjs patch releases). */
function topology(model: tfl.LayersModel): Record<string, unknown> {
  const t = model.toJSON(null, false) as Record<string, unknown>;
  delete t.keras_version;
  delete t.backend;
  return t;
}

/** Values of every weight of `model`, named by `originalName` (what `LayersModel.save` writes), in model order. */
function namedWeights(model: tfl.LayersModel): NamedFloat32[] {
  return model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[], data: w.read().dataSync() as Float32Array }));
}

function modelJson(model: tfl.LayersModel, specs: ReturnType<typeof encodeFloat32Tensors>['specs']): Uint8Array {
  return json({
    format: 'layers-model',
    generatedBy: GENERATED_BY,
    convertedBy: GENERATED_BY,
    modelTopology: topology(model),
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  });
}

function card(name: PretrainedName, files: Record<string, Uint8Array>, standardizers?: PretrainedStandardizers): Uint8Array {
  const c: PretrainedCard = { ...pretrainedInfo(name), ...(standardizers ? { standardizers } : {}), files: {} };
  for (const [f, b] of Object.entries(files)) c.files[f] = { bytes: b.length, sha256: sha256(b) };
  return json(c);
}

interface FixtureTensor {
  file: string;
  shape: number[];
  sha256: string;
}

function convertHsp(dir: string): Record<string, Uint8Array> {
  const meta = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as { tensors: Record<string, FixtureTensor> };
  const byName: Record<string, Float32Array> = {};
  for (const v of HSP_CNN_VARIABLES) {
    const t = meta.tensors[v.name];
    if (!t) throw new Error(`hsp_cnn/weights.json has no '${v.name}'`);
    byName[v.name] = f32(readChecked(join(dir, t.file), t.sha256));
  }
  const cnn = buildSimpleCnn();
  const tagDnn = buildTagDnn();
  loadHspCnnWeights(cnn, tagDnn, byName);
  const hit = new HspCnnRet30(cnn, tagDnn, pretrainedInfo('hsp-cnn-ret30') as PretrainedCard, () => Promise.reject(new Error('unused')));
  const named = new Map(namedWeights(hit.model).map((w) => [w.name, w]));
  // The weights keep the checkpoint's names, layout and bits; written in checkpoint order.
  const tensors = HSP_CNN_VARIABLES.map((v) => {
    const w = named.get(v.name);
    if (!w) throw new Error(`the built hit model has no weight named '${v.name}' (names: ${[...named.keys()].join(', ')})`);
    if (w.shape.join() !== v.shape.join() || !sameBits(w.data, byName[v.name])) throw new Error(`weight '${v.name}' changed on loading`);
    return w;
  });
  if (named.size !== tensors.length) throw new Error(`the built hit model has ${named.size} weights, expected ${tensors.length}`);
  const { bytes, specs } = encodeFloat32Tensors(tensors);
  const files = { 'model.json': modelJson(hit.model, specs), 'weights.bin': bytes };
  hit.dispose();
  return { ...files, 'card.json': card('hsp-cnn-ret30', files) };
}

function convertJynet(dir: string): Record<string, Uint8Array> {
  const meta = JSON.parse(readFileSync(join(dir, 'weights.json'), 'utf8')) as {
    tensors: Record<string, FixtureTensor>;
    standardizers: Record<string, FixtureTensor>;
    tags188: string[];
    tags50: string[];
    idx50_in_188: number[];
    scale_nfft_by_branch: number[];
  };
  if (meta.tags188.join('\n') !== MTAT_TOP188.join('\n')) throw new Error('jynet/weights.json tags188 differ from MTAT_TOP188');
  if (meta.tags50.join('\n') !== MTAT_TOP50.join('\n')) throw new Error('jynet/weights.json tags50 differ from MTAT_TOP50');
  if (meta.idx50_in_188.some((v, i) => v !== i)) throw new Error('jynet/weights.json idx50_in_188 is not 0..49');
  if (meta.scale_nfft_by_branch.join() !== JYNET_FEATURES.nFfts.join()) throw new Error('jynet/weights.json scale_nfft_by_branch differs from JYNET_FEATURES.nFfts');
  const byName: Record<string, Float32Array> = {};
  for (const v of JYNET_VARIABLES) {
    const t = meta.tensors[v.name];
    if (!t) throw new Error(`jynet/weights.json has no '${v.name}'`);
    byName[v.name] = f32(readChecked(join(dir, t.file), t.sha256));
  }
  const tagger = buildTagger();
  loadJynetWeights(tagger, byName);
  const { bytes, specs } = encodeFloat32Tensors(namedWeights(tagger.model));
  const stats: NamedFloat32[] = [];
  for (const kind of ['mean', 'std'] as const) {
    for (const n of JYNET_FEATURES.nFfts) {
      const t = meta.standardizers[`${kind}_${n}`];
      if (!t) throw new Error(`jynet/weights.json has no standardizer '${kind}_${n}'`);
      stats.push({ name: `${kind}_${n}`, shape: [JYNET_FEATURES.nMels], data: f32(readChecked(join(dir, t.file), t.sha256)) });
    }
  }
  const std = encodeFloat32Tensors(stats);
  const files = { 'model.json': modelJson(tagger.model, specs), 'weights.bin': bytes, 'standardizers.bin': std.bytes };
  tagger.dispose();
  const standardizers: PretrainedStandardizers = {
    file: 'standardizers.bin',
    tensors: std.specs,
    description:
      'JYnet\'s training StandardScaler statistics (HSP_CNN data/standardizers/, float64 cast to float32), per scale and mel bin: ' +
      'x → (x − mean_<nFft>) / std_<nFft>. Used with standardize: \'shipped\'; the authors\' inference standardised each clip by its own statistics (\'self\', the default).',
  };
  return { ...files, 'card.json': card('jynet-mtat', files, standardizers) };
}

function notice(): Uint8Array {
  const hsp = pretrainedInfo('hsp-cnn-ret30');
  const jy = pretrainedInfo('jynet-mtat');
  const text = `# Pretrained model weights — attribution and licence

The files in this folder are **not** covered by hitrank's MIT licence. They are
derived from the HSP_CNN repository of Lang-Chi Yu et al.,
${hsp.source.repository} (commit \`${hsp.source.commit}\`),
which is licensed under the **Apache License, Version 2.0**; the full text is in
\`LICENSE\` next to this file (copied verbatim from the source repository).

${hsp.copyright}

## What is here

| folder | model | taken from (HSP_CNN) |
|---|---|---|
| \`hsp-cnn-ret30/\` | ${hsp.title} | ${hsp.source.files.map((f) => `\`${f}\``).join(', ')} |
| \`jynet-mtat/\` | ${jy.title} | ${jy.source.files.map((f) => `\`${f}\``).join(', ')} |

Each folder holds \`card.json\` (the model card: source, licence, training data
and target, expected input, tags, and the SHA-256 of every file),
\`model.json\` (tfjs-layers topology + tf.io weights manifest) and
\`weights.bin\` (float32, little-endian); \`jynet-mtat/standardizers.bin\` holds
JYnet's training standardisers.

## Changes made (Apache-2.0 §4(b))

- \`hsp-cnn-ret30\`: ${hsp.modifications}
- \`jynet-mtat\`: ${jy.modifications}

The conversion is done by \`scripts/convert-pretrained.ts\` in the hitrank
repository and is reproducible byte for byte.

## Please cite

- ${hsp.citation}
- ${jy.citation.split('; as used by')[0]}.

## Caveats

- ${hsp.caveat}
- ${jy.caveat}
`;
  return new TextEncoder().encode(text);
}

function checksumsTs(cards: Record<PretrainedName, Uint8Array>): string {
  const lines = PRETRAINED_NAMES.map((n) => `  '${n}': '${sha256(cards[n])}',`);
  return `// Generated by scripts/convert-pretrained.ts — do not edit.
import type { PretrainedName } from './cards.js';

/** SHA-256 of every shipped \`pretrained/<name>/card.json\` (which holds the SHA-256 of the model's other files). */
export const CARD_SHA256: Readonly<Record<PretrainedName, string>> = Object.freeze({
${lines.join('\n')}
});
`;
}

/**
 * Builds every file of `pretrained/` (and the text of src/pretrained/checksums.ts) from the fixtures, in memory.
 *
 * @param fixturesDir - the shared fixtures folder (holding hsp_cnn/ and jynet/).
 * @returns the files by relative path and the checksums module text.
 */
export async function buildPretrainedArtifacts(fixturesDir: string): Promise<PretrainedArtifacts> {
  if (tf.getBackend() !== 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs cpu backend did not start');
  }
  await tf.ready();
  const hsp = convertHsp(join(fixturesDir, 'hsp_cnn'));
  const jy = convertJynet(join(fixturesDir, 'jynet'));
  const files: Record<string, Uint8Array> = {
    LICENSE: readChecked(join(fixturesDir, 'hsp_cnn', 'LICENSE-HSP_CNN.txt'), LICENSE_SHA256),
    'NOTICE.md': notice(),
  };
  for (const [f, b] of Object.entries(hsp)) files[`hsp-cnn-ret30/${f}`] = b;
  for (const [f, b] of Object.entries(jy)) files[`jynet-mtat/${f}`] = b;
  return { files, checksumsTs: checksumsTs({ 'hsp-cnn-ret30': hsp['card.json'], 'jynet-mtat': jy['card.json'] }) };
}

/** Paths (relative to the repo) whose contents differ from `a`. */
export function diffArtifacts(a: PretrainedArtifacts, outDir: string, checksumsPath: string): string[] {
  const bad: string[] = [];
  const same = (path: string, want: Uint8Array) => existsSync(path) && Buffer.compare(readFileSync(path), Buffer.from(want)) === 0;
  for (const [f, b] of Object.entries(a.files)) if (!same(join(outDir, f), b)) bad.push(join(outDir, f));
  if (!same(checksumsPath, new TextEncoder().encode(a.checksumsTs))) bad.push(checksumsPath);
  return bad;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { fixtures: { type: 'string' }, out: { type: 'string' }, check: { type: 'boolean' } },
  });
  tf.enableProdMode();
  const fixtures = resolve(values.fixtures ?? join(repoRoot, '..', 'shared', 'fixtures'));
  const outDir = resolve(values.out ?? join(repoRoot, 'pretrained'));
  const checksumsPath = join(repoRoot, 'src', 'pretrained', 'checksums.ts');
  const a = await buildPretrainedArtifacts(fixtures);
  if (values.check) {
    const bad = diffArtifacts(a, outDir, checksumsPath);
    if (bad.length) {
      console.error(`differ from a fresh conversion:\n  ${bad.join('\n  ')}\nrerun: npx tsx scripts/convert-pretrained.ts`);
      process.exit(1);
    }
    console.log('pretrained/ equals a fresh conversion');
    return;
  }
  for (const [f, b] of Object.entries(a.files)) {
    const p = join(outDir, f);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, b);
    console.log(`${String(b.length).padStart(9)} B  sha256 ${sha256(b).slice(0, 16)}…  ${p}`);
  }
  if (values.out === undefined) {
    writeFileSync(checksumsPath, a.checksumsTs);
    console.log(`wrote ${checksumsPath}`);
  } else {
    console.log(`--out given: src/pretrained/checksums.ts left alone; it should read:\n${a.checksumsTs}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
