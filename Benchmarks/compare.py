"""Prints the side-by-side table: case, PyTorch time, SwiftTorch time, ratio (torch/swift)."""
import json
import sys


def fmt(seconds):
    if seconds >= 1e-3:
        return f"{seconds * 1e3:9.3f} ms"
    return f"{seconds * 1e6:9.3f} us"


def main():
    torch_times = json.load(open(sys.argv[1]))
    swift_times = json.load(open(sys.argv[2]))
    print(f"{'case':36} {'pytorch':>12} {'swifttorch':>12} {'ratio':>7}")
    for name, st in swift_times.items():
        tt = torch_times.get(name)
        ratio = f"{tt / st:7.2f}" if tt else "      -"
        print(f"{name:36} {fmt(tt) if tt else '           -':>12} {fmt(st):>12} {ratio}")


if __name__ == "__main__":
    main()
