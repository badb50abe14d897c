#!/usr/bin/env bash
# Assembles the self-contained GPU bundle: one .tar.gz that runs on a GPU machine with no JDK, no Maven and
# no network (an NVIDIA driver and CUDA 12 or 13 libraries are all it needs):
#   runtime/          a jlinked Java runtime
#   lib/specnorm.jar  the CLI and library (all backends, JCuda natives, the CUDA 13 compatibility libraries)
#   lib/*-tests.jar   the GPU test suite (specnorm-cuda) and the backend contract suite (specnorm-api)
#   tools/            the JUnit console launcher, benchmarks.jar (JMH)
#   bin/specnorm, bin/gpu-tests [REPORT_DIR], bin/gpu-timings cuda|cpu [quick], bin/benchmarks [JMH args]
#   gpu/check.sh      loader report, GPU test suite, CLI cross-check, timings against PyTorch
#
#   scripts/gpu-bundle.sh [OUT.tar.gz]        (default: dist/specnorm-gpu.tar.gz; BUILD_DIR=target)
#
# Then, on the GPU machine: scripts/on-gpu.sh [check.sh arguments] (unpacks to /tmp and runs gpu/check.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist/specnorm-gpu.tar.gz}"
build="${BUILD_DIR:-target}"
version="0.1.0-SNAPSHOT"

echo "gpu-bundle: building (build dir $build)" >&2
log="$(mktemp "${TMPDIR:-/tmp}/specnorm-gpu-bundle.XXXXXX")"
if ! (cd "$root" && mvn -B -q -Dquick -DskipTests -Dbuild.dir="$build" package -pl specnorm-cli,benchmarks -am >"$log" 2>&1); then
    cat "$log" >&2; rm -f "$log"; echo "gpu-bundle: error: the build failed" >&2; exit 1
fi
rm -f "$log"
stage="$(mktemp -d "${TMPDIR:-/tmp}/specnorm-gpu.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
b="$stage/specnorm-gpu"
mkdir -p "$b/lib" "$b/tools" "$b/bin" "$b/gpu"
cp "$root/specnorm-cli/$build/specnorm.jar" "$b/lib/"
cp "$root/specnorm-cuda/$build/specnorm-cuda-$version-tests.jar" "$root/specnorm-api/$build/specnorm-api-$version-tests.jar" "$b/lib/"
(cd "$root" && mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.3 \
    -DoutputDirectory="$b/tools" >/dev/null)
mv "$b"/tools/junit-platform-console-standalone-*.jar "$b/tools/junit-console.jar"
cp "$root/benchmarks/$build/benchmarks.jar" "$b/tools/" 2>/dev/null || echo "gpu-bundle: no benchmarks.jar, skipped" >&2
# benchmarks.jar repeats the CPU backend's OpenBLAS natives (about 60 MB before compression); the launcher puts
# specnorm.jar first on its class path, which holds the same JavaCPP classes and natives, so drop them here
if [[ -f "$b/tools/benchmarks.jar" ]]; then
  if command -v zip >/dev/null; then
    zip -q -d "$b/tools/benchmarks.jar" 'org/bytedeco/*' >/dev/null
  else
    echo "gpu-bundle: zip not found: benchmarks.jar keeps its own copy of the OpenBLAS natives" >&2
  fi
fi
cp "$root"/scripts/gpu/* "$b/gpu/"

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
"$java_home/bin/jlink" --module-path "$java_home/jmods" \
    --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.xml,jdk.management,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=0 --output "$b/runtime"

launcher() { # name, body
    printf '#!/usr/bin/env bash\n# %s\nhere="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"\n%s\n' "$2" "$3" > "$b/bin/$1"
    chmod +x "$b/bin/$1"
}
launcher specnorm "The specnorm CLI on the bundled runtime." \
  'exec "$here/runtime/bin/java" ${SPECNORM_JAVA_OPTS:-} -jar "$here/lib/specnorm.jar" "$@"'
launcher gpu-tests "The GPU test suite (tag gpu): contract suite, cross-check, device memory. Arg: JUnit XML report dir." \
  'exec "$here/runtime/bin/java" -Xmx24g -jar "$here/tools/junit-console.jar" execute --disable-banner --disable-ansi-colors --details=tree \
  -cp "$here/lib/specnorm.jar:$here/lib/specnorm-cuda-'"$version"'-tests.jar:$here/lib/specnorm-api-'"$version"'-tests.jar" \
  --select-package dev.specnorm.cuda --include-tag gpu --reports-dir "${1:-$PWD/gpu-test-reports}"'
launcher gpu-timings "The GPU timing workloads timed on one backend: gpu-timings cuda|cpu [quick]; JSON lines." \
  'exec "$here/runtime/bin/java" -Xmx24g -cp "$here/lib/specnorm.jar:$here/lib/specnorm-cuda-'"$version"'-tests.jar:$here/lib/specnorm-api-'"$version"'-tests.jar" dev.specnorm.cuda.GpuTimings "$@"'
launcher benchmarks "The JMH benchmarks (benchmarks.jar); arguments go to JMH." \
  'exec "$here/runtime/bin/java" -cp "$here/lib/specnorm.jar:$here/tools/benchmarks.jar" org.openjdk.jmh.Main "$@"'

mkdir -p "$(dirname "$out")"
tar -C "$stage" -czf "$out" specnorm-gpu
size=$(du -m "$out" | cut -f1)
echo "gpu-bundle: $out, ${size} MiB" >&2
# the device tool carries 64 MiB per call, the repository's tracked files (about 3 MiB) included
if (( size > 56 )); then echo "gpu-bundle: error: the bundle exceeds 56 MiB" >&2; exit 1; fi
