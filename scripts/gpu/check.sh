#!/usr/bin/env bash
# Proves the CUDA backend on a GPU machine, from an unpacked bundle (scripts/gpu-bundle.sh): the device and the
# CUDA libraries found, the loader's report (which path, which functions the CUDA 13 libraries lack), the
# backends, the GPU test suite (contract suite, cross-check against the CPU backend, device-memory tests), the
# CLI cross-check on .npy files (python3 + numpy), and the timings against PyTorch on the same GPU.
#
#   check.sh [--stages tests,cli,bench] [--out DIR] [--budget SECONDS]
#       default: all stages, DIR = $OUT or ./gpu-out, a total budget of 540 s (BUDGET_S)
#
# Each stage runs under `timeout`, bounded by its own limit (TESTS_TIMEOUT 240, CLI_TIMEOUT 270, BENCH_TIMEOUT
# 150 per side) and by what is left of the budget; a stage with less than 20 s left is skipped. DIR receives at
# most 8 files: nvsmi.txt, loader.txt, backends.txt, tests.txt, cli.txt, table.md, summary.txt and
# gpu-out.tar.gz (all of them plus the JUnit XML reports, timings.jsonl and timings.err). The summary table is
# printed last. Exit status: 0 when every stage that ran passed, 1 otherwise, 2 for a usage error.
#
# Needs: an NVIDIA GPU and driver, CUDA 12 or 13 libraries, python3 with numpy (cli) and PyTorch (bench).
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
stages="tests,cli,bench"
out="${OUT:-$PWD/gpu-out}"
budget="${BUDGET_S:-540}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stages) stages="${2:?--stages needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a value}"; shift 2 ;;
    --budget) budget="${2:?--budget needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for s in ${stages//,/ }; do
  [[ $s == tests || $s == cli || $s == bench ]] || { echo "check.sh: unknown stage '$s' (tests, cli, bench)" >&2; exit 2; }
done
[[ $budget =~ ^[0-9]+$ ]] || { echo "check.sh: --budget must be a number of seconds" >&2; exit 2; }
has_stage() { [[ ",$stages," == *",$1,"* ]]; }

mkdir -p "$out"
work="$(mktemp -d "${TMPDIR:-/tmp}/specnorm-gpu-out.XXXXXX")"
java="$here/runtime/bin/java"
cp="$(ls "$here"/lib/*.jar | tr '\n' ':')"
status=0
summary=()   # "stage|result|seconds|detail"
step() { echo "== $* ($(date -u +%H:%M:%S), ${SECONDS}s of ${budget}s)"; }
# seconds a stage may take: its own limit, or what is left of the budget less a 10 s reserve for packing up
limit() { local left=$((budget - SECONDS - 10)); ((left < $1)) && echo "$left" || echo "$1"; }
record() { summary+=("$1|$2|$3|$4"); [[ $2 == PASS || $2 == info ]] || status=1; }

step "device and CUDA libraries"
{
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv
  else
    echo "nvidia-smi: not found"
  fi
  echo "CUDA libraries (cuBLAS, cuSOLVER, NVRTC, runtime) in the usual places:"
  for d in ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda*/lib64 /usr/local/cuda*/targets/x86_64-linux/lib \
           /usr/lib/x86_64-linux-gnu; do
    [[ -d $d ]] && find "$d" -maxdepth 1 -regextype egrep -regex '.*/lib(cublas|cublasLt|cusolver|nvrtc|cudart)\.so\.[0-9.]+' \
      -printf '  %p\n' 2>/dev/null
  done | sort -u
} > "$work/nvsmi.txt" 2>&1
cat "$work/nvsmi.txt"
device="$(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1 || echo "no nvidia-smi")"

step "loader and backends"
timeout 60 "$java" -cp "$cp" dev.specnorm.cuda.loading.CudaLoaderMain > "$work/loader.txt" 2>&1
loader_rc=$?
grep -E "^(available|path|reason)=" "$work/loader.txt"
unresolved="$(grep -c '^unresolved=' "$work/loader.txt")"
echo "unresolved functions: $unresolved"
timeout 60 "$here/bin/specnorm" backends > "$work/backends.txt" 2>&1
cat "$work/backends.txt"
cuda_line="$(grep -E '^ *cuda ' "$work/backends.txt" | head -1 | sed 's/^ *//; s/  */ /g' | cut -c1-90)"
if ((loader_rc == 0)) && grep -qE '^ *cuda +[0-9]+ +yes' "$work/backends.txt"; then
  record loader PASS "$SECONDS" "cuda available; $unresolved unresolved functions"
else
  record loader FAIL "$SECONDS" "${cuda_line:-no cuda line} (loader exit $loader_rc)"
fi

