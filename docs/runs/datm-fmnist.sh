#!/usr/bin/env bash
# Issue 12's measurement on Fashion-MNIST (docs/results.md, "MTT, soft labels and DATM"):
# three rows on one buffer (the FTD buffer of the issue-15 comparison, scripts/compare/
# fmnist.exp.kts --set method=ftd: 3 experts x 6 epochs), equal budget: N 10, M 2, T+ 4, 60 iterations;
# evaluation 3 networks x 150 epochs, DD-Ranking's scores over 3 rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${DD4J:-./dd4j}
BUF=runs/compare/fmnist-ftd/buffer
mkdir -p runs/datm
# HLR's full-data accuracy: 1 network x 3 epochs on all 60,000 training images (reduced)
"$D" evaluate --syn runs/compare/fmnist-mtt/distill/syn-final.arrow --dataset fashion-mnist \
  --width 32 --eval-scores dd-ranking --eval-full-data --eval-runs 1 --eval-epochs 3 \
  --baseline none \
  --threads 1 > runs/datm/full-data.txt
FULL=$(python3 -c "import json,glob; print(json.load(open(sorted(glob.glob('cache/full-data-accuracy/fashion-mnist-*.json'))[-1]))['mean'])")
COMMON=(--buffer "$BUF" --dataset fashion-mnist --ipc 10 --syn-steps 10 --expert-epochs 2
  --max-start-epoch 4 --iterations 60 --lr-img 1000 --lr-lr 1e-5 --save-every 40
  --eval-runs 3 --eval-epochs 150 --eval-scores dd-ranking --eval-full-data-accuracy "$FULL"
  --threads 1 --no-progress)
"$D" distill "${COMMON[@]}" --method mtt --out runs/datm/fmnist-mtt
"$D" distill "${COMMON[@]}" --method mtt --label-init first-expert --out runs/datm/fmnist-mtt-soft
"$D" distill "${COMMON[@]}" --method datm --current-max-start-epoch 2 --expansion-end 30 \
  --out runs/datm/fmnist-datm
for r in fmnist-mtt-soft fmnist-datm; do   # the soft-label sets again, on their argmax
  "$D" evaluate --syn "runs/datm/$r/syn-final.arrow" --dataset fashion-mnist --width 32 \
    --eval-hard-labels --eval-runs 3 --eval-epochs 150 --baseline none --threads 1 \
    --results "runs/datm/$r/hard.jsonl"
done
