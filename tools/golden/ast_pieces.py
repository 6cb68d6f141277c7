#!/usr/bin/python3
"""Golden fixtures for dd4j's AST / FTD / evaluation pieces, computed by the authors' own code.

Run with Debian's python3-torch (see README-ast-ftd.md):

    /usr/bin/python3 tools/golden/ast_pieces.py \
        --ast /tmp/ast --ftd /tmp/ftd --mtt /tmp/mtt \
        --out framework/src/test/resources/golden/ast_ftd.json

The three directories are working copies of the authors' repositories (never copied into
dd4j): shenjiyuan123/AST-Alignment-with-Smooth-Expert, AngusDujw/FTD-distillation and
GeorgeCazenavette/mtt-distillation. Their modules are imported from there; where the piece
is inline code inside distill.py's main() (the balanced loss, the weight perturbation, the
intermediate matching) the statements are cut out of the parsed source with `ast` and
executed as they stand, on the inputs below. Pieces that exist only in a paper's text (the
paper's balanced factor, the filter-wise perturbation, the paper's gradient penalty) are
written here from the equation and marked "paper" in the fixture.

All tensors are small and stored in PyTorch's layout (conv weights OIHW, images NCHW); the
Java side permutes them.
"""
import argparse
import ast as pyast
import json
import math
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn


def stub_modules():
    """Top-level imports of the authors' files that these pieces never use."""
    for name in ["kornia", "tqdm", "wandb", "torchvision", "torchvision.utils",
                 "torchvision.datasets", "torchvision.transforms", "scipy",
                 "scipy.ndimage", "scipy.ndimage.interpolation"]:
        try:
            __import__(name)
        except Exception:
            sys.modules[name] = types.ModuleType(name)
    sys.modules["tqdm"].tqdm = getattr(sys.modules["tqdm"], "tqdm", lambda x, *a, **k: x)
    tv = sys.modules["torchvision"]
    for sub in ["utils", "datasets", "transforms"]:
        if not hasattr(tv, sub):
            setattr(tv, sub, sys.modules["torchvision." + sub])
    interp = sys.modules["scipy.ndimage.interpolation"]
    if not hasattr(interp, "rotate"):
        interp.rotate = None
    # AST's epoch_gp builds grad_outputs with .cuda(); keep it on the CPU
    torch.Tensor.cuda = lambda self, *a, **k: self


def import_from(directory, module, clear=()):
    for m in clear:
        sys.modules.pop(m, None)
    sys.path.insert(0, directory)
    try:
        return __import__(module)
    finally:
        sys.path.pop(0)


def main_body_source(path):
    """distill.py's source and the parsed body of its main()."""
    src = open(path).read()
    tree = pyast.parse(src)
    main = next(n for n in tree.body if isinstance(n, pyast.FunctionDef) and n.name == "main")
    return src, main


def find_node(src, root, kind, starts_with):
    for n in pyast.walk(root):
        if isinstance(n, kind):
            seg = pyast.get_source_segment(src, n)
            if seg.lstrip().startswith(starts_with):
                return n
    raise LookupError(starts_with)


def code_of(src, node):
    import textwrap
    seg = pyast.get_source_segment(src, node)
    # get_source_segment drops the first line's indentation only
    lines = seg.split("\n")
    first_indent = " " * node.col_offset
    return textwrap.dedent("\n".join([first_indent + lines[0]] + lines[1:]))


def tolist(t):
    return t.detach().double().reshape(-1).tolist()


def formula(n, a, b):
    """Deterministic values, computed the same way in the Java test (GoldenAstFtdTest)."""
    i = np.arange(n, dtype=np.float64)
    return np.sin(a * i + b) * 0.5 + 0.25 * np.cos(1.7 * a * i)


