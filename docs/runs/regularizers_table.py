#!/usr/bin/python3
"""Prints issue 22's table (docs/results.md, "A total-variation prior on top of MTT") from
runs/regularizers/<dataset>/{without,with}/ alone (eval.jsonl, metrics.jsonl, lambda.txt), and
puts the two rows' syn-final.png side by side in docs/images/regularizers-<dataset>.png
(without left, with right). Needs PIL (Debian's /usr/bin/python3). Usage:
  /usr/bin/python3 docs/runs/regularizers_table.py [fmnist|cifar10]..."""
import json
import sys
from pathlib import Path

ROWS = [("without", "MTT (TV weight 0)"), ("with", "MTT + TV prior")]
NAMES = {"fmnist": "Fashion-MNIST", "cifar10": "CIFAR-10 (JPEG q75, ZCA)"}


def lines(p):
    return [json.loads(l) for l in p.read_text().splitlines() if l.strip()]


def main():
    print("| dataset | row | TV weight lambda_0 (cosine to 0) | distilled acc (%) | random real (%)"
          " | syn_lr | matching loss, first -> last 10 it. | R_TV, first -> last | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for ds in sys.argv[1:] or ["fmnist", "cifar10"]:
        root = Path("runs/regularizers") / ds
        lam = (root / "lambda.txt").read_text().split("=")[1].strip() if (
            root / "lambda.txt").exists() else "?"
        for name, label in ROWS:
            d = root / name
            if not (d / "eval.jsonl").exists():
                print("| %s | %s | (not finished) |" % (NAMES[ds], label))
                continue
            ev = lines(d / "eval.jsonl")
            last = max(e["iteration"] for e in ev)
            by = {e["set"]: e for e in ev if e["iteration"] == last}
            rnd = [e for e in ev if e["set"].startswith("random")]
            m = [r for r in lines(d / "metrics.jsonl") if "skipped" not in r]
            first = sum(r["loss"] for r in m[:10]) / len(m[:10])
            tail = sum(r["loss"] for r in m[-10:]) / len(m[-10:])
            tv = [r["regularizers"]["total-variation"]["value"] for r in m]
            secs = sum(r.get("seconds", 0) for r in lines(d / "metrics.jsonl"))
            dist = by["distilled"]
            print("| %s | %s | %s | %.2f +- %.2f (%d nets, lr %.4g) | %s | %.4g | %.3f -> %.3f "
                  "| %.4g -> %.4g | %.0f |" % (
                      NAMES[ds], label, "0" if name == "without" else lam, 100 * dist["mean"],
                      100 * dist["std"], len(dist.get("accuracies", [])) or 0, dist["lr"],
                      "%.2f +- %.2f" % (100 * rnd[-1]["mean"], 100 * rnd[-1]["std"])
                      if rnd else "-", m[-1]["syn_lr"], first, tail, tv[0], tv[-1], secs))
        grids = [root / n / "syn-final.png" for n, _ in ROWS]
        if all(g.exists() for g in grids):
            from PIL import Image
            a, b = (Image.open(g).convert("RGB") for g in grids)
            gap = 8
            out = Image.new("RGB", (a.width + gap + b.width, max(a.height, b.height)), "white")
            out.paste(a, (0, 0))
            out.paste(b, (a.width + gap, 0))
            dest = Path("docs/images") / ("regularizers-%s.png" % ds)
            dest.parent.mkdir(parents=True, exist_ok=True)
            # grey levels, or a 256-colour palette: a small file for the docs
            (out.convert("L") if ds == "fmnist" else out.quantize(256)).save(dest, optimize=True)
            print("wrote %s (%d bytes)" % (dest, dest.stat().st_size), file=sys.stderr)


if __name__ == "__main__":
    main()
