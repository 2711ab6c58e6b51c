#!/usr/bin/env bash
# gan4j's one-shot GPU check (cuda-backend/README.md, "One-shot GPU check"). Run it on a Linux x86_64 machine
# with an NVIDIA GPU; it needs no Maven, JDK or network, only what this folder holds plus NVIDIA's libraries:
#   the driver (libcuda.so.1, R525 or newer), CUDA 12 cuBLAS (libcublas.so.12, libcublasLt.so.12),
#   CUDA 12 NVRTC (libnvrtc.so.12 + libnvrtc-builtins.so.12.*), cuDNN 9 for CUDA 12 (libcudnn.so.9 + libcudnn_*.so.9)
# found through ldconfig or LD_LIBRARY_PATH. Usage:
#   gpu-check.sh [--data-dir MNIST_DIR] [--steps N]    everything below, logged to gpu-check-<time>.log
#   gpu-check.sh --self-test                           the bundle runs (no GPU needed; done when it is built)
# Steps: device and library versions; the cuda-tagged tests against the real libraries (refusing gan4j's CPU
# emulation); sgemm / conv / batch norm timed against the CPU; N (200) steps of mnist-dcgan with --device cuda,
# the first steps' losses compared with a CPU run of the same seed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java=("$here/runtime/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC)
app="$here/lib/gan4j.jar"
tests="$app:$here/test-lib/*"
data="$here/data/mnist"
steps=200
compare=10           # steps compared with the CPU run
tolerance=0.001      # largest relative difference of loss_D / loss_G allowed over the first 5 of them

if [ "${1:-}" = "--self-test" ]; then
  "${java[@]}" -version 2>&1 | head -1
  "${java[@]}" -jar "$app" info >/dev/null 2>&1 || { echo "self-test: gan4j info failed" >&2; exit 1; }
  "${java[@]}" -cp "$tests" dev.gan4j.cuda.check.CudaTestRun --discover || { echo "self-test: test discovery failed" >&2; exit 1; }
  echo "self-test: the bundle runs"
  exit 0
fi
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    *) echo "gpu-check: unknown option $1 (see the header of $0)" >&2; exit 64 ;;
  esac
done

work="$PWD/gpu-check-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$work/tmp"
exec > >(tee "$work.log") 2>&1
java+=("-Djava.io.tmpdir=$work/tmp")   # JCuda unpacks its natives there
results=()
record() { results+=("$(printf '%-8s %s' "$1" "$2")"); }

section() { printf '\n==== %s ====\n' "$1"; }

section "machine"
date -u; uname -a
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv
  nvidia-smi | head -4 | tail -2   # the "CUDA Version" the driver supports
else
  echo "nvidia-smi not found (it comes with the driver)"
fi

section "NVIDIA libraries"
# The JCuda 12.6.0 natives link exactly these sonames: CUDA 12's cuBLAS and NVRTC, cuDNN 9 (built for CUDA 12).
find_lib() {
  local name=$1 dir
  IFS=: read -ra dirs <<< "${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do [ -n "$dir" ] && [ -e "$dir/$name" ] && { echo "$dir/$name"; return 0; }; done
  ldconfig -p 2>/dev/null | awk -v n="$name" '$1 == n { print $NF; exit }'
}
libs_ok=1
for lib in libcuda.so.1 libcublas.so.12 libcublasLt.so.12 libnvrtc.so.12 libcudnn.so.9; do
  path="$(find_lib "$lib")"
  if [ -z "$path" ]; then
    echo "MISSING  $lib"; libs_ok=0
  else
    echo "found    $lib -> $(readlink -f "$path")"
    case "$path" in *emulated-cuda*) echo "  that is gan4j's CPU emulation, not NVIDIA's: remove its folder from LD_LIBRARY_PATH"; libs_ok=0 ;; esac
  fi