# ---------------------------------------------------------------------------------------
# 1. balanced inner-loss factor nu (AST distill.py, --balance_loss) and eq. 20 (paper)
def balanced(ast_dir):
    src, main = main_body_source(os.path.join(ast_dir, "distill.py"))
    block = code_of(src, find_node(src, main, pyast.If, "if args.balance_loss"))
    out = []
    for max_start in [1, 2, 3, 5, 10, 15, 20, 25, 30, 40]:
        code_nu, paper_nu = [], []
        for t in range(max_start):
            ns = {"math": math, "args": argparse.Namespace(balance_loss=True,
                                                          max_start_epoch=max_start),
                  "start_epoch": t, "ce_loss": 1.0}
            exec(block, ns)
            code_nu.append(ns["ce_loss"])
            middle = max_start / 2  # paper eq. 20, theta = 8, natural log
            l = math.log(abs(t - middle) + 8)
            paper_nu.append(l if t >= middle else 1 / l)
        out.append({"max_start_epoch": max_start, "code": code_nu, "paper": paper_nu})
    return out


# ---------------------------------------------------------------------------------------
# 2. weight perturbation with a given d (AST distill.py weightPerturb; eq. 23 for the paper)
PERTURB_SHAPES = [[4, 3, 3, 3], [4], [4, 4, 3, 3], [4], [3, 16], [3]]


def perturbation(ast_dir):
    src, main = main_body_source(os.path.join(ast_dir, "distill.py"))
    fn = code_of(src, find_node(src, main, pyast.FunctionDef, "def weightPerturb"))
    ns = {"torch": torch, "nn": nn}
    exec(fn, ns)
    weights, noises = [], []
    for k, shape in enumerate(PERTURB_SHAPES):
        n = int(np.prod(shape))
        weights.append(torch.tensor(formula(n, 0.37 + 0.11 * k, 0.2 * k), dtype=torch.float32)
                       .reshape(shape))
        noises.append(torch.tensor(formula(n, 1.13 + 0.07 * k, 0.5 + k), dtype=torch.float32)
                      .reshape(shape))
    queue = [d for d in noises if d.dim() == 4]
    real_normal = torch.normal

    def given_normal(mean=0, std=1, size=None, **kw):
        d = queue.pop(0)
        assert list(d.shape) == list(size), (d.shape, size)
        return d.clone()

    torch.normal = given_normal
    try:
        code_out = ns["weightPerturb"]([w.clone() for w in weights], alpha=1)
    finally:
        torch.normal = real_normal
    assert not queue
    rho = 0.1
    paper_out = []
    for w, d in zip(weights, noises):
        if w.dim() != 4:
            paper_out.append(w.clone())
            continue
        w64, d64 = w.double(), d.double()
        o = w64.clone()
        for j in range(w.shape[0]):  # filter j = output channel (OIHW)
            dj = d64[j] / d64[j].norm() * w64[j].norm()
            o[j] = w64[j] + rho * dj
        paper_out.append(o)
    return {"shapes": PERTURB_SHAPES, "w": [tolist(w) for w in weights],
            "d": [tolist(d) for d in noises], "code_alpha": 1.0,
            "code": [tolist(o) for o in code_out], "paper_rho": rho,
            "paper": [tolist(o) for o in paper_out]}


