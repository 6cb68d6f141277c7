#!/usr/bin/env bash
# Issue 15's equal-budget comparison (docs/results.md, "MTT vs FTD vs AST at equal budgets"):
# every command that produced the table. One script per dataset (scripts/compare/fmnist.exp.kts,
# cifar10.exp.kts); a row is its method plus what the method needs beyond its preset. Two rows
# ran at a time, one intra-op thread each, on the 2-core machine; about 2 hours in all.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=(fmnist-mtt fmnist-ftd fmnist-ast cifar10-mtt cifar10-ftd cifar10-ast)
# row NAME [BUDGET-ARGS...]: dd4j run of the row's dataset script with its method
row() {
  local n=$1 data=${1%-*} m=${1#*-} extra=()
  shift
  case $n in
    *-ftd) extra=(--set distill.ema_decay=0.98) ;;  # ftd's 0.9995 at 5,000 iterations, at 120
    fmnist-ast) extra=(--set "buffer.preset=ast(lr_decay_epochs=5)") ;;  # T // 2 + 2 at T = 6
    cifar10-ast) extra=(--set "buffer.preset=ast(lr_decay_epochs=4)") ;;  # T // 2 + 2 at T = 5
  esac
  ./dd4j run "scripts/compare/$data.exp.kts" --threads 1 --set "method=$m" "${extra[@]}" "$@"
}
mkdir -p runs/compare runs/compare-small
for n in "${ROWS[@]}"; do
  # the larger budget: the buffer, 120 iterations from all its experts
  row "$n" --out "runs/compare/$n"
done
for n in "${ROWS[@]}"; do
  # the smaller budget: the same buffer, 40 iterations from its first expert
  mkdir -p "runs/compare-small/$n"
  cp -r "runs/compare/$n/buffer" "runs/compare/$n/experiment.json" "runs/compare-small/$n/"
  extra=()
  case $n in *ftd) extra=(--set distill.ema_decay=0.94) ;; esac
  row "$n" --out "runs/compare-small/$n" --set distill.iterations=40 --set distill.max_experts=1 \
    "${extra[@]}"
done
python3 docs/runs/compare_table.py runs
