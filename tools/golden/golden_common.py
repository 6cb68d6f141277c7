"""Shared helpers of the golden-fixture generators (see README.md in this folder).

The generators import the authors' own code from a checkout outside this repository;
nothing of that code is copied here. Stubs stand in only for the modules the imported
pieces never call (dataset loaders, progress bars, kornia's augmentations).
"""

import json
import math
import os
import sys
import types

# Weights are not stored: both sides compute them from this formula, element j of the
# tensor flattened in PyTorch's row-major order (float64, then rounded to float32):
#   h_j = (7 j^2 + 3 j) mod 65537 (exact integers),  w_j = base + amp * sin(phase + 0.0959 h_j)
# The quadratic residue makes the values look random: a plain sin(a j + phase) would give
# every conv filter the same two-dimensional span (rank-2 layers, near-constant features
# that instance norm then divides by a tiny variance: ill-conditioned logits).
WEIGHT_FORMULA = ("h_j = (7 j^2 + 3 j) mod 65537 (integers), w_j = base + amp * sin(phase +"
                  " 0.0959 h_j); j the row-major index in PyTorch's shape; float64 rounded to"
                  " float32")


def formula_tensor(shape, base, amp, phase):
    import torch
    n = 1
    for d in shape:
        n *= d
    j = torch.arange(n, dtype=torch.int64)
    h = (7 * j * j + 3 * j) % 65537
    angle = phase + 0.0959 * h.to(torch.float64)
    return (base + amp * torch.sin(angle)).to(torch.float32).reshape(shape)


def image_formula(b, c, h, w):
    """One input pixel: sample b, channel c, row h, column w (layout-free, float64)."""
    return (0.6 * math.sin(0.9 * h + 0.4 * (c + 1) * w + 1.7 * b + 0.3 * c)
            + 0.3 * math.cos(0.31 * h * w + 1.1 * c - 0.5 * b))


IMAGE_FORMULA = ("x[b, c, h, w] = 0.6 sin(0.9 h + 0.4 (c + 1) w + 1.7 b + 0.3 c)"
                 " + 0.3 cos(0.31 h w + 1.1 c - 0.5 b), float64 rounded to float32")


def formula_images(batch, channels, height, width):
    """[B, C, H, W] float32 from image_formula."""
    import torch
    x = torch.empty(batch, channels, height, width, dtype=torch.float64)
    for b in range(batch):
        for c in range(channels):
            for h in range(height):
                for w in range(width):
                    x[b, c, h, w] = image_formula(b, c, h, w)
    return x.to(torch.float32)


def _stub(name, **attrs):
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


def import_mtt(mtt_dir):
    """Imports MTT's utils.py and networks.py from a checkout of
    GeorgeCazenavette/mtt-distillation, with stubs for the top-level imports that the
    networks and DiffAugment never use (kornia, tqdm, torchvision, scipy's rotate)."""
    if not os.path.isfile(os.path.join(mtt_dir, "utils.py")):
        raise SystemExit(f"no utils.py in {mtt_dir}: pass the MTT checkout (--mtt or MTT_DIR)")
    for name in ("kornia", "tqdm"):
        if name not in sys.modules:
            _stub(name)
    if "torchvision" not in sys.modules:
        tv = _stub("torchvision")
        tv.datasets = _stub("torchvision.datasets")
        tv.transforms = _stub("torchvision.transforms")
    try:
        import scipy.ndimage.interpolation  # noqa: F401  (real one if present)
    except ImportError:
        _stub("scipy")
        _stub("scipy.ndimage")
        _stub("scipy.ndimage.interpolation", rotate=None)
    sys.path.insert(0, os.path.abspath(mtt_dir))
    import networks  # noqa: E402
    import utils  # noqa: E402
    return utils, networks


def f32(t):
    """A tensor as nested lists of floats that round-trip float32 (9 significant digits)."""
    import torch
    if isinstance(t, torch.Tensor):
        t = t.detach().cpu()
        if t.dtype == torch.float64:
            return _nested(t.tolist(), 17)
        return _nested(t.to(torch.float32).tolist(), 9)
    return t


def _nested(v, digits):
    if isinstance(v, list):
        return [_nested(x, digits) for x in v]
    return float(f"{v:.{digits}g}")


def write_json(path, data):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {os.path.getsize(path)} bytes")


def source_info(args_commit, repo):
    return {"repository": repo, "commit": args_commit or "unknown"}
