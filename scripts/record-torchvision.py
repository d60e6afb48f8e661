#!/usr/bin/env python3
"""Records what Tests/TorchVisionTests checks against torchvision (run from the repo root):
every architecture's state_dict keys and shapes, and the logits of resnet18 and
mobilenet_v2 built after torch.manual_seed(0) on a fixed input, in eval mode.
Needs torch 2.15 and torchvision (pip install torch==2.15.0 torchvision)."""
import json
import os

import torch
import torchvision

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchVisionTests", "Fixtures")
os.makedirs(OUT, exist_ok=True)

names = ["resnet18", "resnet34", "resnet50", "resnet101", "vgg11", "vgg11_bn", "vgg16", "vgg16_bn",
         "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0", "densenet121",
         "squeezenet1_1", "vit_b_16"]
keys = {}
for name in names:
    model = getattr(torchvision.models, name)(weights=None)
    keys[name] = [[k, list(v.shape)] for k, v in model.state_dict().items()]
    keys[name + "/num_classes_10"] = [[k, list(v.shape)] for k, v in
                                      getattr(torchvision.models, name)(weights=None, num_classes=10).state_dict().items()
                                      if "classifier" in k or "fc" in k or "head" in k]
with open(os.path.join(OUT, "state_dict_keys.json"), "w") as f:
    json.dump(keys, f)

# Logits after manual_seed(0): the constructor's default inits and torchvision's own init
# loop must consume the generator exactly as PyTorch does.
x = (torch.arange(2 * 3 * 64 * 64, dtype=torch.float64) * 7919 % 2000 / 1000 - 1).float().reshape(2, 3, 64, 64)
logits = {}
for name in ["resnet18", "mobilenet_v2"]:
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    with torch.no_grad():
        y = model(x)
    logits[name] = {"shape": list(y.shape), "values": y.flatten().tolist(),
                    "first_conv": model.state_dict()[next(iter(model.state_dict()))].flatten()[:8].tolist()}
with open(os.path.join(OUT, "logits.json"), "w") as f:
    json.dump(logits, f)
print("wrote", os.listdir(OUT))
