// Tagging one 30-s clip with JYnet (the hit model's tag features): the six-scale
// front end (jynetFeatures, pure TypeScript) plus the network (buildTagger with
// the authors' weights) on tfjs-backend-cpu and -wasm, against the numpy
// reference measured in the same run with /usr/bin/python3 (one thread): the
// fixture's own forward pass (../shared/fixtures/jynet/scripts/export_jynet.py
// `forward`, float64) and a librosa-like numpy front end (rfft STFT, Slaney
// filterbank, log1p, self-standardisation; librosa itself is not packaged here).
//
//   npx tsx bench/tagger.ts            # BENCH_ITERS=5 by default
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { jynetFeatures } from '../src/dsp/jynetFeatures.js';
import { resample } from '../src/dsp/index.js';
import { buildTagger, JYNET_VARIABLES, loadJynetWeights } from '../src/models/tagger/index.js';
import { medianMs, printTable } from './timing.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = resolve(root, '..', 'shared', 'fixtures');
const iters = Number(process.env.BENCH_ITERS ?? 5);

function f32(...parts: string[]): Float32Array {
  const p = join(fixtures, ...parts);
  if (!existsSync(p)) throw new Error(`missing ${p}: the benchmark needs ../shared/fixtures`);
  const b = readFileSync(p);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const y16 = resample(f32('mel', 'signals', 'music30.f32'), { from: 22050, to: 16000, quality: 'scipy' });
const weights: Record<string, Float32Array> = {};
for (const v of JYNET_VARIABLES) weights[v.name] = f32('jynet', 'weights', `${v.name}.f32`);

const featMs = medianMs(() => jynetFeatures(y16), iters);
const feats = jynetFeatures(y16);

tf.enableProdMode();
const net: Record<string, number> = {};
for (const backend of ['wasm', 'cpu'] as const) {
  if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) throw new Error(`backend ${backend} failed to start`);
  await tf.ready();
  const tagger = buildTagger();
  loadJynetWeights(tagger, weights);
  net[backend] = medianMs(() => tagger.predict(feats), backend === 'cpu' ? Math.min(iters, 3) : iters);
  tagger.dispose();
}

// numpy peer, same run, one thread.
const PEER = String.raw`
import json, sys, time
import numpy as np, scipy.signal
fx = sys.argv[1]; iters = int(sys.argv[2])
sys.path.insert(0, fx + '/jynet/scripts')
import export_jynet as ej
NF = [512, 1024, 2048, 4096, 8192, 16384]
meta = json.load(open(fx + '/jynet/weights.json'))
P = {k: np.fromfile(fx + '/jynet/' + m['file'], '<f4').reshape(m['shape']) for k, m in meta['tensors'].items()}
y = scipy.signal.resample_poly(np.fromfile(fx + '/mel/signals/music30.f32', '<f4'), 320, 441).astype(np.float32)
def hz2mel(f):
    f = np.asarray(f, float); m = f / (200.0 / 3); lg = f >= 1000.0
    m[lg] = 15.0 + np.log(f[lg] / 1000.0) / (np.log(6.4) / 27.0); return m
def mel2hz(m):
    h = (200.0 / 3) * m; lg = m >= 15.0
    h[lg] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m[lg] - 15.0)); return h
def slaney(n, sr=16000, nm=128):
    fftf = np.fft.rfftfreq(n, 1.0 / sr)
    mf = mel2hz(np.linspace(hz2mel([0.0])[0], hz2mel([sr / 2])[0], nm + 2))
    fd = np.diff(mf); ramps = np.subtract.outer(mf, fftf)
    w = np.maximum(0, np.minimum(-ramps[:-2] / fd[:-1, None], ramps[2:] / fd[1:, None]))
    return (w * (2.0 / (mf[2:] - mf[:-2]))[:, None]).astype(np.float32)
FB = {n: slaney(n) for n in NF}
def features():
    out = []
    for n in NF:
        win = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
        yp = np.pad(y, n // 2)
        t = 1 + (len(yp) - n) // 512
        fr = np.lib.stride_tricks.as_strided(yp, (t, n), (yp.strides[0] * 512, yp.strides[0]))
        X = np.fft.rfft(fr * win, axis=1)
        S = (FB[n] @ (X.real ** 2 + X.imag ** 2).T).astype(np.float32)
        L = np.log(1 + 10000 * S).T[:911]
        out.append(((L - L.mean(0)) / L.std(0))[None, None].astype(np.float32))
    return out
def timeit(fn, k):
    fn(); ts = []
    for _ in range(k):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))
F = features()
print(json.dumps({'features': timeit(features, iters), 'forward': timeit(lambda: ej.forward(P, F), iters), 'numpy': np.__version__}))
`;

let peer: { features: number; forward: number; numpy: string } | null = null;
try {
  const out = execFileSync('/usr/bin/python3', ['-c', PEER, fixtures, String(iters)], {
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  peer = JSON.parse(out) as { features: number; forward: number; numpy: string };
} catch (e) {
  console.log(`(numpy peer not run: ${(e as Error).message.split('\n')[0]}; needs /usr/bin/python3 with numpy + scipy)`);
}

console.log(`\nJYnet tagging of one 30-s clip (480 000 samples at 16 kHz → 6 × [911 × 128] → 188 tags), median of ${iters} runs, one thread\n`);
const rows: string[][] = [['stage', 'hitrank ms', ...(peer ? ['numpy ms', 'hitrank / numpy'] : [])]];
const ratio = (a: number, b: number) => (a / b).toFixed(2);
rows.push(['features (6 mel scales, TypeScript)', featMs.toFixed(1), ...(peer ? [peer.features.toFixed(1), ratio(featMs, peer.features)] : [])]);
for (const b of ['wasm', 'cpu'] as const) {
  rows.push([`network, tfjs-backend-${b}`, net[b].toFixed(1), ...(peer ? [peer.forward.toFixed(1), ratio(net[b], peer.forward)] : [])]);
}
for (const b of ['wasm', 'cpu'] as const) {
  const total = featMs + net[b];
  rows.push([`total, ${b}`, total.toFixed(1), ...(peer ? [(peer.features + peer.forward).toFixed(1), ratio(total, peer.features + peer.forward)] : [])]);
}
printTable(rows);
if (peer) console.log(`\nnumpy peer: numpy ${peer.numpy}, export_jynet.forward (float64, the fixture's reference pass) + a librosa-like numpy front end, OMP/OPENBLAS threads = 1, same run.`);
