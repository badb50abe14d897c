#!/usr/bin/env python3
"""Writes the NumPy fixtures of the examples module's tests (committed; the tests never run Python).

Run from anywhere:  python3 specnorm-cli/src/test/python/make_fixtures.py
Output:             specnorm-cli/src/test/resources/fixtures/

read/      the same logical arrays of rank 2, 3 and 4 as float32 and float64, little- and big-endian,
           C and Fortran order, and in .npy format versions 2.0 and 3.0. Entry k (C order) is
           ((37 k) mod 101 - 50) / 8, exact in float32, which the Java test recomputes.
write/     float32 arrays saved by numpy.save, to compare byte for byte with NpyWriter.
npz/       power-iteration state (u: 2x3, v: 2x4 float32) saved by numpy.savez and savez_compressed.
bad/       files NumPy wrote that specnorm must refuse (dtype, rank, non-finite entries, empty shape).
cli/       weights for the command-line tests and references.json: float64 results of SPEC.md's
           formulas, computed here, independently of the Java code.
"""
import json
import pathlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures"
BETA = 1e-4


def pattern(shape):
    k = np.arange(int(np.prod(shape)), dtype=np.int64)
    return (((37 * k) % 101 - 50) / 8.0).reshape(shape)


def save(path, array, version=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)


def read_fixtures():
    shapes = {2: (3, 5), 3: (2, 3, 4), 4: (4, 3, 2, 2)}
    for rank, shape in shapes.items():
        for size in ("f4", "f8"):
            for order_name, order in (("le", "<"), ("be", ">")):
                for layout in ("c", "f"):
                    a = pattern(shape).astype(order + size)
                    a = np.asfortranarray(a) if layout == "f" else np.ascontiguousarray(a)
                    save(ROOT / "read" / f"r{rank}_{size}_{order_name}_{layout}.npy", a)
    save(ROOT / "read" / "r2_v2.npy", pattern((3, 5)).astype("<f4"), version=(2, 0))
    save(ROOT / "read" / "r2_v3.npy", pattern((3, 5)).astype(">f8"), version=(3, 0))


def write_fixtures():
    save(ROOT / "write" / "f4_2x3.npy", (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3))
    save(ROOT / "write" / "f4_5.npy", np.arange(5, dtype=np.float32) + 0.25)
    save(ROOT / "write" / "f4_2x3x4.npy", pattern((2, 3, 4)).astype(np.float32))


def npz_fixtures():
    u = pattern((2, 3)).astype(np.float32)
    v = pattern((2, 4)).astype(np.float32) * 2
    (ROOT / "npz").mkdir(parents=True, exist_ok=True)
    np.savez(ROOT / "npz" / "state_savez.npz", u=u, v=v)
    np.savez_compressed(ROOT / "npz" / "state_compressed.npz", u=u, v=v)


def bad_fixtures():
    bad = ROOT / "bad"
    save(bad / "int32.npy", np.arange(6, dtype=np.int32).reshape(2, 3))
    save(bad / "float16.npy", np.ones((2, 3), dtype=np.float16))
    save(bad / "complex64.npy", np.ones((2, 3), dtype=np.complex64))
    save(bad / "structured.npy", np.zeros((2, 3), dtype=[("a", "<f4"), ("b", "<f4")]))
    bad.mkdir(parents=True, exist_ok=True)
    np.save(bad / "object.npy", np.array([[1.0, "a"], [None, 2]], dtype=object), allow_pickle=True)
    save(bad / "rank1.npy", np.ones(4, dtype=np.float32))
    save(bad / "rank5.npy", np.ones((2, 1, 1, 1, 2), dtype=np.float32))
    save(bad / "empty_rows.npy", np.ones((0, 3), dtype=np.float32))
    nan = np.ones((3, 4), dtype=np.float32)
    nan[1, 2] = np.nan
    nan[2, 0] = np.nan
    save(bad / "nan.npy", nan)
    inf = np.asfortranarray(np.ones((3, 4), dtype=">f8"))
    inf[2, 1] = -np.inf  # Fortran order stores [2, 1] before [0, 3]: the message must still name [0, 3]
    inf[0, 3] = np.inf
    save(bad / "inf_fortran.npy", inf)
    big = np.ones((2, 2), dtype="<f8")
    big[1, 0] = 1e300
    save(bad / "f8_overflow.npy", big)


