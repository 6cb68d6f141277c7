"""PyTorch .pt fixtures for dd4j's interop tests (org.dd4j.interop). See README-interop.md.

Writes into --out (default framework/src/test/resources/interop/):
  snapshot-ARCH.pt.gz.gz per architecture family of the pool: torch.save of [[params]], one
                         expert with one snapshot, laid out as MTT's buffer.py saves
                         experts (a list of net.parameters() tensors), gzip-compressed
                         twice (the first pass leaves a periodic stream)
  snapshots.json         per dd4j model name: which snapshot file, the input shape, and the
                         logits of MTT's network (networks.py via utils.get_network, train()
                         mode) on a fixed batch, in float32 and in float64 (the same float32
                         weights and images)
  images_best.pt, labels_best.pt, lr_best.pt   a tiny distilled set as MTT's distill.py and
                         DATM save it (NCHW float32 images in the normalized space, int64
                         hard labels, syn_lr as a 0-d tensor)
  labels_logits_best.pt  DATM's soft labels: float32 label logits [n, C]
  half.pt                a float16 tensor (an unsupported dtype)
  legacy.pt              a tensor saved in the legacy non-zip format (torch < 1.6)
  malicious.pt           a pickle whose object's __reduce__ calls os.system (never loaded
                         here; dd4j must refuse it naming posix.system)

Weights: element j of each tensor (row-major in PyTorch's shape) is
  base + amp * sin(phase + 0.0959 h_j),  h_j = (7 j^2 + 3 j) mod 251,
float64 rounded to float32, with (base, amp, phase) from mtt_networks.param_rule. The period
251 (a prime, so no tensor dimension divides it) lets gzip, applied twice, shrink the 44 MB
of ResNet18 to a few KB, while every transposition error still changes the logits.

Usage: /usr/bin/python3 tools/golden/pt_fixtures.py --mtt /tmp/mtt [--out DIR]
"""

import argparse
import copy
import gzip
import io
import json
import os

import golden_common as gc

PERIOD = 251
BATCH = 4

# (dd4j name, snapshot file family, how MTT builds it, channels, size)
CASES = [
    ("convnet-w8", "convnet-w8", "networks.ConvNet(1, 10, 8, 3, 'relu', 'instancenorm',"
     " 'avgpooling', (28, 28))", 1, 28),
    ("convnet-w8-bn", "convnet-w8", "networks.ConvNet(1, 10, 8, 3, 'relu', 'batchnorm',"
     " 'avgpooling', (28, 28))", 1, 28),
    ("convnet-w8-nn", "convnet-w8-nn", "networks.ConvNet(1, 10, 8, 3, 'relu', 'none',"
     " 'avgpooling', (28, 28))", 1, 28),
    ("alexnet", "alexnet", "utils.get_network('AlexNet', 3, 10)", 3, 32),
    ("vgg11", "vgg11", "utils.get_network('VGG11', 3, 10)", 3, 32),
    ("vgg11-bn", "vgg11", "utils.get_network('VGG11BN', 3, 10)", 3, 32),
    ("resnet18", "resnet18", "utils.get_network('ResNet18', 3, 10)", 3, 32),
    ("resnet18-bn", "resnet18", "networks.ResNet18BN(3, 10)", 3, 32),
    ("resnet18-ap", "resnet18-ap", "utils.get_network('ResNet18_AP', 3, 10)", 3, 32),
    ("resnet18-bn-ap", "resnet18-ap", "utils.get_network('ResNet18BN_AP', 3, 10)", 3, 32),
]


def periodic_tensor(shape, base, amp, phase):
    import torch
    n = 1
    for d in shape:
        n *= d
    j = torch.arange(n, dtype=torch.int64) % PERIOD
    h = (7 * j * j + 3 * j) % PERIOD
    return (base + amp * torch.sin(phase + 0.0959 * h.to(torch.float64))).to(
        torch.float32).reshape(shape)


