#!/usr/bin/env bash
# The CPU comparison: runs the JMH benchmarks of benchmarks.jar twice, on the CPU backend's native
# OpenBLAS path and on its pure-Java path (-Dspecnorm.cpu.native=false), and the same workloads in NumPy,
# prints per workload both medians, NumPy's median and both ratios and, when every workload ran, writes
# benchmarks/results/cpu.json and regenerates docs/PERFORMANCE.md; then benchmarks/report_cpu.py draws from
# that JSON docs/performance-cpu.png (the ratios), docs/performance-cpu-times.png (the medians) and the page
# docs/performance-cpu.html (a subset's JSON, charts and page go to the build folder's compare/).
#
# Usage: benchmarks/compare.sh [FAMILY...]     (CPU backend against NumPy)
#        benchmarks/compare.sh --gpu [--out DIR]  (CUDA backend against PyTorch, on a GPU machine: docs/GPU.md)
#   FAMILY: power lanczos svd batched penalty sngan (default: all; the 1 GiB copy and read-only pass always run with power)
# Environment:
#   QUICK=1          1 warm-up and 3 measurement iterations in JMH, fewer NumPy runs
#   BUILD_DIR=DIR    Maven output folder (default target): the jar is benchmarks/$BUILD_DIR/benchmarks.jar,
#                    built if missing
#   JMH_ARGS="..."   extra JMH options
#   PURE=0           skip the pure-Java run (the native path only)
#   ALLOW_APT=1      install python3-torch with apt-get when `import torch` fails (the PyTorch peer);
#                    without it, or when the install fails, the PyTorch column is skipped with a note
#   TORCH=0          skip the PyTorch peer
#   TORCH_PYTHON=... the interpreter for the PyTorch peer (default python3, or /usr/bin/python3 when only it
#                    imports numpy and torch, where Debian's python3-torch lives); NumPy always runs in python3
# The charts are drawn by the first of python3 and /usr/bin/python3 that imports matplotlib (Debian:
# python3-matplotlib); with neither, the page is written without them and a note says so.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }

families=()
for arg in "$@"; do
  case "$arg" in
    --gpu)
      # the CUDA backend against PyTorch on this machine's GPU, from the bundle (scripts/gpu-bundle.sh):
      # GpuTimings (cuda and cpu) and gpu/torch_timings.py in one run, joined into one table (docs/GPU.md)
      shift
      exec "$(dirname "${BASH_SOURCE[0]}")/../scripts/on-gpu.sh" --stages bench "$@" ;;
    -h|--help) usage; exit 0 ;;
    power|lanczos|svd|batched|penalty|sngan) families+=("$arg") ;;
    *) echo "compare.sh: unknown argument '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