done
if [ "$libs_ok" = 0 ]; then
  for newer in libcublas.so.13 libnvrtc.so.13; do
    [ -n "$(find_lib "$newer")" ] && echo "found $newer: this machine has a newer CUDA, but the JCuda 12.6 natives need the CUDA 12 libraries."
  done
  cat <<'HELP'
What to do: install the CUDA 12 libraries beside any newer CUDA (a newer driver runs CUDA 12 code), e.g.
  apt-get install cuda-libraries-12-6 libcudnn9-cuda-12        (NVIDIA's CUDA repository), or
  pip install nvidia-cublas-cu12 nvidia-cuda-nvrtc-cu12 nvidia-cudnn-cu12   (then add each wheel's lib/ folder)
without network there: `pip download` those wheels elsewhere and copy them over. Then
  export LD_LIBRARY_PATH=<folders holding them>:$LD_LIBRARY_PATH   and run this script again.
HELP
  record FAIL "NVIDIA libraries (see above)"
  printf '\n==== summary ====\n%s\n' "${results[@]}"
  exit 1
fi
record PASS "NVIDIA libraries found"

section "gan4j info (device and library versions as the backend sees them)"
"${java[@]}" -jar "$app" info && record PASS "gan4j info" || record FAIL "gan4j info"

section "cuda-tagged tests against the real libraries"
"${java[@]}" -cp "$tests" dev.gan4j.cuda.check.CudaTestRun && record PASS "cuda tests" || record FAIL "cuda tests"

section "timings: CPU vs cuda:0 (median ms)"
"${java[@]}" -cp "$tests" dev.gan4j.cuda.check.DeviceTimings && record PASS "timings" || record FAIL "timings"

section "training: $steps steps of mnist-dcgan on cuda, the first $compare compared with the CPU"
if [ -f "$data/train-images-idx3-ubyte.gz" ]; then
  train() { "${java[@]}" -Dgan4j.cuda.deterministic=true -jar "$app" train --preset mnist-dcgan --seed 1 \
              --data-dir "$data" --device "$1" --max-steps "$2" --out "$work/run-$1"; }
  if train cuda "$steps" && train cpu "$compare"; then
    record PASS "training $steps steps on cuda"
    # metrics.csv: step, epoch, loss_D, loss_G, ...
    if paste -d, "$work/run-cpu/metrics.csv" "$work/run-cuda/metrics.csv" | awk -F, -v n="$compare" -v tol="$tolerance" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = col[$i] ? col[$i] : i; half = NF / 2
                  d = col["loss_D"]; g = col["loss_G"]; printf "%5s %12s %12s %12s %12s\n", "step", "cpu loss_D", "cuda loss_D", "cpu loss_G", "cuda loss_G"; next }
        NR <= n + 1 { printf "%5d %12.6f %12.6f %12.6f %12.6f\n", $1, $d, $(d + half), $g, $(g + half)
                  for (k = 0; k < 2; k++) { c = k ? g : d; a = $c; b = $(c + half)
                    r = (a == b) ? 0 : (a - b) / (a > 0 ? a : -a); r = r < 0 ? -r : r
                    if (NR <= 6 && r > worst) worst = r; if (r > worstAll) worstAll = r } }
        END { printf "largest relative difference: %.2e over the first 5 steps, %.2e over %d\n", worst, worstAll, n
              exit worst <= tol ? 0 : 1 }'; then
      record PASS "first steps' losses match the CPU (relative difference <= $tolerance over 5 steps)"
    else
      record FAIL "first steps' losses differ from the CPU by more than $tolerance"
    fi
  else
    record FAIL "training"
  fi
else
  echo "no MNIST in $data (pass --data-dir with MNIST's four IDX .gz files)"
  record SKIP "training (no MNIST)"
fi

printf '\n==== summary ====\n'
printf '%s\n' "${results[@]}"
echo "log: $work.log; runs: $work"
! printf '%s\n' "${results[@]}" | grep -q '^FAIL'
