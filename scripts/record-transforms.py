#!/usr/bin/env python3
"""Records what Tests/TorchVisionTests/TransformTests.swift checks against torchvision's
transforms on tensors (run from the repo root; torch 2.15, torchvision 0.29): each case's
output on a fixed uint8 3×12×16 image (and its float version), random transforms applied three
times in a row after torch.manual_seed(0) so the draws' order is checked too.
Writes Tests/TorchVisionTests/Fixtures/transforms.json."""
import json
import os

import torch
import torchvision.transforms as T
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchVisionTests", "Fixtures", "transforms.json")
c, y, x = torch.meshgrid(torch.arange(3), torch.arange(12), torch.arange(16), indexing="ij")
image = ((c * 71 + y * 13 + x * 29 + (x * y) % 17) % 256).to(torch.uint8)
fimage = T.ConvertImageDtype(torch.float32)(image)

deterministic = {
    "resize_smaller_edge_8": (T.Resize(8), image),
    "resize_5x7_float": (T.Resize([5, 7]), fimage),
    "resize_up_20x30_float": (T.Resize([20, 30]), fimage),
    "resize_up_20x30": (T.Resize([20, 30]), image),
    "resize_no_antialias_6x9": (T.Resize([6, 9], antialias=False), image),
    "resize_nearest_8": (T.Resize(8, interpolation=InterpolationMode.NEAREST), image),
    "resize_max_size": (T.Resize(8, max_size=9), image),
    "center_crop_7": (T.CenterCrop(7), image),
    "center_crop_pad_14x19": (T.CenterCrop([14, 19]), image),
    "pad_constant": (T.Pad([1, 2, 3, 4], fill=7), image),
    "pad_edge": (T.Pad([1, 2, 3, 4], padding_mode="edge"), image),
    "pad_reflect": (T.Pad([2, 3], padding_mode="reflect"), image),
    "pad_symmetric": (T.Pad([1, 2, 3, 4], padding_mode="symmetric"), image),
    "grayscale_1": (T.Grayscale(), image),
    "grayscale_3_float": (T.Grayscale(3), fimage),
    "convert_float": (T.ConvertImageDtype(torch.float32), image),
    "convert_back_uint8": (T.ConvertImageDtype(torch.uint8), fimage),
    "normalize": (T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]), fimage),
    "imagenet_eval": (T.Compose([T.Resize(10), T.CenterCrop(8), T.ConvertImageDtype(torch.float32),
                                 T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]), image),
}
random = {
    "random_resized_crop_6": (T.RandomResizedCrop(6), image),
    "random_resized_crop_5x7_float": (T.RandomResizedCrop([5, 7], scale=(0.5, 1.0)), fimage),
    "random_crop_8_pad_2": (T.RandomCrop(8, padding=2), image),
    "random_horizontal_flip": (T.RandomHorizontalFlip(), image),
    "color_jitter": (T.ColorJitter(0.4, 0.4, 0.4, 0.1), image),
    "color_jitter_float": (T.ColorJitter(0.5, 0.3, 0.6, 0.2), fimage),
    "color_jitter_brightness_only": (T.ColorJitter(brightness=0.3), image),
    "random_rotation_30": (T.RandomRotation(30), image),
    "random_rotation_fill_float": (T.RandomRotation((10, 80), fill=0.5), fimage),
    "gaussian_blur_5": (T.GaussianBlur(5), image),
    "gaussian_blur_3x5_float": (T.GaussianBlur((3, 5), sigma=(0.5, 1.5)), fimage),
    "train_pipeline": (T.Compose([T.RandomResizedCrop(8), T.RandomHorizontalFlip(), T.ConvertImageDtype(torch.float32),
                                  T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]), image),
}


def record(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "values": t.flatten().tolist()}


cases = {name: [record(transform(img))] for name, (transform, img) in deterministic.items()}
for name, (transform, img) in random.items():
    torch.manual_seed(0)
    cases[name] = [record(transform(img)) for _ in range(3)]

# RandomResizedCrop's parameters on a large image, 20 draws in a row.
torch.manual_seed(0)
params = [list(T.RandomResizedCrop.get_params(torch.zeros(3, 480, 640), [0.08, 1.0], [3 / 4, 4 / 3])) for _ in range(20)]
with open(OUT, "w") as f:
    json.dump({"input": record(image), "cases": cases, "random_resized_crop_params": params}, f)
print(f"{len(cases)} cases")
