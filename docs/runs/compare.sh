#!/usr/bin/env bash
# Issue 15's equal-budget comparison (docs/results.md, "MTT vs FTD vs AST at equal budgets"):
# every command that produced the table. Two rows ran at a time, one intra-op thread each,
# on the 2-core machine; about 2 hours in all.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="fmnist-mtt fmnist-ftd fmnist-ast cifar10-mtt cifar10-ftd cifar10-ast"
mkdir -p runs/compare runs/compare-small
for n in $ROWS; do
  # the larger budget: buffer (3 experts x 6 epochs), 120 iterations from all 3 experts
  ./dd4j run scripts/compare/$n.exp.kts --out runs/compare/$n --threads 1
done
for n in $ROWS; do
  # the smaller budget: the same buffer, 40 iterations from its first expert
  mkdir -p runs/compare-small/$n && cp -r runs/compare/$n/buffer runs/compare/$n/experiment.json \
    runs/compare-small/$n/
  extra=""; case $n in *ftd) extra="--set distill.ema_decay=0.94";; esac
  ./dd4j run scripts/compare/$n.exp.kts --out runs/compare-small/$n --threads 1 \
    --set distill.iterations=40 --set distill.max_experts=1 $extra
done
python3 docs/runs/compare_table.py runs
