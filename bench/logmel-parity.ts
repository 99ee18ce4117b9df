// Prints the measured log-mel errors against every librosa fixture (what the
// tests assert, as numbers for the closing notes and the README).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logMel, melSpectrogram, powerToDb } from '../src/dsp/index.js';
import { maxAbsDiff, powerError } from '../test/dsp/parity.js';
import { printTable } from './timing.js';

const mel = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'fixtures', 'mel');
const f32 = (...p: string[]) => {
  const b = readFileSync(join(mel, ...p));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const rows = [['signal', 'max rel P (≤80 dB)', 'power rule use', 'max |ΔdB| top80', 'max |ΔdB| none (100 dB)']];
for (const name of ['sine440', 'chirp', 'noise', 'music30', 'short5000', 'short3001']) {
  const y = f32('signals', `${name}.f32`);
  const S = melSpectrogram(y, { sampleRate: 22050, nFft: 4096, hopLength: 2048, window: 'hamming' });
  const pe = powerError(S.data, f32(name, 'mel_power.f32'), 1e-5, 1e-12);
  const d80 = maxAbsDiff(logMel(y).data, f32(name, 'mel_db_top80.f32'));
  const dn = maxAbsDiff(powerToDb(S, { topDb: null }).data, f32(name, 'mel_db_nontop.f32'), 100);
  rows.push([name, pe.maxRel80.toExponential(2), pe.worstFraction.toFixed(3), d80.toExponential(2), dn.toExponential(2)]);
}
console.log('log-mel vs librosa 0.10.2 (limits: rel P 1e-5, 2e-5 dB)\n');
printTable(rows);
