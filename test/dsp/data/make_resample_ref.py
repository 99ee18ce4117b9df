#!/usr/bin/env python3
"""Regenerates resample_ref.json: scipy.signal.resample_poly outputs that
test/dsp/resample.test.ts compares `resample` with. Run with Debian's
/usr/bin/python3 (python3-numpy, python3-scipy):

    /usr/bin/python3 test/dsp/data/make_resample_ref.py > test/dsp/data/resample_ref.json

The inputs are stored in the JSON too (float32 values), so the test needs no Python.
"""
import json
from math import gcd
import numpy as np
import scipy, scipy.signal

rng = np.random.default_rng(2018)
cases = []
for src, dst, n in [(44100, 22050, 1501), (48000, 22050, 1600), (16000, 22050, 700),
                    (8000, 22050, 400), (32000, 22050, 1200), (22050, 16000, 1000), (22050, 22050, 50)]:
    t = np.arange(n) / src
    x = (0.5 * np.sin(2 * np.pi * 997.0 * t) + 0.2 * rng.standard_normal(n)).astype(np.float32)
    g = gcd(src, dst)
    y = scipy.signal.resample_poly(x, dst // g, src // g)
    cases.append({"from": src, "to": dst, "x": [float(v) for v in x], "y": [float(v) for v in y]})
print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__,
                  "call": "scipy.signal.resample_poly(x, up, down)  # window=('kaiser', 5.0), padtype='constant'",
                  "cases": cases}))
