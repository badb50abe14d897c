#!/usr/bin/python3
"""Writes the inspect benchmark's checkpoint (not committed): 100 weight layers, about 51 million float16
parameters (96 linear 730x730 layers and 4 convolutions 64x64x3x3, each with a bias), as a PyTorch zip
checkpoint and as safetensors in the reference layout, to DIR (default /tmp/specnorm-bench).

    /usr/bin/python3 scripts/make-benchmark-checkpoint.py [DIR]
    /usr/bin/time -v ./specnorm inspect /tmp/specnorm-bench/model.safetensors --method lanczos --backend cpu
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import torch


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/specnorm-bench"
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    sd = OrderedDict()
    for k in range(100):
        if k % 25 == 0:
            sd[f"conv{k}.weight"] = (torch.randn(64, 64, 3, 3) / 24).half()
            sd[f"conv{k}.bias"] = torch.zeros(64).half()
        else:
            sd[f"fc{k}.weight"] = (torch.randn(730, 730) / 27).half()
            sd[f"fc{k}.bias"] = torch.zeros(730).half()
    torch.save(sd, os.path.join(out, "model.pt"))
    header, offset = {}, 0
    for name, t in sd.items():
        n = t.numel() * 2
        header[name] = {"dtype": "F16", "shape": list(t.shape), "data_offsets": [offset, offset + n]}
        offset += n
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(os.path.join(out, "model.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for t in sd.values():
            f.write(t.contiguous().view(torch.uint8).numpy().tobytes())
    params = sum(t.numel() for t in sd.values())
    print(f"wrote {out}/model.pt and {out}/model.safetensors: {len(sd) // 2} layers, {params} float16 parameters")


if __name__ == "__main__":
    main()
