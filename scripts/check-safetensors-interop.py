#!/usr/bin/env python3
"""Checks that a safetensors file written by SwiftTorch loads in Python and holds what the
test wrote. Usage: scripts/check-safetensors-interop.py FILE (needs torch and safetensors)."""
import sys
import torch
from safetensors import safe_open

path = sys.argv[1]
with safe_open(path, framework="pt") as f:
    assert f.metadata() == {"written_by": "swifttorch"}, f.metadata()
    weight = f.get_tensor("weight")
    assert weight.dtype == torch.float32 and weight.tolist() == [[0.0, 0.25, 0.5], [0.75, 1.0, 1.25]], weight
    steps = f.get_tensor("steps")
    assert steps.dtype == torch.int64 and steps.tolist() == [3, -4], steps
    half = f.get_tensor("half")
    assert half.dtype == torch.float16 and half.tolist() == [0.5, -2.0, 65504.0], half
    brain = f.get_tensor("brain")
    assert brain.dtype == torch.bfloat16 and brain.tolist() == [1.0, 3.140625, -0.0078125], brain
    small, short = f.get_tensor("small"), f.get_tensor("short")
    assert small.dtype == torch.int8 and small.tolist() == [-128, 127], small
    assert short.dtype == torch.int16 and short.tolist() == [-300, 300], short
print(f"{path}: loads in Python with the expected tensors and metadata")
