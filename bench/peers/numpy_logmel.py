#!/usr/bin/env python3
"""Same-run peer for bench/logmel.ts: log-mel of the 30-s fixture clip in numpy.

librosa itself is not packaged for Debian (and PyPI is out of reach here), so this
times two numpy pipelines on the same machine, in the same run as our TypeScript:

  numpy_f64      the "naive numpy" case of ../shared/fixtures/mel/bench_librosa.py
                 (whole-matrix float64 rfft, cached float32 filterbank, top_db clamp);
  librosa_like   librosa 0.10's own sequence of operations: float32 frames x float64
                 window, rfft in blocks of 16 frames into complex64, |X| in float32,
                 **2, float32 matmul with a filterbank rebuilt on every call (librosa's
                 cache is off by default), power_to_db in float32.

The filterbank is read from the fixture (melfb_slaney.f32); librosa_like rebuilds
an equivalent Slaney bank with numpy each call to pay librosa's construction cost.
Prints one JSON object: {case: median_ms}. Usage: numpy_logmel.py FIXTURES_MEL_DIR [ITERS]
"""
import json, sys, time
from pathlib import Path
import numpy as np

mel = Path(sys.argv[1]); iters = int(sys.argv[2]) if len(sys.argv) > 2 else 20
SR, NFFT, HOP, NM = 22050, 4096, 2048, 128
y = np.fromfile(mel / "signals" / "music30.f32", dtype="<f4")
fb32 = np.fromfile(mel / "common" / "melfb_slaney.f32", dtype="<f4").reshape(NM, NFFT // 2 + 1)
n = np.arange(NFFT); win64 = 0.54 - 0.46 * np.cos(2 * np.pi * n / NFFT)

def frames_of(x):
    xp = np.pad(x, NFFT // 2)
    t = 1 + (len(xp) - NFFT) // HOP
    return np.lib.stride_tricks.as_strided(xp, shape=(t, NFFT), strides=(xp.strides[0] * HOP, xp.strides[0]))

def to_db(M):
    L = 10.0 * np.log10(np.maximum(np.asarray(1e-10, M.dtype), M))
    return np.maximum(L, L.max() - 80.0)

def slaney_fb():
    def hz2mel(f):
        f = np.asarray(f, float); m = f / (200.0 / 3); lg = f >= 1000.0
        m[lg] = 15.0 + np.log(f[lg] / 1000.0) / (np.log(6.4) / 27.0); return m
    def mel2hz(m):
        h = (200.0 / 3) * m; lg = m >= 15.0
        h[lg] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m[lg] - 15.0)); return h
    fftf = np.fft.rfftfreq(NFFT, 1.0 / SR)
    mf = mel2hz(np.linspace(hz2mel([0.0])[0], hz2mel([SR / 2])[0], NM + 2))
    fd = np.diff(mf); ramps = np.subtract.outer(mf, fftf)
    w = np.zeros((NM, len(fftf)), dtype=np.float32)
    for i in range(NM):
        w[i] = np.maximum(0, np.minimum(-ramps[i] / fd[i], ramps[i + 2] / fd[i + 1]))
    w *= (2.0 / (mf[2:NM + 2] - mf[:NM]))[:, None]
    return w

def numpy_f64():
    X = np.fft.rfft(frames_of(y.astype(np.float64)) * win64, axis=1)
    return to_db(fb32 @ (X.real ** 2 + X.imag ** 2).T)

def librosa_like():
    fb = slaney_fb()
    fr = frames_of(y)
    S = np.empty((NFFT // 2 + 1, fr.shape[0]), dtype=np.complex64)
    for b in range(0, fr.shape[0], 16):
        S[:, b:b + 16] = np.fft.rfft(fr[b:b + 16] * win64, axis=1).T
    P = np.abs(S) ** 2
    return to_db(np.einsum("...ft,mf->...mt", P, fb, optimize=True))

def timeit(fn):
    for _ in range(3): fn()
    ts = []
    for _ in range(iters):
        t0 = time.perf_counter(); fn(); ts.append((time.perf_counter() - t0) * 1e3)
    return float(np.median(ts))

print(json.dumps({"numpy_f64": timeit(numpy_f64), "librosa_like": timeit(librosa_like),
                  "numpy": np.__version__}))
