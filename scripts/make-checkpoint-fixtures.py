#!/usr/bin/python3
"""Writes the checkpoint fixtures of specnorm-cli's tests (real PyTorch, NumPy, and safetensors files
written byte by byte in the reference layout) and references.json: every tensor's values, σ₁ of its
(d0, rest) matrix view and Frobenius norm, in NumPy float64.

Needs PyTorch (Debian: apt-get install python3-torch) and NumPy. Run from the repository root:
    /usr/bin/python3 scripts/make-checkpoint-fixtures.py
"""
import io
import json
import os
import pickle
import re
import struct
import zipfile
from collections import OrderedDict

import numpy as np
import torch

OUT = "specnorm-cli/src/test/resources/checkpoints"
REFERENCES = {}


def reference(file, tensors):
    """Records float64 values, sigma_1 of the (d0, rest) view and the Frobenius norm of each tensor."""
    entry = {}
    for name, t in tensors.items():
        a = t.detach().to(torch.float64).numpy() if isinstance(t, torch.Tensor) else np.asarray(t, np.float64)
        item = {"shape": list(a.shape), "values": a.reshape(-1).tolist()}
        if a.ndim >= 2:
            m = a.reshape(a.shape[0], -1)
            item["sigma1"] = float(np.linalg.norm(m, 2))
            item["frobenius"] = float(np.linalg.norm(m))
        entry[name] = item
    REFERENCES[file] = entry


def path(name):
    p = os.path.join(OUT, name)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


def save_pt(name, obj, tensors=None):
    torch.save(obj, path(name))
    reference(name, tensors if tensors is not None else obj)


def safetensors_bytes(tensors, metadata=None, dtypes=None):
    """The reference layout: u64 LE header length, JSON header, data in header order, header padded with
    spaces to a multiple of 8 bytes."""
    header = {}
    data = b""
    for name, t in tensors.items():
        if isinstance(t, torch.Tensor):
            dtype = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
                     torch.int64: "I64"}[t.dtype]
            raw = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dim() > 0 else \
                t.reshape(1).view(torch.uint8).numpy().tobytes()
            shape = list(t.shape)
        else:
            dtype, shape, raw = t
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def write(name, content):
    with open(path(name), "wb") as f:
        f.write(content)


def mlp(dtype, seed):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(8, 12), torch.nn.ReLU(), torch.nn.Linear(12, 4))
    return OrderedDict((k, v.to(dtype)) for k, v in net.state_dict().items())


def cnn(dtype):
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 6, 3, padding=1), torch.nn.BatchNorm2d(6),
                              torch.nn.Conv2d(6, 4, 3, padding=1), torch.nn.Flatten(), torch.nn.Linear(4, 3))
    sd = net.state_dict()
    return OrderedDict((k, v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items())


def pt_fixtures():
    for dtype, tag in [(torch.float32, "f32"), (torch.float16, "f16"), (torch.bfloat16, "bf16")]:
        save_pt(f"pt/mlp_{tag}.pt", mlp(dtype, 0))
    save_pt("pt/cnn_f16.pt", cnn(torch.float16))
    torch.manual_seed(2)
    base = torch.randn(6, 7)
    noncontig = OrderedDict([("transposed", base.t()), ("columns", base[:, 2:6]), ("strided", base[::2, ::3])])
    assert not noncontig["transposed"].is_contiguous()
    save_pt("pt/noncontiguous.pt", noncontig)
    torch.manual_seed(3)
    big = torch.randn(10, 5).half()
    shared = OrderedDict([("full", big), ("head", big[:4]), ("tail", big[3:]), ("view", big.view(5, 10))])
    save_pt("pt/shared_storage.pt", shared)
    nested = {"model": mlp(torch.float32, 4), "epoch": 7, "lr": 0.01, "name": "demo"}
    save_pt("pt/nested.pt", nested, OrderedDict(("model." + k, v) for k, v in nested["model"].items()))
    torch.manual_seed(9)
    base = torch.randn(300)
    many = OrderedDict((f"layer{k}.weight", base[2 * k:2 * k + 2].view(1, 2)) for k in range(60))
    save_pt("pt/many_views.pt", many)  # over 256 memo entries: LONG_BINPUT / LONG_BINGET
    torch.manual_seed(5)
    params = OrderedDict([("w", torch.nn.Parameter(torch.randn(5, 3)))])
    save_pt("pt/parameter.pt", params)


def safetensors_fixtures():
    for dtype, tag in [(torch.float32, "f32"), (torch.float16, "f16"), (torch.bfloat16, "bf16"), (torch.float64, "f64")]:
        sd = mlp(dtype, 0)
        write(f"safetensors/mlp_{tag}.safetensors", safetensors_bytes(sd, {"format": "pt"}))
        reference(f"safetensors/mlp_{tag}.safetensors", sd)
    sd = cnn(torch.float16)
    write("safetensors/cnn_f16.safetensors", safetensors_bytes(sd))
    reference("safetensors/cnn_f16.safetensors", OrderedDict((k, v) for k, v in sd.items() if v.is_floating_point()))
    torch.manual_seed(6)
    small = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3)).state_dict()
    for epoch, scale in [(1, 1.0), (2, 1.5), (10, 2.0)]:
        sd = OrderedDict((k, v * scale) for k, v in small.items())
        write(f"run/epoch-{epoch}.safetensors", safetensors_bytes(sd))
        reference(f"run/epoch-{epoch}.safetensors", sd)


