import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileHandler } from '../../src/node/index.js';
import { useBackend, tf } from '../helpers/tf.js';
import { artefacts } from './scripts/models.js';

const dir = mkdtempSync(join(tmpdir(), 'hitrank-fh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = fileURLToPath(new URL('.', import.meta.url));

let A: tf.io.ModelArtifacts;
let B: tf.io.ModelArtifacts;
beforeAll(async () => {
  await useBackend('cpu');
  A = await artefacts('A');
  B = await artefacts('B');
});

/** Which model a loaded artefact set is ('A' / 'B'), after checking its weights decode completely. */
function whichModel(art: tf.io.ModelArtifacts): string {
  const t = tf.io.decodeWeights(art.weightData as ArrayBuffer, art.weightSpecs!);
  const k = t['dense/kernel'].dataSync();
  const ids = Array.from(t.ids.dataSync());
  Object.values(t).forEach((x) => x.dispose());
  const name = (art.modelTopology as { name: string }).name;
  const fill = name === 'A' ? 1.5 : -2.25;
  expect(k.length).toBe(512 * 512);
  expect(k.every((v) => v === fill)).toBe(true);
  expect(ids).toEqual([1, 2, 3, name === 'A' ? 4 : 5]);
  expect((art.userDefinedMetadata as { hitrank: { name: string } }).hitrank.name).toBe(name);
  return name;
}

describe('fileHandler', () => {
  it('round-trips artefacts: model.json (tfjs layout), weights.bin, hitrank.json', async () => {
    const target = join(dir, 'models', 'm1');
    const res = await fileHandler(target).save!(A);
    expect(res.modelArtifactsInfo.weightDataBytes).toBe(512 * 512 * 4 + 16);
    expect(readdirSync(target).sort()).toEqual(['hitrank.json', 'model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(target, 'model.json'), 'utf8'));
    expect(json.weightsManifest).toEqual([{ paths: ['weights.bin'], weights: A.weightSpecs }]);
    expect(json.format).toBe('test-model');
    expect(JSON.parse(readFileSync(join(target, 'hitrank.json'), 'utf8'))).toEqual({ name: 'A', options: { seed: 7 } });
    const back = await fileHandler(target).load!();
    expect(back.modelTopology).toEqual(A.modelTopology);
    expect(back.weightSpecs).toEqual(A.weightSpecs);
    expect(back.weightData).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(back.weightData as ArrayBuffer).equals(Buffer.from(A.weightData as ArrayBuffer))).toBe(true);
    expect(back.userDefinedMetadata).toEqual(A.userDefinedMetadata);
    expect(whichModel(back)).toBe('A');
    // Overwrite with B: no leftovers beside it.
    await fileHandler(target).save!(B);
    expect(whichModel(await fileHandler(target).load!())).toBe('B');
    expect(readdirSync(join(dir, 'models'))).toEqual(['m1']);
  });

  it('works as a tf.io handler for a real tfjs-layers model', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4] })] });
    const target = join(dir, 'layers-model');
    await model.save(fileHandler(target));
    const again = await tfl.loadLayersModel(fileHandler(target));
    const x = tf.ones([2, 4]);
    const a = model.predict(x) as tf.Tensor;
    const b = again.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('load errors: no folder (E_IO), missing model.json / weights (E_MISSING_DATA), bad JSON / sizes (E_CORRUPT_FILE)', async () => {
    await expect(fileHandler(join(dir, 'nothing')).load!()).rejects.toThrow(/E_IO: no saved model at .*nothing/);
    const t = join(dir, 'broken');
    await fileHandler(t).save!(A);
    const weights = readFileSync(join(t, 'weights.bin'));
    rmSync(join(t, 'weights.bin'));
    await expect(fileHandler(t).load!()).rejects.toThrow(/E_MISSING_DATA: the weights file .*weights\.bin is missing/);
    writeFileSync(join(t, 'weights.bin'), weights.subarray(0, weights.length - 4));
    await expect(fileHandler(t).load!()).rejects.toThrow(/E_CORRUPT_FILE: the weights in .* are 1048588 bytes but their specs in model\.json need 1048592/);
    writeFileSync(join(t, 'model.json'), '{"modelTopology": ');
    await expect(fileHandler(t).load!()).rejects.toThrow(/E_CORRUPT_FILE: .*model\.json is not valid JSON/);
    writeFileSync(join(t, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }));
    await expect(fileHandler(t).load!()).rejects.toThrow(/must be relative and inside the model folder/);
    rmSync(join(t, 'model.json'));
    await expect(fileHandler(t).load!()).rejects.toThrow(/E_MISSING_DATA: .*model\.json is missing/);
  });

  it('refuses to replace a file or a non-empty folder that is not a model', async () => {
    const f = join(dir, 'afile');
    writeFileSync(f, 'x');
    await expect(fileHandler(f).save!(A)).rejects.toThrow(/E_IO: cannot save a model to .*afile: it exists and is not a folder/);
    const d = join(dir, 'photos');
    mkdirSync(d);
    writeFileSync(join(d, 'cat.jpg'), 'x');
    await expect(fileHandler(d).save!(A)).rejects.toThrow(/refusing to replace/);
    expect(readFileSync(join(d, 'cat.jpg'), 'utf8')).toBe('x');
  });

  it('a crash between the two renames still loads a complete model (new if finished, else old)', async () => {
    const parent = join(dir, 'window');
    const target = join(parent, 'm');
    await fileHandler(target).save!(A);
    // Simulate: the old model was renamed aside, a finished new one waits in .saving, then the process died.
    const old = join(parent, `.m.999999999.0123456789ab.old`);
    renameSync(target, old);
    await fileHandler(join(parent, 'staging')).save!(B);
    renameSync(join(parent, 'staging'), join(parent, `.m.999999999.ba9876543210.saving`));
    expect(whichModel(await fileHandler(target).load!())).toBe('B');
    // Without the finished new one, the old one is found.
    rmSync(join(parent, `.m.999999999.ba9876543210.saving`), { recursive: true });
    expect(whichModel(await fileHandler(target).load!())).toBe('A');
    // The next save puts a model in place and removes the dead process's leftovers.
    await fileHandler(target).save!(B);
    expect(readdirSync(parent)).toEqual(['m']);
    expect(whichModel(await fileHandler(target).load!())).toBe('B');
  });

  it('a child process killed mid-save (repeatedly) leaves the old or the new model, complete', async () => {
    const target = join(dir, 'killed', 'model');
    for (const [round, after] of [
      [0, 1],
      [1, 2],
      [2, 3],
    ] as const) {
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'scripts', 'saveChild.ts'), target], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<void>((res) => child.on('exit', () => res()));
      await new Promise<void>((res) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes(`saved ${after}\n`)) {
            // Kill at a varying point of a later save.
            setTimeout(() => child.kill('SIGKILL'), round * 3);
            res();
          }
        });
        void exited.then(() => res());
      });
      await exited;
      expect(err, `round ${round}`).toBe('');
      const art = await fileHandler(target).load!();
      expect(['A', 'B']).toContain(whichModel(art));
    }
    expect(existsSync(join(target, 'model.json'))).toBe(true);
  });
});
