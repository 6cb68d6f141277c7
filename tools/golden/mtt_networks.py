"""Golden logits of MTT's networks (networks.py / utils.get_network) for dd4j's
GoldenNetworksTest. See README.md in this folder.

Usage: /usr/bin/python3 tools/golden/mtt_networks.py --mtt /tmp/mtt --commit HASH \
           [--out framework/src/test/resources/golden/mtt_networks.json]
"""

import argparse
import os

import golden_common as gc

# dd4j name -> how the authors' code builds it; (channels, size) of the input
CASES = [
    ("convnet", "get_network('ConvNet', 3, 10)", 3, 32),
    ("convnet", "get_network('ConvNet', 1, 10, im_size=(28, 28))", 1, 28),
    ("alexnet", "get_network('AlexNet', 3, 10)", 3, 32),
    ("vgg11", "get_network('VGG11', 3, 10)", 3, 32),
    ("vgg11-bn", "get_network('VGG11BN', 3, 10)", 3, 32),
    ("resnet18", "get_network('ResNet18', 3, 10)", 3, 32),
    # get_network has no 'ResNet18BN'; networks.py defines it
    ("resnet18-bn", "networks.ResNet18BN(3, 10)", 3, 32),
    ("resnet18-ap", "get_network('ResNet18_AP', 3, 10)", 3, 32),
    ("resnet18-bn-ap", "get_network('ResNet18BN_AP', 3, 10)", 3, 32),
]
BATCH = 2
CLASSES = 10


def param_rule(net, name, tensor, k):
    """(base, amp, phase) of parameter k: He-like amplitude for weights (the sine's RMS is
    amp / sqrt 2, so amp = 2 / sqrt(fan_in) keeps activations O(1) without norm layers),
    norm scales near 1, small biases."""
    import torch.nn as nn
    phase = 0.91 * k + 0.5
    if tensor.dim() >= 2:
        fan_in = tensor[0].numel()
        return 0.0, 2.0 / fan_in ** 0.5, phase
    owner = net.get_submodule(name.rsplit(".", 1)[0])
    if isinstance(owner, (nn.GroupNorm, nn.BatchNorm2d)) and name.endswith("weight"):
        return 1.0, 0.2, phase
    return 0.0, 0.1, phase


def state_rule(name, k):
    phase = 0.53 * k + 0.1
    if name.endswith("running_mean"):
        return 0.0, 0.2, phase
    return 1.0, 0.5, phase  # running_var in [0.5, 1.5]


def set_weights(net):
    import torch
    params, state = [], []
    with torch.no_grad():
        for k, (name, p) in enumerate(net.named_parameters()):
            base, amp, phase = param_rule(net, name, p, k)
            p.copy_(gc.formula_tensor(tuple(p.shape), base, amp, phase))
            params.append({"name": name, "shape": list(p.shape), "base": base, "amp": amp,
                           "phase": phase})
        k = 0
        for name, b in net.named_buffers():
            if name.endswith("num_batches_tracked"):
                continue
            base, amp, phase = state_rule(name, k)
            b.copy_(gc.formula_tensor(tuple(b.shape), base, amp, phase))
            state.append({"name": name, "shape": list(b.shape), "base": base, "amp": amp,
                          "phase": phase})
            k += 1
    return params, state


def logits(net, x, train):
    import copy
    import torch
    out = {}
    for dtype, key in ((torch.float32, "float32"), (torch.float64, "float64")):
        m = copy.deepcopy(net).to(dtype)
        m.train(train)
        with torch.no_grad():
            out[key] = m(x.to(dtype))
    rel = ((out["float32"].double() - out["float64"]).abs().max()
           / out["float64"].abs().max()).item()
    return out, rel


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mtt", default=os.environ.get("MTT_DIR", "/tmp/mtt"))
    ap.add_argument("--commit", default=os.environ.get("MTT_COMMIT"))
    ap.add_argument("--out", default="framework/src/test/resources/golden/mtt_networks.json")
    args = ap.parse_args()
    utils, networks = gc.import_mtt(args.mtt)
    import torch
    torch.set_num_threads(2)
    get_network = utils.get_network  # noqa: F841  (used by eval of the case strings)

    cases = []
    for dd4j_name, build, channels, size in CASES:
        net = eval(build, {"get_network": get_network, "networks": networks})
        net = net.to("cpu")
        params, state = set_weights(net)
        x = gc.formula_images(BATCH, channels, size, size)
        train, rel_train = logits(net, x, True)
        case = {"dd4j": dd4j_name, "reference": build, "channels": channels, "height": size,
                "width": size, "classes": CLASSES, "params": params, "state": state,
                "train_float32": gc.f32(train["float32"]),
                "train_float64": gc.f32(train["float64"])}
        msg = f"{dd4j_name} {channels}x{size}x{size}: {len(params)} tensors, " \
              f"float32 vs float64 (train) {rel_train:.1e}"
        if state:
            ev, rel_eval = logits(net, x, False)
            case["eval_float32"] = gc.f32(ev["float32"])
            case["eval_float64"] = gc.f32(ev["float64"])
            msg += f", (eval) {rel_eval:.1e}"
        print(msg)
        cases.append(case)

    gc.write_json(args.out, {
        "generator": "tools/golden/mtt_networks.py",
        "source": gc.source_info(args.commit, "GeorgeCazenavette/mtt-distillation"),
        "torch": torch.__version__,
        "weight_formula": gc.WEIGHT_FORMULA,
        "input_formula": gc.IMAGE_FORMULA,
        "batch": BATCH,
        "train": "PyTorch train(): batch norm on batch statistics",
        "eval": "PyTorch eval(): batch norm on the running statistics of 'state'",
        "cases": cases,
    })


if __name__ == "__main__":
    main()
