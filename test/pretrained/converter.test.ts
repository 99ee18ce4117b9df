// scripts/convert-pretrained.ts is deterministic and the committed pretrained/
// folder (and src/pretrained/checksums.ts) equal a fresh conversion of the
// reference fixtures, byte for byte.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../helpers/tf.js';
import { fixturePath, fixturesRoot, repoRoot } from '../helpers/fixtures.js';
import { buildPretrainedArtifacts, diffArtifacts, type PretrainedArtifacts } from '../../scripts/convert-pretrained.js';
import type { PretrainedCard } from '../../src/pretrained/index.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('convert-pretrained', () => {
  let a: PretrainedArtifacts;
  beforeAll(async () => {
    await useBackend('cpu');
    fixturePath('hsp_cnn', 'weights.json'); // fail loudly without the fixtures
    fixturePath('jynet', 'weights.json');
    a = await buildPretrainedArtifacts(fixturesRoot);
  });

  it('writes the expected files', () => {
    expect(Object.keys(a.files).sort()).toEqual([
      'LICENSE',
      'NOTICE.md',
      'hsp-cnn-ret30/card.json',
      'hsp-cnn-ret30/model.json',
      'hsp-cnn-ret30/weights.bin',
      'jynet-mtat/card.json',
      'jynet-mtat/model.json',
      'jynet-mtat/standardizers.bin',
      'jynet-mtat/weights.bin',
    ]);
  });

  it('is deterministic: a second conversion gives identical bytes', async () => {
    const b = await buildPretrainedArtifacts(fixturesRoot);
    for (const [f, bytes] of Object.entries(a.files)) expect(sha(b.files[f]), f).toBe(sha(bytes));
    expect(b.checksumsTs).toBe(a.checksumsTs);
  });

  it('the committed pretrained/ and src/pretrained/checksums.ts equal a fresh conversion (else rerun npx tsx scripts/convert-pretrained.ts)', () => {
    expect(diffArtifacts(a, join(repoRoot, 'pretrained'), join(repoRoot, 'src', 'pretrained', 'checksums.ts'))).toEqual([]);
  });

  it('each card records the size and SHA-256 of its files; the licence is HSP_CNN\'s, verbatim', () => {
    for (const name of ['hsp-cnn-ret30', 'jynet-mtat']) {
      const card = JSON.parse(new TextDecoder().decode(a.files[`${name}/card.json`])) as PretrainedCard;
      expect(card.name).toBe(name);
      expect(card.license).toBe('Apache-2.0');
      expect(card.source.commit).toBe('9a1be3d782ef978a840dec6b83b66f74e7d452ba');
      for (const [f, info] of Object.entries(card.files)) {
        expect(info.sha256, `${name}/${f}`).toBe(sha(a.files[`${name}/${f}`]));
        expect(info.bytes).toBe(a.files[`${name}/${f}`].length);
      }
    }
    expect(sha(a.files.LICENSE)).toBe(sha(readFileSync(fixturePath('hsp_cnn', 'LICENSE-HSP_CNN.txt'))));
    const notice = new TextDecoder().decode(a.files['NOTICE.md']);
    expect(notice).toMatch(/Apache License, Version 2\.0/);
    expect(notice).toMatch(/not\*\* covered by hitrank's MIT licence/);
  });

  it('hsp-cnn-ret30/weights.bin holds the checkpoint tensors bit for bit, in checkpoint order', () => {
    const meta = JSON.parse(readFileSync(fixturePath('hsp_cnn', 'weights.json'), 'utf8')) as { tensors: Record<string, { file: string }> };
    const model = JSON.parse(new TextDecoder().decode(a.files['hsp-cnn-ret30/model.json'])) as { weightsManifest: Array<{ weights: Array<{ name: string }> }> };
    const bin = a.files['hsp-cnn-ret30/weights.bin'];
    let off = 0;
    for (const { name } of model.weightsManifest[0].weights) {
      const src = readFileSync(fixturePath('hsp_cnn', meta.tensors[name].file));
      expect(sha(bin.subarray(off, off + src.length)), name).toBe(sha(src));
      off += src.length;
    }
    expect(off).toBe(bin.length);
  });
});
