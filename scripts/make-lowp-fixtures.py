#!/usr/bin/env python3
"""Writes the float16/bfloat16/int8/int16 fixtures that Tests/TorchTests/LowPrecisionTests.swift reads.

Run from the repository root: python3 scripts/make-lowp-fixtures.py
Needs torch 2.15, numpy and safetensors (pip install torch==2.15.0 numpy safetensors).
Files go to Tests/TorchTests/Fixtures/lowp/, expectations to lowp/expected.json. 16-bit
float values are recorded as their bit patterns, so NaN, infinities, -0 and subnormals
compare exactly.
"""
import json
import os

import numpy as np
import torch
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "lowp")
os.makedirs(OUT, exist_ok=True)


def path(name):
    return os.path.join(OUT, name)


def bits(t):
    """Row-major values: bit patterns (as unsigned 16-bit) for 16-bit floats, else numbers."""
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        return [v & 0xFFFF for v in t.view(torch.int16).flatten().tolist()]
    if t.dtype == torch.bool:
        return [int(v) for v in t.flatten().tolist()]
    if t.dtype.is_floating_point:
        return [float(v) if np.isfinite(v) else str(v) for v in t.flatten().tolist()]
    return t.flatten().tolist()


def describe(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "bits": bits(t)}


expected = {}
torch.manual_seed(0)
specials = torch.tensor([float("inf"), float("-inf"), float("nan"), -0.0, 6e-8, 1e-40, 70000.0, 3.4e38,
                         1.00048828125, 1.0009765625, 1.001953125, 1.00390625, 2.0 ** -24, 65520.0])
wide = torch.cat([torch.randn(18) * 50, specials])
wide64 = torch.cat([torch.randn(6, dtype=torch.float64) * 1e3,
                    torch.tensor([1 + 2.0 ** -11 + 2.0 ** -40, 1 + 2.0 ** -8 + 2.0 ** -40, 65519.99], dtype=torch.float64)])

# Conversions: float32 and float64 to each 16-bit float, and back, as PyTorch rounds.
conversions = {}
for name, dtype in [("float16", torch.float16), ("bfloat16", torch.bfloat16)]:
    conversions[name] = {
        "from_float32": describe(wide.to(dtype)),
        "from_float64": describe(wide64.to(dtype)),
        "to_int64": bits(torch.tensor([-3.75, -0.5, 0.5, 2.5, 300.25]).to(dtype).to(torch.int64)),
        "to_int8": bits(torch.tensor([-3.75, 100.5, 127.0, -128.0]).to(dtype).to(torch.int8)),
    }
expected["conversions"] = {"float32": bits(wide), "float64": bits(wide64), **conversions}

# torch.promote_types over every pair of the ten dtypes.
dtypes = [torch.bool, torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64,
          torch.float16, torch.bfloat16, torch.float32, torch.float64]
expected["promotion"] = [[str(a).replace("torch.", ""), str(b).replace("torch.", ""),
                          str(torch.promote_types(a, b)).replace("torch.", "")] for a in dtypes for b in dtypes]

# Integer wrap-around and integer division for int8 and int16.
ints = {}
for name, dtype in [("int8", torch.int8), ("int16", torch.int16)]:
    info = torch.iinfo(dtype)
    a = torch.tensor([info.max, info.min, 100, -100, 7, -7], dtype=dtype)
    b = torch.tensor([1, -1, 100, 3, -2, 2], dtype=dtype)
    ints[name] = {"a": bits(a), "b": bits(b), "add": bits(a + b), "sub": bits(a - b), "mul": bits(a * b),
                  "floor_divide": bits(torch.floor_divide(a, b)), "remainder": bits(torch.remainder(a, b)),
                  "neg": bits(-a), "sum": bits(a.sum()), "sum_dtype": str(a.sum().dtype).replace("torch.", ""),
                  "times_float": describe(a * 1.5), "plus_uint8": describe(a + torch.ones(6, dtype=torch.uint8))}
expected["integers"] = ints

# Printing.
x = torch.tensor([0.1, -2.5, 1000.0, 3.0e-3])
expected["repr"] = {name: repr(x.to(dtype)) for name, dtype in [("float16", torch.float16), ("bfloat16", torch.bfloat16),
                                                                 ("int8", torch.int8), ("int16", torch.int16)]}
expected["repr"]["scalar_bfloat16"] = repr(torch.tensor(2.5, dtype=torch.bfloat16))

# torch.save (zip and legacy), with a view sharing the float16 storage.
saved = {
    "f16": wide.half(), "bf16": wide.bfloat16(), "i8": torch.tensor([-128, -1, 0, 1, 127], dtype=torch.int8),
    "i16": torch.tensor([-32768, -300, 0, 300, 32767], dtype=torch.int16),
    "bf16_scalar": torch.tensor(3.140625, dtype=torch.bfloat16),
}
saved["f16_view"] = saved["f16"][2:8].view(2, 3)
torch.save(saved, path("lowp.pt"))
torch.save(saved, path("lowp_legacy.pt"), _use_new_zipfile_serialization=False)
expected["saved"] = {k: describe(v) for k, v in saved.items()}

# safetensors written by Python's safetensors.
tensors = {"f16": wide.half(), "bf16": wide.bfloat16(), "i8": saved["i8"], "i16": saved["i16"],
           "bf16_matrix": (torch.randn(3, 4) * 10).bfloat16()}
save_file(tensors, path("lowp.safetensors"))
expected["safetensors"] = {k: describe(v) for k, v in tensors.items()}

# NumPy .npy for the dtypes NumPy has.
np.save(path("f16.npy"), wide.half().numpy())
np.save(path("i8.npy"), saved["i8"].numpy())
np.save(path("i16.npy"), saved["i16"].numpy())

with open(path("expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", sorted(os.listdir(OUT)))
