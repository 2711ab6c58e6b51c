#!/usr/bin/env bash
# Prepares the one-shot GPU check on a machine with a JDK 17+, Maven and gcc (no GPU needed):
#   cuda-backend/gpu-check/prepare.sh [MNIST_DIR]
# builds the modules (tests skipped) and the bundle gan/target/gpu-check/gan4j-gpu-check.tar.gz. MNIST_DIR holds
# MNIST's four .gz files (train-images-idx3-ubyte.gz, ...) (default: gan4j's cache, where `./gan4j train`
# downloads them). Copy the archive to the GPU machine and run, there:
#   tar xzf gan4j-gpu-check.tar.gz && gan4j-gpu-check/gpu-check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${GAN4J_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gan4j/datasets}/mnist"
mnist="${1:-$cache}"
[ -f "$mnist/train-images-idx3-ubyte.gz" ] || [ -f "$mnist/train-images-idx3-ubyte" ] || {
  echo "prepare: MNIST is not in $mnist; run ./gan4j train --max-steps 1 once (it downloads MNIST), or pass the folder" >&2
  exit 1
}
mnist="$(cd "$mnist" && pwd)"
(cd "$root" && mvn -B -ntp -q -DskipTests verify -pl gan -am -Dgpu.check.mnist="$mnist")
ls -l "$root/gan/target/gpu-check/gan4j-gpu-check.tar.gz"
