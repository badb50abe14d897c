#!/usr/bin/env python3
"""Charts and an HTML page from the CPU comparison's results JSON (benchmarks/results/cpu.json).

Reads the summary compare_numpy.py writes and, without timing anything, writes into --out-dir:

- performance-cpu.png: per workload the speed ratios (NumPy's median time / ours, on the native and the
  pure-Java path; PyTorch's / ours, native), log scale, a line at 1 and each workload's target ratio marked;
- performance-cpu-times.png: per workload the medians themselves (ms, log scale) of the four columns;
- performance-cpu.html: a self-contained page (the two PNGs by relative link) with the run's machine,
  date, load and command, the table of medians, ratios and targets (met or not), the bandwidth references.

The charts need matplotlib, the page only the standard library: without matplotlib the page is written
with a note in place of the charts. benchmarks/compare.sh runs this script after compare_numpy.py with the
first of python3 and /usr/bin/python3 that imports matplotlib.
"""

import argparse
import html
import json
import os
import re
import sys

RATIO_CHART = "performance-cpu.png"
TIMES_CHART = "performance-cpu-times.png"
PAGE = "performance-cpu.html"

# (JSON field, legend label, colour) of the ratio chart's bars and of the medians chart's bars
RATIOS = [("ratio", "native vs NumPy", "#1f77b4"), ("pure_ratio", "pure Java vs NumPy", "#ff7f0e"),
          ("torch_ratio", "native vs PyTorch", "#2ca02c")]
MEDIANS = [("ours_ms", "specnorm, native", "#1f77b4"), ("pure_ms", "specnorm, pure Java", "#ff7f0e"),
           ("numpy_ms", "NumPy", "#7f7f7f"), ("torch_ms", "PyTorch", "#2ca02c")]

COPY_TITLES = {"copy": "1 GiB float array copy (read + write)", "read": "two 512 MiB float arrays compared (read only)",
               "read64": "two 32 MiB float arrays compared (read only, W's size at 4096²)"}
THREAD_TITLES = {"1": "1 thread", "all": "one thread per CPU"}


def load(path):
    """The results JSON as a dict."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def target_ratio(workload):
    """The workload's target ratio: its minRatio, or the number in a target text 'ratio >= X'; None without one."""
    if workload.get("minRatio") is not None:
        return workload["minRatio"]
    m = re.search(r"ratio >= ([0-9.]+)", workload.get("target", ""))
    return float(m[1]) if m else None


def fmt(x, digits=3):
    """A number as the tables show it: 3 significant digits, whole numbers from 1000 on, '—' for none."""
    if x is None:
        return "—"
    return f"{x:.{digits}g}" if abs(x) < 1000 else f"{x:.0f}"


# ------------------------------------------------------------------ charts


