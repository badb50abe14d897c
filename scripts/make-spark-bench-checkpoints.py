#!/usr/bin/python3
"""Writes the Spark throughput benchmark's checkpoints (not committed): FILES safetensors files (default 40)
named epoch-1 ... epoch-FILES, each with LAYERS float32 weight matrices of SIZE x SIZE (default 4 of
1024 x 1024, 16 MiB a file) and a bias, drawn from N(0, 1/SIZE) with NumPy seed 0, to DIR (default
/tmp/specnorm-spark-bench). docs/SPARK.md gives the commands that time it.

    python3 scripts/make-spark-bench-checkpoints.py [DIR [FILES [LAYERS [SIZE]]]]
"""
import json
import os
import struct
import sys

import numpy as np


def write_safetensors(path, tensors):
    header, offset = {}, 0
    for name, t in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
        offset += t.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for t in tensors.values():
            f.write(np.ascontiguousarray(t, dtype="<f4").tobytes())


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/specnorm-spark-bench"
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    layers = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 1024
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(0)
    for e in range(1, files + 1):
        tensors = {}
        for k in range(layers):
            tensors[f"fc{k}.weight"] = (rng.standard_normal((size, size)) / np.sqrt(size)).astype(np.float32)
            tensors[f"fc{k}.bias"] = np.zeros(size, dtype=np.float32)
        write_safetensors(os.path.join(out, f"epoch-{e}.safetensors"), tensors)
    print(f"wrote {files} checkpoints of {layers} layers {size}x{size} to {out}")


if __name__ == "__main__":
    main()
