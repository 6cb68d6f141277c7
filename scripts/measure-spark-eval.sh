#!/usr/bin/env bash
# Benchmark (issue 13): one evaluation (a synthetic set and the random baseline, 4 networks x
# 150 epochs each on its recorded architecture) on the local engine and as 8 Spark tasks on
# embedded local[2]; prints both wall times and checks that the rows are identical.
#   scripts/measure-spark-eval.sh SYN.arrow [DATASET]
# (docs/results.md used runs/datm/fmnist-mtt/syn-final.arrow from docs/runs/datm-fmnist.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
SYN=${1:?usage: scripts/measure-spark-eval.sh SYN.arrow [DATASET]}
DATASET=${2:-fashion-mnist}
rm -rf /tmp/evb; mkdir -p /tmp/evb/local /tmp/evb/spark
for e in local spark; do
  t0=$(date +%s.%N)
  ./dd4j evaluate --syn "$SYN" --dataset "$DATASET" --eval-runs 4 \
    --eval-epochs 150 --baseline random --threads 1 --engine $e --master 'local[2]' \
    --results /tmp/evb/$e/rows.jsonl > /tmp/evb/$e.out 2> /tmp/evb/$e.err
  echo "$e rc=$? $(echo "$(date +%s.%N) - $t0" | bc) s"
done
cmp /tmp/evb/local/rows.jsonl /tmp/evb/spark/rows.jsonl && echo "identical rows" \
  || echo "the rows differ: /tmp/evb/{local,spark}/rows.jsonl"
cat /tmp/evb/spark.out
