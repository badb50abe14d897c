#!/usr/bin/env python3
"""The CPU workloads of docs/PERFORMANCE.md in NumPy beside the JMH results of benchmarks.jar, on both CPU paths.

Runs every workload in NumPy (float32, its OpenBLAS/LAPACK) on the same inputs as the JMH benchmarks
(SeededGaussian, reimplemented below), takes the median of repeated timed runs after warm-up, joins the
JMH medians (SampleTime p50), prints per workload our median, NumPy's median and the ratio
(NumPy time / our time: >= 1 means specnorm is faster), writes a JSON summary and, after a run of every
workload, regenerates docs/PERFORMANCE.md. benchmarks/compare.sh runs the JMH half (twice: the CPU
backend's native OpenBLAS path, and its pure-Java path with -Dspecnorm.cpu.native=false) and then this
script, then benchmarks/report_cpu.py, which draws the charts and the HTML page from the JSON summary
(with --charts, the page's "Chart:" entry links them). The targets apply to the native path; the pure-Java
path's ratios are reported beside them.
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from report_cpu import PAGE, RATIO_CHART, TIMES_CHART  # the file names of the charts and page it draws

EPS = 1e-12
BETA = 1e-4
PACKAGE = "dev.specnorm.benchmarks."
COPY_BYTES = 2 * (1 << 30)  # StreamCopyBenchmark: 1 GiB read + 1 GiB written
READ_BYTES = {"1GiB": 1 << 30, "64MiB": 1 << 26}  # StreamReadBenchmark: 2 x 512 MiB or 2 x 32 MiB read

# Rows x cols of the SN-GAN standard CNN discriminator's layers in the FILTERS reshape, as in
# SnganStepBenchmark.LAYERS (examples' SnganDiscriminator): seven convolutions, then the dense layer.
SNGAN_LAYERS = [(64, 3 * 3 * 3), (64, 64 * 4 * 4), (128, 64 * 3 * 3), (128, 128 * 4 * 4),
                (256, 128 * 3 * 3), (256, 256 * 4 * 4), (512, 256 * 3 * 3), (1, 512 * 4 * 4)]
SNGAN_INIT_STD = 0.02

# ------------------------------------------------------------------ inputs


_GAMMA = 0x9E3779B97F4A7C15
_MASK = (1 << 64) - 1


def _mix(z):
    """SplitMix64's finalizer on uint64 arrays (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def seeded_gaussian(seed, index, count, std=1.0):
    """SeededGaussian(seed, index): `count` N(0, std^2) draws rounded to float32, as Inputs.gaussian."""
    s0 = int(_mix(np.array([seed & _MASK], dtype=np.uint64))[0])
    s0 = int(_mix(np.array([(s0 + index * _GAMMA) & _MASK], dtype=np.uint64))[0])
    pairs = (count + 1) // 2
    steps = np.arange(1, 2 * pairs + 1, dtype=np.uint64) * np.uint64(_GAMMA) + np.uint64(s0)
    uniform = (_mix(steps) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    a, b = uniform[0::2], uniform[1::2]
    r = np.sqrt(-2.0 * np.log(1.0 - a))
    z = np.empty(2 * pairs)
    z[0::2] = r * np.cos(2 * np.pi * b)
    z[1::2] = r * np.sin(2 * np.pi * b)
    return (std * z[:count]).astype(np.float32)


def gaussian_matrix(shape, index=0, std=1.0):
    return seeded_gaussian(0, index, math.prod(shape), std).reshape(shape)


# ------------------------------------------------------------------ the workloads' formulas, once each


def power_step(w, u):
    """One power-iteration step (SPEC.md): v <- normalize(W^T u), u <- normalize(W v); returns u, v, sigma."""
    v = w.T @ u
    v /= max(np.linalg.norm(v), EPS)
    u = w @ v
    sigma = np.linalg.norm(u)
    u /= max(sigma, EPS)
    return u, v, sigma


def sigma_exact(a):
    """sigma_1 the way a NumPy user gets it: a full SVD."""
    return np.linalg.norm(a, 2)


def singular_values(a):
    """All singular values, no vectors (a single matrix or a stacked batch)."""
    return np.linalg.svd(a, compute_uv=False)


def biggan_penalty(w, beta=BETA):
    """BigGAN's beta*||A o (1 - I)||_F^2, A = W W^T, and its gradient 4 beta (A o (1 - I)) W."""
    a = w @ w.T
    np.fill_diagonal(a, 0)
    loss = beta * np.sum(a * a)
    return loss, (4 * beta) * (a @ w)


def soft_penalty(w, beta=BETA):
    """Soft orthogonality beta*||A - I||_F^2 and its gradient 4 beta (A - I) W."""
    a = w @ w.T
    a[np.diag_indices_from(a)] -= 1
    return beta * np.sum(a * a), (4 * beta) * (a @ w)


def double_soft_penalty(w, beta=BETA):
    """Double soft orthogonality beta*(||W W^T - I||_F^2 + ||W^T W - I||_F^2), from the m x m A = W W^T alone
    (||W^T W||_F = ||A||_F and tr W^T W = tr A), and its gradient 8 beta (A W - W)."""
    m, n = w.shape
    a = w @ w.T
    sq, tr = np.sum(a * a), np.trace(a)
    loss = beta * (2 * sq - 4 * tr + m + n)
    return loss, (8 * beta) * (a @ w - w)


def l1_penalty(w, beta=BETA):
    """L1 orthogonality beta*sum |A - I| and its gradient 2 beta sign(A - I) W."""
    a = w @ w.T
    a[np.diag_indices_from(a)] -= 1
    return beta * np.sum(np.abs(a)), (2 * beta) * (np.sign(a) @ w)


PENALTIES = {"biggan": biggan_penalty, "soft": soft_penalty, "double-soft": double_soft_penalty, "l1": l1_penalty}
PENALTY_TITLES = {"biggan": "BigGAN", "soft": "Soft orthogonality", "double-soft": "Double soft orthogonality",
                  "l1": "L1 orthogonality"}


def penalty_inputs(shape):
    """The weights of a Gram-penalty workload: one 512x4608 N(0, 1) matrix, or the SN-GAN D's 8 layers."""
    if shape == "sngan-d":
        return [gaussian_matrix(s, index=k, std=SNGAN_INIT_STD) for k, s in enumerate(SNGAN_LAYERS)]
    m, n = (int(d) for d in shape.split("x"))
    return [gaussian_matrix((m, n))]


def sn_step(weights, us, grads_out):
    """SN forward and backward of every layer: one power step, W_hat = W / sigma,
    dW = (G - <G, W_hat> u v^T) / sigma (SPEC.md, u and v constants). Updates us in place."""
    outputs = []
    for k, (w, g) in enumerate(zip(weights, grads_out)):
        u, v, sigma = power_step(w, us[k])
        us[k] = u
        w_hat = w / sigma
        inner = np.vdot(g, w_hat)
        outputs.append((w_hat, (g - inner * np.outer(u, v)) / sigma))
    return outputs


# ------------------------------------------------------------------ timing


def median_seconds(fn, warmup=2, min_runs=5, max_runs=50, budget_s=3.0):
    """Median wall time of fn() over repeated runs after `warmup` untimed ones (time.perf_counter)."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or (len(times) < max_runs and time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


# ------------------------------------------------------------------ the workloads


@dataclass
class Workload:
    key: str
    family: str
    title: str
    benchmark: str          # JMH benchmark method, without the package
    params: dict            # JMH parameters that select this workload
    numpy: Callable[[], Callable[[], object]] = None  # builds the inputs, returns the timed call
    bytes_per_op: int = 0   # memory traffic a bandwidth-bound implementation cannot avoid
    flops_per_op: float = 0
    target: str = ""
    min_ratio: float = None
    min_bandwidth_share: float = None
    limit: str = ""
    result: dict = field(default_factory=dict)


def numpy_power(n):
    def build():
        w = gaussian_matrix((n, n))
        state = [gaussian_matrix((n,), index=1)]
        state[0] /= np.linalg.norm(state[0])

        def call():
            state[0] = power_step(w, state[0])[0]
        return call
    return build


def numpy_lanczos(n):
    def build():
        a = gaussian_matrix((n, n))
        return lambda: sigma_exact(a)
    return build


def numpy_svd(shape):
    def build():
        a = gaussian_matrix(shape)
        return lambda: singular_values(a)
    return build


def numpy_penalty(penalty, shape):
    def build():
        weights = penalty_inputs(shape)
        fn = PENALTIES[penalty]
        return lambda: [fn(w) for w in weights]
    return build


def numpy_sngan():
    weights = [gaussian_matrix(s, index=k, std=SNGAN_INIT_STD) for k, s in enumerate(SNGAN_LAYERS)]
    grads = [gaussian_matrix(s, index=len(SNGAN_LAYERS) + k) for k, s in enumerate(SNGAN_LAYERS)]
    us = []
    for w in weights:
        u = np.ones(w.shape[0], dtype=np.float32) / np.sqrt(w.shape[0], dtype=np.float32)
        for _ in range(15):
            u = power_step(w, u)[0]
        us.append(u)
    return lambda: sn_step(weights, us, grads)


POWER_LIMIT = {
    1024: "cache bandwidth and per-call cost: W is 4 MiB and stays in the last-level cache between steps, so "
          "a step is bounded by cache bandwidth (NumPy's effective figure can exceed the DRAM read "
          "bandwidth), and at ~0.1 ms the fixed costs of a call (validation, handing the two row-block passes "
          "to the threads, committing the state) weigh as much as the passes",
    4096: "memory bandwidth: each step streams W (64 MiB) twice (Wᵀu, then Wv; 4 flops per 8 bytes, far below "
          "the FLOP rate's balance point), from DRAM, or from the last-level cache where that holds 64 MiB (then "
          "the 64 MiB read-only reference, not the 1 GiB one, is the limit it is measured against)",
}
SNGAN_FLOATS = sum(r * c for r, c in SNGAN_LAYERS)
SNGAN_PASSES = 8  # 2 power passes; forward reads W, writes Ŵ; backward reads G and W (⟨G, W⟩), G again, writes dW


def workloads():
    out = []
    for n in (1024, 4096):
        out.append(Workload(
            f"power-{n}", "power", f"One power-iteration step, {n}×{n}", "PowerIterationBenchmark.step",
            {"size": str(n), "threads": "0"}, numpy_power(n), bytes_per_op=2 * n * n * 4, flops_per_op=4.0 * n * n,
            target="ratio >= 1.0" + (", effective bandwidth >= 80% of the read-only limit" if n == 4096 else ""),
            min_ratio=1.0, min_bandwidth_share=0.80 if n == 4096 else None,
            limit=POWER_LIMIT[n]))
    out.append(Workload(
        "lanczos-1024", "lanczos", "σ₁ to 1e-6 by Lanczos, 1024×1024 N(0, 1) seed 0 "
        "(NumPy: numpy.linalg.norm(A, 2), a full SVD)", "LanczosBenchmark.sigma", {"size": "1024"},
        numpy_lanczos(1024), target="ratio >= 3.0", min_ratio=3.0,
        limit="matrix-vector products (2 per step, memory/cache bandwidth on a 4 MiB W) plus the full "
              "reorthogonalization against all previous vectors (O(k n) per step, float64); NumPy's full "
              "SVD is FLOP-bound (~(8/3) n³ for the bidiagonalization alone)"))
    for n in (512, 1024):
        out.append(Workload(
            f"svd-{n}", "svd", f"All singular values (no vectors), {n}×{n}", "SingularValuesBenchmark.values",
            {"size": str(n)}, numpy_svd((n, n)), flops_per_op=8.0 / 3.0 * n ** 3,
            target="ratio >= 0.5 (within 2x)", min_ratio=0.5,
            limit="FLOP rate and memory: Householder bidiagonalization, (8/3) n³ flops, half of them in "
                  "matrix-vector products (bandwidth-bound), half in rank-2 updates. Native path: the same LAPACK "
                  "sgesdd as NumPy (blocked sgebrd, BLAS-3, float32) on one thread, the engine's second thread "
                  "idle for a single matrix; pure Java: EJML's float64 implicit-QR SVD with an unblocked, "
                  "row-major bidiagonalization"))
    for b, m in ((262144, 3), (4096, 32)):
        out.append(Workload(
            f"batched-{b}x{m}x{m}", "batched", f"Batched SVD values, {b} matrices of {m}×{m}",
            "BatchedSvdBenchmark.values", {"shape": f"{b}x{m}x{m}"}, numpy_svd((b, m, m)),
            target="ratio >= 1.0", min_ratio=1.0,
            limit=("per-matrix cost: 9 floats of work each, so fixed costs per matrix (dispatch, the Jacobi "
                   "setup, a result array and record each) dominate; NumPy pays one LAPACK call per matrix. Both "
                   "paths use the Java one-sided Jacobi solver here (faster than a LAPACK call below 9×9)" if m == 3 else
                   "native path: one LAPACK sgesdd call per matrix (its fixed costs weigh at 32×32), the matrices "
                   "shared by the engine's threads, as NumPy's loop but on both CPUs; pure Java: EJML's float64 SVD "
                   "per matrix (Jacobi takes only sides up to 8), parallel over matrices")))
    for shape in ("512x4608", "sngan-d"):
        dims = [(512, 4608)] if shape != "sngan-d" else SNGAN_LAYERS
        where = "512×4608" if shape != "sngan-d" else "sngan-d"
        for penalty in PENALTIES:
            out.append(Workload(
                f"{penalty}-{where}", "penalty",
                f"{PENALTY_TITLES[penalty]} penalty and gradient, "
                + ("512×4608" if shape != "sngan-d" else "the SN-GAN D's 8 layers in one call"),
                "GramPenaltyBenchmark.lossAndGradient", {"shape": shape, "penalty": penalty},
                numpy_penalty(penalty, shape), flops_per_op=sum(4.0 * m * m * n for m, n in dims),
                target="ratio >= 1.0", min_ratio=1.0,
                limit=("FLOP rate: two GEMMs (A = WWᵀ and AW), 2m²n flops each (NumPy computes all of A; we "
                       "compute its upper block trapezoid). Native path: OpenBLAS sgemm in fixed blocks (128 rows "
                       "of A, 256 columns of AW) shared by both threads, plus one off-heap copy of W and of the "
                       "gradient; pure Java: EJML's float32 GEMM" if shape != "sngan-d" else
                       "per-layer cost and FLOP rate: 8 GEMM pairs from 1×8192 to 512×2304 (2.9 M weights); the "
                       "small layers cost mostly per-matrix overhead, the two 512- and 256-row layers most of "
                       "the flops")))
    out.append(Workload(
        "sngan-step", "sngan", "SN step of the SN-GAN discriminator (8 layers: power step, normalize, backward)",
        "SnganStepBenchmark.forwardAndBackward", {}, numpy_sngan,
        bytes_per_op=4 * SNGAN_FLOATS * SNGAN_PASSES,
        target="ratio >= 1.0", min_ratio=1.0,
        limit=f"memory bandwidth and per-layer cost: {SNGAN_FLOATS:,} weights ({4 * SNGAN_FLOATS / 2 ** 20:.1f} MiB), "
              f"{SNGAN_PASSES} passes over a weight-sized array per step (2 power passes; the forward reads W and "
              "writes Ŵ; the backward reads G and W for ⟨G, W⟩, then G again and writes ∂L/∂W), counted in the "
              "effective bandwidth above; W, G, Ŵ and ∂L/∂W together are about the size of the last-level "
              "cache, and the small layers (64×27, 1×8192) cost mostly per-matrix overhead"))
    return out


def copy_workloads():
    """The bandwidth references: the 1 GiB copy (read + write), the 1 GiB read-only comparison, and the
    64 MiB one (W's size at 4096², which a large last-level cache may hold); bytes_per_op is the traffic
    each counts."""
    threads = (("1", "1 thread"), ("all", "one thread per CPU"))
    reads = (("read", "1GiB", "two 512 MiB float arrays compared (read only)"),
             ("read64", "64MiB", "two 32 MiB float arrays compared (read only, W's size at 4096²)"))
    return ([Workload(f"copy-{t}", "copy", f"1 GiB float array copy, {label}", "StreamCopyBenchmark.copy",
                      {"threads": t}, bytes_per_op=COPY_BYTES) for t, label in threads]
            + [Workload(f"{key}-{t}", "read", f"{title}, {label}", "StreamReadBenchmark.read",
                        {"threads": t, "size": size}, bytes_per_op=READ_BYTES[size])
               for key, size, title in reads for t, label in threads])


# ------------------------------------------------------------------ JMH results


def jmh_median_ms(jmh, w):
    """(median ms/op, samples, B/op or None) of the JMH entry matching w, or None if it was not run."""
    for e in jmh:
        if e["benchmark"] == PACKAGE + w.benchmark and all(e.get("params", {}).get(k) == v
                                                            for k, v in w.params.items()):
            pm = e["primaryMetric"]
            if pm["scoreUnit"] != "ms/op":
                raise SystemExit(f"{w.key}: expected ms/op from JMH, got {pm['scoreUnit']}")
            samples = sum(count for fork in pm["rawDataHistogram"] for it in fork for _, count in it)
            alloc = e.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
            return pm["scorePercentiles"]["50.0"], samples, alloc
    return None


def cpu_path(log_path):
    """The CPU path the benchmarks printed ('cpu path: ...'), or None."""
    if not log_path or not os.path.exists(log_path):
        return None
    with open(log_path, encoding="utf-8", errors="replace") as f:
        m = re.search(r"cpu path: (.+)$", f.read(), re.M)
    return m[1].strip() if m else None


def lanczos_steps(log_path):
    if not log_path or not os.path.exists(log_path):
        return None
    with open(log_path, encoding="utf-8", errors="replace") as f:
        m = re.search(r"lanczos: size=(\d+) steps=(\d+) converged=(\w+)", f.read())
    return {"size": int(m[1]), "steps": int(m[2]), "converged": m[3] == "true"} if m else None


# ------------------------------------------------------------------ the machine


def run(cmd):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        return done.stdout + done.stderr
    except OSError:
        return ""


def load_average():
    """The 1, 5 and 15 minute load averages, as /proc/loadavg gives them."""
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def machine(jmh):
    lscpu = run(["lscpu"])
    model = re.search(r"Model name:\s*(.+)", lscpu)
    caches = ", ".join(f"{m[1]} {m[2].strip()}" for m in re.finditer(r"^(L2|L3) cache:\s*(.+)$", lscpu, re.M))
    mem_kib = 0
    if os.path.exists("/proc/meminfo"):
        with open("/proc/meminfo") as f:
            mem_kib = int(re.search(r"MemTotal:\s*(\d+)", f.read())[1])
    blas = {}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    except Exception:  # older NumPy: no dicts mode
        pass
    jdk = (jmh[0]["vmName"] + " " + jmh[0]["vmVersion"]) if jmh else run(["java", "-version"]).splitlines()[0]
    return {
        "cpu": model[1].strip() if model else platform.processor(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS", "default (one per CPU)"),
        "caches": caches,
        "memoryGiB": round(mem_kib / 2 ** 20, 1),
        "os": platform.platform(),
        "jdk": jdk,
        "jmh": jmh[0]["jmhVersion"] if jmh else None,
        "jvmArgs": jmh[0]["jvmArgs"] if jmh else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": f"{blas.get('name', '?')} {blas.get('version', '?')}".strip(),
        "blasConfig": blas.get("openblas configuration", ""),
    }


# ------------------------------------------------------------------ report


def evaluate(ws, jmh, stream_bw):
    for w in ws:
        r = w.result
        if "ours_ms" in r and "numpy_ms" in r:
            r["ratio"] = r["numpy_ms"] / r["ours_ms"]
        if "pure_ms" in r and "numpy_ms" in r:
            r["pure_ratio"] = r["numpy_ms"] / r["pure_ms"]
        if "ours_ms" in r and "torch_ms" in r:
            r["torch_ratio"] = r["torch_ms"] / r["ours_ms"]
        if w.bytes_per_op and "ours_ms" in r:
            r["ours_GBps"] = w.bytes_per_op / (r["ours_ms"] * 1e-3) / 1e9
            r["numpy_GBps"] = w.bytes_per_op / (r["numpy_ms"] * 1e-3) / 1e9 if "numpy_ms" in r else None
            if stream_bw:
                r["bandwidth_share"] = r["ours_GBps"] * 1e9 / stream_bw
        if w.flops_per_op and "ours_ms" in r:
            r["ours_GFLOPs"] = w.flops_per_op / (r["ours_ms"] * 1e-3) / 1e9
            r["numpy_GFLOPs"] = w.flops_per_op / (r["numpy_ms"] * 1e-3) / 1e9 if "numpy_ms" in r else None
        met = None
        if "ratio" in r and w.min_ratio is not None:
            met = r["ratio"] >= w.min_ratio
            if w.min_bandwidth_share is not None:
                met = met and r.get("bandwidth_share", 0) >= w.min_bandwidth_share
        r["met"] = met
        if "pure_ratio" in r and w.min_ratio is not None:
            pure_met = r["pure_ratio"] >= w.min_ratio
            if w.min_bandwidth_share is not None:
                pure_met = pure_met and r.get("pure_bandwidth_share", 0) >= w.min_bandwidth_share
            r["pure_met"] = pure_met
        if w.bytes_per_op and "pure_ms" in r and stream_bw:
            r["pure_GBps"] = w.bytes_per_op / (r["pure_ms"] * 1e-3) / 1e9
            r["pure_bandwidth_share"] = r["pure_GBps"] * 1e9 / stream_bw
        if w.flops_per_op and "pure_ms" in r:
            r["pure_GFLOPs"] = w.flops_per_op / (r["pure_ms"] * 1e-3) / 1e9


def fmt(x, digits=3):
    if x is None:
        return "—"
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:.0f}"


def print_table(ws, stream):
    print()
    print(f"{'workload':<22} {'native ms':>10} {'pure ms':>10} {'numpy ms':>10} {'ratio':>7} {'pure':>7} "
          f"{'torch ms':>10} {'vs torch':>8}  "
          f"{'target (native path)':<45} met")
    for w in ws:
        r = w.result
        extra = ""
        if "bandwidth_share" in r:
            extra = f"  [{r['ours_GBps']:.1f} GB/s = {100 * r['bandwidth_share']:.0f}% of the bandwidth limit]"
        met = {True: "yes", False: "NO", None: "—"}[r.get("met")]
        print(f"{w.key:<22} {fmt(r.get('ours_ms')):>10} {fmt(r.get('pure_ms')):>10} {fmt(r.get('numpy_ms')):>10} "
              f"{fmt(r.get('ratio')):>7} {fmt(r.get('pure_ratio')):>7} {fmt(r.get('torch_ms')):>10} "
              f"{fmt(r.get('torch_ratio')):>8}  {w.target:<45} {met}{extra}")
    for c in stream:
        if "ours_ms" in c.result:
            print(f"{c.key:<22} {fmt(c.result['ours_ms']):>10} ms  = {c.result['GBps']:.1f} GB/s ({c.title})")
    print()


def markdown(ws, stream, info, meta):
    caches = f" ({info['caches']})" if info["caches"] else ""  # lscpu may not report them
    lines = [
        "# Performance",
        "",
        "<!-- Generated by benchmarks/compare.sh (benchmarks/compare_numpy.py); edit those, not this file. -->",
        "",
        "Measured numbers for the CPU workloads: specnorm's CPU backend (JMH, `benchmarks.jar`) "
        "on both of its paths beside the same computation in NumPy (float32, its bundled OpenBLAS/LAPACK), "
        "**in one run on one machine**. The targets are ratios, not absolute times: these machines are shared "
        "and noisy.",
        "",
        "- **native**: the CPU backend's accelerated path (bundled OpenBLAS/LAPACK through JavaCPP: `sgesdd` "
        "for exact SVDs larger than 8×8, blocked `sgemm` for the Gram penalties; everything else in Java), "
        "used when its probe succeeds. **pure Java**: the same benchmarks with `-Dspecnorm.cpu.native=false` "
        "(EJML, one-sided Jacobi, the Java kernels). The targets apply to the native path; the pure-Java "
        "path's ratios are reported beside them.",
        "- **ratio** = NumPy's median time / our median time: ≥ 1 means specnorm is faster. **vs PyTorch** = "
        "PyTorch's (CPU) median time / our native median time, measured in the same run as the NumPy column "
        "(compare_torch.py: `torch.mv` power steps, `torch.linalg.matrix_norm(ord=2)`, `torch.linalg.svdvals` "
        "single and batched, the Gram penalties (biggan, soft, double-soft, l1; one matrix and the SN-GAN D's 8 "
        "layers) with their autograd gradients, "
        "`torch.nn.utils.parametrizations.spectral_norm` over the SN-GAN D's 8 layers); the targets are "
        "against NumPy.",
        "- **ours**: JMH `SampleTime`, the median (p50) of every invocation timed in the measurement "
        "iterations; one fork, after warm-up iterations. **NumPy**: the median of repeated `time.perf_counter` "
        "runs after 2 untimed warm-up runs.",
        "- Inputs: N(0, 1) float32 from `SeededGaussian` (seed 0) on both sides (compare_numpy.py "
        "reimplements the generator), the SN-GAN weights N(0, 0.02²).",
        "- Bandwidth limit = the largest of six figures measured in Java: bytes read / median time of a comparison "
        "of two equal `float[]` of 512 MiB and of 32 MiB each (`StreamReadBenchmark`, `Arrays.mismatch`, read only, "
        "as a power step reads W; the 64 MiB one is W's size at 4096², so where the last-level cache holds W it "
        "measures the cache a step reads from) and (bytes read + bytes written) / median time of a 1 GiB "
        "`float[]` copy (`StreamCopyBenchmark`, 2 GiB per copy, the write-allocate reads the hardware also makes "
        "not counted), each on 1 thread and on all threads. The shares below are of this limit.",
        "",
        "## Run",
        "",
        f"- Date: {meta['date']}",
        f"- Command: `{meta['command']}`",
        f"- Machine: {info['cpu']}, {info['cores']} logical CPUs{caches}, "
        f"{info['memoryGiB']} GiB memory; {info['os']}",
        f"- JDK: {info['jdk']}; JMH {info['jmh']}; fork JVM options `{' '.join(info['jvmArgs'] or [])}`",
        f"- Python {info['python']}, NumPy {info['numpy']}, BLAS/LAPACK: {info['blas']}"
        + (f" ({info['blasConfig']})" if info['blasConfig'] else ""),
        f"- PyTorch: {meta['torch']}",
        f"- OpenBLAS threads (NumPy): {info['openblasThreads']}; specnorm's CPU engine: one thread per available "
        "processor (its default), OpenBLAS inside it fixed to 1 thread per call (the engine splits the work itself)",
        f"- CPU paths, as the benchmarks printed them: native run `{meta.get('path_native') or 'unknown'}`; "
        f"pure-Java run `{meta.get('path_pure') or 'not run'}`",
        f"- JMH settings: {meta['jmh_settings']}",
        f"- Load average (1, 5, 15 min) before JMH: {meta['load']['beforeJmh']}; before NumPy: "
        f"{meta['load']['beforeNumpy']}; at the end: {meta['load']['after']} (on {info['cores']} CPUs: "
        "a load near or above that count means other processes competed for them)",
        f"- Chart: {meta['chart']}",
        "",
        "## Summary",
        "",
        "| workload | native (ms) | pure Java (ms) | NumPy (ms) | ratio, native | ratio, pure Java | PyTorch (ms) "
        "| vs PyTorch, native | target (native path) | met | pure Java meets it |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for w in ws:
        r = w.result
        met = {True: "yes", False: "**no**", None: "—"}[r.get("met")]
        pure_met = {True: "yes", False: "no", None: "—"}[r.get("pure_met")]
        lines.append(f"| {w.key} | {fmt(r.get('ours_ms'))} | {fmt(r.get('pure_ms'))} | {fmt(r.get('numpy_ms'))} "
                     f"| {fmt(r.get('ratio'))} | {fmt(r.get('pure_ratio'))} | {fmt(r.get('torch_ms'))} "
                     f"| {fmt(r.get('torch_ratio'))} | {w.target} | {met} | {pure_met} |")
    lines += ["", "Bandwidth references (the largest is the limit):", "",
              "| reference | median (ms) | bandwidth (GB/s) | samples |", "|---|---:|---:|---:|"]
    for c in stream:
        if "ours_ms" in c.result:
            lines.append(f"| {c.title} | {fmt(c.result['ours_ms'])} | {c.result['GBps']:.1f} "
                         f"| {c.result['samples']} |")
    lines += ["", "## Workloads", ""]
    for w in ws:
        r = w.result
        pure = "pure_ms" in r
        lines += [f"### {w.key}: {w.title}", "",
                  "| | specnorm, native | specnorm, pure Java | NumPy | PyTorch |", "|---|---:|---:|---:|---:|",
                  f"| median (ms) | {fmt(r.get('ours_ms'))} | {fmt(r.get('pure_ms'))} | {fmt(r.get('numpy_ms'))} "
                  f"| {fmt(r.get('torch_ms'))} |",
                  f"| timed runs | {r.get('samples', '—')} | {r.get('pure_samples', '—')} | {r.get('numpy_runs', '—')} "
                  f"| {r.get('torch_runs', '—')} |"]
        if "ours_GBps" in r:
            lines.append(f"| effective bandwidth (GB/s) | {r['ours_GBps']:.1f} | {fmt(r.get('pure_GBps'))} "
                         f"| {fmt(r.get('numpy_GBps'))} | — |")
        if "bandwidth_share" in r:
            numpy_share = r["numpy_GBps"] * 1e9 / meta["stream_bw"] if r.get("numpy_GBps") else None
            pure_share = r.get("pure_bandwidth_share")
            lines.append(f"| share of the bandwidth limit | {100 * r['bandwidth_share']:.0f}% | "
                         f"{'—' if pure_share is None else f'{100 * pure_share:.0f}%'} | "
                         f"{'—' if numpy_share is None else f'{100 * numpy_share:.0f}%'} | — |")
        if "ours_GFLOPs" in r:
            lines.append(f"| GFLOP/s (nominal flop count) | {r['ours_GFLOPs']:.2f} | {fmt(r.get('pure_GFLOPs'))} "
                         f"| {fmt(r.get('numpy_GFLOPs'))} | — |")
        if r.get("alloc_B_per_op") is not None:
            pure_alloc = r.get("pure_alloc_B_per_op")
            lines.append(f"| allocated per call (B/op, JMH -prof gc) | {r['alloc_B_per_op']:.0f} | "
                         f"{'—' if pure_alloc is None else f'{pure_alloc:.0f}'} | — | — |")
        met = {True: "met", False: "**not met**", None: "not measured"}[r.get("met")]
        pure_met = {True: "would be met", False: "would not be met", None: "not measured"}[r.get("pure_met")]
        lines += ["", f"Ratio {fmt(r.get('ratio'))} (native path); target {w.target}: {met}."
                  + (f" Pure-Java path: ratio {fmt(r.get('pure_ratio'))}; the target {pure_met} by it." if pure else ""),
                  "", f"Limited by: {w.limit}."]
        if w.key == "lanczos-1024" and meta.get("lanczos"):
            lz = meta["lanczos"]
            lines.append(f"Our solver took {lz['steps']} Lanczos steps ({'converged' if lz['converged'] else 'did not converge'}).")
        lines.append("")
    lines += [
        "## Where the CPU engine needs work",
        "",
        ANALYSIS_BEGIN,
        meta["analysis"],
        ANALYSIS_END,
        "",
        "## Reproduce",
        "",
        "```bash",
        "benchmarks/compare.sh                 # every workload: JMH on both paths, then NumPy, then this page",
        "PURE=0 benchmarks/compare.sh          # the native path only (no pure-Java column)",
        "benchmarks/compare.sh power svd       # a subset: results JSON, charts and HTML page in "
        "benchmarks/target/compare, this page not regenerated",
        "QUICK=1 benchmarks/compare.sh         # fewer JMH iterations and NumPy runs",
        "/usr/bin/python3 benchmarks/report_cpu.py   # the charts and performance-cpu.html again from "
        "benchmarks/results/cpu.json (needs matplotlib)",
        "java -jar benchmarks/target/benchmarks.jar -prof gc PowerIteration   # one JMH class by hand (native path)",
        "java -jar benchmarks/target/benchmarks.jar -jvmArgsAppend -Dspecnorm.cpu.native=false SingularValues  # pure Java",
        "```",
        "",
        "## GPU",
        "",
        "The CUDA backend against PyTorch on an H100 (same GPU, same run) is in [GPU.md](GPU.md), produced by",
        "`benchmarks/compare.sh --gpu` (which runs `scripts/on-gpu.sh --stages bench` from the GPU bundle).",
        "",
    ]
    return "\n".join(lines)


# The hand-written analysis between these markers survives regeneration of docs/PERFORMANCE.md.
ANALYSIS_BEGIN = "<!-- analysis: written by hand, kept when compare.sh regenerates this page -->"
ANALYSIS_END = "<!-- end of analysis -->"


def kept_analysis(path):
    """The hand-written block of an existing page, or a placeholder."""
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        begin, end = text.find(ANALYSIS_BEGIN), text.find(ANALYSIS_END)
        if 0 <= begin < end:
            return text[begin + len(ANALYSIS_BEGIN):end].strip("\n")
    return "(No analysis written yet: read the numbers above and write it here.)"


def load_torch(path, skip_note):
    """({workload key: {torch_ms, torch_runs}}, a note for the page) from compare_torch.py's JSON."""
    if skip_note or not path:
        return {}, f"skipped: {skip_note or 'no --torch-json given'}"
    with open(path) as f:
        data = json.load(f)
    return data["workloads"], data["version"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jmh-json", required=True, help="JMH results (-rf json)")
    p.add_argument("--jmh-log", help="JMH's console output (for the Lanczos step count and the CPU path)")
    p.add_argument("--jmh-json-pure", help="JMH results of the pure-Java run (-Dspecnorm.cpu.native=false)")
    p.add_argument("--jmh-log-pure", help="JMH's console output of the pure-Java run")
    p.add_argument("--results", required=True, help="JSON summary to write")
    p.add_argument("--docs", help="docs/PERFORMANCE.md to regenerate (only when every workload ran)")
    p.add_argument("--command", default="benchmarks/compare.sh", help="the command to record")
    p.add_argument("--jmh-settings", default="the defaults in the benchmark classes")
    p.add_argument("--load-before-jmh", default="unknown", help="/proc/loadavg before the JMH run")
    p.add_argument("--quick", action="store_true", help="fewer NumPy runs")
    p.add_argument("--torch-json", help="compare_torch.py's medians (the PyTorch peer)")
    p.add_argument("--no-torch", default=None, help="why the PyTorch peer did not run (the note to record)")
    p.add_argument("--charts", action="store_true",
                   help="report_cpu.py draws the charts after this script (compare.sh passes it when python3 or "
                        "/usr/bin/python3 imports matplotlib): the page links them")
    p.add_argument("families", nargs="*", help="workload families to run (default: all)")
    args = p.parse_args()

    with open(args.jmh_json) as f:
        jmh = json.load(f)
    jmh_pure = []
    if args.jmh_json_pure:
        with open(args.jmh_json_pure) as f:
            jmh_pure = json.load(f)
    ws = [w for w in workloads() if not args.families or w.family in args.families]
    stream = copy_workloads()
    budget = 1.0 if args.quick else 3.0

    for c in stream:
        found = jmh_median_ms(jmh, c)
        if found:
            c.result.update(ours_ms=found[0], samples=found[1], GBps=c.bytes_per_op / (found[0] * 1e-3) / 1e9)
    # the bandwidth limit: the higher of the read-only and the copy figures (a power step only reads W)
    measured = [c.result["GBps"] * 1e9 for c in stream if "GBps" in c.result]
    stream_bw = max(measured) if measured else None

    torch_results, torch_note = load_torch(args.torch_json, args.no_torch)
    print(f"PyTorch peer: {torch_note}", file=sys.stderr)
    load_before_numpy = load_average()
    for w in ws:
        found = jmh_median_ms(jmh, w)
        if found:
            w.result.update(ours_ms=found[0], samples=found[1], alloc_B_per_op=found[2])
        found = jmh_median_ms(jmh_pure, w)
        if found:
            w.result.update(pure_ms=found[0], pure_samples=found[1], pure_alloc_B_per_op=found[2])
        print(f"numpy: {w.key} ...", file=sys.stderr, flush=True)
        call = w.numpy()
        seconds, runs = median_seconds(call, budget_s=budget, min_runs=3 if args.quick else 5)
        w.result.update(numpy_ms=seconds * 1e3, numpy_runs=runs)
        del call
        w.result.update(torch_results.get(w.key, {}))
    evaluate(ws, jmh, stream_bw)
    print_table(ws, stream)

    info = machine(jmh)
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": args.command,
        "jmh_settings": args.jmh_settings,
        "stream_bw": stream_bw,
        "torch": torch_note,
        "load": {"beforeJmh": args.load_before_jmh, "beforeNumpy": load_before_numpy, "after": load_average()},
        "lanczos": lanczos_steps(args.jmh_log),
        "path_native": cpu_path(args.jmh_log),
        "path_pure": cpu_path(args.jmh_log_pure),
        "analysis": kept_analysis(args.docs),
        "chart": chart_line(args.charts),
    }
    summary = {
        "date": meta["date"], "command": args.command, "machine": info, "jmhSettings": args.jmh_settings,
        "streamingBandwidthGBps": stream_bw / 1e9 if stream_bw else None, "lanczos": meta["lanczos"],
        "loadAverage": meta["load"], "torch": torch_note,
        "cpuPaths": {"native": meta["path_native"], "pureJava": meta["path_pure"]},
        "workloads": [dict(key=w.key, title=w.title, target=w.target, minRatio=w.min_ratio,
                           minBandwidthShare=w.min_bandwidth_share, **w.result) for w in ws],
        "copy": [dict(key=c.key, **c.result) for c in stream],
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
    with open(args.results, "w") as f:
        json.dump(summary, f, indent=2)
        f.write("\n")
    print(f"results: {args.results}")
    if args.docs:
        if args.families:
            print(f"{args.docs} not regenerated: only a subset of the workloads ran")
        else:
            with open(args.docs, "w") as f:
                f.write(markdown(ws, stream, info, meta))
            print(f"regenerated: {args.docs}")


def chart_line(drawn):
    """The page's "Chart:" entry: links to report_cpu.py's PNGs and HTML page, or why there are no charts."""
    page = f"[{PAGE}]({PAGE})"
    if not drawn:
        return (f"none: no python3 here imports matplotlib; the page {page} (benchmarks/report_cpu.py) has the "
                "tables without charts")
    return (f"[{RATIO_CHART}]({RATIO_CHART}) (the ratios of the summary table, log scale, targets marked), "
            f"[{TIMES_CHART}]({TIMES_CHART}) (the medians), and the page {page} (run, tables and both charts; "
            f"benchmarks/report_cpu.py)\n\n![ratios]({RATIO_CHART})")


if __name__ == "__main__":
    main()
