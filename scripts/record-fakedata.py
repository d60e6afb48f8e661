#!/usr/bin/env python3
"""Records Tests/TorchVisionTests/Fixtures/fakedata.json for FakeDataTests.swift (run from the
repo root, torch 2.15 + torchvision): torchvision.datasets.FakeData items as uint8 tensors
(the PIL images through PILToTensor) and their labels."""
import json
import os

import torchvision.transforms as T
from torchvision.datasets import FakeData

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchVisionTests", "Fixtures", "fakedata.json")
out = {}
for name, kwargs, indices in (("rgb", dict(size=5, image_size=(3, 4, 5), num_classes=7), (0, 3, 4)),
                              ("gray_offset", dict(size=3, image_size=(1, 3, 3), num_classes=3, random_offset=11), (0, 2)),
                              ("rgba", dict(size=2, image_size=(4, 2, 3), num_classes=100), (1,))):
    ds = FakeData(transform=T.PILToTensor(), **kwargs)
    items = []
    for i in indices:
        image, label = ds[i]
        items.append({"index": i, "shape": list(image.shape), "image": [int(v) for v in image.flatten().tolist()],
                      "label": int(label)})
    out[name] = items
with open(OUT, "w") as f:
    json.dump(out, f)
print("wrote", OUT)
