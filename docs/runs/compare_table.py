#!/usr/bin/env python3
"""Prints issue 15's comparison table (docs/results.md) from the run directories alone.

Usage: python3 docs/runs/compare_table.py [RUNS_ROOT]   (default: runs)
Reads RUNS_ROOT/compare/<row> (larger budget) and RUNS_ROOT/compare-small/<row> (smaller),
each written by `dd4j run scripts/compare/<dataset>.exp.kts --set method=<method>`
(docs/runs/compare.sh):
buffer/report.md (final test accuracy and Avg_Var per expert), distill/metrics.jsonl
(syn_lr, matching loss, seconds per iteration) and distill/eval.jsonl (accuracies);
RUNS_ROOT/logs/lanes.txt gives each run's wall time.
"""
import json
import re
import statistics
import sys
from pathlib import Path

ROWS = ["fmnist-mtt", "fmnist-ftd", "fmnist-ast", "cifar10-mtt", "cifar10-ftd", "cifar10-ast"]


def experts(buffer):
    accs, avg_vars, minutes = [], [], 0.0
    for line in (buffer / "report.md").read_text().splitlines():
        t = re.match(r"Training time: ([\d.]+) min", line)
        if t:
            minutes = float(t.group(1))
        m = re.match(r"\| \d+ \| complete \| ([\d.]+) \(epoch \d+\) \| [^|]+ \| [^|]+ \| ([\d.]+) \|",
                     line)
        if m:
            accs.append(float(m.group(1)))
            avg_vars.append(float(m.group(2)))
    return statistics.mean(accs), statistics.mean(avg_vars), minutes


def walls(root):
    out = {}
    f = root / "logs" / "lanes.txt"
    for line in f.read_text().splitlines() if f.exists() else []:
        parts = line.split()
        if len(parts) == 4 and parts[2] == "rc=0":
            out[(parts[0], parts[1])] = int(parts[3].rstrip("s"))
        elif len(parts) == 3 and parts[1] == "rc=0":
            out[("buffer", parts[0])] = int(parts[2].rstrip("s"))
    return out


def row(run, name, budget, wall):
    d = run / "distill"
    if not (d / "eval.jsonl").exists():
        return None
    acc, avg_var, minutes = experts(run / "buffer")
    its = [json.loads(l) for l in (d / "metrics.jsonl").read_text().splitlines()]
    done = [r for r in its if "loss" in r and "syn_lr" in r]
    last = done[-20:]
    loss = statistics.mean(r["loss"] for r in last)
    skipped = len(its) - len(done)
    evals = [json.loads(l) for l in (d / "eval.jsonl").read_text().splitlines()]
    final = max(e["iteration"] for e in evals)
    cells = {}
    for e in evals:
        if e["iteration"] == final:
            cells[e["set"]] = "%.2f +- %.2f" % (100 * e["mean"], 100 * e["std"])
    distilled = cells.get("distilled", "?")
    if "distilled_ema" in cells:
        distilled = "EMA %s (raw %s)" % (cells["distilled_ema"], distilled)
    seconds = sum(r.get("seconds", 0) for r in its)
    return "| %s | %s | %.2f | %.3f | %.1f min | %.4f | %.3f | %d | **%s** | %s | %.0f s | %s |" % (
        name, budget, acc, avg_var, minutes, done[-1]["syn_lr"], loss, skipped, distilled,
        cells.get("random_real", "-"), seconds, "%d s" % wall if wall else "?")


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "runs")
    w = walls(root)
    print("| row | budget | experts' final acc (%) | Avg_Var | buffer training | syn_lr | "
          "matching loss (last 20 it.) | skipped it. | distilled acc (%) | random real (%) | "
          "distillation | whole run (wall) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for budget, sub, key in [("larger", "compare", "large"), ("smaller", "compare-small", "small")]:
        for name in ROWS:
            r = row(root / sub / name, name, budget, w.get((key, name)))
            if r:
                print(r)


if __name__ == "__main__":
    main()
