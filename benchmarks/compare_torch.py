"""The second peer of compare_numpy.py: the same workloads in PyTorch on the CPU, on the same inputs.

Run by compare.sh under an interpreter that imports torch (it may not be NumPy's: Debian's python3-torch lives
in /usr/bin/python3), before compare_numpy.py, which reads the JSON it writes (--out) into its tables;
`peer(key)` builds the inputs of one workload and returns the call to time, or None for a workload PyTorch
has no counterpart for. The timing is compare_numpy.py's (median of repeated runs after 2 warm-ups). Formulas (SPEC.md):
power step v <- normalize(W^T u), u <- normalize(W v) with torch.mv; sigma_1 by
torch.linalg.matrix_norm(A, ord=2); singular values by torch.linalg.svdvals (single and batched); the Gram
penalties (biggan, soft, double-soft, l1 of SPEC.md) at 512x4608 and over the SN-GAN D's 8 layers, the
gradient from autograd; the SN step of the SN-GAN
discriminator's 8 layers through torch.nn.utils.parametrizations.spectral_norm (one power iteration per
forward, u and v constants in the backward), backward with the upstream gradient G.
"""
import argparse
import json
import os
import sys

import torch

import compare_numpy as ref

# one intra-op thread per CPU, as NumPy's OpenBLAS and specnorm's engine use (Debian's build may start with 1)
torch.set_num_threads(os.cpu_count())


def _t(array):
    return torch.from_numpy(array)


def _power(n):
    w = _t(ref.gaussian_matrix((n, n)))
    wt = w.t()
    u0 = ref.gaussian_matrix((n,), index=1)
    state = [_t(u0 / ref.np.linalg.norm(u0))]

    def call():
        v = torch.mv(wt, state[0])
        v = v / torch.linalg.vector_norm(v).clamp_min(ref.EPS)
        u = torch.mv(w, v)
        state[0] = u / torch.linalg.vector_norm(u).clamp_min(ref.EPS)
    return call


def _matrix_norm(n):
    a = _t(ref.gaussian_matrix((n, n)))
    return lambda: torch.linalg.matrix_norm(a, ord=2)


def _svdvals(shape):
    a = _t(ref.gaussian_matrix(shape))
    return lambda: torch.linalg.svdvals(a)


def _penalty_loss(penalty, w):
    """The penalty of one matrix as a PyTorch user writes it (A = W W^T; double soft from A alone, as
    compare_numpy.py: ||W^T W||_F = ||A||_F, tr W^T W = tr A)."""
    m, n = w.shape
    a = w @ w.t()
    if penalty == "biggan":
        off = a * (1 - torch.eye(m))
        return ref.BETA * torch.sum(off * off)
    if penalty == "soft":
        d = a - torch.eye(m)
        return ref.BETA * torch.sum(d * d)
    if penalty == "double-soft":
        return ref.BETA * (2 * torch.sum(a * a) - 4 * torch.trace(a) + m + n)
    if penalty == "l1":
        return ref.BETA * torch.sum(torch.abs(a - torch.eye(m)))
    raise ValueError(penalty)


def _penalty(penalty, shape):
    """Loss summed over the weights, gradient by autograd (one backward)."""
    weights = [_t(w).requires_grad_() for w in ref.penalty_inputs(shape)]

    def call():
        for w in weights:
            w.grad = None
        loss = sum(_penalty_loss(penalty, w) for w in weights)
        loss.backward()
        return loss, [w.grad for w in weights]
    return call


def _sngan():
    layers, grads = [], []
    for k, (rows, cols) in enumerate(ref.SNGAN_LAYERS):
        layer = torch.nn.Linear(cols, rows, bias=False)
        with torch.no_grad():
            layer.weight.copy_(_t(ref.gaussian_matrix((rows, cols), index=k, std=ref.SNGAN_INIT_STD)))
        layer = torch.nn.utils.parametrizations.spectral_norm(layer, n_power_iterations=1)
        layer.train()
        grads.append(_t(ref.gaussian_matrix((rows, cols), index=len(ref.SNGAN_LAYERS) + k)))
        layers.append(layer)
    for layer in layers:  # settle u as compare_numpy.py does (15 steps), then time one step per call
        for _ in range(15):
            with torch.no_grad():
                layer.weight
    originals = [layer.parametrizations.weight.original for layer in layers]

    def call():
        for layer, original, g in zip(layers, originals, grads):
            original.grad = None
            layer.weight.backward(g)
    return call


def peer(key):
    """The timed PyTorch call of the compare_numpy.py workload `key`, or None if it has no counterpart."""
    if key.startswith("power-"):
        return _power(int(key.split("-")[1]))
    if key == "lanczos-1024":
        return _matrix_norm(1024)
    if key.startswith("svd-"):
        n = int(key.split("-")[1])
        return _svdvals((n, n))
    if key.startswith("batched-"):
        return _svdvals(tuple(int(d) for d in key.split("-")[1].split("x")))
    for penalty in ref.PENALTIES:
        if key == f"{penalty}-512×4608":
            return _penalty(penalty, "512x4608")
        if key == f"{penalty}-sngan-d":
            return _penalty(penalty, "sngan-d")
    if key == "sngan-step":
        return _sngan()
    return None


def version():
    return f"PyTorch {torch.__version__} (CPU, {torch.get_num_threads()} intra-op threads)"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="JSON of the medians to write")
    p.add_argument("--quick", action="store_true", help="fewer runs")
    p.add_argument("families", nargs="*", help="workload families to run (default: all)")
    args = p.parse_args()
    results = {}
    for w in ref.workloads():
        if args.families and w.family not in args.families:
            continue
        call = peer(w.key)
        if call is None:
            continue
        print(f"torch: {w.key} ...", file=sys.stderr, flush=True)
        seconds, runs = ref.median_seconds(call, budget_s=1.0 if args.quick else 3.0, min_runs=3 if args.quick else 5)
        results[w.key] = {"torch_ms": seconds * 1e3, "torch_runs": runs}
        del call
    with open(args.out, "w") as f:
        json.dump({"version": version(), "workloads": results}, f, indent=2)


if __name__ == "__main__":
    main()