if has_stage tests; then
  t=$(limit "${TESTS_TIMEOUT:-240}")
  if ((t < 20)); then
    record tests SKIPPED 0 "no time left in the budget"
  else
    step "GPU test suite (limit ${t}s)"
    t0=$SECONDS
    timeout "$t" "$here/bin/gpu-tests" "$work/reports" > "$work/tests.txt" 2>&1
    rc=$?
    grep -E "tests (successful|failed|aborted|found)|containers failed" "$work/tests.txt"
    grep -E "✘" "$work/tests.txt" | head -40
    counts="$(awk '/tests successful/ {ok=$2} /tests failed/ {bad=$2} /tests found/ {n=$2} END {printf "%s/%s passed, %s failed", ok+0, n+0, bad+0}' "$work/tests.txt")"
    case $rc in
      0) record tests PASS $((SECONDS - t0)) "$counts" ;;
      124|137) record tests TIMEOUT $((SECONDS - t0)) "after ${t}s; $counts" ;;
      *) record tests FAIL $((SECONDS - t0)) "$counts (exit $rc)" ;;
    esac
  fi
fi

if has_stage cli; then
  t=$(limit "${CLI_TIMEOUT:-270}")
  if ((t < 20)); then
    record cli SKIPPED 0 "no time left in the budget"
  else
    step "CLI cross-check: cpu, cuda and NumPy (limit ${t}s)"
    t0=$SECONDS
    mkdir -p "$work/cli-files"
    timeout "$t" python3 "$here/gpu/cli_check.py" "$java" "$here/lib/specnorm.jar" "$work/cli-files" \
      > "$work/cli.txt" 2>&1
    rc=$?
    rm -rf "$work/cli-files"   # inputs and outputs: hundreds of MiB, not worth bringing back
    grep -E "FAIL|CROSS|comparisons" "$work/cli.txt" | head -20
    verdict="$(grep -E '^[0-9]+ comparisons' "$work/cli.txt" | tail -1)"
    case $rc in
      0) if grep -q "CLI CROSS-CHECK: PASS" "$work/cli.txt"; then record cli PASS $((SECONDS - t0)) "$verdict"
         else record cli FAIL $((SECONDS - t0)) "${verdict:-no verdict line}"; fi ;;
      124|137) record cli TIMEOUT $((SECONDS - t0)) "after ${t}s; last: $(tail -1 "$work/cli.txt" | cut -c1-60)" ;;
      *) record cli FAIL $((SECONDS - t0)) "exit $rc: $(tail -1 "$work/cli.txt" | cut -c1-60)" ;;
    esac
  fi
fi

if has_stage bench; then
  step "timings: specnorm cuda, PyTorch, specnorm cpu"
  t0=$SECONDS
  : > "$work/timings.err"
  bench_ok=1
  run_side() { # name, seconds, command...
    local name=$1 secs=$2 rc; shift 2
    secs=$(limit "$secs")
    if ((secs < 20)); then echo "$name: skipped, no time left in the budget" | tee -a "$work/timings.err"; bench_ok=0; return; fi
    echo "-- $name (limit ${secs}s)"
    echo "== $name" >> "$work/timings.err"
    timeout "$secs" "$@" > "$work/t-$name.jsonl" 2>> "$work/timings.err"
    rc=$?
    if ((rc != 0)); then echo "$name: exit $rc" | tee -a "$work/timings.err"; bench_ok=0; fi
  }
  run_side cuda "${BENCH_TIMEOUT:-150}" "$here/bin/gpu-timings" cuda
  run_side torch "${BENCH_TIMEOUT:-150}" env PYTHONUNBUFFERED=1 python3 "$here/gpu/torch_timings.py"
  run_side cpu "${BENCH_TIMEOUT:-150}" "$here/bin/gpu-timings" cpu quick
  touch "$work/t-cuda.jsonl" "$work/t-torch.jsonl" "$work/t-cpu.jsonl"
  python3 "$here/gpu/table.py" "$work/t-cuda.jsonl" "$work/t-torch.jsonl" "$work/t-cpu.jsonl" | tee "$work/table.md"
  cat "$work"/t-*.jsonl > "$work/timings.jsonl"
  rm -f "$work"/t-*.jsonl
  rows=$(grep -c '"median_ms"' "$work/timings.jsonl")
  errors=$(grep -c '"error"' "$work/timings.jsonl")
  if ((bench_ok && errors == 0)); then record bench PASS $((SECONDS - t0)) "$rows timings"
  else record bench FAIL $((SECONDS - t0)) "$rows timings, $errors workload errors (timings.err)"; fi
fi

{
  echo "specnorm GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ), $device, stages $stages, ${SECONDS}s"
  printf '%-8s %-8s %6s  %s\n' stage result secs detail
  for row in "${summary[@]}"; do
    IFS='|' read -r s r secs d <<< "$row"
    printf '%-8s %-8s %6s  %s\n' "$s" "$r" "$secs" "$d"
  done
  echo "overall: $([[ $status == 0 ]] && echo PASS || echo FAIL); files in $out"
} > "$work/summary.txt"

# at most 8 files come back: the small logs one by one, everything (XML reports included) in one archive
for f in nvsmi.txt loader.txt backends.txt tests.txt cli.txt table.md summary.txt; do
  [[ -f $work/$f ]] && cp "$work/$f" "$out/"
done
tar -C "$work" -czf "$out/gpu-out.tar.gz" . && rm -rf "$work"
step "done"
cat "$out/summary.txt"
exit $status