def numpy_fixtures():
    rng = np.random.default_rng(7)
    arrays = {"dense.weight": rng.standard_normal((6, 5)).astype(np.float16),
              "dense.bias": rng.standard_normal(6).astype(np.float16),
              "conv.weight": rng.standard_normal((4, 2, 3, 3)).astype(np.float16)}
    np.savez(path("numpy/weights_f16.npz"), **arrays)
    reference("numpy/weights_f16.npz", arrays)
    arrays32 = {"a": rng.standard_normal((5, 4)).astype(np.float32), "b": rng.standard_normal((3, 7)).astype(">f4")}
    np.savez_compressed(path("numpy/weights_f32.npz"), **arrays32)
    reference("numpy/weights_f32.npz", arrays32)
    w = rng.standard_normal((7, 4)).astype(np.float16)
    np.save(path("numpy/w_f16.npy"), w)
    reference("numpy/w_f16.npy", {"w_f16": w})
    fortran = np.asfortranarray(rng.standard_normal((5, 3)).astype(">f2"))
    np.save(path("numpy/fortran_f16.npy"), fortran)
    reference("numpy/fortran_f16.npy", {"fortran_f16": fortran})
    bf = torch.randn(6, 4, generator=torch.Generator().manual_seed(8)).bfloat16()
    np.save(path("numpy/w_bf16.npy"), bf.view(torch.int16).numpy().view("V2"))
    reference("numpy/w_bf16.npy", {"w_bf16": bf})


def patch_sizes(name, entry_name, size):
    """Sets the declared uncompressed size of one entry in the zip's central directory and local header."""
    data = bytearray(open(path(name), "rb").read())
    raw = entry_name.encode()
    cen = data.find(b"PK\x01\x02" + b"", 0)
    while cen >= 0:
        n = struct.unpack_from("<H", data, cen + 28)[0]
        if bytes(data[cen + 46:cen + 46 + n]) == raw:
            struct.pack_into("<I", data, cen + 24, size)
            local = struct.unpack_from("<I", data, cen + 42)[0]
            struct.pack_into("<I", data, local + 22, size)
        cen = data.find(b"PK\x01\x02", cen + 4)
    open(path(name), "wb").write(bytes(data))


class Evil:
    def __init__(self, fn, arg):
        self.fn, self.arg = fn, arg

    def __reduce__(self):
        return (self.fn, (self.arg,))


def zip_checkpoint(name, pickle_bytes, storages, compress_pickle=False, byteorder=None):
    with zipfile.ZipFile(path(name), "w") as z:
        if byteorder:
            z.writestr(zipfile.ZipInfo("archive/byteorder"), byteorder)
        z.writestr(zipfile.ZipInfo("archive/data.pkl"), pickle_bytes,
                   compress_type=zipfile.ZIP_DEFLATED if compress_pickle else zipfile.ZIP_STORED)
        for key, raw in storages.items():
            z.writestr(zipfile.ZipInfo("archive/data/" + key), raw)
        z.writestr(zipfile.ZipInfo("archive/version"), "3\n")


