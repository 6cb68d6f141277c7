"""Golden fixture of DeepInversion's image priors (Yin et al., CVPR 2020, R_prior).

Runs the authors' own code (NVlabs/DeepInversion, deepinversion.py) on fixed images and
writes framework/src/test/resources/golden/deepinversion_prior.json, read by
GoldenDeepInversionPriorTest (dd4j's TotalVariation and ImageL2Prior at rtol 1e-4):

  - get_image_prior_losses(inputs) -> (loss_var_l1, loss_var_l2), imported from their module;
  - the L2 prior, the statement `loss_l2 = torch.norm(inputs_jit.view(self.bs, -1),
    dim=1).mean()` cut from DeepInversionClass.get_images by the parsed source and executed
    as it stands;
  - the gradients of both w.r.t. the images (torch autograd).

Images [B, C, H, W] from golden_common.image_formula; the fixture stores them NHWC as dd4j
feeds them. Needs /usr/bin/python3 with torch; apex, their utils,
torchvision and PIL stubbed when missing (the priors never call them).

  git --git-dir=<DeepInversion mirror> archive HEAD deepinversion.py utils | tar -x -C /tmp/di
  /usr/bin/python3 tools/golden/deepinversion_prior.py --di /tmp/di --commit <sha> \
      --out framework/src/test/resources/golden/deepinversion_prior.json
"""

import argparse
import ast as pyast
import os
import sys

import golden_common as gc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--di", required=True, help="checkout of NVlabs/DeepInversion")
    p.add_argument("--commit", default=None)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    import torch
    apex = gc._stub("apex", amp=None)
    apex.amp = None
    if "torchvision" not in sys.modules:
        tv = gc._stub("torchvision")
        tv.utils = gc._stub("torchvision.utils")
    try:
        import PIL.Image  # noqa: F401  (real one if present)
    except ImportError:
        pil = gc._stub("PIL")
        pil.Image = gc._stub("PIL.Image")
    gc._stub("utils")
    gc._stub("utils.utils", lr_cosine_policy=None, lr_policy=None, beta_policy=None,
             mom_cosine_policy=None, clip=None, denormalize=None, create_folder=None)
    sys.path.insert(0, os.path.abspath(a.di))
    import deepinversion  # noqa: E402  (theirs)

    path = os.path.join(a.di, "deepinversion.py")
    src = open(path).read()
    tree = pyast.parse(src)
    l2_stmt = None
    for n in pyast.walk(tree):
        if isinstance(n, pyast.Assign):
            seg = pyast.get_source_segment(src, n)
            if seg.startswith("loss_l2 ="):
                l2_stmt = seg
    if l2_stmt is None:
        raise SystemExit("no 'loss_l2 = ...' statement in deepinversion.py")

    cases = []
    for (b, c, h, w) in [(2, 1, 5, 4), (3, 3, 4, 6)]:
        x = gc.formula_images(b, c, h, w).to(torch.float64).requires_grad_(True)
        tv_l1, tv_l2 = deepinversion.get_image_prior_losses(x)
        scope = {"torch": torch, "inputs_jit": x, "self": type("S", (), {"bs": b})()}
        exec(l2_stmt, scope)
        l2 = scope["loss_l2"]
        g_l1, = torch.autograd.grad(tv_l1, x, retain_graph=True)
        g_l2, = torch.autograd.grad(tv_l2, x, retain_graph=True)
        g_img, = torch.autograd.grad(l2, x)
        nhwc = lambda t: gc.f32(t.detach().permute(0, 2, 3, 1).reshape(-1))  # noqa: E731
        cases.append({"shape_nhwc": [b, h, w, c], "images": nhwc(x),
                      "tv_l1": float(tv_l1), "tv_l2": float(tv_l2), "image_l2": float(l2),
                      "grad_tv_l1": nhwc(g_l1), "grad_tv_l2": nhwc(g_l2),
                      "grad_image_l2": nhwc(g_img)})
    gc.write_json(a.out, {"source": gc.source_info(a.commit, "NVlabs/DeepInversion"),
                          "images": gc.IMAGE_FORMULA + " (float64 here)",
                          "l2_statement": l2_stmt, "cases": cases})


if __name__ == "__main__":
    main()
