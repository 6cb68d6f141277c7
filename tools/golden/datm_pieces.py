#!/usr/bin/python3
"""Golden fixture for dd4j's DATM pieces, computed by the authors' own code.

Run with Debian's python3-torch (see README-datm.md):

    /usr/bin/python3 tools/golden/datm_pieces.py --datm /tmp/datm \
        --out framework/src/test/resources/golden/datm.json

/tmp/datm is a working copy of NUS-HPC-AI-Lab/DATM (never copied into dd4j). The three
pieces live inline in distill/DATM.py's main(), so their statements are cut out of the
parsed source with `ast` and executed as they stand, on the fixed inputs below:

- soft_ce: the nested `def SoftCrossEntropy(inputs, target, reduction='average')`, its loss
  and, by autograd, its gradient w.r.t. the student's logits and the label logits;
- label_init: the "only sum correct predicted logits" statements from
  `logits_tensor = torch.stack(logits)` to `Initialized_Labels = average_logits_per_image`,
  given one logits tensor per expert;
- window: the `if args.Sequential_Generation:` block computing `Upper_Bound` for a range of
  iterations `it`.

DATM.py imports wandb, torchvision, tqdm, yaml and its utils at the top; none of those is
executed here (only the statements above are), so the module itself is never imported.
"""
import argparse
import ast as pyast
import json
import os
import textwrap

import torch
import torch.nn.functional as F


def code_of(src, node):
    seg = pyast.get_source_segment(src, node)
    lines = seg.split("\n")
    return textwrap.dedent("\n".join([" " * node.col_offset + lines[0]] + lines[1:]))


def main_of(path):
    src = open(path).read()
    tree = pyast.parse(src)
    main = next(n for n in tree.body if isinstance(n, pyast.FunctionDef) and n.name == "main")
    return src, main


def soft_ce_function(src, main):
    node = next(n for n in pyast.walk(main)
                if isinstance(n, pyast.FunctionDef) and n.name == "SoftCrossEntropy")
    ns = {"torch": torch, "F": F}
    exec(code_of(src, node), ns)
    return ns["SoftCrossEntropy"]


def label_init_code(src, main):
    for n in pyast.walk(main):
        if not isinstance(n, pyast.If):
            continue
        body = n.body
        starts = [i for i, s in enumerate(body)
                  if pyast.get_source_segment(src, s).startswith("logits_tensor = torch.stack")]
        if not starts:
            continue
        ends = [i for i, s in enumerate(body) if pyast.get_source_segment(src, s)
                .startswith("Initialized_Labels = average_logits_per_image")]
        return "\n".join(code_of(src, s) for s in body[starts[0]:ends[0] + 1])
    raise LookupError("the correct-logits block of DATM.py")


def window_code(src, main):
    for n in pyast.walk(main):
        if isinstance(n, pyast.If) and pyast.get_source_segment(src, n.test) \
                == "args.Sequential_Generation":
            return code_of(src, n)
    raise LookupError("if args.Sequential_Generation")


def tolist(t):
    return t.detach().double().reshape(-1).tolist()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--datm", default=os.environ.get("DATM_DIR", "/tmp/datm"))
    p.add_argument("--out", required=True)
    a = p.parse_args()
    path = os.path.join(a.datm, "distill", "DATM.py")
    if not os.path.isfile(path):
        raise SystemExit(f"no distill/DATM.py in {a.datm}: pass the DATM checkout (--datm)")
    src, main_fn = main_of(path)
    fixture = {"source": "NUS-HPC-AI-Lab/DATM distill/DATM.py"}

    # soft cross-entropy: B = 5, C = 4, float64
    sce = soft_ce_function(src, main_fn)
    g = torch.Generator().manual_seed(0)
    cases = []
    for b, c, scale in [(5, 4, 1.0), (3, 10, 3.0)]:
        inputs = (scale * torch.randn(b, c, generator=g, dtype=torch.float64)).requires_grad_(True)
        target = (scale * torch.randn(b, c, generator=g, dtype=torch.float64)).requires_grad_(True)
        loss = sce(inputs, target)
        gi, gt = torch.autograd.grad(loss, [inputs, target])
        cases.append({"batch": b, "classes": c, "inputs": tolist(inputs),
                      "target": tolist(target), "loss": loss.item(),
                      "grad_inputs": tolist(gi), "grad_target": tolist(gt)})
    fixture["soft_ce"] = cases

    # soft-label initialisation with the correctness mask: K = 4 experts, C = 3, ipc 2
    k_experts, classes, ipc = 4, 3, 2
    n = classes * ipc
    label_syn = torch.tensor([[i] * ipc for i in range(classes)], dtype=torch.long).view(-1)
    logits = [2 * torch.randn(n, classes, generator=g, dtype=torch.float64)
              for _ in range(k_experts)]
    for i in range(n):  # every image correct under at least one expert (DATM needs it)
        e = logits[i % k_experts]
        if torch.argmax(e[i]).item() != label_syn[i].item():
            e[i, label_syn[i]] = e[i].max() + 0.5
    ns = {"torch": torch, "logits": [t.clone() for t in logits], "label_syn": label_syn}
    exec(label_init_code(src, main_fn), ns)
    fixture["label_init"] = {"experts": k_experts, "classes": classes, "ipc": ipc,
                             "logits": [tolist(t) for t in logits],
                             "labels": label_syn.tolist(),
                             "initialized": tolist(ns["Initialized_Labels"])}

    # the growing window: DATM's CIFAR-10 ipc 10 (10 -> 20 by 1000) and a coarser one
    windows = []
    for cur, mx, end in [(10, 20, 1000), (20, 40, 3000), (3, 7, 10)]:
        bounds = []
        its = sorted(set(list(range(0, end + 2)) if end <= 20
                         else [0, 1, 99, 100, 101, 149, 150, 151, 299, 300, 499, 500, 999,
                               1000, 1001, end - 1, end, end + 1, 2 * end]))
        for it in its:
            args = argparse.Namespace(Sequential_Generation=True, current_max_start_epoch=cur,
                                      max_start_epoch=mx, expansion_end_epoch=end)
            wns = {"args": args, "it": it}
            exec(window_code(src, main_fn), wns)
            bounds.append([it, wns["Upper_Bound"]])
        windows.append({"current_max_start_epoch": cur, "max_start_epoch": mx,
                        "expansion_end": end, "bounds": bounds})
    fixture["window"] = windows

    with open(a.out, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {a.out}: {len(cases)} soft-CE cases, label init {n}x{classes} from "
          f"{k_experts} experts, {len(windows)} windows")


if __name__ == "__main__":
    main()
