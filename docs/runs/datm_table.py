#!/usr/bin/env python3
"""Prints issue 12's Fashion-MNIST table (docs/results.md) from runs/datm/<row>/ alone:
eval.jsonl (the set on its own labels, random real), hard.jsonl (a soft-label set on the
argmax of its labels), summary.md (DD-Ranking's scores), metrics.jsonl (syn_lr, skips).
Usage: python3 docs/runs/datm_table.py [RUNS_ROOT]"""
import json
import re
import sys
from pathlib import Path

ROWS = [("fmnist-mtt", "MTT"), ("fmnist-mtt-soft", "MTT + soft labels"),
        ("fmnist-datm", "DATM (all pieces)")]


def pct(e):
    return "%.2f +- %.2f" % (100 * e["mean"], 100 * e["std"])


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "runs") / "datm"
    print("| row | labels trained on | distilled acc (%) | same set, hard labels (%) | random real (%) "
          "| syn_lr | skipped it. | HLR | IOR | LRS | ARS |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, label in ROWS:
        d = root / name
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
        scores = dict(re.findall(r"\| (HLR|IOR|LRS|ARS) \| ([^|]+) \|", (d / "summary.md").read_text()))
        print("| %s | %s | **%s** | %s | %s | %.4f | %d | %s | %s | %s | %s |" % (
            label, by["distilled"]["labels"], pct(by["distilled"]), hard_cell,
            pct(by["random_real"]) if "random_real" in by else "-", done[-1]["syn_lr"],
            len(its) - len(done), *(scores.get(k, "?").strip() for k in ("HLR", "IOR", "LRS", "ARS"))))


if __name__ == "__main__":
    main()