def with_singular_values(rng, m, n, s):
    u, _ = np.linalg.qr(rng.standard_normal((m, m)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    r = min(m, n)
    return (u[:, :r] * np.asarray(s)) @ v[:, :r].T


def gram_penalties(w):
    """Every Gram penalty of SPEC.md on one float64 matrix: loss, and its forward-error scale.

    The scale is the formula evaluated on |W| with every subtraction made an addition (SPEC.md's recipe
    for the gradient bound, applied to the loss): the float32 Gram entries carry errors proportional to
    (|W||W|^T)_ij, so |R32 - R64| is bounded by a small multiple of this scale (see OrthoCommandTest).
    """
    m, n = w.shape
    a = w @ w.T
    aa = np.abs(w) @ np.abs(w).T
    off = 1 - np.eye(m)
    b = w.T @ w
    bb = np.abs(w).T @ np.abs(w)
    out = {
        "biggan": (np.sum((a * off) ** 2), np.sum((aa * off) ** 2)),
        "soft": (np.sum((a - np.eye(m)) ** 2), np.sum((aa + np.eye(m)) ** 2)),
        "double-soft": (np.sum((a - np.eye(m)) ** 2) + np.sum((b - np.eye(n)) ** 2),
                        np.sum((aa + np.eye(m)) ** 2) + np.sum((bb + np.eye(n)) ** 2)),
        "l1": (np.sum(np.abs(a - np.eye(m))), np.sum(aa + np.eye(m))),
    }
    return {k: {"loss": BETA * v[0], "scale": BETA * v[1]} for k, v in out.items()}


def gradient(w, penalty):
    """∂R/∂W and the norm of its |.|-evaluation ḡ (SPEC.md "Accuracy expectations"), float64."""
    m = w.shape[0]
    a = w @ w.T
    aw, aa = np.abs(w), np.abs(w) @ np.abs(w).T
    if penalty == "biggan":
        g = 4 * BETA * (a * (1 - np.eye(m))) @ w
        gbar = 4 * BETA * (aa * (1 - np.eye(m))) @ aw
    elif penalty == "soft":
        g = 4 * BETA * (a - np.eye(m)) @ w
        gbar = 4 * BETA * (aa + np.eye(m)) @ aw
    else:
        raise ValueError(penalty)
    return g, float(np.linalg.norm(gbar))


def cli_fixtures():
    rng = np.random.default_rng(20240601)
    cli = ROOT / "cli"
    cli.mkdir(parents=True, exist_ok=True)

    s = [3.0, 1.5] + list(np.linspace(1.2, 0.05, 22))
    w = with_singular_values(rng, 40, 24, s).astype(np.float32)
    save(cli / "w.npy", w)
    w64 = w.astype(np.float64)
    sv = np.linalg.svd(w64, compute_uv=False)
    m, n = w.shape
    g = (w64.T @ w64 - np.eye(n)) if m > n else (w64 @ w64.T - np.eye(m))
    soft_grad, soft_gbar = gradient(w64, "soft")
    save(cli / "w_soft_grad64.npy", soft_grad)

    batch = np.stack([with_singular_values(rng, 12, 8, [2.0 + b, 1.0] + [0.5] * 6) for b in range(3)])
    batch = batch.astype(np.float32)
    save(cli / "batch.npy", batch)

    conv = (0.2 * rng.standard_normal((8, 4, 3, 3))).astype(np.float32)
    save(cli / "conv.npy", conv)
    c64 = conv.astype(np.float64)
    filters = c64.reshape(8, -1)
    slices = c64.reshape(32, 3, 3)
    transposed = np.swapaxes(c64, 0, 1).reshape(4, -1)
    slice_loss = sum(gram_penalties(sl)["biggan"]["loss"] for sl in slices)
    slice_scale = sum(gram_penalties(sl)["biggan"]["scale"] for sl in slices)
    slice_grads = [gradient(sl, "biggan") for sl in slices]
    save(cli / "conv_slices_grad64.npy", np.stack([gr for gr, _ in slice_grads]).reshape(8, 4, 3, 3))
    slice_gbar = float(np.sqrt(sum(nb ** 2 for _, nb in slice_grads)))

    refs = {
        "beta": BETA,
        "w": {
            "shape": list(w.shape),
            "singularValues": sv.tolist(),
            "penalties": gram_penalties(w64),
            "sripSigmaG": float(np.max(np.abs(np.linalg.eigvalsh(g)))),
            "softGradientBarNorm": soft_gbar,
        },
        "batch": {
            "singularValues": [np.linalg.svd(b.astype(np.float64), compute_uv=False).tolist() for b in batch],
        },
        "conv": {
            "sigmaFilters": [float(np.linalg.norm(filters, 2))],
            "sigmaSlices": [float(np.linalg.norm(x, 2)) for x in slices],
            "sigmaTransposed": [float(np.linalg.norm(transposed, 2))],
            "slicesLoss": slice_loss,
            "slicesScale": slice_scale,
            "slicesGradientBarNorm": slice_gbar,
        },
    }
    with open(cli / "references.json", "w") as f:
        json.dump(refs, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    read_fixtures()
    write_fixtures()
    npz_fixtures()
    bad_fixtures()
    cli_fixtures()
    print("fixtures written to", ROOT)
