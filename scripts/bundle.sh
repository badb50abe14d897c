#!/usr/bin/env bash
# Assembles a self-contained specnorm bundle: a jlinked Java runtime with just the modules specnorm needs,
# the shaded specnorm.jar, and a launcher. The bundle runs on an x86-64 Linux machine with no JDK and no
# Maven (for example a GPU machine): copy the folder and run bundle/bin/specnorm.
#
#   scripts/bundle.sh [OUT_DIR]      (default: dist/specnorm)
#
# Needs a JDK 17+ with jmods (jlink, jdeps) and Maven here. The extra module jdk.unsupported is kept for
# native bindings (JCuda) that use sun.misc.Unsafe.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/dist/specnorm}"
jar="$root/specnorm-cli/target/specnorm.jar"

echo "bundle: building $jar" >&2
log="$(mktemp "${TMPDIR:-/tmp}/specnorm-bundle.XXXXXX")"
if ! (cd "$root" && mvn -B -q -Dquick -DskipTests package -pl specnorm-cli -am >"$log" 2>&1); then
    cat "$log" >&2; rm -f "$log"; echo "bundle: error: the build failed" >&2; exit 1
fi
rm -f "$log"

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
[[ -d "$java_home/jmods" ]] || { echo "bundle: error: $java_home has no jmods/ (need a full JDK for jlink)" >&2; exit 1; }

modules="$("$java_home/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps "$jar")"
modules="$modules,jdk.unsupported"
echo "bundle: modules $modules" >&2

rm -rf "$out"
mkdir -p "$(dirname "$out")"
"$java_home/bin/jlink" --module-path "$java_home/jmods" --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"
mkdir -p "$out/lib" "$out/bin"
cp "$jar" "$out/lib/specnorm.jar"
cat > "$out/bin/specnorm" <<'LAUNCHER'
#!/usr/bin/env bash
# specnorm, from a self-contained bundle (scripts/bundle.sh): its own Java runtime, no JDK needed.
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
exec "$here/runtime/bin/java" ${SPECNORM_JAVA_OPTS:-} -jar "$here/lib/specnorm.jar" "$@"
LAUNCHER
chmod +x "$out/bin/specnorm"
echo "bundle: $(du -sh "$out" | cut -f1) in $out; try: $out/bin/specnorm demo" >&2
