#!/usr/bin/env bash
# Issue 22's measurement (docs/results.md, "A total-variation prior on top of MTT"), at a
# budget for a 2-core machine shared with other work: MTT with and without DeepInversion's TV
# prior at equal budget, one buffer per dataset shared by both rows (same seeds), the rows run
# side by side. The row "without" carries the TV term at weight 0: the same MTT update (0 * R
# adds exactly nothing), but metrics.jsonl logs R_TV, which fixes the prior's weight for the
# row "with" by a rule chosen in advance and not tuned: lambda_0 R_TV(X_0) = 10 % of the
# matching loss at iteration 0, decayed by a cosine to 0 over the run.
#   docs/runs/regularizers.sh fmnist|cifar10
set -euo pipefail
cd "$(dirname "$0")/../.."
D=${DD4J:-./dd4j}
case ${1:?fmnist or cifar10} in
  fmnist)
    # the IDX files are in the official (mixed) order: the first 10,000 images hold every class
    DATA=(--dataset fashion-mnist); EXPERTS=(--experts 2 --train-images 10000); T=2; ITS=60 ;;
  cifar10)
    # the JPEG folders are sorted by class, so the experts see all 50,000 images (one expert)
    DATA=(--dataset cifar10-jpeg --zca); EXPERTS=(--experts 1); T=2; ITS=40 ;;
  *) echo "fmnist or cifar10" >&2; exit 2 ;;
esac
OUT=runs/regularizers/$1
mkdir -p "$OUT"
if [ ! -f "$OUT/buffer.complete" ]; then
  $D buffer "${DATA[@]}" --width 32 "${EXPERTS[@]}" --epochs 3 --threads 1 --no-progress \
    --out "$OUT/buffer"
  touch "$OUT/buffer.complete"
fi
row() {  # row NAME REGULARIZER
  $D distill --buffer "$OUT/buffer" "${DATA[@]}" --ipc 10 --syn-steps 10 --expert-epochs 2 \
    --max-start-epoch "$T" --iterations "$ITS" --lr-img 1000 --lr-lr 1e-5 --lr-teacher 0.01 \
    --save-every 40 --eval-runs 3 --eval-epochs 100 --threads 1 --no-progress \
    --regularizer "$2" --out "$OUT/$1"
}
# the row without in the background; the row with starts once iteration 0 fixes lambda_0
row without "total-variation(weight=0)" &
while [ ! -s "$OUT/without/metrics.jsonl" ]; do sleep 10; done
# lambda_0 from iteration 0 of the row without: 0.1 * loss / R_TV
W=$(python3 -c "import json,sys; m=json.loads(open(sys.argv[1]).readline()); \
print('%.3g' % (0.1 * m['loss'] / m['regularizers']['total-variation']['value']))" \
  "$OUT/without/metrics.jsonl")
echo "lambda_0 = $W" | tee "$OUT/lambda.txt"
row with "total-variation(weight=cosine(base=$W, steps=$ITS, final=0))"
wait
