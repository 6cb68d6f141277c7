#!/usr/bin/python3
"""Golden values of ONE MTT distillation iteration, computed by the MTT authors' own code.

Runs the inner loop and matching loss of GeorgeCazenavette/mtt-distillation's distill.py
(lines 294-393 of commit 50dccea) with their ReparamModule (reparam_module.py) around their
ConvNet (networks.py) on fixed inputs, and writes the matching loss, d loss / d syn_lr and
d loss / d images to framework/src/test/resources/golden/mtt-iteration.json for
GoldenMttIterationTest. See README-mtt-iteration.md.

Their code is imported from a checkout outside dd4j (--mtt-dir), never copied.
distill.py is a script, so this file drives their modules in the order its loop does; each
block below names the distill.py lines it follows. Deviations (all inputs fixed instead of
drawn): the expert start/target parameters and the images come from the formulas below
(also computed by the Java test), and torch.randperm is replaced by the given permutations.

Usage: /usr/bin/python3 tools/golden/mtt_iteration.py --mtt-dir /tmp/mtt [--out FILE]
"""
import argparse
import json
import math
import os
import sys

import torch

# Fixed small problem: ConvNet-3 (width 16, instance norm, ReLU, avg pooling) on 32x32x3,
# 10 classes, ipc 2 (n = 20), M = 2 expert epochs, no DSA, no ZCA, no texture.
CLASSES, IPC, CHANNELS, SIDE, WIDTH, DEPTH, EXPERT_EPOCHS = 10, 2, 3, 32, 16, 3, 2
SYN_LR = 0.02
# Every 23rd value of d loss / d images (NCHW flat order) is stored; all of it is summarised
# by per-image L2 norms.
SAMPLE_STRIDE = 23

CASES = [
    # batch_syn = all: one chunk per permutation, N = 3
    dict(name="batch-all", batch_syn=20, syn_steps=3, permutations=[
        [7, 3, 15, 0, 19, 11, 4, 8, 16, 1, 12, 5, 18, 9, 2, 14, 6, 17, 10, 13],
        [2, 9, 0, 13, 5, 17, 11, 6, 19, 3, 15, 8, 1, 12, 7, 18, 4, 10, 16, 14],
        [11, 0, 6, 19, 3, 14, 8, 1, 17, 5, 12, 9, 15, 2, 18, 7, 13, 4, 16, 10]]),
    # batch_syn = 6 does not divide 20: chunks 6, 6, 6, 2, popped 2, 6, 6, 6; then a new
    # permutation: 2. N = 5.
    dict(name="batch-remainder", batch_syn=6, syn_steps=5, permutations=[
        [7, 3, 15, 0, 19, 11, 4, 8, 16, 1, 12, 5, 18, 9, 2, 14, 6, 17, 10, 13],
        [2, 9, 0, 13, 5, 17, 11, 6, 19, 3, 15, 8, 1, 12, 7, 18, 4, 10, 16, 14]]),
]


def image_value(i):
    """Synthetic pixel i, i the flat index in NCHW order (rounded to float32 by the caller)."""
    return 1.2 * math.sin(0.731 * i + 0.25) + 0.3 * math.cos(0.0173 * i)


def param_values(k, name, shape):
    """Start and displacement of PyTorch parameter tensor k (named_parameters order) with
    the given name and shape, element j in row-major order of that shape."""
    numel = math.prod(shape)
    if len(shape) >= 2:  # conv [out, in, kh, kw] or linear [out, in]
        scale = 1.0 / math.sqrt(numel / shape[0])
        start = [scale * math.sin(1.37 * j + 0.61 * k + 0.2) for j in range(numel)]
    elif name.endswith("weight"):  # a 1-D weight: GroupNorm's affine scale
        scale = 0.1
        start = [1.0 + 0.1 * math.sin(0.53 * j + 0.61 * k) for j in range(numel)]
    else:  # a bias
        scale = 0.1
        start = [0.1 * math.cos(0.91 * j + 0.61 * k) for j in range(numel)]
    delta = [0.05 * scale * math.cos(0.917 * j + 0.3 * k + 0.1) for j in range(numel)]
    return start, delta


def f32(values):
    return torch.tensor(values, dtype=torch.float32)


