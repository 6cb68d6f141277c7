"""Golden ZCA whitening from kornia's own ZCAWhitening (kornia/enhance/zca.py), as MTT's
buffer.py / distill.py use it (K.enhance.ZCAWhitening(eps=0.1, compute_inv=True), fitted on
images in [0, 1], NCHW), for dd4j's GoldenZcaTest. See README.md in this folder.

kornia/__init__.py imports all of kornia; instead, empty package modules whose __path__ is
the checkout's folder stand in for kornia and its subpackages (kornia.utils, kornia.core,
kornia.enhance), so that only kornia/enhance/zca.py and the files it imports are loaded
(unchanged). Use kornia v0.6.4 (2022-03-21, the release when MTT's code came out; MTT pins
no version): kornia's HEAD needs torch >= 2, Debian has 1.13.

Usage: /usr/bin/python3 tools/golden/kornia_zca.py --kornia /tmp/kornia --commit HASH \
           [--out framework/src/test/resources/golden/kornia_zca.json]
"""

import argparse
import os
import sys
import types

import golden_common as gc

N, C, H, W = 50, 3, 4, 4
EPS = 0.1
SEED = 15


def import_kornia_zca(root):
    pkg = os.path.join(os.path.abspath(root), "kornia")
    if not os.path.isfile(os.path.join(pkg, "enhance", "zca.py")):
        raise SystemExit(f"no kornia/enhance/zca.py under {root}: pass --kornia or KORNIA_DIR")
    for sub in ("", "utils", "core", "enhance"):
        folder = os.path.join(pkg, sub) if sub else pkg
        if not os.path.isdir(folder):
            continue
        name = "kornia." + sub if sub else "kornia"
        mod = types.ModuleType(name)
        mod.__path__ = [folder]
        sys.modules[name] = mod
    import importlib
    return importlib.import_module("kornia.enhance.zca")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kornia", default=os.environ.get("KORNIA_DIR", "/tmp/kornia"))
    ap.add_argument("--commit", default=os.environ.get("KORNIA_COMMIT"))
    ap.add_argument("--out", default="framework/src/test/resources/golden/kornia_zca.json")
    args = ap.parse_args()
    zca_module = import_kornia_zca(args.kornia)
    import torch

    g = torch.Generator().manual_seed(SEED)
    x = torch.rand(N, C, H, W, generator=g, dtype=torch.float32)  # images in [0, 1]
    zca = zca_module.ZCAWhitening(eps=EPS, compute_inv=True)
    zca.fit(x)
    y = zca(x)
    back = zca.inverse_transform(y)
    # S of the covariance, as zca_mean computes it, for the eigenvalue check
    flat = x.reshape(N, -1)
    centred = flat - flat.mean(0, keepdim=True)
    s = torch.linalg.svdvals((centred.t().mm(centred) / (N - 1)).double())
    print(f"|y| max {y.abs().max().item():.3f}, inverse error "
          f"{(back - x).abs().max().item():.1e}, S in [{s.min().item():.2e}, {s.max().item():.2e}]")

    gc.write_json(args.out, {
        "generator": "tools/golden/kornia_zca.py",
        "source": gc.source_info(args.commit, "kornia/kornia"),
        "torch": torch.__version__,
        "call": f"kornia.enhance.ZCAWhitening(eps={EPS}, compute_inv=True).fit(x); y = zca(x);"
                " back = zca.inverse_transform(y)",
        "shape_nchw": [N, C, H, W],
        "eps": EPS,
        "input_nchw": gc.f32(x),
        "mean_chw": gc.f32(zca.mean_vector.reshape(-1)),
        "transform_chw": gc.f32(zca.transform_matrix),
        "eigenvalues": gc.f32(s.to(torch.float32)),
        "whitened_nchw": gc.f32(y),
        # not stored: back = inverse_transform(y), equal to the input within the error printed
        "inverse_roundtrip_max_error": (back - x).abs().max().item(),
    })


if __name__ == "__main__":
    main()
