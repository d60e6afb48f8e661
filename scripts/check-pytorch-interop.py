#!/usr/bin/env python3
"""Checks that PyTorch reads a file SwiftTorch wrote: python3 scripts/check-pytorch-interop.py FILE...

Loads each FILE with torch.load(weights_only=True) (the restricted loader, which runs no
code), prints every tensor's dtype, shape, strides, storage offset and values, and reports
which tensors share a storage. Exits non-zero when any file fails to load.
"""
import sys

import torch


def walk(value, path, out):
    if isinstance(value, torch.Tensor):
        out.append((path, value))
    elif isinstance(value, dict):
        for k, v in value.items():
            walk(v, f"{path}.{k}" if path else str(k), out)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            walk(v, f"{path}[{i}]", out)


def main(paths):
    failed = False
    for path in paths:
        try:
            value = torch.load(path, weights_only=True)
        except Exception as error:  # report every file, then fail
            print(f"{path}: FAILED: {type(error).__name__}: {error}")
            failed = True
            continue
        print(f"{path}: loaded a {type(value).__name__}")
        if not isinstance(value, torch.Tensor) and not isinstance(value, (dict, list, tuple)):
            print(f"  {value!r}")
        tensors = []
        walk(value, "", tensors)
        storages = {}
        for name, t in tensors:
            print(f"  {name}: {t.dtype} shape={list(t.shape)} stride={list(t.stride())} "
                  f"offset={t.storage_offset()} values={t.flatten().tolist()}")
            storages.setdefault(t.untyped_storage().data_ptr(), []).append(name)
        for names in storages.values():
            if len(names) > 1:
                print(f"  sharing one storage: {', '.join(names)}")
        if isinstance(value, dict):
            others = {k: v for k, v in value.items() if not isinstance(v, (torch.Tensor, dict))}
            if others:
                print(f"  other entries: {others}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
