#!/usr/bin/env bash
# Issue 12's measurement on CIFAR-10 (JPEG q75, ZCA, ConvNet-3 width 32, ipc 10; docs/results.md,
# "MTT, soft labels and DATM"): three rows on one buffer (the FTD buffer of the issue-15
# comparison, scripts/compare/cifar10.exp.kts --set method=ftd: 2 experts x 5 epochs on all
# 50,000 images), the same equal budget as the Fashion-MNIST rows (docs/runs/datm-fmnist.sh):
# N 10, M 2, T+ 4, 60 iterations; evaluation 3 networks x 150 epochs, DD-Ranking's scores over
# 3 rounds.
#   docs/runs/datm-cifar10.sh [full-data] [cifar10-mtt] [cifar10-mtt-soft] [cifar10-datm] [hard]
# (no argument: all of them, in that order; two lanes can run different rows once full-data is done)
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${DD4J:-./dd4j}
BUF=runs/compare/cifar10-ftd/buffer
DATA=(--dataset cifar10-jpeg --zca)
STEPS=(full-data cifar10-mtt cifar10-mtt-soft cifar10-datm hard)
if [ $# -gt 0 ]; then STEPS=("$@"); fi
full() {  # the full-data accuracy measured by the full-data step
  python3 -c "import json,glob; print(json.load(open(sorted(glob.glob('cache/full-data-accuracy/cifar10-jpeg-*.json'))[-1]))['mean'])"
}
row() {  # row NAME EXTRA...
  local name=$1 accuracy
  shift
  accuracy=$(full)
  "$D" distill --buffer "$BUF" "${DATA[@]}" --ipc 10 --syn-steps 10 --expert-epochs 2 \
    --max-start-epoch 4 --iterations 60 --lr-img 1000 --lr-lr 1e-5 --save-every 40 \
    --eval-runs 3 --eval-epochs 150 --eval-scores dd-ranking \
    --eval-full-data-accuracy "$accuracy" --threads 1 --no-progress \
    --out "runs/datm/$name" "$@"
}
mkdir -p runs/datm
for s in "${STEPS[@]}"; do case $s in
  full-data)  # HLR's full-data accuracy: 1 network x 4 epochs on all 50,000 training images (reduced)
    "$D" evaluate --syn runs/compare/cifar10-mtt/distill/syn-final.arrow "${DATA[@]}" --width 32 \
      --eval-scores dd-ranking --eval-full-data --eval-runs 1 --eval-epochs 4 --baseline none \
      --threads 1 > runs/datm/cifar10-full-data.txt ;;
  cifar10-mtt) row "$s" --method mtt ;;
  cifar10-mtt-soft) row "$s" --method mtt --label-init first-expert ;;
  cifar10-datm) row "$s" --method datm --current-max-start-epoch 2 --expansion-end 30 ;;
  hard)  # the soft-label sets again, on their argmax
    for r in cifar10-mtt-soft cifar10-datm; do
      "$D" evaluate --syn "runs/datm/$r/syn-final.arrow" "${DATA[@]}" --width 32 \
        --eval-hard-labels --eval-runs 3 --eval-epochs 150 --baseline none --threads 1 \
        --results "runs/datm/$r/hard.jsonl"
    done ;;
  *) echo "unknown step $s" >&2; exit 2 ;;
esac; done
