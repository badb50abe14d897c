#!/usr/bin/env bash
# Proves the CUDA backend on a GPU machine, from an unpacked bundle (scripts/gpu-bundle.sh): the loader's
# report (which CUDA libraries, which path, which functions the CUDA 13 libraries lack), the backends, the
# GPU test suite (contract suite, cross-check against the CPU backend, device-memory tests), the CLI
# cross-check on .npy files (python3 + numpy), and the timings against PyTorch on the same GPU.
#
#   check.sh [--stages tests,cli,bench] [--out DIR]      (default: all stages, DIR = $OUT or ./gpu-out)
#
# Needs: an NVIDIA GPU and driver, CUDA 12 or 13 libraries, python3 with numpy (cli) and PyTorch (bench).
set -uo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
stages="tests,cli,bench"
out="${OUT:-$PWD/gpu-out}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stages) stages="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "check.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
java="$here/runtime/bin/java"
cp="$(ls "$here"/lib/*.jar | tr '\n' ':')"
status=0
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

step "device"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv | tee "$out/nvsmi.txt"
step "loader"
"$java" -cp "$cp" dev.specnorm.cuda.loading.CudaLoaderMain > "$out/loader.txt" 2>&1 || status=1
grep -E "^(available|path|reason)=" "$out/loader.txt"
echo "unresolved functions: $(grep -c '^unresolved=' "$out/loader.txt")"
"$here/bin/specnorm" backends 2>&1 | tee "$out/backends.txt"

if [[ $stages == *tests* ]]; then
  step "GPU test suite"
  timeout "${TESTS_TIMEOUT:-300}" "$here/bin/gpu-tests" "$out/reports" > "$out/tests.txt" 2>&1 || status=1
  grep -E "tests (successful|failed|aborted|found)|containers failed" "$out/tests.txt"
  grep -E "✘" "$out/tests.txt" | head -40
fi
if [[ $stages == *cli* ]]; then
  step "CLI cross-check (cpu versus cuda)"
  mkdir -p /tmp/specnorm-cli
  timeout "${CLI_TIMEOUT:-300}" python3 "$here/gpu/cli_check.py" "$java" "$here/lib/specnorm.jar" /tmp/specnorm-cli \
    > "$out/cli.txt" 2>&1 || status=1
  grep -E "FAIL|CROSS" "$out/cli.txt" | head -20
fi
if [[ $stages == *bench* ]]; then
  step "timings: specnorm cuda, PyTorch, specnorm cpu"
  timeout 200 "$here/bin/gpu-timings" cuda > "$out/t-cuda.jsonl" 2> "$out/t-cuda.err" || status=1
  PYTHONUNBUFFERED=1 timeout 200 python3 "$here/gpu/torch_timings.py" > "$out/t-torch.jsonl" 2> "$out/t-torch.err" || status=1
  timeout 150 "$here/bin/gpu-timings" cpu quick > "$out/t-cpu.jsonl" 2> "$out/t-cpu.err" || status=1
  python3 "$here/gpu/table.py" "$out/t-cuda.jsonl" "$out/t-torch.jsonl" "$out/t-cpu.jsonl" | tee "$out/table.md"
  cat "$out"/t-*.jsonl > "$out/timings.jsonl"
  cat "$out"/t-*.err > "$out/timings.err"
  rm -f "$out"/t-*
fi
step "done, status $status, logs in $out"
exit $status
