#!/usr/bin/env bash
# Benchmark (issue 13): one evaluation (a synthetic set and the random baseline, 4 networks x
# 150 epochs each on its recorded architecture) on the local engine and as 8 Spark tasks on
# embedded local[2]; prints both wall times and checks that the rows are identical (exit 1
# if they differ or a run fails).
#   scripts/measure-spark-eval.sh SYN.arrow [DATASET]
# (docs/results.md used runs/datm/fmnist-mtt/syn-final.arrow from docs/runs/datm-fmnist.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SYN=${1:?usage: scripts/measure-spark-eval.sh SYN.arrow [DATASET]}
DATASET=${2:-fashion-mnist}
W=/tmp/evb
rm -rf "$W"
mkdir -p "$W/local" "$W/spark"
for e in local spark; do
  t0=$(date +%s.%N)
  if ! ./dd4j evaluate --syn "$SYN" --dataset "$DATASET" --eval-runs 4 \
      --eval-epochs 150 --baseline random --threads 1 --engine "$e" --master 'local[2]' \
      --results "$W/$e/rows.jsonl" > "$W/$e.out" 2> "$W/$e.err"; then
    echo "$e failed, see $W/$e.err" >&2
    exit 1
  fi
  echo "$e: $(echo "$(date +%s.%N) - $t0" | bc) s"
done
if cmp "$W/local/rows.jsonl" "$W/spark/rows.jsonl"; then
  echo "identical rows"
else
  echo "the rows differ: $W/{local,spark}/rows.jsonl" >&2
  exit 1
fi
cat "$W/spark.out"
