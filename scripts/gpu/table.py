"""Joins the JSON lines of GpuTimings (cuda, cpu) and torch_timings.py into one markdown table."""
import json
import sys

rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        line = line.strip()
        if line.startswith("{") and "workload" in line:
            r = json.loads(line)
            rows.setdefault(r["workload"], {})[r["backend"]] = r
print("| workload | specnorm cuda (ms) | torch (ms) | torch/ours | specnorm cpu (ms) | notes |")
print("|---|---:|---:|---:|---:|---|")
for w, b in rows.items():
    c = b.get("cuda", {}).get("median_ms")
    t = b.get("torch", {}).get("median_ms")
    p = b.get("cpu", {}).get("median_ms")
    notes = "; ".join(f"{k}={v}" for x in b.values() for k, v in x.items()
                      if k not in ("workload", "backend", "median_ms"))
    ratio = f"{t / c:.2f}" if c and t else ""
    print(f"| {w} | {c if c is not None else ''} | {t if t is not None else ''} | {ratio} | "
          f"{p if p is not None else ''} | {notes} |")
