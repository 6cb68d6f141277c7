"""Golden outputs of MTT's DSA ops (utils.py: rand_brightness, rand_saturation,
rand_contrast, rand_crop, rand_cutout, rand_flip, rand_scale, rand_rotate and DiffAugment
with ParamDiffAug) for dd4j's GoldenDsaTest. See README.md in this folder.

The ops draw with torch.rand / torch.randint; while one runs, those two functions are
replaced by ones handing out the explicit draws listed below (checked against the shape and
range the op asks for), so the fixture records exactly which numbers each op consumed.

Usage: /usr/bin/python3 tools/golden/mtt_dsa.py --mtt /tmp/mtt --commit HASH \
           [--out framework/src/test/resources/golden/mtt_dsa.json]
"""

import argparse
import os

import golden_common as gc

BATCH = 2
CHANNELS = 3
STRATEGY = "color_crop_cutout_flip_scale_rotate"

# (name, function, H, W, draws in call order: ("rand", [U per sample]) or
#  ("randint", [int per sample])). Square 10x10: crop shift 1, cutout side 5 (odd);
# 8x12: crop shifts 1 (rows) and 2 (columns), cutout 4 x 6 (even).
CASES = [
    ("brightness", "rand_brightness", 10, 10, [("rand", [0.83, 0.12])]),
    ("saturation", "rand_saturation", 10, 10, [("rand", [0.71, 0.05])]),
    ("contrast", "rand_contrast", 10, 10, [("rand", [0.93, 0.27])]),
    ("crop", "rand_crop", 10, 10, [("randint", [1, -1]), ("randint", [-1, 0])]),
    ("cutout", "rand_cutout", 10, 10, [("randint", [0, 6]), ("randint", [9, 3])]),
    ("flip", "rand_flip", 10, 10, [("rand", [0.3, 0.8])]),
    ("scale", "rand_scale", 10, 10, [("rand", [0.9, 0.15]), ("rand", [0.2, 0.75])]),
    ("rotate", "rand_rotate", 10, 10, [("rand", [0.95, 0.1])]),
    # DiffAugment in MTT's single mode: one randint picks the group (0 = color), then
    # brightness, saturation, contrast draw in turn
    ("diffaugment-color", "DiffAugment", 10, 10,
     [("randint", [0]), ("rand", [0.64, 0.2]), ("rand", [0.9, 0.33]), ("rand", [0.1, 0.58])]),
    ("crop", "rand_crop", 8, 12, [("randint", [-1, 1]), ("randint", [2, -2])]),
    ("cutout", "rand_cutout", 8, 12, [("randint", [8, 3]), ("randint", [0, 12])]),
    ("flip", "rand_flip", 8, 12, [("rand", [0.7, 0.45])]),
    ("scale", "rand_scale", 8, 12, [("rand", [0.05, 0.6]), ("rand", [0.85, 0.4])]),
    ("rotate", "rand_rotate", 8, 12, [("rand", [0.02, 0.77])]),
]


class ScriptedDraws:
    """Replaces torch.rand and torch.randint with a queue of explicit draws."""

    def __init__(self, torch, draws):
        self.torch = torch
        self.draws = list(draws)
        self.real = (torch.rand, torch.randint)

    def __enter__(self):
        self.torch.rand = self.rand
        self.torch.randint = self.randint
        return self

    def __exit__(self, *exc):
        self.torch.rand, self.torch.randint = self.real
        if exc[0] is None and self.draws:
            raise AssertionError(f"draws not consumed: {self.draws}")

    def _next(self, kind):
        got, values = self.draws.pop(0)
        assert got == kind, f"op asked for {kind}, script has {got}"
        return values

    def rand(self, *size, dtype=None, device=None):
        values = self._next("rand")
        t = self.torch.tensor(values, dtype=dtype or self.torch.float32)
        assert t.numel() == self.torch.Size(size).numel(), (size, values)
        return t.reshape(size)

    def randint(self, low, high, size, device=None):
        values = self._next("randint")
        for v in values:
            assert low <= v < high, (low, high, v)
        t = self.torch.tensor(values, dtype=self.torch.int64)
        assert t.numel() == self.torch.Size(size).numel(), (size, values)
        return t.reshape(size)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mtt", default=os.environ.get("MTT_DIR", "/tmp/mtt"))
    ap.add_argument("--commit", default=os.environ.get("MTT_COMMIT"))
    ap.add_argument("--out", default="framework/src/test/resources/golden/mtt_dsa.json")
    args = ap.parse_args()
    utils, _ = gc.import_mtt(args.mtt)
    import torch

    param = utils.ParamDiffAug()
    cases = []
    for name, fn, h, w, draws in CASES:
        x = gc.formula_images(BATCH, CHANNELS, h, w)
        with ScriptedDraws(torch, draws):
            if fn == "DiffAugment":
                y = utils.DiffAugment(x, STRATEGY, seed=-1, param=param)
            else:
                param.batchmode = False  # as DiffAugment sets it for seed -1
                param.latestseed = -1    # no reseeding between draws
                y = getattr(utils, fn)(x, param)
        cases.append({"op": name, "reference": fn, "height": h, "width": w,
                      "draws": [{"kind": k, "values": v} for k, v in draws],
                      "output_nchw": gc.f32(y)})
        print(f"{name} {h}x{w}: max |y| {y.abs().max().item():.3f}")

    p = param
    gc.write_json(args.out, {
        "generator": "tools/golden/mtt_dsa.py",
        "source": gc.source_info(args.commit, "GeorgeCazenavette/mtt-distillation"),
        "torch": torch.__version__,
        "param_diff_aug": {"prob_flip": p.prob_flip, "ratio_scale": p.ratio_scale,
                           "ratio_rotate": p.ratio_rotate, "ratio_crop_pad": p.ratio_crop_pad,
                           "ratio_cutout": p.ratio_cutout, "brightness": p.brightness,
                           "saturation": p.saturation, "contrast": p.contrast},
        "strategy": STRATEGY,
        "input_formula": gc.IMAGE_FORMULA,
        "batch": BATCH,
        "channels": CHANNELS,
        "cases": cases,
    })


if __name__ == "__main__":
    main()
