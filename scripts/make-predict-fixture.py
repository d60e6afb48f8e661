#!/usr/bin/env python3
"""Fixtures for `swifttorch predict` (Tests/TorchVisionTests/PredictTests.swift), run from the
repo root with torch 2.15 and torchvision 0.29.

A resnet18 "made to recognise" two test images without committing 45 MB of weights: the body is
torchvision's resnet18 initialised after torch.manual_seed(0), which SwiftTorch's resnet18()
reproduces after manualSeed(0) (checked by ModelZooTests), and the classifier is a template
matcher: fc row 207 is the first image's 512 body features, normalised, row 281 the second's,
every other row and the bias zero. An image's logit for a row is |f|·cos(f, template), so each
image scores highest on its own row. Only those two rows are committed (`fc_rows.pt`, written
by torch.save); the test rebuilds the full state dict and writes it as a .pth for predict.
expected.json holds torchvision's top-5 (index, probability) per image with the preset
transforms of ResNet18_Weights.IMAGENET1K_V1 (resize 256 bilinear antialias, centre crop 224,
normalise)."""
import json
import os

import numpy as np
import torch
import torchvision
from PIL import Image
from torchvision.io import decode_image

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchVisionTests", "Fixtures", "predict")
os.makedirs(OUT, exist_ok=True)

# Two small synthetic photos: a red disc on a warm gradient (JPEG), blue stripes (PNG).
yy, xx = np.mgrid[0:180, 0:240]
disc = np.stack([120 + xx // 4, 60 + yy // 3, 40 + 0 * xx], -1)
disc[(yy - 90) ** 2 + (xx - 120) ** 2 < 60 ** 2] = [220, 30, 30]
Image.fromarray(disc.astype(np.uint8)).save(os.path.join(OUT, "disc.jpg"), quality=90)
stripes = np.stack([20 + 0 * xx, 40 + yy // 2, 120 + 100 * ((xx // 12) % 2)], -1)
Image.fromarray(stripes.astype(np.uint8)).save(os.path.join(OUT, "stripes.png"))

weights = torchvision.models.ResNet18_Weights.IMAGENET1K_V1
preprocess = weights.transforms()
torch.manual_seed(0)
model = torchvision.models.resnet18().eval()
images = {name: decode_image(os.path.join(OUT, name)) for name in ["disc.jpg", "stripes.png"]}
batch = torch.stack([preprocess(img) for img in images.values()])
with torch.no_grad():
    body = torch.nn.Sequential(*list(model.children())[:-1])
    features = body(batch).flatten(1)
classes = [207, 281]
rows = features / features.norm(dim=1, keepdim=True)
torch.save({"classes": torch.tensor(classes), "rows": rows.clone()}, os.path.join(OUT, "fc_rows.pt"))

with torch.no_grad():
    model.fc.weight.zero_()
    model.fc.bias.zero_()
    model.fc.weight[classes] = rows
    probabilities = model(batch).softmax(1)
top = probabilities.topk(5, dim=1)
expected = {name: [[int(i), float(p)] for i, p in zip(top.indices[k], top.values[k])]
            for k, name in enumerate(images)}
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print(expected)
