"""An expert buffer trained by MTT's own buffer.py, for dd4j's import tests and the
by-hand comparison in docs/results.md. See README-interop.md in this folder.

Runs buffer.py's main() unchanged (its training loop, its torch.save of the list of experts,
each a list of epoch snapshots of net.parameters()) on Fashion-MNIST read from the IDX files
that dd4j reads, normalized with the constants dd4j uses (normalize-reference: mean 0.2861,
std 0.3530). Three things are patched from outside, none of them in the training loop:
  - get_dataset: a slice of Fashion-MNIST instead of torchvision's download;
  - get_network: ConvNet-3 (instance norm, average pooling) at --width instead of the fixed
    width 128, seeded from --seed + expert index instead of the wall clock;
  - epoch: wrapped to record each test accuracy buffer.py prints, for experts.json;
  - Tensor.cpu: made to return a copy, as it does on the GPU the authors used. On the CPU it
    returns the tensor itself, so buffer.py's snapshots ([p.detach().cpu() for p in
    teacher_net.parameters()]) would all share storage with the live parameters, and every
    saved epoch would hold the final weights;
  - DiffAugment: its output copied to the standard memory format (the same values): on CPU
    with torch 1.13 some of its ops return a one-channel batch with channels-last strides,
    the convolutions keep that format, and ConvNet's .view() refuses it.

Usage (from the repository root):
  /usr/bin/python3 tools/golden/mtt_buffer.py --mtt /tmp/mtt --out DIR \
      [--experts 2 --epochs 2 --width 8 --train-images 1000 --test-images 500]
Writes DIR/replay_buffer_0.pt (exactly as buffer.py saves it) and DIR/experts.json (what
torch measured, and the settings, for `dd4j import buffer --accuracies`).
"""

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile

import golden_common as gc

MEAN, STD = 0.2861, 0.3530  # dd4j's normalize-reference constants for fashion-mnist


