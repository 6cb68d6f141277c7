"""MTT's evaluate_synset on a set that dd4j exported (`dd4j export SET --format pt`), for
the comparison in docs/results.md: the same set under dd4j's evaluation and under the
authors' own. See README-interop.md in this folder.

Loads set.pt with torch.load (images NCHW in the normalized space, labels, syn_lr), builds
ConvNet-3 at --width (instance norm, average pooling) with MTT's networks.py, and calls
utils.evaluate_synset (SGD momentum 0.9, weight decay 5e-4, lr = syn_lr, x0.1 after half
the epochs, DSA) --runs times; prints each accuracy and the mean +- std on the Fashion-MNIST
test split (normalized as dd4j does). As in mtt_buffer.py, DiffAugment's output is copied
to the standard memory format (a CPU-only stride problem; the same values).

Usage: /usr/bin/python3 tools/golden/mtt_evaluate_export.py --mtt /tmp/mtt \
           --set EXPORT_DIR/set.pt --width 32 --epochs 300 --runs 3
"""

import argparse
import os
import sys

import golden_common as gc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mtt", default=os.environ.get("MTT_DIR", "/tmp/mtt"))
    ap.add_argument("--set", required=True, help="set.pt written by dd4j export --format pt")
    ap.add_argument("--data", default=os.environ.get("DD4J_FASHION_MNIST",
                                                     "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    import numpy as np
    import torch
    torch.set_num_threads(2)
    utils, networks = gc.import_mtt(a.mtt)
    sys.path.insert(0, os.path.dirname(__file__))
    import mtt_buffer

    original_diff_augment = utils.DiffAugment

    def diff_augment(*args, **kwargs):
        return original_diff_augment(*args, **kwargs).clone(
            memory_format=torch.contiguous_format)

    utils.DiffAugment = diff_augment

    s = torch.load(a.set)
    images, labels = s["images"], s["labels"]
    syn_lr = float(s["syn_lr"])
    print(f"set: {tuple(images.shape)} images, syn_lr {syn_lr}, preprocessing"
          f" {s['preprocessing']}")
    test_x, test_y = mtt_buffer.fashion_mnist(a.data, "test", 0)
    testloader = torch.utils.data.DataLoader(utils.TensorDataset(test_x, test_y),
                                             batch_size=256, shuffle=False, num_workers=0)
    args = argparse.Namespace(lr_net=syn_lr, epoch_eval_train=a.epochs, batch_train=256,
                              dsa=True, dsa_strategy="color_crop_cutout_flip_scale_rotate",
                              dsa_param=utils.ParamDiffAug(), device="cpu",
                              dataset="FashionMNIST", dc_aug_param=None)
    accs = []
    for k in range(a.runs):
        torch.random.manual_seed(a.seed + k)
        net = networks.ConvNet(channel=images.shape[1], num_classes=int(labels.max()) + 1,
                               net_width=a.width, net_depth=3, net_act="relu",
                               net_norm="instancenorm", net_pooling="avgpooling",
                               im_size=tuple(images.shape[2:]))
        _, _, acc = utils.evaluate_synset(k, net, images.clone(), labels.clone(), testloader,
                                          args)
        accs.append(acc)
    print(f"MTT evaluate_synset: {100 * np.mean(accs):.2f} +- {100 * np.std(accs):.2f} %"
          f" over {a.runs} networks ({', '.join(f'{100 * x:.2f}' for x in accs)}),"
          f" {a.epochs} epochs")


if __name__ == "__main__":
    main()
