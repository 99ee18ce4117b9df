#!/usr/bin/env python3
"""Same-run peer for bench/extract.ts: one song file -> Mid-30 log-mel the way a
Python user without librosa would write it: scipy.io.wavfile.read, int16 / 32768,
stereo mean, scipy.signal.resample_poly of the whole song to 22050 Hz (librosa's
'polyphase' res_type), the middle 30 s, and the numpy log-mel of numpy_logmel.py
(float64 rfft of Hamming-4096 frames, hop 2048, Slaney filterbank from the fixture,
power_to_db). Prints {"ms": median}. Usage: scipy_extract.py WAV FIXTURES_MEL_DIR [ITERS]
"""
import json, sys, time
from math import gcd
from pathlib import Path
import numpy as np
from scipy.io import wavfile
from scipy.signal import resample_poly

wav, mel = sys.argv[1], Path(sys.argv[2]); iters = int(sys.argv[3]) if len(sys.argv) > 3 else 5
SR, NFFT, HOP, NM = 22050, 4096, 2048, 128
fb = np.fromfile(mel / "common" / "melfb_slaney.f32", dtype="<f4").reshape(NM, NFFT // 2 + 1).astype(np.float64)
win = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(NFFT) / NFFT)

def one():
    sr, x = wavfile.read(wav)
    y = (x.astype(np.float32) / 32768.0).mean(axis=1)
    g = gcd(sr, SR)
    y = resample_poly(y, SR // g, sr // g).astype(np.float32)
    L = 30 * SR; s = (len(y) - L) // 2; y = y[s:s + L]
    yp = np.pad(y, NFFT // 2); t = 1 + (len(yp) - NFFT) // HOP
    fr = np.lib.stride_tricks.as_strided(yp, shape=(t, NFFT), strides=(yp.strides[0] * HOP, yp.strides[0]))
    P = np.abs(np.fft.rfft(fr * win, axis=1)) ** 2
    M = fb @ P.T
    D = 10 * np.log10(np.maximum(1e-10, M)); return np.maximum(D, D.max() - 80)

one(); ts = []
for _ in range(iters):
    t0 = time.perf_counter(); one(); ts.append((time.perf_counter() - t0) * 1000)
ts.sort(); print(json.dumps({"ms": ts[len(ts) // 2]}))
