// HL-30 extraction time per 4-minute song (240 s at 22050 Hz, the published
// highlighter sizes: features [80 × 129 × 128], conv 64/128/256, FC 256 × 3):
// the log1p-mel front end (JS), the attention network on tfjs-backend-cpu and
// -wasm (attention variant; the recurrent BiLSTM variant at its 4 chunk
// lengths too), and extractHighlight end to end — against PyTorch 1 thread
// running the same attention network and a numpy front end of the same
// shapes (STFT 2048/512 + a dense 128 × 1025 filterbank + log1p), measured in
// the same run when /usr/bin/python3 has numpy and torch. Also how many times
// faster than the song plays.
//
//   npx tsx bench/highlight.ts
//   HITRANK_BENCH_QUICK=1 npx tsx bench/highlight.ts   # fewer repetitions
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import { highlighterFeatures } from '../src/dsp/highlighterFeatures.js';
import { extractHighlight } from '../src/highlight/index.js';
import { buildHighlighter, type Highlighter } from '../src/models/highlighter/index.js';
import { printTable } from './timing.js';

const QUICK = process.env.HITRANK_BENCH_QUICK === '1';
const SR = 22050;
const SECONDS = 240;

const PEER = String.raw`
import sys, time, json
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
torch.set_num_threads(1)
reps = int(sys.argv[1])
rng = np.random.default_rng(0)
y = (rng.random(22050 * 240, dtype=np.float32) - 0.5) * 0.2
mel = np.abs(rng.standard_normal((128, 1025))).astype(np.float32)
win = np.hanning(2049)[:-1].astype(np.float32)
def front():
    p = np.pad(y, 1024, mode='reflect')
    n = 1 + (len(p) - 2048) // 512
    frames = np.lib.stride_tricks.as_strided(p, (n, 2048), (p.strides[0] * 512, p.strides[0]))
    S = np.abs(np.fft.rfft(frames * win, axis=1)) ** 2
    M = np.log1p(10000 * (S.astype(np.float32) @ mel.T))
    c = 80; f = n // c
    return np.ascontiguousarray(M[: c * f].reshape(c, f, 128))
def pe(n, d):
    p = np.arange(n)[:, None]; j = np.arange(d)[None, :]
    a = p / np.power(10000, 2 * (j // 2) / d)
    e = np.where(j % 2 == 0, np.sin(a), np.cos(a)); e[0] = 0
    return torch.tensor(e, dtype=torch.float32)
class Net(nn.Module):
    def __init__(s):
        super().__init__()
        s.c1 = nn.Conv1d(128, 64, 3, 2, bias=False); s.c2 = nn.Conv1d(64, 128, 4, 2, bias=False); s.c3 = nn.Conv1d(128, 256, 4, 2, bias=False)
        s.f = nn.ModuleList([nn.Linear(256, 256, bias=False) for _ in range(3)]); s.o = nn.Linear(256, 1, bias=False)
    def forward(s, x):  # x [n, 129, 128]
        bn = lambda t: F.batch_norm(t, None, None, training=True, eps=1e-3)
        h = x.transpose(1, 2)
        h = F.relu(bn(s.c1(F.pad(h, (1, 1)))))
        h = F.relu(bn(s.c2(F.pad(h, (1, 2)))))
        h = F.relu(bn(s.c3(F.pad(h, (1, 2)))))
        h = h.max(dim=2).values + pe(h.shape[0], 256)
        for i, l in enumerate(s.f):
            h = bn(l(h)); h = torch.tanh(h) if i == 2 else F.relu(h)
        return torch.softmax(bn(s.o(h))[:, 0], 0)
def med(f):
    f(); ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    return sorted(ts)[len(ts) // 2]
x = torch.tensor(front())
net = Net().eval()
with torch.no_grad():
    print(json.dumps({'front': med(front), 'net': med(lambda: net(x))}))
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timeIt(fn: () => unknown, reps: number): Promise<number> {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

function peer(reps: number): { front: number; net: number } | null {
  const py = '/usr/bin/python3';
  if (!existsSync(py)) return null;
  const r = spawnSync(py, ['-c', PEER, String(reps)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`(python peer unavailable: ${r.stderr.trim().split('\n').pop()})`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as { front: number; net: number };
}

async function main(): Promise<void> {
  const rng = seedrandom('bench-highlight');
  const y = Float32Array.from({ length: SR * SECONDS }, () => (rng() - 0.5) * 0.2);
  const reps = QUICK ? 3 : 7;
  const rows: string[][] = [['stage (4-min song)', 'backend', 'ms / song', '× faster than real time', 'vs peer']];
  const rt = (ms: number) => ((SECONDS * 1000) / ms).toFixed(0);
  const p = peer(reps);
  const ratio = (ms: number, ref: number | undefined) => (ref === undefined ? 'n/a' : `${(ms / ref).toFixed(2)}×`);

  const features = await timeIt(() => highlighterFeatures(y), reps);
  rows.push(['log1p mel + chunks [80×129×128]', 'JS', features.toFixed(1), rt(features), `${ratio(features, p?.front)} numpy`]);
  const f = highlighterFeatures(y);

  for (const backend of ['wasm', 'cpu'] as const) {
    tf.enableProdMode();
    if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend) throw new Error(`backend ${backend} failed to start`);
    await tf.ready();
    const hl: Highlighter = buildHighlighter({ numClasses: 10, seed: 1 });
    const x = tf.tensor3d(f.data, f.shape);
    const netReps = backend === 'cpu' ? Math.max(2, reps - 4) : reps;
    const net = await timeIt(() => hl.attention(x).dataSync(), netReps);
    rows.push(['attention network', backend, net.toFixed(1), rt(net), `${ratio(net, p?.net)} torch 1 thr`]);
    const before = tf.memory().numTensors;
    const total = await timeIt(() => extractHighlight(y, hl), netReps);
    if (tf.memory().numTensors !== before) throw new Error('extractHighlight leaked tensors');
    rows.push(['extractHighlight (all stages)', backend, total.toFixed(1), rt(total), `${ratio(total, p ? p.front + p.net : undefined)} numpy+torch`]);
    const rnn = buildHighlighter({ variant: 'recurrent', numClasses: 10, seed: 1 });
    const rec = await timeIt(() => extractHighlight(y, rnn), Math.max(2, netReps - 2));
    rows.push(['extractHighlight, recurrent 1/2/3/4 s', backend, rec.toFixed(1), rt(rec), 'n/a']);
    x.dispose();
    hl.dispose();
    rnn.dispose();
  }
  printTable(rows);
  console.log(
    p
      ? `peer (same run, /usr/bin/python3, torch 1 thread): numpy front end ${p.front.toFixed(1)} ms, torch attention network ${p.net.toFixed(1)} ms per song`
      : 'no python peer in this run (needs /usr/bin/python3 with numpy and torch); ratios are n/a',
  );
}

await main();
