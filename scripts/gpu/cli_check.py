"""CLI cross-check (run by scripts/gpu/check.sh): the same .npy files through `specnorm` with --backend cpu and --backend cuda; the
outputs must agree to twice SPEC.md's tolerances (each backend is within one of float64).
Usage: python3 cli_check.py <java> <specnorm.jar> <workdir>"""
import json
import subprocess
import sys
import time

import numpy as np

java, jar, work = sys.argv[1:4]
rng = np.random.default_rng(20261122)
CASES = [("tall", (300, 40)), ("wide", (40, 300)), ("square", (257, 257)), ("row", (1, 500)),
         ("slices", (262144, 3, 3)), ("batch32", (4096, 32, 32)), ("big", (2048, 2048))]
failures = []


def run(args):
    t = time.time()
    p = subprocess.run([java, "-Xmx24g", "-jar", jar] + args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{args}: exit {p.returncode}: {p.stderr.strip()[-400:]}")
    return p.stdout, time.time() - t


def close(name, a, b, tol):
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    err = np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), 1e-300)
    ok = err <= tol
    print(f"  {'ok  ' if ok else 'FAIL'} {name}: relative difference {err:.2e} (tolerance {tol:.0e})", flush=True)
    if not ok:
        failures.append(name)


for name, shape in CASES:
    w = rng.standard_normal(shape).astype(np.float32)
    path = f"{work}/{name}.npy"
    np.save(path, w)
    r = min(shape[-2:])
    tau = 2 * max(1e-5, 2 * r * 2.0 ** -24)
    print(f"{name} {shape}", flush=True)
    outs = {}
    for be in ("cpu", "cuda"):
        o = {}
        methods = ["power", "lanczos"] + ([] if name == "big" else ["exact"])
        for method in methods:
            out, secs = run(["sigma", path, "--method", method, "--json", "--backend", be])
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
        outs[be] = o
    c, g = outs["cpu"], outs["cuda"]
    for m in c:
        if m.startswith("sigma") or m == "svd":
            close(f"{name} {m}", c[m], g[m], tau)
        elif m == "normalize":
            close(f"{name} normalize", c[m], g[m], 2e-5)
        else:
            close(f"{name} {m} value", c[m][0], g[m][0], 2e-5)
            close(f"{name} {m} gradient", c[m][1], g[m][1], 2e-5)
print("CLI CROSS-CHECK:", "PASS" if not failures else "FAIL " + ", ".join(failures))