def run_case(case, dtype, ConvNet, ReparamModule):
    n = CLASSES * IPC
    # distill.py 111: label_syn = [0,0, 1,1, ..., 9,9]
    label_syn = torch.tensor([[i] * IPC for i in range(CLASSES)], dtype=torch.long).view(-1)
    image_syn = f32([image_value(i) for i in range(n * CHANNELS * SIDE * SIDE)]).view(
        n, CHANNELS, SIDE, SIDE).to(dtype)
    image_syn = image_syn.detach().requires_grad_(True)
    syn_lr = torch.tensor(SYN_LR, dtype=torch.float32).to(dtype).detach().requires_grad_(True)
    criterion = torch.nn.CrossEntropyLoss()  # distill.py 142

    # distill.py 294-303: the student network, reparametrised with one flat parameter vector
    net = ConvNet(channel=CHANNELS, num_classes=CLASSES, net_width=WIDTH, net_depth=DEPTH,
                  net_act='relu', net_norm='instancenorm', net_pooling='avgpooling',
                  im_size=(SIDE, SIDE)).to(dtype)
    student_net = ReparamModule(net)
    student_net.train()
    num_params = sum([math.prod(p.size()) for p in student_net.parameters()])
    # The expert's snapshots traj[t] and traj[t + M] as lists of tensors in named_parameters
    # order (what buffer.py saves), from the formula instead of a buffer file.
    shapes = [tuple(s) for s in student_net._param_shapes]
    names = ["%s.%s" % info for info in student_net._param_infos]
    starting_params, target_params = [], []
    for k, s in enumerate(shapes):
        start, delta = param_values(k, names[k], s)
        start32 = f32(start)
        starting_params.append(start32.view(s).to(dtype))
        target_params.append((start32 + f32(delta)).view(s).to(dtype))

    # distill.py 327-332
    target_params = torch.cat([p.data.reshape(-1) for p in target_params], 0)
    student_params = [torch.cat([p.data.reshape(-1) for p in starting_params], 0)
                      .requires_grad_(True)]
    starting_params = torch.cat([p.data.reshape(-1) for p in starting_params], 0)
    syn_images = image_syn
    y_hat = label_syn

    # distill.py 340-370: the inner loop (no texture, no DSA, not distributed)
    indices_chunks = []
    permutations = [torch.tensor(p, dtype=torch.long) for p in case["permutations"]]
    taken = []
    for step in range(case["syn_steps"]):
        if not indices_chunks:
            indices = permutations.pop(0)  # distill.py 345: torch.randperm(len(syn_images))
            indices_chunks = list(torch.split(indices, case["batch_syn"]))
        these_indices = indices_chunks.pop()
        taken.append(these_indices.tolist())
        x = syn_images[these_indices]
        this_y = y_hat[these_indices]
        forward_params = student_params[-1]
        x = student_net(x, flat_param=forward_params)
        ce_loss = criterion(x, this_y)
        grad = torch.autograd.grad(ce_loss, student_params[-1], create_graph=True)[0]
        student_params.append(student_params[-1] - syn_lr * grad)
    assert not permutations, "a given permutation was not used"

    # distill.py 373-393: the normalized parameter distance and its backward pass
    param_loss = torch.tensor(0.0, dtype=dtype)
    param_dist = torch.tensor(0.0, dtype=dtype)
    param_loss += torch.nn.functional.mse_loss(student_params[-1], target_params, reduction="sum")
    param_dist += torch.nn.functional.mse_loss(starting_params, target_params, reduction="sum")
    param_loss /= num_params
    param_dist /= num_params
    param_loss /= param_dist
    grand_loss = param_loss
    grand_loss.backward()
    return dict(loss=grand_loss.item(), lr_grad=syn_lr.grad.item(),
                image_grad=image_syn.grad.detach().double(), taken=taken,
                start=starting_params.double(), target=target_params.double(),
                images=image_syn.detach().double(), names=names, shapes=shapes)


def dumps(value, indent):
    """JSON with one key per line and every list on one line (small, readable diffs)."""
    if isinstance(value, dict):
        inner = indent + " "
        items = ['%s%s: %s' % (inner, json.dumps(k), dumps(v, inner)) for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and isinstance(value[0], dict):
        inner = indent + " "
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtt-dir", required=True,
                    help="a checkout of GeorgeCazenavette/mtt-distillation")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..",
                    "framework", "src", "test", "resources", "golden", "mtt-iteration.json"))
    args = ap.parse_args()
    sys.path.insert(0, args.mtt_dir)
    from networks import ConvNet  # their modules; networks.py and reparam_module.py
    from reparam_module import ReparamModule  # import only torch

    torch.set_num_threads(1)
    out = dict(
        source="GeorgeCazenavette/mtt-distillation distill.py 294-393, reparam_module.py, "
               "networks.py ConvNet; generated by tools/golden/mtt_iteration.py",
        classes=CLASSES, ipc=IPC, image_shape_nchw=[CLASSES * IPC, CHANNELS, SIDE, SIDE],
        width=WIDTH, depth=DEPTH, expert_epochs=EXPERT_EPOCHS, syn_lr=SYN_LR,
        sample_stride=SAMPLE_STRIDE, cases=[])
    for case in CASES:
        ref = run_case(case, torch.float64, ConvNet, ReparamModule)
        r32 = run_case(case, torch.float32, ConvNet, ReparamModule)
        g, g32 = ref["image_grad"], r32["image_grad"]
        flat = g.reshape(-1)
        n = g.shape[0]
        print("%s: loss %.8f (float32 %.8f), dL/dsyn_lr %.8e (float32 %.8e), |dL/dx| %.4e, "
              "float32 vs float64: max |diff| / max |g| = %.2e" % (
                  case["name"], ref["loss"], r32["loss"], ref["lr_grad"], r32["lr_grad"],
                  flat.norm().item(), ((g - g32).abs().max() / g.abs().max()).item()))
        out["cases"].append(dict(
            name=case["name"], batch_syn=case["batch_syn"], syn_steps=case["syn_steps"],
            permutations=case["permutations"], step_indices=ref["taken"],
            torch_params=[dict(name=nm, shape=list(s)) for nm, s in
                          zip(ref["names"], ref["shapes"])],
            checks=dict(sum_images=ref["images"].sum().item(),
                        sum_abs_start=ref["start"].abs().sum().item(),
                        sum_abs_target=ref["target"].abs().sum().item()),
            loss=ref["loss"], lr_grad=ref["lr_grad"],
            loss_float32=r32["loss"], lr_grad_float32=r32["lr_grad"],
            image_grad_l2_per_image=[g[i].norm().item() for i in range(n)],
            image_grad_samples=[float("%.9g" % v) for v in flat[::SAMPLE_STRIDE].tolist()]))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(dumps(out, ""))
        f.write("\n")
    print("wrote", os.path.abspath(args.out), os.path.getsize(args.out), "bytes")


if __name__ == "__main__":
    main()