def pyplot():
    """matplotlib.pyplot on the Agg backend, or None when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def grouped_barh(ax, rows, series, left=None):
    """Horizontal bars of the given (field, label, colour) series, grouped per workload (row), on a log x
    axis; from `left` (1 for ratios: a bar to the left is a ratio below 1) or from the axis' edge. Returns
    the y of each group's centre."""
    from matplotlib.ticker import FuncFormatter, NullFormatter  # here: the page is written without matplotlib

    height = 0.8 / len(series)
    for i, (key, label, colour) in enumerate(series):
        ys = [j - 0.4 + (i + 0.5) * height for j, w in enumerate(rows) if w.get(key)]
        xs = [w[key] for w in rows if w.get(key)]
        if left is None:
            ax.barh(ys, xs, height=height * 0.95, label=label, color=colour)
        else:
            ax.barh(ys, [x - left for x in xs], left=left, height=height * 0.95, label=label, color=colour)
    centres = list(range(len(rows)))
    ax.set_yticks(centres)
    ax.set_yticklabels([w["key"] for w in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xscale("log")
    # 0.1, 1, 10 rather than powers of ten; on a range under two decades the minor ticks too (2, 3, 0.5...)
    values = [w[k] for w in rows for k, _, _ in series if w.get(k)] + ([left] if left else [])
    plain = FuncFormatter(lambda x, _: f"{x:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.xaxis.set_minor_formatter(plain if max(values) / min(values) < 100 else NullFormatter())
    ax.grid(axis="x", which="major", color="#dddddd")
    ax.set_axisbelow(True)
    return centres


def legend_above(ax):
    """The legend in one row between the title and the plot (it never covers a bar)."""
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize="small", frameon=False,
              markerscale=0.5)


def met_label(w):
    """'met', 'not met', or 'not met: bandwidth' where the ratio reaches its target but the bandwidth share not."""
    if w["met"]:
        return "met"
    target = target_ratio(w)
    if target and w.get("ratio", 0) >= target and w.get("bandwidth_share") is not None:
        return f"not met: bandwidth {100 * w['bandwidth_share']:.0f}%"
    return "not met"


def draw_ratios(plt, results, path):
    """The ratio chart: NumPy / ours (both paths), PyTorch / ours, log scale, a line at 1, targets marked."""
    rows = [w for w in results["workloads"] if any(w.get(k) for k, _, _ in RATIOS)]
    fig, ax = plt.subplots(figsize=(11, 0.55 * len(rows) + 2.2))
    centres = grouped_barh(ax, rows, RATIOS, left=1.0)
    targets = [(c, target_ratio(w)) for c, w in zip(centres, rows) if target_ratio(w)]
    if targets:
        ax.scatter([t for _, t in targets], [c for c, _ in targets], marker="|", s=500, linewidths=2.5,
                   color="#d62728", zorder=3, label="target (native vs NumPy)")
    for c, w in zip(centres, rows):
        if w.get("ratio"):
            ax.annotate(f"{w['ratio']:.2g}", (w["ratio"], c - 0.27), xytext=(3 if w["ratio"] >= 1 else -3, 0),
                        textcoords="offset points", va="center", ha="left" if w["ratio"] >= 1 else "right",
                        fontsize="x-small", color="#1f77b4")
        if w.get("met") is not None:
            ax.annotate(met_label(w), (1, c), xycoords=("axes fraction", "data"), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize="small",
                        color="#2ca02c" if w["met"] else "#d62728")
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_xlabel("speed ratio = their median time / ours (log scale): right of 1, specnorm is faster")
    ax.set_title(f"specnorm CPU backend against NumPy and PyTorch, {results['date']}", fontsize="medium", pad=24)
    legend_above(ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def draw_medians(plt, results, path):
    """The medians chart: each workload's median time (ms, log scale) for specnorm's two paths, NumPy, PyTorch."""
    rows = [w for w in results["workloads"] if any(w.get(k) for k, _, _ in MEDIANS)]
    fig, ax = plt.subplots(figsize=(10, 0.6 * len(rows) + 2.2))
    grouped_barh(ax, rows, MEDIANS)
    ax.set_xlabel("median time per call (ms, log scale): shorter is faster")
    ax.set_title(f"Median times of the CPU workloads, {results['date']}", fontsize="medium", pad=24)
    legend_above(ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def draw_charts(results, out_dir):
    """Both PNGs into out_dir; their file names, or [] when matplotlib is missing."""
    plt = pyplot()
    if plt is None:
        return []
    draw_ratios(plt, results, os.path.join(out_dir, RATIO_CHART))
    draw_medians(plt, results, os.path.join(out_dir, TIMES_CHART))
    return [RATIO_CHART, TIMES_CHART]


# ------------------------------------------------------------------ page


def run_items(results):
    """(label, text) of the run's facts: date, command, machine, software, settings, load."""
    info, load_avg = results.get("machine", {}), results.get("loadAverage", {})
    paths = results.get("cpuPaths", {})
    caches = f" ({info['caches']})" if info.get("caches") else ""
    bw = results.get("streamingBandwidthGBps")
    return [
        ("Date", results.get("date")),
        ("Command", results.get("command")),
        ("Machine", f"{info.get('cpu')}, {info.get('cores')} logical CPUs{caches}, {info.get('memoryGiB')} GiB "
                    f"memory; {info.get('os')}"),
        ("JDK", f"{info.get('jdk')}; JMH {info.get('jmh')}; fork JVM options {' '.join(info.get('jvmArgs') or [])}"),
        ("NumPy", f"Python {info.get('python')}, NumPy {info.get('numpy')}, BLAS/LAPACK {info.get('blas')}; "
                  f"OpenBLAS threads {info.get('openblasThreads')}"),
        ("PyTorch", results.get("torch")),
        ("CPU paths", f"native run: {paths.get('native') or 'unknown'}; pure-Java run: {paths.get('pureJava') or 'not run'}"),
        ("JMH settings", results.get("jmhSettings")),
        ("Load average (1, 5, 15 min)", f"before JMH {load_avg.get('beforeJmh')}; before NumPy "
                                        f"{load_avg.get('beforeNumpy')}; at the end {load_avg.get('after')} "
                                        f"(on {info.get('cores')} CPUs)"),
        ("Bandwidth limit", f"{bw:.1f} GB/s (the largest of the references below)" if bw else "not measured"),
    ]


def met_cell(value, strong=True):
    """A table cell for a met / not met / not measured flag."""
    if value is None:
        return "<td>—</td>"
    text = "yes" if value else ("<strong>no</strong>" if strong else "no")
    return f'<td class="{"met" if value else "miss"}">{text}</td>'


def summary_table(results):
    """The HTML table of medians, ratios, targets and whether each is met."""
    head = ("workload", "native (ms)", "pure Java (ms)", "NumPy (ms)", "PyTorch (ms)", "ratio, native",
            "ratio, pure Java", "vs PyTorch, native", "target (native path)", "met", "pure Java meets it")
    lines = ["<table>", "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for w in results["workloads"]:
        numbers = "".join(f'<td class="num">{fmt(w.get(k))}</td>' for k in
                          ("ours_ms", "pure_ms", "numpy_ms", "torch_ms", "ratio", "pure_ratio", "torch_ratio"))
        lines.append(f'<tr><td title="{html.escape(w.get("title", ""))}">{html.escape(w["key"])}</td>{numbers}'
                     f'<td>{html.escape(w.get("target", ""))}</td>{met_cell(w.get("met"))}'
                     f'{met_cell(w.get("pure_met"), strong=False)}</tr>')
    lines.append("</table>")
    return "\n".join(lines)


def copy_title(key):
    """'copy-1' -> '1 GiB float array copy (read + write), 1 thread'."""
    kind, _, threads = key.partition("-")
    return f"{COPY_TITLES.get(kind, kind)}, {THREAD_TITLES.get(threads, threads)}"


def bandwidth_table(results):
    """The HTML table of the streaming references (copy and read-only) that set the bandwidth limit."""
    rows = [c for c in results.get("copy", []) if "ours_ms" in c]
    if not rows:
        return "<p>No bandwidth references in this run.</p>"
    lines = ["<table>", "<tr><th>reference</th><th>median (ms)</th><th>bandwidth (GB/s)</th><th>samples</th></tr>"]
    for c in rows:
        lines.append(f'<tr><td>{html.escape(copy_title(c["key"]))}</td><td class="num">{fmt(c["ours_ms"])}</td>'
                     f'<td class="num">{c["GBps"]:.1f}</td><td class="num">{c.get("samples", "—")}</td></tr>')
    lines.append("</table>")
    return "\n".join(lines)


def charts_html(charts, note):
    """The charts section: the PNGs by relative link, or the note saying why there are none."""
    if not charts:
        return f'<p class="note">No charts: {html.escape(note)}</p>'
    alts = {RATIO_CHART: "speed ratios per workload", TIMES_CHART: "median times per workload"}
    return "\n".join(f'<p><a href="{c}"><img src="{c}" alt="{alts[c]}"></a></p>' for c in charts)


STYLE = """body { font-family: sans-serif; margin: 2em auto; max-width: 75em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.met { background: #e6f4e6; } td.miss { background: #fbe5e5; }
dt { font-weight: bold; float: left; clear: left; width: 14em; } dd { margin: 0 0 0.3em 15em; }
img { max-width: 100%; } .note { color: #8a4b00; }"""


def page(results, charts, note, out_dir):
    """The self-contained HTML page (a relative link to PERFORMANCE.md where it lies beside the page)."""
    write_up = ('<a href="PERFORMANCE.md">PERFORMANCE.md</a>' if os.path.exists(os.path.join(out_dir, "PERFORMANCE.md"))
                else "docs/PERFORMANCE.md (regenerated by a run of every workload)")
    facts = "\n".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in run_items(results))
    lanczos = results.get("lanczos")
    lanczos_line = (f"<p>Lanczos: {lanczos['steps']} steps at {lanczos['size']}², "
                    f"{'converged' if lanczos['converged'] else 'did not converge'}.</p>" if lanczos else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>specnorm CPU performance, {html.escape(results.get('date', ''))}</title>
<style>
{STYLE}
</style></head>
<body>
<h1>specnorm CPU backend against NumPy and PyTorch</h1>
<p>Generated by <code>benchmarks/report_cpu.py</code> from the results JSON of <code>benchmarks/compare.sh</code>;
the full write-up, with the limits of each workload and the analysis, is {write_up}.
<strong>Ratio</strong> = NumPy's median time / ours (≥ 1: specnorm is faster); <strong>vs PyTorch</strong> =
PyTorch's median time / ours (native path). The targets are against NumPy and apply to the native path.
ours: JMH SampleTime medians (p50); NumPy and PyTorch: medians of repeated timed runs after warm-up.</p>
<h2>Run</h2>
<dl>
{facts}
</dl>
<h2>Charts</h2>
{charts_html(charts, note)}
<h2>Medians, ratios and targets</h2>
{summary_table(results)}
{lanczos_line}
<h2>Bandwidth references</h2>
{bandwidth_table(results)}
</body>
</html>
"""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--results", default="benchmarks/results/cpu.json", help="compare_numpy.py's results JSON")
    p.add_argument("--out-dir", default="docs", help="folder for the PNGs and the HTML page")
    args = p.parse_args()

    results = load(args.results)
    os.makedirs(args.out_dir, exist_ok=True)
    charts = draw_charts(results, args.out_dir)
    note = f"matplotlib is not installed for this interpreter ({sys.executable})"
    if charts:
        for c in charts:
            print(f"chart: {os.path.join(args.out_dir, c)}")
    else:
        print(f"report_cpu.py: no charts drawn: {note}", file=sys.stderr)
    out = os.path.join(args.out_dir, PAGE)
    with open(out, "w", encoding="utf-8") as f:
        f.write(page(results, charts, note, args.out_dir))
    print(f"page: {out}")


if __name__ == "__main__":
    main()
