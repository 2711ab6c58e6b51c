#!/usr/bin/env bash
# Builds the one-shot GPU check bundle (cuda-backend/README.md, "One-shot GPU check"); Maven runs it in gan's
# verify phase, prepare.sh runs Maven. Usage:
#   assemble.sh OUT_DIR GAN4J_JAR CUDA_TESTS_JAR JUNIT_JAR_DIR [MNIST_DIR]
# Writes OUT_DIR/gan4j-gpu-check.tar.gz: a jlinked Java runtime, the application, the CUDA tests with a JUnit
# launcher, MNIST (when MNIST_DIR holds it) and gpu-check.sh. It then runs the bundle's own
# self-test (no GPU needed) and fails if the archive, with MNIST counted in, exceeds 64 MiB.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 OUT_DIR GAN4J_JAR CUDA_TESTS_JAR JUNIT_JAR_DIR [MNIST_DIR]" >&2; exit 64; }
out=$1 app=$2 tests=$3 junit=$4 mnist=${5:-}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
limit=$((64 * 1024 * 1024))
mnist_files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

for f in "$app" "$tests"; do [ -f "$f" ] || { echo "gpu-check: $f is missing; build with mvn package first" >&2; exit 1; }; done
ls "$junit"/junit-platform-launcher-*.jar >/dev/null 2>&1 || { echo "gpu-check: no JUnit launcher jar in $junit" >&2; exit 1; }
command -v jlink >/dev/null || { echo "gpu-check: jlink not found; a full JDK 17+ is needed to prepare the bundle" >&2; exit 1; }

stage="$out/gan4j-gpu-check"
rm -rf "$stage" "$out/gan4j-gpu-check.tar.gz"
mkdir -p "$stage/lib" "$stage/test-lib"

# The modules the application needs (jdeps), plus the logging backend, sun.misc, the Vector API and the zip
# file system (JUnit finds the tests in their jar through it).
modules="$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$app"),java.logging,jdk.unsupported,jdk.incubator.vector,jdk.zipfs"
# Uncompressed image: gzip of the whole archive then packs it smaller than jlink's own compression.
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=0 --output "$stage/runtime"

cp "$app" "$stage/lib/gan4j.jar"
cp "$tests" "$stage/test-lib/cuda-backend-tests.jar"
cp "$junit"/*.jar "$stage/test-lib/"
cp "$here/gpu-check.sh" "$stage/gpu-check.sh"
chmod +x "$stage/gpu-check.sh"

missing_mnist=0
for f in $mnist_files; do
  mkdir -p "$stage/data/mnist"
  if [ -n "$mnist" ] && [ -f "$mnist/$f" ]; then
    cp "$mnist/$f" "$stage/data/mnist/"
  elif [ -n "$mnist" ] && [ -f "$mnist/${f%.gz}" ]; then   # gan4j's cache may hold them unpacked
    gzip -c "$mnist/${f%.gz}" > "$stage/data/mnist/$f"
  else
    missing_mnist=1
  fi
done
if [ "$missing_mnist" = 1 ]; then
  rm -rf "$stage/data"
  echo "gpu-check: MNIST not found in '${mnist}'; the bundle's training check will need --data-dir on the GPU machine" >&2
fi

"$stage/gpu-check.sh" --self-test

tar -czf "$out/gan4j-gpu-check.tar.gz" -C "$out" gan4j-gpu-check
size=$(stat -c %s "$out/gan4j-gpu-check.tar.gz")
# Without MNIST in it, count MNIST's four files (about 10.8 MiB) anyway: the real bundle carries them.
counted=$size
[ "$missing_mnist" = 1 ] && counted=$((size + 11369320))
awk -v f="$out/gan4j-gpu-check.tar.gz" -v s="$size" -v c="$counted" \
  'BEGIN { printf "gpu-check: %s is %.1f MiB (%.1f MiB with MNIST counted; limit 64 MiB)\n", f, s / 1048576, c / 1048576 }'
[ "$counted" -le "$limit" ] || { echo "gpu-check: the bundle exceeds 64 MiB" >&2; exit 1; }
rm -rf "$stage"