def hostile_fixtures():
    small = torch.arange(12, dtype=torch.float32).reshape(3, 4)
    # safetensors
    good = safetensors_bytes(OrderedDict([("a", small), ("b", small * 2)]))
    n = struct.unpack("<Q", good[:8])[0]
    write("hostile/header_beyond_file.safetensors", struct.pack("<Q", 10 ** 12) + good[8:])
    write("hostile/header_huge_length.safetensors", struct.pack("<Q", 2 ** 63 + 5) + good[8:])

    def header_variant(name, header):
        text = json.dumps(header).encode()
        write("hostile/" + name, struct.pack("<Q", len(text)) + text + bytes(96))

    header_variant("overlapping_offsets.safetensors", {"a": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]},
                                                       "b": {"dtype": "F32", "shape": [3, 4], "data_offsets": [40, 88]}})
    header_variant("offsets_out_of_range.safetensors", {"a": {"dtype": "F32", "shape": [30, 4], "data_offsets": [0, 480]}})
    header_variant("negative_shape.safetensors", {"a": {"dtype": "F32", "shape": [-3, 4], "data_offsets": [0, 48]}})
    header_variant("huge_shape.safetensors", {"a": {"dtype": "F32", "shape": [2 ** 40, 2 ** 40], "data_offsets": [0, 48]}})
    header_variant("size_mismatch.safetensors", {"a": {"dtype": "F32", "shape": [5, 4], "data_offsets": [0, 48]}})
    header_variant("integer_matrix.safetensors", {"a": {"dtype": "I32", "shape": [3, 4], "data_offsets": [0, 48]}})
    write("hostile/not_json.safetensors", struct.pack("<Q", 12) + b"{not json!!}" + bytes(8))
    # pickles that would run code
    zip_checkpoint("hostile/os_system.pt", pickle.dumps(Evil(os.system, "echo pwned"), protocol=2), {})
    zip_checkpoint("hostile/builtins_eval.pt", pickle.dumps(Evil(eval, "1+1"), protocol=4), {})
    torch.save(OrderedDict([("w", small)]), path("hostile/legacy.pt"), _use_new_zipfile_serialization=False)
    # zip bombs: declared sizes beyond the archive or any sane ratio
    buffer = io.BytesIO()
    torch.save(OrderedDict([("w", small)]), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        entries = {i.filename: z.read(i.filename) for i in z.infolist()}
    pkl = next(k for k in entries if k.endswith("data.pkl"))
    store = next(k for k in entries if "/data/" in k)
    zip_checkpoint("hostile/zip_bomb_pickle.pt", entries[pkl], {"0": entries[store]}, compress_pickle=True)
    patch_sizes("hostile/zip_bomb_pickle.pt", "archive/data.pkl", 0xFFFFFFF0)
    zip_checkpoint("hostile/zip_bomb_storage.pt", entries[pkl], {"0": entries[store]})
    patch_sizes("hostile/zip_bomb_storage.pt", "archive/data/0", 0x7FFFFFF0)
    zip_checkpoint("hostile/truncated_storage.pt", entries[pkl], {"0": entries[store][:-8]})
    zip_checkpoint("hostile/big_endian.pt", entries[pkl], {"0": entries[store]}, byteorder="big")
    # a view past its storage: a (2, 3) view at offset 6 of a storage whose persistent id is patched to 6 elements
    view = small.view(-1)[6:].reshape(2, 3)
    buffer = io.BytesIO()
    torch.save(OrderedDict([("w", view)]), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        e2 = {i.filename: z.read(i.filename) for i in z.infolist()}
    k2 = next(k for k in e2 if "/data/" in k)
    patched = re.sub(rb"(cpu(?:q.)?)K\x0c", lambda m: m.group(1) + b"K\x06", e2[next(k for k in e2 if k.endswith("data.pkl"))], count=1)
    assert patched != e2[next(k for k in e2 if k.endswith("data.pkl"))]
    zip_checkpoint("hostile/view_outside_storage.pt", patched, {"0": e2[k2][:24]})
    np.save(path("hostile/truncated.npy"), np.zeros((4, 4), np.float16))
    data = open(path("hostile/truncated.npy"), "rb").read()
    write("hostile/truncated.npy", data[:-6])


def main():
    pt_fixtures()
    safetensors_fixtures()
    numpy_fixtures()
    hostile_fixtures()
    with open(path("references.json"), "w") as f:
        json.dump(REFERENCES, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
