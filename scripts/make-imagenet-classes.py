#!/usr/bin/env python3
"""Writes Sources/TorchVision/Resources/imagenet_classes.txt: torchvision's ImageNet-1k class
names (`torchvision.models._meta._IMAGENET_CATEGORIES`, the names its weights' metadata
carries), one per line, in class-index order. Run from the repo root with torchvision installed."""
import os

from torchvision.models._meta import _IMAGENET_CATEGORIES

assert len(_IMAGENET_CATEGORIES) == 1000 and all("\n" not in c for c in _IMAGENET_CATEGORIES)
out = os.path.join(os.path.dirname(__file__), "..", "Sources", "TorchVision", "Resources", "imagenet_classes.txt")
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(_IMAGENET_CATEGORIES) + "\n")
print(f"wrote {len(_IMAGENET_CATEGORIES)} names to {out}")
