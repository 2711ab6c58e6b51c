#!/usr/bin/env bash
# Trains each preset for its default budget, judges the result with `gan4j eval` (10 000 samples from the
# final checkpoint, the in-engine classifier) and writes one Markdown table of the results.
#
#   scripts/judge-presets.sh [--data-dir DIR] [--out DIR] [--threads N] [--seeds "S1 S2 ..."] [PRESET...]
#
# Without presets it judges every MNIST preset. With several seeds each preset is trained once per seed
# and a last row gives the mean and the spread (sample standard deviation) over the seeds. Per preset it records the wall time of the whole
# `gan4j train` (JVM start and data loading included), IS, FID, precision, recall, classes covered, the
# smallest and largest class share, the confident fraction, for a class-conditional preset the share of samples
# the classifier reads as the class they were drawn for, and the final fixed-noise grid. The table goes to
# OUT/results.md (default runs/judge), one row appended as each preset finishes, so an interrupted call
# keeps what it measured. Extra options for every run can be given in GAN4J_TRAIN_OPTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
invocation="scripts/judge-presets.sh$(printf " %q" "$@")"
[ -n "${GAN4J_TRAIN_OPTS:-}" ] && invocation="GAN4J_TRAIN_OPTS='$GAN4J_TRAIN_OPTS' $invocation"
out="runs/judge"
data_dir=""
threads=""
seeds="1"
presets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --seeds|--seed) seeds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "judge-presets: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) presets+=("$1"); shift ;;
  esac
done
if [ ${#presets[@]} -eq 0 ]; then
  presets=(mnist-dcgan mnist-wgan-gp mnist-wgan mnist-upsample mnist-mlp mnist-mlp-article)
fi
common=()
[ -n "$data_dir" ] && common+=(--data-dir "$data_dir")
train_opts=()
[ -n "$threads" ] && train_opts+=(--threads "$threads")
# shellcheck disable=SC2206  # word splitting of the user's extra options is intended
train_opts+=(${GAN4J_TRAIN_OPTS:-})

mkdir -p "$out"
table="$out/results.md"
if [ ! -f "$table" ]; then
  cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  {
    echo "Measured on: ${cpu:-unknown CPU}, $(nproc) cores; \`$invocation\`"
    echo
    echo "| preset | seed | wall time | IS | FID | precision | recall | classes covered | class share min-max | confident | drawn as asked | final grid |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  } > "$table"
fi

# A top-level number of eval's JSON report.
json_number() { sed -n "s/^  \"$1\": \([-0-9.eE]*\),\{0,1\}$/\1/p" "$2"; }

for preset in "${presets[@]}"; do
  summary="$out/$preset.seeds"
  : > "$summary"
  for seed in $seeds; do
    name="$preset"
    [ "$seeds" != "${seeds%% *}" ] && name="$preset-seed$seed"
    run="$out/$name"
    rm -rf "$run"
    echo "== $name: training (its default budget)" >&2
    start=$(date +%s.%N)
    "$root/gan4j" train --preset "$preset" --seed "$seed" --out "$run" "${common[@]}" "${train_opts[@]}" >&2
    wall=$(echo "$(date +%s.%N) $start" | awk '{printf "%.0f", $1 - $2}')
    echo "== $name: judging 10 000 samples" >&2
    report="$run/eval.json"  # where eval puts it for a run, so `gan4j sample` quotes it
    "$root/gan4j" eval "$run" --json "$report" "${common[@]}" >&2
    shares=$(sed -n '/"classCounts": \[/,/\]/p' "$report" | grep -o '[0-9]\+' \
      | awk -v n="$(json_number images "$report")" 'NR == 1 {min = $1; max = $1}
          {if ($1 < min) min = $1; if ($1 > max) max = $1}
          END {printf "%.1f %.1f", 100 * min / n, 100 * max / n}')
    cp "$run/samples/final.png" "$out/$name.png"
    agreement=$(json_number classAgreement "$report")  # absent for an unconditional generator
    # One line per seed: wall IS IS-std FID precision recall classes min-share max-share confident agreement (-1: none)
    echo "$wall $(json_number inceptionScore "$report") $(json_number inceptionScoreStd "$report") \
$(json_number fid "$report") $(json_number precision "$report") $(json_number recall "$report") \
$(json_number classesCovered "$report") $shares $(json_number confidentFraction "$report") ${agreement:--1}" >> "$summary"
    tail -1 "$summary" | awk -v p="$preset" -v s="$seed" -v img="$name" \
      '{printf "| `%s` | %s | %d s | %.2f ± %.2f | %.1f | %.3f | %.3f | %d | %.1f-%.1f%% | %.1f%% | %s | <img src=\"%s.png\" width=\"160\"> |\n",
        p, s, $1, $2, $3, $4, $5, $6, $7, $8, $9, 100 * $10, $11 < 0 ? "—" : sprintf("%.1f%%", 100 * $11), img}' >> "$table"
    echo "== $name: done in $wall s; row added to $table" >&2
  done
  if [ "$(wc -l < "$summary")" -gt 1 ]; then
    # Mean ± sample standard deviation over the seeds, column by column.
    awk -v p="$preset" '{for (c = 1; c <= NF; c++) {s[c] += $c; q[c] += $c * $c}} END {
        for (c = 1; c <= NF; c++) {m[c] = s[c] / NR; v = (q[c] - NR * m[c] * m[c]) / (NR - 1); d[c] = v > 0 ? sqrt(v) : 0}
        printf "| `%s` | mean ± sd of %d | %d ± %d s | %.2f ± %.2f | %.1f ± %.1f | %.3f ± %.3f | %.3f ± %.3f | %.1f | %.1f-%.1f%% (lowest min, highest max) | %.1f ± %.1f%% | %s | |\n",
          p, NR, m[1], d[1], m[2], d[2], m[4], d[4], m[5], d[5], m[6], d[6], m[7], lo, hi, 100 * m[10], 100 * d[10],
          m[11] < 0 ? "—" : sprintf("%.1f ± %.1f%%", 100 * m[11], 100 * d[11])}
      NR == 1 || $8 < lo {lo = $8} NR == 1 || $9 > hi {hi = $9}' "$summary" >> "$table"
  fi
done
cat "$table"
