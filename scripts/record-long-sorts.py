#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/long_sorts.json for LongSortTests.swift (run from the
repo root, torch 2.15): sort, topk and unique on inputs long enough for SwiftTorch's radix
sort, split topk and counted unique (lines of 1000 and more), with the ties, NaNs, signed
zeros and infinities whose order PyTorch defines. Inputs are integer formulas the test
rebuilds, so only the results are stored."""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "long_sorts.json")
out = {}


def longs(t):
    return [int(v) for v in t.flatten().tolist()]


def floats(t):
    def one(v):
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return v
    return [one(float(v)) for v in t.flatten().tolist()]


def special_floats(n, dtype):
    """((i·7919) mod 1013 − 506)/8 with NaN, −0, +inf and −inf sprinkled in (LongSortTests.specialFloats)."""
    i = torch.arange(n, dtype=torch.int64)
    v = (((i * 7919) % 1013) - 506).to(torch.float64) / 8
    v[i % 97 == 0] = float("nan")
    v[i % 101 == 0] = -0.0
    v[i % 103 == 0] = float("inf")
    v[i % 107 == 0] = float("-inf")
    return v.to(dtype)


x = special_floats(3 * 1500, torch.float32).reshape(3, 1500)
for descending in (False, True):
    v, idx = torch.sort(x, dim=-1, descending=descending, stable=True)
    out[f"float32_rows_{'desc' if descending else 'asc'}"] = {"indices": longs(idx)}
# Along the first dimension of the transpose: lines strided by 3, a non-contiguous input.
v, idx = torch.sort(x.t(), dim=0, stable=True)
out["float32_columns_asc"] = {"indices": longs(idx)}

d = special_floats(2000, torch.float64)
v, idx = torch.sort(d, descending=True, stable=True)
out["float64_desc"] = {"indices": longs(idx)}

i = torch.arange(3000, dtype=torch.int64)
wide = ((i * 7919) % 1009) * (1 << 33) - (1 << 40)
v, idx = torch.sort(wide, stable=True)
out["int64_wide_asc"] = {"indices": longs(idx)}
v, inv, cnt = torch.unique(wide, return_inverse=True, return_counts=True)
out["int64_wide_unique"] = {"values": longs(v), "inverse": longs(inv), "counts": longs(cnt)}

narrow = ((torch.arange(20000, dtype=torch.int64) * 7919) % 1000) - 500
v, inv, cnt = torch.unique(narrow, return_inverse=True, return_counts=True)
out["int64_narrow_unique"] = {"values": longs(v), "inverse_head": longs(inv[:300]), "counts": longs(cnt)}

small = (((torch.arange(1200, dtype=torch.int64) * 31) % 257) - 128).to(torch.int32)
v, idx = torch.sort(small, descending=True, stable=True)
out["int32_desc"] = {"indices": longs(idx)}

# topk's order among equal values is its algorithm's accident in PyTorch, so its inputs are
# distinct: a permutation of 0..<300007 (7919 is prime to it) with one NaN and one −inf.
long_line = ((torch.arange(300_000, dtype=torch.int64) * 7919) % 300_007).to(torch.float32)
long_line[123_456] = float("nan")
long_line[777] = float("-inf")
for largest in (True, False):
    v, idx = torch.topk(long_line, 7, largest=largest)
    out[f"topk_long_{'largest' if largest else 'smallest'}"] = {"values": floats(v), "indices": longs(idx)}
v, idx = torch.topk(long_line[:4000].reshape(4, 1000), 10, dim=1)
out["topk_rows"] = {"values": floats(v), "indices": longs(idx)}

with open(OUT, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote", OUT)