declare -A CLASS=(
  [power]=PowerIterationBenchmark [lanczos]=LanczosBenchmark [svd]=SingularValuesBenchmark
  [batched]=BatchedSvdBenchmark [penalty]=GramPenaltyBenchmark [sngan]=SnganStepBenchmark
)
if ((${#families[@]} == 0)); then
  pattern='dev\.specnorm\.benchmarks\..*'
else
  classes=()
  for f in "${families[@]}"; do classes+=("${CLASS[$f]}"); done
  [[ " ${families[*]} " == *" power "* ]] && classes+=(StreamCopyBenchmark StreamReadBenchmark)
  pattern="dev\.specnorm\.benchmarks\.($(IFS='|'; echo "${classes[*]}"))\..*"
fi

build_dir=${BUILD_DIR:-target}
jar=benchmarks/$build_dir/benchmarks.jar
if [[ ! -f $jar ]]; then
  echo "building $jar" >&2
  mvn -B -q -Dquick -Dbuild.dir="$build_dir" package -pl benchmarks -am -DskipTests
fi

python3 -c 'import numpy' 2>/dev/null || { echo "compare.sh: python3 with numpy is needed" >&2; exit 1; }
python=${TORCH_PYTHON:-python3}
if [[ -z ${TORCH_PYTHON:-} ]] && ! python3 -c 'import torch' 2>/dev/null \
    && /usr/bin/python3 -c 'import numpy, torch' 2>/dev/null; then
  python=/usr/bin/python3
fi

# the second peer, PyTorch on the CPU: installed from the Debian archive only when allowed
torch_opts=()
if [[ ${TORCH:-1} == 0 ]]; then
  torch_opts=(--no-torch "TORCH=0")
elif ! "$python" -c 'import torch' 2>/dev/null; then
  if [[ ${ALLOW_APT:-0} == 1 ]] && command -v apt-get >/dev/null; then
    sudo_cmd=(); ((EUID != 0)) && sudo_cmd=(sudo -n)
    echo "compare.sh: installing python3-torch (ALLOW_APT=1)" >&2
    "${sudo_cmd[@]}" apt-get install -y -q python3-torch >&2 || echo "compare.sh: apt-get install python3-torch failed" >&2
  fi
  "$python" -c 'import torch' 2>/dev/null \
    || torch_opts=(--no-torch "python3 cannot import torch (ALLOW_APT=1 installs python3-torch with apt-get)")
fi

jmh_settings="the defaults in the benchmark classes (3 warm-up and 5 measurement iterations of 1 s, 1 fork), -prof gc"
jmh_opts=(-prof gc)
py_opts=()
if [[ ${QUICK:-} == 1 ]]; then
  jmh_opts+=(-wi 1 -i 3)
  jmh_settings="1 warm-up and 3 measurement iterations of 1 s (QUICK=1), 1 fork, -prof gc"
  py_opts+=(--quick)
fi
# shellcheck disable=SC2206
jmh_opts+=(${JMH_ARGS:-})

out=benchmarks/$build_dir/compare
results=$out/cpu.json
((${#families[@]} == 0)) && results=benchmarks/results/cpu.json
mkdir -p "$out" "$(dirname "$results")"
load_before_jmh=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
if awk -v l="${load_before_jmh%% *}" 'BEGIN { exit !(l > 0.5) }' 2>/dev/null; then
  echo "compare.sh: load average $load_before_jmh: other processes are running; the numbers will be noisy" >&2
fi
echo "JMH, native path: $pattern" >&2
java -jar "$jar" "${jmh_opts[@]}" -e AlternativesBenchmark -rf json -rff "$out/jmh.json" "$pattern" | tee "$out/jmh.log"
pure_opts=()
if [[ ${PURE:-1} != 0 ]]; then
  # the same benchmarks on the pure-Java path (the 1 GiB copy does not depend on the path: once is enough)
  echo "JMH, pure-Java path (-Dspecnorm.cpu.native=false): $pattern" >&2
  java -jar "$jar" "${jmh_opts[@]}" -jvmArgsAppend -Dspecnorm.cpu.native=false -e StreamCopyBenchmark -e StreamReadBenchmark -e AlternativesBenchmark \
    -rf json -rff "$out/jmh-pure.json" "$pattern" | tee "$out/jmh-pure.log"
  pure_opts=(--jmh-json-pure "$out/jmh-pure.json" --jmh-log-pure "$out/jmh-pure.log")
fi

command="benchmarks/compare.sh${*:+ $*}"
[[ ${QUICK:-} == 1 ]] && command="QUICK=1 $command"
if ((${#torch_opts[@]} == 0)); then
  echo "PyTorch peer ($python)" >&2
  "$python" benchmarks/compare_torch.py --out "$out/torch.json" "${py_opts[@]}" "${families[@]}"
  torch_opts=(--torch-json "$out/torch.json")
fi
# the charts' interpreter: matplotlib need not be in the python3 that times NumPy
draw_python=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import matplotlib' 2>/dev/null; then draw_python=$candidate; break; fi
done
chart_opts=()
[[ -n $draw_python ]] && chart_opts=(--charts)
python3 benchmarks/compare_numpy.py "${chart_opts[@]}" --jmh-json "$out/jmh.json" --jmh-log "$out/jmh.log" "${pure_opts[@]}" \
  --results "$results" --docs docs/PERFORMANCE.md \
  --command "$command" --jmh-settings "$jmh_settings" --load-before-jmh "$load_before_jmh" "${py_opts[@]}" "${torch_opts[@]}" "${families[@]}"
report_dir=docs
((${#families[@]} == 0)) || report_dir=$out
if [[ -n $draw_python ]]; then
  echo "charts and page ($draw_python benchmarks/report_cpu.py)" >&2
  "$draw_python" benchmarks/report_cpu.py --results "$results" --out-dir "$report_dir"
else
  echo "compare.sh: neither python3 nor /usr/bin/python3 imports matplotlib: the page has no charts" \
    "(apt-get install python3-matplotlib, or pip install matplotlib, draws them)" >&2
  python3 benchmarks/report_cpu.py --results "$results" --out-dir "$report_dir"
fi
