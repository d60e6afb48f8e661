#!/usr/bin/env python3
"""Writes the torch.save fixtures that Tests/TorchTests/PyTorchFileTests.swift reads.

Run from the repository root: python3 scripts/make-pytorch-fixtures.py
Every file is written by real PyTorch (torch.save), except malicious.pt, whose pickle is
written byte by byte so that nothing is ever executed. Expected values go to
pytorch_expected.json beside the fixtures. The files are kept to a few KB each.
"""
import io
import json
import os
import zipfile

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures")


def path(name):
    return os.path.join(OUT, name)


def describe(t):
    """Dtype, shape, strides, storage offset and row-major values of a tensor."""
    return {
        "dtype": str(t.dtype).replace("torch.", ""),
        "shape": list(t.shape),
        "values": [v if not isinstance(v, bool) else int(v) for v in t.flatten().tolist()],
    }


expected = {}

# A small float32 model: its state dict, an input and PyTorch's output on it.
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
state = model.state_dict()
torch.save(state, path("pytorch_sequential.pt"))
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
with torch.no_grad():
    y = model(x)
expected["sequential"] = {
    "tensors": {k: describe(v) for k, v in state.items()},
    "keys": list(state.keys()),
    "input": describe(x),
    "output": describe(y),
}

# A checkpoint: model, SGD-with-momentum state after one step, and plain Python values.
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss = model(x).pow(2).sum()
loss.backward()
optimizer.step()
checkpoint = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3, "note": "x", "lr": 0.1}
torch.save(checkpoint, path("pytorch_checkpoint.pt"))
expected["checkpoint"] = {
    "model": {k: describe(v) for k, v in checkpoint["model"].items()},
    "momentum_buffer_0": describe(checkpoint["optimizer"]["state"][0]["momentum_buffer"]),
    "params": checkpoint["optimizer"]["param_groups"][0]["params"],
    "momentum": checkpoint["optimizer"]["param_groups"][0]["momentum"],
}

# Tensors sharing one storage: views with offsets and strides, and tied weights.
base = torch.arange(12, dtype=torch.float32)
tied = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
shared = {
    "base": base,
    "strided": base[2:11:3],           # offset 2, stride 3
    "block": base.view(3, 4)[:, 1:3],  # offset 1, strides (4, 1)
    "transposed": base.view(3, 4).t(),
    "tied_a": tied,
    "tied_b": tied,
}
torch.save(shared, path("pytorch_shared.pt"))
expected["shared"] = {k: describe(v) for k, v in shared.items()}

# Every dtype SwiftTorch has, a 0-d tensor and an empty one.
dtypes = {
    "f64": torch.tensor([1.5, -2.25, 1e-300], dtype=torch.float64),
    "i64": torch.tensor([[1, -2], [2**40, -(2**62)]], dtype=torch.int64),
    "i32": torch.tensor([7, -8, 2**31 - 1], dtype=torch.int32),
    "u8": torch.tensor([0, 1, 255], dtype=torch.uint8),
    "b": torch.tensor([True, False, True]),
    "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 3),
}
torch.save(dtypes, path("pytorch_dtypes.pt"))
expected["dtypes"] = {k: describe(v) for k, v in dtypes.items()}

# The legacy (non-zip) format, with a view sharing its base's storage.
legacy_base = torch.tensor([1.0, 2.0, 3.0, 4.0])
legacy = {"a": legacy_base, "tail": legacy_base[1:], "n": torch.tensor([5, 6], dtype=torch.int64)}
torch.save(legacy, path("pytorch_legacy.pt"), _use_new_zipfile_serialization=False)
expected["legacy"] = {k: describe(v) for k, v in legacy.items()}

# Pickle protocol 4 (frames, MEMOIZE, STACK_GLOBAL, short strings) and parameters, which
# pickle through torch._utils._rebuild_parameter.
protocol4 = {
    "weight": torch.nn.Parameter(torch.tensor([[1.0, -2.0], [0.5, 4.0]])),
    "frozen": torch.nn.Parameter(torch.tensor([3.0]), requires_grad=False),
    "steps": [1, 2, 3],
    "name": "protocol four",
}
torch.save(protocol4, path("pytorch_protocol4.pt"), pickle_protocol=4)
expected["protocol4"] = {k: describe(v) for k, v in protocol4.items() if isinstance(v, torch.Tensor)}

# One file per 16- and 8-bit dtype (scripts/make-lowp-fixtures.py writes the richer cases).
for name, dtype in [("float16", torch.float16), ("bfloat16", torch.bfloat16), ("int8", torch.int8), ("int16", torch.int16)]:
    torch.save({"h": torch.ones(2, dtype=dtype)}, path(f"pytorch_{name}.pt"))

# A hostile file: torch.save's zip layout around a pickle that would call os.system
# ("echo pwned") if unpickled by an unrestricted loader. Written by hand; never loaded.
evil = (
    b"\x80\x02"                    # PROTO 2
    b"cos\nsystem\n"               # GLOBAL 'os system'
    b"X\x0a\x00\x00\x00echo pwned"  # BINUNICODE
    b"\x85"                        # TUPLE1
    b"R"                           # REDUCE
    b"."                           # STOP
)
with zipfile.ZipFile(path("pytorch_malicious.pt"), "w", zipfile.ZIP_STORED) as z:
    z.writestr("malicious/data.pkl", evil)
    z.writestr("malicious/byteorder", "little")
    z.writestr("malicious/version", "3\n")

# The checkpoint's and the protocol-4 file's bare pickles, for fuzzing the unpickler
# directly (inside a zip, a mutated pickle mostly fails the entry's CRC first).
for name in ["pytorch_checkpoint", "pytorch_protocol4"]:
    with zipfile.ZipFile(path(name + ".pt")) as z:
        with open(path(name + ".pkl"), "wb") as f:
            f.write(z.read(name + "/data.pkl"))

# Broken files made from a valid one, by rewriting its entries (nothing is unpickled):
# a tensor whose size reaches past its storage, and a storage entry shorter than its numel.
buffer = io.BytesIO()
torch.save({"t": torch.tensor([1.0, 2.0, 3.0, 4.0])}, buffer)
with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source:
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
pickle_name = next(name for name in entries if name.endswith("/data.pkl"))
storage_name = next(name for name in entries if name.endswith("/data/0"))
size_tuple = b"K\x04\x85"  # BININT1 4, TUPLE1: the size (4,)
assert entries[pickle_name].count(size_tuple) == 1
for name, change in [
    ("pytorch_out_of_bounds.pt", {pickle_name: entries[pickle_name].replace(size_tuple, b"K\x09\x85")}),
    ("pytorch_short_storage.pt", {storage_name: entries[storage_name][:8]}),
]:
    with zipfile.ZipFile(path(name), "w", zipfile.ZIP_STORED) as z:
        for entry, data in entries.items():
            z.writestr(entry.replace("archive/", name[:-3] + "/"), change.get(entry, data))

with open(path("pytorch_expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