def read_idx(path):
    import numpy as np
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_mnist(root, split, count):
    """[N, 1, 28, 28] float32 normalized as dd4j does, and int64 labels: the first `count`
    images of the split (all when count <= 0)."""
    import torch
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(os.path.join(root, f"{prefix}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(root, f"{prefix}-labels-idx1-ubyte.gz"))
    if count > 0:
        x, y = x[:count], y[:count]
    images = torch.tensor(x, dtype=torch.float32).unsqueeze(1) / 255.0
    return (images - MEAN) / STD, torch.tensor(y, dtype=torch.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtt", default=os.environ.get("MTT_DIR", "/tmp/mtt"))
    ap.add_argument("--commit", default="50dccea47ba48b9cfb3b9c59375d7da92e4e603b")
    ap.add_argument("--data", default=os.environ.get("DD4J_FASHION_MNIST",
                                                     "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--experts", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--train-images", type=int, default=1000)
    ap.add_argument("--test-images", type=int, default=500)
    ap.add_argument("--lr-teacher", type=float, default=0.01)
    ap.add_argument("--batch-train", type=int, default=256)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    import torch
    torch.set_num_threads(2)
    gc.import_mtt(a.mtt)
    sys.path.insert(0, a.mtt)
    import buffer as mtt_buffer  # MTT's buffer.py
    import networks
    import utils

    train_x, train_y = fashion_mnist(a.data, "train", a.train_images)
    test_x, test_y = fashion_mnist(a.data, "test", a.test_images)

    def get_dataset(dataset, data_path, batch_size=1, subset=None, args=None):
        dst_train = utils.TensorDataset(train_x, train_y)
        dst_test = utils.TensorDataset(test_x, test_y)
        testloader = torch.utils.data.DataLoader(dst_test, batch_size=256, shuffle=False,
                                                 num_workers=0)
        class_map = {i: i for i in range(10)}
        return (1, (28, 28), 10, [str(i) for i in range(10)], [MEAN], [STD], dst_train,
                dst_test, testloader, None, class_map, class_map)

    made = [0]

    def get_network(model, channel, num_classes, im_size=(32, 32), dist=True):
        torch.random.manual_seed(a.seed + made[0])
        made[0] += 1
        return networks.ConvNet(channel=channel, num_classes=num_classes, net_width=a.width,
                                net_depth=3, net_act="relu", net_norm="instancenorm",
                                net_pooling="avgpooling", im_size=im_size)

    accuracies = []  # accuracies[expert][epoch - 1], as buffer.py prints them
    original_epoch = mtt_buffer.epoch

    def epoch(mode, dataloader, net, optimizer, criterion, args, aug, texture=False):
        loss, acc = original_epoch(mode, dataloader, net, optimizer, criterion, args, aug,
                                   texture)
        if mode == "test":
            if len(accuracies) < made[0]:
                accuracies.append([])
            accuracies[made[0] - 1].append(float(acc))
        return loss, acc

    original_diff_augment = utils.DiffAugment

    def diff_augment(*args, **kwargs):
        out = original_diff_augment(*args, **kwargs)
        return out.clone(memory_format=torch.contiguous_format)

    utils.DiffAugment = diff_augment
    original_cpu = torch.Tensor.cpu

    def cpu_copy(self, *args, **kwargs):
        out = original_cpu(self, *args, **kwargs)
        return out.clone() if out.data_ptr() == self.data_ptr() else out

    torch.Tensor.cpu = cpu_copy
    mtt_buffer.get_dataset = get_dataset
    mtt_buffer.get_network = get_network
    mtt_buffer.epoch = epoch

    work = tempfile.mkdtemp(prefix="mtt-buffer-")
    sys.argv = ["buffer.py", "--dataset", "FashionMNIST", "--model", "ConvNet",
                "--num_experts", str(a.experts), "--train_epochs", str(a.epochs),
                "--lr_teacher", str(a.lr_teacher), "--batch_train", str(a.batch_train),
                "--buffer_path", work, "--save_interval", str(a.experts)]
    # buffer.py's own argument parser, then its main()
    parser_args = _parse_buffer_args(mtt_buffer)
    torch.random.manual_seed(a.seed)
    mtt_buffer.main(parser_args)

    src = os.path.join(work, "FashionMNIST", "ConvNet", "replay_buffer_0.pt")
    os.makedirs(a.out, exist_ok=True)
    shutil.move(src, os.path.join(a.out, "replay_buffer_0.pt"))
    shutil.rmtree(work)
    meta = {
        "generator": "tools/golden/mtt_buffer.py",
        "reference": "GeorgeCazenavette/mtt-distillation buffer.py main()",
        "commit": a.commit,
        "torch": torch.__version__,
        "model": {"name": "convnet", "depth": 3, "width": a.width, "norm": "instance",
                  "pooling": "avg", "channels": 1, "height": 28, "width_px": 28,
                  "classes": 10},
        "dataset": "fashion-mnist",
        "preprocessing": {"name": "normalize-reference", "mean": [MEAN], "std": [STD]},
        "train_images": a.train_images, "test_images": a.test_images,
        "lr_teacher": a.lr_teacher, "batch_train": a.batch_train, "epochs": a.epochs,
        "experts": a.experts, "dsa": True,
        "dsa_strategy": "color_crop_cutout_flip_scale_rotate",
        "test_accuracy": accuracies,
    }
    with open(os.path.join(a.out, "experts.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    for name in ("replay_buffer_0.pt", "experts.json"):
        p = os.path.join(a.out, name)
        print(f"wrote {p} ({os.path.getsize(p)} bytes)")
    print("test accuracy per expert and epoch (torch):", accuracies)


def _parse_buffer_args(mtt_buffer):
    """buffer.py builds its parser inside `if __name__ == '__main__'`; run that block's
    parser on sys.argv by executing the module's source up to main(args)."""
    src = open(mtt_buffer.__file__).read()
    block = src[src.index("if __name__ == '__main__':"):]
    body = "\n".join(line[4:] for line in block.splitlines()[1:]
                     if "main(args)" not in line)
    scope = {"argparse": __import__("argparse")}
    exec(body, scope)
    return scope["args"]


if __name__ == "__main__":
    main()