def save_gz(obj, path):
    import torch
    raw = io.BytesIO()
    torch.save(obj, raw)
    with open(path, "wb") as f:
        f.write(gzip.compress(gzip.compress(raw.getvalue(), 9), 9))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtt", default=os.environ.get("MTT_DIR", "/tmp/mtt"))
    ap.add_argument("--commit", default="50dccea47ba48b9cfb3b9c59375d7da92e4e603b")
    ap.add_argument("--data", default=os.environ.get("DD4J_FASHION_MNIST",
                                                     "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..",
                                                  "framework", "src", "test", "resources",
                                                  "interop"))
    a = ap.parse_args()
    import torch
    torch.set_num_threads(2)
    utils, networks = gc.import_mtt(a.mtt)
    import mtt_networks
    os.makedirs(a.out, exist_ok=True)

    cases = {}
    written = set()
    for name, family, expr, channels, size in CASES:
        torch.random.manual_seed(0)
        net = eval(expr, {"utils": utils, "networks": networks})
        with torch.no_grad():
            for k, (pname, p) in enumerate(net.named_parameters()):
                base, amp, phase = mtt_networks.param_rule(net, pname, p, k)
                p.copy_(periodic_tensor(tuple(p.shape), base, amp, phase))
        params = [p.detach().clone() for p in net.parameters()]
        path = os.path.join(a.out, f"snapshot-{family}.pt.gz.gz")
        if family not in written:
            save_gz([[params]], path)  # one expert, one snapshot, as buffer.py's layout
            written.add(family)
        else:  # a variant sharing the family's shapes must share its values too
            import pickle  # noqa: F401  (torch.load below reads our own file)
            with open(path, "rb") as f:
                saved = torch.load(io.BytesIO(gzip.decompress(gzip.decompress(f.read()))))
            saved = saved[0][0]
            assert all(torch.equal(s, p) for s, p in zip(saved, params)), name
        x = gc.formula_images(BATCH, channels, size, size)
        net.train()
        with torch.no_grad():
            logits = net(x)
            logits64 = copy.deepcopy(net).double()(x.double())  # same float32 weights
        cases[name] = {"reference": expr, "snapshot": os.path.basename(path),
                       "channels": channels, "height": size, "width": size,
                       "classes": 10, "params": len(params),
                       "logits": [[float(v) for v in row] for row in logits],
                       "logits_float64": [[float(v) for v in row] for row in logits64],
                       "torch_float32_vs_float64": float((logits.double() - logits64)
                                                         .abs().max())}
        print(f"{name}: {sum(p.numel() for p in params):,} parameters, "
              f"max |logit| {logits.abs().max():.3f}")

    with open(os.path.join(a.out, "snapshots.json"), "w") as f:
        json.dump({"generator": "tools/golden/pt_fixtures.py", "commit": a.commit,
                   "torch": torch.__version__, "batch": BATCH, "mode": "train",
                   "weights": f"base + amp sin(phase + 0.0959 h_j), h_j = (7 j^2 + 3 j) mod"
                              f" {PERIOD}, (base, amp, phase) as mtt_networks.param_rule",
                   "images": gc.IMAGE_FORMULA, "cases": cases}, f, indent=1)
        f.write("\n")

    # A tiny distilled set: the first image of each class of Fashion-MNIST, normalized as
    # dd4j's normalize-reference, class-major as distill.py's image_syn.
    import mtt_buffer
    x, y = mtt_buffer.fashion_mnist(a.data, "train", 1000)
    first = [int((y == c).nonzero()[0]) for c in range(10)]
    images = x[first].clone()
    torch.save(images, os.path.join(a.out, "images_best.pt"))
    labels = torch.arange(10, dtype=torch.long)
    torch.save(labels, os.path.join(a.out, "labels_best.pt"))
    syn_lr = torch.tensor(0.01).requires_grad_(True)  # distill.py's learnable syn_lr
    torch.save(syn_lr.detach().cpu(), os.path.join(a.out, "lr_best.pt"))
    logits = (torch.eye(10) * 3.0 + 0.1 * torch.arange(100, dtype=torch.float32)
              .reshape(10, 10).sin())
    torch.save(logits.requires_grad_(True), os.path.join(a.out, "labels_logits_best.pt"))
    torch.save(images.half(), os.path.join(a.out, "half.pt"))
    torch.save(labels, os.path.join(a.out, "legacy.pt"), _use_new_zipfile_serialization=False)

    class Malicious:
        def __reduce__(self):
            return (os.system, ("echo dd4j-must-not-run-this > /tmp/dd4j-pwned",))

    torch.save([Malicious()], os.path.join(a.out, "malicious.pt"))
    for f in sorted(os.listdir(a.out)):
        print(f"wrote {os.path.join(a.out, f)} ({os.path.getsize(os.path.join(a.out, f))} bytes)")


if __name__ == "__main__":
    main()