# ---------------------------------------------------------------------------------------
# 3. intermediate matching (AST distill.py --agg_middle_loss / --adaptive_middle_loss)
def intermediate(ast_dir):
    src, main = main_body_source(os.path.join(ast_dir, "distill.py"))
    setup = code_of(src, find_node(src, main, pyast.For, "for i in range(args.expert_epochs-1)"))
    per_step = code_of(src, find_node(src, main, pyast.If, "if step+1 in match_pool"))
    body = src.split("\n")
    start = next(i for i, l in enumerate(body) if "param_loss = torch.tensor(0.0)" in l)
    end = next(i for i, l in enumerate(body) if "optimizer_img.zero_grad()" in l and i > start)
    import textwrap
    final = textwrap.dedent("\n".join(l for l in body[start:end] if "wandb" not in l))
    cases = []
    P = 7
    for n_steps, m_epochs in [(6, 2), (6, 3), (5, 3), (10, 4), (4, 1)]:
        for mode in ["agg", "adaptive"]:
            start_epoch = 1
            traj = [[torch.tensor(formula(P, 0.3 + 0.1 * e, 0.4 * e), dtype=torch.float32)]
                    for e in range(start_epoch + m_epochs + 1)]
            starting = torch.tensor(formula(P, 0.91, 2.0), dtype=torch.float32)
            student = [starting] + [torch.tensor(formula(P, 0.5 + 0.05 * s, 1.0 + s),
                                                 dtype=torch.float32)
                                    for s in range(1, n_steps + 1)]
            args = argparse.Namespace(expert_epochs=m_epochs, syn_steps=n_steps,
                                      device="cpu", agg_middle_loss=(mode == "agg"),
                                      adaptive_middle_loss=(mode == "adaptive"))
            ns = {"torch": torch, "args": args, "expert_trajectory": traj,
                  "start_epoch": start_epoch, "student_to_target": {}, "match_pool": [],
                  "middle_params": [], "middle_loss": [], "starting_params": starting,
                  "target_params": traj[start_epoch + m_epochs][0].clone(),
                  "param_loss_list": [], "param_dist_list": []}
            exec(setup, ns)
            points = list(ns["match_pool"])
            for step in range(n_steps):
                ns["step"] = step
                ns["student_params"] = student[:step + 2]
                exec(per_step, ns)
            exec(final, ns)
            cases.append({"syn_steps": n_steps, "expert_epochs": m_epochs, "weights": mode,
                          "match_pool": points, "start": tolist(starting),
                          "expert": [tolist(traj[start_epoch + k][0])
                                     for k in range(m_epochs + 1)],
                          "student": [tolist(s) for s in student],
                          "loss": float(ns["grand_loss"])})
    return {"params": P, "cases": cases}


# ---------------------------------------------------------------------------------------
# 4. expert steps on a small MLP: NCHW [B, 3, 4, 4] -> NHWC flatten -> W1 [48, 8] -> relu
#    -> W2 [8, 3]; the parameters in dd4j's orientation, so the flat vectors agree.
B, C, H, W, HIDDEN, CLASSES = 6, 3, 4, 4, 8, 3
D = H * W * C


class Mlp(nn.Module):
    def __init__(self, flat):
        super().__init__()
        flat = torch.tensor(flat, dtype=torch.float32)
        sizes = [D * HIDDEN, HIDDEN, HIDDEN * CLASSES, CLASSES]
        parts = torch.split(flat, sizes)
        self.w1 = nn.Parameter(parts[0].reshape(D, HIDDEN).clone())
        self.b1 = nn.Parameter(parts[1].clone())
        self.w2 = nn.Parameter(parts[2].reshape(HIDDEN, CLASSES).clone())
        self.b2 = nn.Parameter(parts[3].clone())

    def forward(self, x):  # x: [B, C, H, W]
        h = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # [B, H*W*C], NHWC order
        return torch.relu(h @ self.w1 + self.b1) @ self.w2 + self.b2  # [B, K]

    def flat(self):
        return torch.cat([p.detach().reshape(-1) for p in self.parameters()])


def mlp_inputs():
    n_params = D * HIDDEN + HIDDEN + HIDDEN * CLASSES + CLASSES
    w0 = formula(n_params, 0.173, 0.3) * 0.6
    x_nhwc = formula(B * D, 0.291, 0.9).reshape(B, H, W, C)
    labels = [i % CLASSES for i in range(B)]
    x = torch.tensor(x_nhwc, dtype=torch.float32).permute(0, 3, 1, 2).contiguous()
    return w0, x, torch.tensor(labels, dtype=torch.long), labels


