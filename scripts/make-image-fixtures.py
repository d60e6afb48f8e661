#!/usr/bin/env python3
"""Writes the small PNG/JPEG files Tests/TorchTests/ImageIOTests.swift decodes, and what
torchvision.io.decode_image returns for each (per mode) in images/expected.json (run from the
repo root; needs torch, torchvision and Pillow). Files are made with Pillow, so our decoders
are checked against files another encoder wrote."""
import io
import json
import os

import numpy as np
import torch
from PIL import Image
from torchvision.io import ImageReadMode, decode_image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "images")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(0)
h, w = 7, 9
rgb = (np.indices((h, w)).sum(0)[..., None] * np.array([20, 7, 3]) + rng.integers(0, 40, (h, w, 3))) % 256
rgb = rgb.astype(np.uint8)
alpha = (np.arange(h * w).reshape(h, w) * 4 % 256).astype(np.uint8)
gray = rgb[..., 0]

files = {
    "gray.png": lambda f: Image.fromarray(gray, "L").save(f),
    "rgb.png": lambda f: Image.fromarray(rgb, "RGB").save(f),
    "rgba.png": lambda f: Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(f),
    "gray_alpha.png": lambda f: Image.fromarray(np.dstack([gray, alpha]), "LA").save(f),
    "interlaced.png": lambda f: Image.fromarray(rgb, "RGB").save(f, interlace=1),
    "bits1.png": lambda f: Image.fromarray(gray > 128).save(f),
    "rgb.jpg": lambda f: Image.fromarray(rgb, "RGB").save(f, quality=90),
    "gray.jpg": lambda f: Image.fromarray(gray, "L").save(f, quality=90),
    "progressive.jpg": lambda f: Image.fromarray(rgb, "RGB").save(f, quality=80, progressive=True),
    "subsampled.jpg": lambda f: Image.fromarray(np.repeat(np.repeat(rgb, 3, 0), 3, 1), "RGB").save(f, quality=85, subsampling=2),
}
modes = {"unchanged": ImageReadMode.UNCHANGED, "gray": ImageReadMode.GRAY, "rgb": ImageReadMode.RGB,
         "rgb_alpha": ImageReadMode.RGB_ALPHA, "gray_alpha": ImageReadMode.GRAY_ALPHA}
expected = {}
for name, write in files.items():
    path = os.path.join(OUT, name)
    write(path)
    data = torch.frombuffer(bytearray(open(path, "rb").read()), dtype=torch.uint8)
    for mode_name, mode in modes.items():
        if name.endswith(".jpg") and "alpha" in mode_name:
            continue
        t = decode_image(data, mode=mode)
        expected[f"{name}/{mode_name}"] = {"shape": list(t.shape), "values": t.flatten().tolist()}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f)
print(f"{len(files)} files, {len(expected)} decodings")
