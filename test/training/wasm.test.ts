import { describe, expect, it } from 'vitest';
import { SiameseHitModel } from '../../src/training/index.js';
import { tf, useBackend } from '../helpers/tf.js';
import { plantedMelDataset } from './planted.js';

describe('SiameseHitModel on the wasm backend', () => {
  it('trains on wasm (conv gradients included) and matches cpu within 1e-4 after a few steps', async () => {
    const ds = plantedMelDataset(40, 'wasm', 16, 20);
    const run = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const m = new SiameseHitModel({ seed: 9, dropout: 0 });
      const h = await m.fit(ds, { epochs: 1, learningRate: 0.01, batchPairs: 10 });
      const p = await m.predict(ds);
      m.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { p, loss: h.epochs[0].loss };
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Number.isFinite(wasm.loss)).toBe(true);
    let worst = 0;
    for (let i = 0; i < cpu.p.length; i++) worst = Math.max(worst, Math.abs(cpu.p[i] - wasm.p[i]) / Math.max(1, Math.abs(cpu.p[i])));
    expect(worst).toBeLessThan(1e-4);
    await useBackend('cpu');
  });
});
