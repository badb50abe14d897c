#!/usr/bin/env bash
# On a GPU machine: unpacks dist/specnorm-gpu.tar.gz (made by scripts/gpu-bundle.sh) to /tmp and runs
# its gpu/check.sh with the given arguments (e.g. --stages tests,bench --out "$OUT").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="${BUNDLE:-$root/dist/specnorm-gpu.tar.gz}"
[[ -f "$bundle" ]] || { echo "on-gpu: $bundle not found; build it with scripts/gpu-bundle.sh" >&2; exit 2; }
rm -rf /tmp/specnorm-gpu
tar -C /tmp -xzf "$bundle"
exec /tmp/specnorm-gpu/gpu/check.sh "$@"
