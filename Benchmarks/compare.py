"""Runs SwiftTorch's and PyTorch's benchmark cases alternately and prints the table.

Usage: compare.py --swift TORCHBENCH --python PYTHON [--filter SUBSTRING] [--cases A,B,...]
                  [--repeat N] [--threads N] [--json FILE]

Each case runs in its own process, SwiftTorch then PyTorch (PyTorch first in every other
round, so a slow drift of the shared machine favours neither side), and the whole table is
run N times (default 3). A case's time per run is the median of that run's batches
(`measure` on both sides); the table shows, per side, the median over the N runs and their
min–max, and the ratio torch / SwiftTorch of the medians (above 1: SwiftTorch is faster)
with the min–max of the per-round ratios. `noisy` marks a ratio whose per-round values
spread by more than 20% of the median ratio: the machine was not quiet enough to trust it.
`--cases` names the cases exactly (a comma-separated list; with `--filter`, both must
match). `--threads N` runs both sides with N intra-op threads (`torchbench --threads`,
`torch.set_num_threads`), for the one-thread lines of the table. `--json FILE` writes every
run's raw seconds.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NOISY = 0.20


def fmt(seconds):
    if seconds is None:
        return "-"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3f} ms"
    return f"{seconds * 1e6:.3f} us"


def side_commands(args):
    threads = ["--threads", str(args.threads)] if args.threads else []
    return {
        "swift": [args.swift] + threads,
        "torch": [args.python, os.path.join(HERE, "torch_bench.py")] + threads,
    }


def list_cases(command, flt):
    extra = ["--filter", flt] if flt else []
    out = subprocess.run(command + ["--list"] + extra, check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line]


def run_case(command, name):
    """One process, one case; None when it failed (reported on stderr, the table goes on)."""
    proc = subprocess.run(command + ["--case", name], capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"  {name}: {command[-1]} exited {proc.returncode}: {proc.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout).get(name)


def spread(values):
    """(median, min, max) of the values that exist, or Nones."""
    values = [v for v in values if v is not None]
    if not values:
        return None, None, None
    return statistics.median(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--swift", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--filter")
    parser.add_argument("--cases")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--json")
    args = parser.parse_args()
    commands = side_commands(args)
    swift_cases = list_cases(commands["swift"], args.filter)
    torch_cases = list_cases(commands["torch"], args.filter)
    names = swift_cases + [n for n in torch_cases if n not in swift_cases]
    if args.cases:
        wanted = args.cases.split(",")
        names = [n for n in wanted if n in names]
    times = {n: {"swift": [], "torch": []} for n in names}
    for r in range(args.repeat):
        order = ["swift", "torch"] if r % 2 == 0 else ["torch", "swift"]
        for name in names:
            for side in order:
                if name in (swift_cases if side == "swift" else torch_cases):
                    times[name][side].append(run_case(commands[side], name))
            s, t = times[name]["swift"], times[name]["torch"]
            print(f"round {r + 1}/{args.repeat} {name}: swifttorch {fmt(s[-1] if s else None)}, "
                  f"pytorch {fmt(t[-1] if t else None)}", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(times, f, indent=2)
    threads = f"; {args.threads} thread(s) each side" if args.threads else ""
    print(f"{args.repeat} alternating rounds; median [min–max]; ratio = pytorch / swifttorch{threads}")
    print(f"{'case':30} {'pytorch':>30} {'swifttorch':>30} {'ratio':>20}")
    for name in names:
        s, t = times[name]["swift"], times[name]["torch"]
        sm, smin, smax = spread(s)
        tm, tmin, tmax = spread(t)
        ratio_text, flag = "-", ""
        if sm and tm:
            per_round = [b / a for a, b in zip(s, t) if a and b]
            _, rmin, rmax = spread(per_round)
            ratio = tm / sm
            ratio_text = f"{ratio:.2f}"
            if len(per_round) > 1:
                ratio_text += f" [{rmin:.2f}–{rmax:.2f}]"
                if (rmax - rmin) / ratio > NOISY:
                    flag = " noisy"

        def cell(m, lo, hi):
            return f"{fmt(m)} [{fmt(lo)}–{fmt(hi)}]" if m is not None else "-"

        print(f"{name:30} {cell(tm, tmin, tmax):>30} {cell(sm, smin, smax):>30} {ratio_text:>20}{flag}")


if __name__ == "__main__":
    main()
