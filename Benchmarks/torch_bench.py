"""The PyTorch side of the side-by-side benchmarks: same cases, same timing method.

Prints one JSON object {"case": seconds}. Case names match Sources/torchbench/Cases.swift.
"""
import json
import sys
import time

import torch


def measure(body, target=0.1, samples=7):
    for _ in range(3):
        body()
    iterations = 1
    while True:
        t = _time(iterations, body)
        if t >= target / 4 or iterations >= 1 << 24:
            break
        iterations *= 4
    per = _time(iterations, body) / iterations
    iterations = max(1, int(target / max(per, 1e-9)))
    times = sorted(_time(iterations, body) / iterations for _ in range(samples))
    return times[len(times) // 2]


def _time(n, body):
    start = time.perf_counter()
    for _ in range(n):
        body()
    return time.perf_counter() - start


def cases():
    out = {}
    for n in (1000, 100_000, 10_000_000):
        out[f"zeros_{n}"] = (lambda n=n: torch.zeros(n))
    return out


def main():
    flt = None
    if "--filter" in sys.argv:
        flt = sys.argv[sys.argv.index("--filter") + 1]
    results = {}
    for name, body in cases().items():
        if flt and flt not in name:
            continue
        results[name] = measure(body)
        print(f"{name}: {results[name] * 1e6:.2f} us", file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
