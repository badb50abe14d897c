#!/usr/bin/env python3
"""Writes the specnorm-api test fixtures (small text files) with NumPy, independently of the Java code.

    python3 specnorm-api/src/test/python/make_fixtures.py

seeded_gaussian.txt: SeededGaussian reimplemented from its javadoc alone -- SplitMix64 with Stafford's
Mix13 finalizer in uint64 arithmetic, s0 = mix(mix(seed) + index*gamma), each draw s += gamma and
returns mix(s), uniform = (draw >> 11) * 2**-53, Box-Muller pairs r = sqrt(-2 ln(1 - a)),
z0 = r cos(2 pi b), z1 = r sin(2 pi b).
Lines: "mix X Y" (signed 64-bit decimal), "uniform SEED INDEX K HEX" (the K-th uniform, exact, as a
float.hex() literal) and "gaussian SEED INDEX K VALUE" (repr; libm may differ from StrictMath by an ulp).

conv_reshape.txt: a float32 weight (4, 3, 2, 3) and its reshapes by NumPy, C-order:
FILTERS w.reshape(4, -1); SLICES w.reshape(12, 2, 3); TRANSPOSED (the weight read as (in, out, kh, kw))
w.transpose(1, 0, 2, 3).reshape(3, -1). Lines: "NAME v0 v1 ..." with float32 reprs.
"""
import math
import os

import numpy as np

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "resources", "dev", "specnorm", "api", "fixtures")


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def signed(x):
    return x - (1 << 64) if x >= 1 << 63 else x


class Stream:
    def __init__(self, seed, index):
        self.state = mix((mix(seed & MASK) + (index & MASK) * GAMMA) & MASK)
        self.spare = None

    def uniform(self):
        self.state = (self.state + GAMMA) & MASK
        return (mix(self.state) >> 11) * 2.0 ** -53

    def gaussian(self):
        if self.spare is not None:
            z, self.spare = self.spare, None
            return z
        a = self.uniform()
        b = self.uniform()
        r = math.sqrt(-2.0 * math.log(1.0 - a))
        self.spare = r * math.sin(2 * math.pi * b)
        return r * math.cos(2 * math.pi * b)


def seeded_gaussian():
    lines = []
    for x in [0, 1, 2, 12345, (1 << 63) - 1, 1 << 63, MASK]:
        lines.append("mix %d %d" % (signed(x), signed(mix(x))))
    pairs = [(0, 0), (0, 1), (0, 7), (1, 0), (42, 3), (-1, 0), ((1 << 63) - 1, 123456789), (-(1 << 63), 2)]
    for seed, index in pairs:
        s = Stream(seed, index)
        for k in range(6):
            lines.append("uniform %d %d %d %s" % (seed, index, k, s.uniform().hex()))
        s = Stream(seed, index)
        for k in range(9):
            lines.append("gaussian %d %d %d %r" % (seed, index, k, s.gaussian()))
    return lines


def conv_reshape():
    rng = np.random.default_rng(20240501)
    w = rng.standard_normal((4, 3, 2, 3)).astype(np.float32)
    rows = {
        "weight": w.reshape(-1),
        "filters": w.reshape(4, -1).reshape(-1),
        "slices": w.reshape(12, 2, 3).reshape(-1),
        "transposed": w.transpose(1, 0, 2, 3).reshape(3, -1).reshape(-1),
    }
    return ["%s %s" % (k, " ".join(repr(float(x)) for x in v.astype(np.float32))) for k, v in rows.items()]


def write(name, lines, header):
    with open(os.path.join(OUT, name), "w") as f:
        f.write("# " + header + " -- written by specnorm-api/src/test/python/make_fixtures.py\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("seeded_gaussian.txt", seeded_gaussian(), "SeededGaussian reimplemented in Python")
    write("conv_reshape.txt", conv_reshape(), "NumPy reshapes of a (4, 3, 2, 3) float32 weight")
