#!/usr/bin/env bash
# Benchmark (issue 13): wall time of a buffer of 4 small experts (Fashion-MNIST, ConvNet-3
# width 16, 2 epochs on 10,000 images, one intra-op thread per expert) on the local engine
# vs embedded Spark local[1] vs local[2]. One warm-up run first (page cache, JIT), then
# REPS runs of each; prints every run and the medians. Run it on an idle machine:
#   scripts/measure-spark-buffer.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-2}
A=(--experts 4 --epochs 2 --train-images 10000 --width 16 --threads 1 --no-progress)
OUT=$(mktemp -d /tmp/dd4j-meas.XXXXXX)
run() {  # run MODE -> prints seconds; a failed run stops the script
  rm -rf "$OUT/b"
  local t0 t1 engine=()
  if [ "$1" != local ]; then engine=(--engine spark --master "$1"); fi
  t0=$(date +%s.%N)
  if ! ./dd4j buffer "${A[@]}" "${engine[@]}" --out "$OUT/b" > "$OUT/$1.log" 2>&1; then
    echo "$1 failed, log: $OUT/$1.log" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
warm=$(run local)  # an assignment, so that a failed run stops the script (set -e)
echo "warm-up: $warm s"
declare -A med
for m in local "local[1]" "local[2]"; do
  ts=()
  for ((i = 0; i < REPS; i++)); do
    t=$(run "$m")
    ts+=("$t")
  done
  med[$m]=$(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
  echo "$m: ${ts[*]} s (median ${med[$m]} s)"
done
awk -v l="${med[local]}" -v s1="${med[local[1]]}" -v s2="${med[local[2]]}" 'BEGIN {
  printf "Spark start-up overhead (local[1] - local): %.1f s\n", s1 - l
  printf "speed-up local[2] over local[1]: %.2fx; over the local engine: %.2fx\n", s1 / s2, l / s2 }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
