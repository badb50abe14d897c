"""CLI cross-check (run by scripts/gpu/check.sh): the same .npy files through `specnorm` with --backend cpu and
--backend cuda.
- Every backend against NumPy in float64 (SPEC.md, accuracy expectations): exact sigma and the singular values
  within tau * sigma_1 of each matrix, tau = max(1e-5, 2 r 2^-24).
- cuda against cpu: every output (sigma by power / lanczos / exact, singular values, normalize, ortho penalty
  values and gradients) within twice SPEC.md's tolerances (each backend is within one of float64).
A command that fails is recorded as a failure and the check goes on with the next case.
Usage: python3 cli_check.py <java> <specnorm.jar> <workdir> [BACKENDS]   (BACKENDS default cpu,cuda)
The last line is "CLI CROSS-CHECK: PASS" or "CLI CROSS-CHECK: FAIL <names>"."""
import json
import subprocess
import sys
import time

import numpy as np

java, jar, work = sys.argv[1:4]
backends = (sys.argv[4] if len(sys.argv) > 4 else "cpu,cuda").split(",")
rng = np.random.default_rng(20261122)
CASES = [("tall", (300, 40)), ("wide", (40, 300)), ("square", (257, 257)), ("row", (1, 500)),
         ("slices", (262144, 3, 3)), ("batch32", (4096, 32, 32)), ("big", (2048, 2048))]
failures = []
checks = 0


def run(args):
    t = time.time()
    p = subprocess.run([java, "-Xmx24g", "-jar", jar] + args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"exit {p.returncode}: {p.stderr.strip()[-400:]}")
    return p.stdout, time.time() - t


def verdict(name, ok, detail):
    global checks
    checks += 1
    print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def close(name, a, b, tol):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        verdict(name, False, f"shapes differ: {a.shape} versus {b.shape}")
        return
    err = np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300)
    verdict(name, bool(err <= tol), f"relative difference {err:.2e} (tolerance {tol:.0e})")


def against_numpy(name, values, reference, tau):
    """SPEC.md: |s_i - s64_i| <= tau * s64_1 for every i of every matrix; values and reference are (B, r)."""
    values = np.asarray(values, dtype=np.float64).reshape(reference.shape[0], -1)
    if values.shape != reference.shape:
        verdict(name, False, f"shape {values.shape}, NumPy {reference.shape}")
        return
    worst = float(np.max(np.abs(values - reference) / np.maximum(reference[:, :1], 1e-300)))
    verdict(name, worst <= tau, f"max |s - s64| / s64_1 = {worst:.2e} (tau {tau:.1e})")


for name, shape in CASES:
    w = rng.standard_normal(shape).astype(np.float32)
    path = f"{work}/{name}.npy"
    np.save(path, w)
    r = min(shape[-2:])
    tau = max(1e-5, 2 * r * 2.0 ** -24)
    batch = w.reshape((-1,) + shape[-2:]).astype(np.float64)
    reference = np.linalg.svd(batch, compute_uv=False) if name != "big" else None  # (B, r), descending
    print(f"{name} {shape}", flush=True)
    outs = {}
    for be in backends:
        o = {}
        t0 = time.time()
        try:
            methods = ["power", "lanczos"] + ([] if name == "big" else ["exact"])
            for method in methods:
                out, _ = run(["sigma", path, "--method", method, "--json", "--backend", be])
                o["sigma-" + method] = json.loads(out)["sigmas"]
            if name != "big":
                run(["svd", path, "--out", f"{work}/{name}-{be}", "--backend", be])
                o["svd"] = np.load(f"{work}/{name}-{be}-S.npy")
            run(["normalize", path, "--out", f"{work}/{name}-{be}-sn.npy", "--backend", be])
            o["normalize"] = np.load(f"{work}/{name}-{be}-sn.npy")
            for pen in (("biggan", "srip") if name in ("big", "slices") else ("biggan", "soft", "srip")):
                out, _ = run(["ortho", path, "--penalty", pen, "--grad", f"{work}/{name}-{be}-{pen}.npy", "--json",
                              "--backend", be])
                o[pen] = (json.loads(out)["perMatrix"], np.load(f"{work}/{name}-{be}-{pen}.npy"))
        except (RuntimeError, ValueError, KeyError, OSError) as e:
            verdict(f"{name} {be} commands", False, str(e))
        print(f"  {be}: {len(o)} outputs in {time.time() - t0:.1f} s", flush=True)
        if reference is not None:
            if "sigma-exact" in o:
                against_numpy(f"{name} {be} exact sigma vs NumPy", o["sigma-exact"], reference[:, :1], tau)
            if "svd" in o:
                against_numpy(f"{name} {be} singular values vs NumPy", o["svd"], reference, tau)
        outs[be] = o
    if "cpu" in outs and "cuda" in outs:
        c, g = outs["cpu"], outs["cuda"]
        for m in c:
            if m not in g:
                continue  # the cuda command failed: recorded above
            if m.startswith("sigma") or m == "svd":
                close(f"{name} {m}", c[m], g[m], 2 * tau)
            elif m == "normalize":
                close(f"{name} normalize", c[m], g[m], 2e-5)
            else:
                close(f"{name} {m} value", c[m][0], g[m][0], 2e-5)
                close(f"{name} {m} gradient", c[m][1], g[m][1], 2e-5)
print(f"{checks} comparisons, {len(failures)} failed")
print("CLI CROSS-CHECK:", "PASS" if not failures else "FAIL " + ", ".join(failures))