def ast_steps(ast_dir):
    stub_modules()
    utils = import_from(ast_dir, "utils", clear=("utils", "networks"))
    buffer_src = open(os.path.join(ast_dir, "buffer.py")).read()
    decay_node = find_node(buffer_src, pyast.parse(buffer_src), pyast.Assign, "loss_decay = [")
    code_ramp = pyast.literal_eval(decay_node.value)
    w0, x, y, labels = mlp_inputs()
    lr, mom, wd = 0.05, 0.9, 0.001
    args = argparse.Namespace(device="cpu", dataset="CIFAR10", dsa=False, dc_aug_param=None)
    out = {"w0": w0.tolist(), "labels": labels, "lr": lr, "momentum": mom,
           "weight_decay": wd, "code_ramp": code_ramp, "steps": []}
    for epoch in [0, 3, 12]:
        # the code: epoch_gp (per-pixel norm over channels, LAMBDA 2) with loss_decay
        scale = code_ramp[epoch] if epoch < len(code_ramp) else 1
        net = Mlp(w0)
        opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=mom, weight_decay=wd)
        utils.epoch_gp("train", loss_decay=scale, dataloader=[(x, y)], net=net, optimizer=opt,
                       criterion=nn.CrossEntropyLoss(), args=args, aug=False)
        code_w1 = net.flat()
        # the paper (eq. 19): lambda_e ramps 0.5 -> 1 over 5 epochs; per-sample norm; mu 1
        paper_scale = min(1.0, 0.5 + 0.5 * epoch / 5)
        net = Mlp(w0)
        opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=mom, weight_decay=wd)
        xg = x.clone().requires_grad_(True)
        ce = nn.CrossEntropyLoss()(net(x), y) * paper_scale
        out_gp = net(xg)
        g = torch.autograd.grad(out_gp, xg, grad_outputs=torch.ones_like(out_gp),
                                create_graph=True)[0]
        gp = ((g.reshape(B, -1).norm(dim=1) - 1) ** 2).mean() * 1.0
        opt.zero_grad()
        (ce + gp).backward()
        opt.step()
        out["steps"].append({"epoch": epoch, "code_scale": scale, "code": tolist(code_w1),
                             "paper_scale": paper_scale, "paper": tolist(net.flat())})
    return out


def gsam_steps(ftd_dir):
    # run_buffer.sh's rho with buffer_FTD.py's alpha default; a large rho to tell GSAM from SGD
    return [gsam_step(ftd_dir, 0.01, 0.4), gsam_step(ftd_dir, 0.5, 0.3)]


def gsam_step(ftd_dir, rho, alpha):
    stub_modules()
    gsam = import_from(os.path.join(ftd_dir, "buffer"), "gsam", clear=("gsam",))
    w0, x, y, labels = mlp_inputs()
    lr = 0.05
    net = Mlp(w0)
    base = torch.optim.SGD(net.parameters(), lr=lr, momentum=0, weight_decay=0)
    sched = torch.optim.lr_scheduler.StepLR(base, step_size=50, gamma=1)
    rho_s = gsam.ProportionScheduler(pytorch_lr_scheduler=sched, max_lr=lr, min_lr=lr,
                                     max_value=rho, min_value=rho)
    opt = gsam.GSAM(params=net.parameters(), base_optimizer=base, model=net, gsam_alpha=alpha,
                    rho_scheduler=rho_s, adaptive=True)
    opt.set_closure(lambda out, lab: nn.CrossEntropyLoss()(out, lab), x, y)
    opt.step()
    sgd = Mlp(w0)
    nn.CrossEntropyLoss()(sgd(x), y).backward()
    plain = torch.cat([(p - lr * p.grad).detach().reshape(-1) for p in sgd.parameters()])
    return {"w0": w0.tolist(), "labels": labels, "lr": lr, "rho": rho, "alpha": alpha,
            "adaptive": True, "after": tolist(net.flat()), "sgd_after": tolist(plain)}


