#!/usr/bin/env python3
"""Prints issue 12's tables (docs/results.md) from runs/datm/<row>/ alone: eval.jsonl (the
set on its own labels, random real), hard.jsonl (a soft-label set on the argmax of its
labels), summary.md (DD-Ranking's scores and their per-round accuracies), metrics.jsonl
(syn_lr, skips). Usage: python3 docs/runs/datm_table.py [RUNS_ROOT] [fmnist|cifar10]"""
import json
import re
import sys
from statistics import mean, pstdev
from pathlib import Path

ROWS = [("mtt", "MTT"), ("mtt-soft", "MTT + soft labels"), ("datm", "DATM (all pieces)")]


def pct(e):
    return "%.2f +- %.2f" % (100 * e["mean"], 100 * e["std"])


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "runs") / "datm"
    prefix = sys.argv[2] if len(sys.argv) > 2 else "fmnist"
    print("| row | labels trained on | distilled acc (%) | same set, hard labels (%) | random real (%) "
          "| random real, IOR rounds (%) | syn_lr | skipped it. | HLR | IOR | LRS | ARS |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, label in ROWS:
        d = root / (prefix + "-" + name)
        if not (d / "summary.md").exists():
            continue
        evals = [json.loads(l) for l in (d / "eval.jsonl").read_text().splitlines()]
        last = max(e["iteration"] for e in evals)
        by = {e["set"]: e for e in evals if e["iteration"] == last}
        hard = d / "hard.jsonl"
        hard_cell = pct(json.loads(hard.read_text().splitlines()[0])) if hard.exists() else (
            "(same)" if by["distilled"]["labels"] == "hard" else "?")
        its = [json.loads(l) for l in (d / "metrics.jsonl").read_text().splitlines()]
        done = [r for r in its if "syn_lr" in r and "loss" in r]
        summary = (d / "summary.md").read_text()
        scores = dict(re.findall(r"\| (HLR|IOR|LRS|ARS) \| ([^|]+) \|", summary))
        # DD-Ranking's rounds (IOR's random subsets, on the kind of labels the set has):
        # | round | seed | syn hard, no DSA | syn | random | syn, no DSA | random, no DSA |
        rounds = [l.split("|")[1:-1] for l in summary.splitlines() if re.match(r"\| \d+ \| -?\d+ \|", l)]
        rnd = [float(r[4]) for r in rounds]
        rnd_cell = "%.2f +- %.2f" % (mean(rnd), pstdev(rnd)) if rnd else "-"
        print("| %s | %s | **%s** | %s | %s | %s | %.4f | %d | %s | %s | %s | %s |" % (
            label, by["distilled"]["labels"], pct(by["distilled"]), hard_cell,
            pct(by["random_real"]) if "random_real" in by else "-", rnd_cell, done[-1]["syn_lr"],
            len(its) - len(done), *(scores.get(k, "?").strip() for k in ("HLR", "IOR", "LRS", "ARS"))))


if __name__ == "__main__":
    main()
