#!/usr/bin/env python3
"""Shows in which float32 `torch.mm` shapes PyTorch sums each output in plain order (every
product rounded, then added left to right) and records bit-exact cases for the tests.

Prints, per shape (m, k, n), how many outputs of 10 random products differ from the plain
ordered sum; with --record it writes Tests/TorchTests/Fixtures/small_gemm.json (inputs and
PyTorch's outputs for the shapes Kernels/OrderedSmallGEMM.swift sums in order).

Usage: scripts/check-small-gemm-order.py [--record]
"""
import json
import os
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPES = [(1, 4, 1), (1, 16, 4), (1, 64, 8), (2, 4, 3), (3, 5, 7), (4, 8, 4), (8, 32, 8), (8, 63, 8),
          (2, 256, 1), (4, 16, 1), (9, 8, 9), (16, 8, 16), (16, 12, 16)]
ORDERED = [(1, 4, 1), (1, 16, 4), (1, 64, 8), (2, 4, 3), (3, 5, 7), (4, 8, 4), (8, 32, 8)]


def ordered(a, b):
    acc = np.float32(0)
    for x, y in zip(a, b):
        acc = np.float32(acc + np.float32(x * y))
    return acc


def main():
    torch.manual_seed(0)
    for m, k, n in SHAPES:
        bad = total = 0
        for _ in range(10):
            a, b = torch.randn(m, k), torch.randn(k, n)
            c = torch.mm(a, b).numpy()
            for i in range(m):
                for j in range(n):
                    total += 1
                    bad += ordered(a[i].numpy(), b[:, j].numpy()) != c[i, j]
        print(f"m={m:2} k={k:3} n={n:2} (m·n·k {m * n * k:5}): {bad:4} of {total:4} outputs differ from the ordered sum")
    if "--record" in sys.argv:
        cases = []
        for m, k, n in ORDERED:
            a, b = torch.randn(m, k), torch.randn(k, n)
            cases.append({"m": m, "k": k, "n": n, "a": a.flatten().tolist(), "b": b.flatten().tolist(),
                          "out": torch.mm(a, b).flatten().tolist()})
        with open(os.path.join(ROOT, "Tests/TorchTests/Fixtures/small_gemm.json"), "w") as f:
            json.dump(cases, f)


if __name__ == "__main__":
    main()