def image_ema(ftd_dir):
    model_ema = import_from(os.path.join(ftd_dir, "distill"), "model_ema",
                            clear=("model_ema",))
    n = 2 * 3 * 4 * 4
    images = [torch.tensor(formula(n, 0.21 + 0.05 * s, s), dtype=torch.float32)
              .reshape(2, 3, 4, 4) for s in range(4)]
    out = {"decay": 0.9995, "images": [tolist(i) for i in images], "ema": []}
    for decay in [0.9995, 0.9]:
        ema = model_ema.ModelEmaV2([images[0].clone()], decay=decay)
        seq = []
        for s in range(1, 4):
            ema.update([images[s]])
            seq.append(tolist(ema.module[0]))
        out["ema"].append({"decay": decay, "after_updates": seq})
    return out


def evaluation_schedule(mtt_dir):
    """MTT's evaluate_synset: lr and momentum state at the start of every pass."""
    stub_modules()
    utils = import_from(mtt_dir, "utils", clear=("utils", "networks"))
    real_epoch = utils.epoch
    out = []
    for E in [1, 2, 3, 4, 7, 10]:
        record = []

        def spy(mode, dataloader, net, optimizer, criterion, args, aug, texture=False):
            if mode == "train":
                state = [optimizer.state[p].get("momentum_buffer") for p in net.parameters()]
                record.append({"lr": optimizer.param_groups[0]["lr"],
                               "momentum_fresh": all(s is None for s in state),
                               "optimizer": id(optimizer)})
            return real_epoch(mode, dataloader, net, optimizer, criterion, args, aug,
                              texture=texture)

        utils.epoch = spy
        w0, x, y, _ = mlp_inputs()
        args = argparse.Namespace(lr_net=0.01, epoch_eval_train=E, batch_train=256,
                                  device="cpu", dataset="CIFAR10", dsa=False,
                                  dc_aug_param=None)
        utils.evaluate_synset(0, Mlp(w0), x, y, [(x, y)], args)
        utils.epoch = real_epoch
        ids = [r["optimizer"] for r in record]
        out.append({"epoch_eval_train": E, "passes": len(record),
                    "lr": [r["lr"] for r in record],
                    "momentum_fresh": [r["momentum_fresh"] for r in record],
                    "new_optimizer": [i > 0 and ids[i] != ids[i - 1]
                                      for i in range(len(ids))]})
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ast", required=True)
    p.add_argument("--ftd", required=True)
    p.add_argument("--mtt", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    torch.set_default_dtype(torch.float32)
    stub_modules()
    fixture = {
        "generator": "tools/golden/ast_pieces.py",
        "torch": torch.__version__,
        "sources": {"ast": "shenjiyuan123/AST-Alignment-with-Smooth-Expert",
                    "ftd": "AngusDujw/FTD-distillation",
                    "mtt": "GeorgeCazenavette/mtt-distillation"},
        "mlp": {"batch": B, "height": H, "width": W, "channels": C, "hidden": HIDDEN,
                "classes": CLASSES},
        "balanced": balanced(a.ast),
        "perturbation": perturbation(a.ast),
        "intermediate": intermediate(a.ast),
        "ast_step": ast_steps(a.ast),
        "gsam_steps": gsam_steps(a.ftd),
        "image_ema": image_ema(a.ftd),
        "evaluation": evaluation_schedule(a.mtt),
    }
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    def rounded(v):  # 9 significant digits: float32 exactly, float64 to 1e-9
        if isinstance(v, float):
            return float("%.9g" % v)
        if isinstance(v, list):
            return [rounded(e) for e in v]
        if isinstance(v, dict):
            return {k: rounded(e) for k, e in v.items()}
        return v

    with open(a.out, "w") as f:
        json.dump(rounded(fixture), f, separators=(",", ":"))
        f.write("\n")
    print("wrote", a.out, os.path.getsize(a.out), "bytes")


if __name__ == "__main__":
    main()
