#!/usr/bin/env python3
"""Records what the PyTorch sides of the ported examples print (scripts/examples/*.py) into
Tests/TorchTests/Fixtures/examples/<name>.json, which PortedExampleTests compares the Swift
ports with. Needs PyTorch 2.15 (pip install torch==2.15.0 numpy); the tests do not.

Usage: scripts/record-examples.py
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests/TorchTests/Fixtures/examples")

# fixture name -> the script and its arguments
RUNS = {
    "nanogpt": ["nanogpt.py"],
    "dcgan": ["dcgan.py", "--double"],        # 20 steps in float64 (see dcgan.py on why)
    "dcgan-float32": ["dcgan.py", "--steps", "6"],
    "reinforce": ["reinforce.py"],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (script, *args) in RUNS.items():
        with tempfile.TemporaryDirectory() as tmp:
            raw = os.path.join(tmp, "out.json")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts/examples", script), "--json", raw, *args],
                           check=True, stdout=subprocess.DEVNULL)
            with open(raw) as f:
                data = json.load(f)
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(f"{name}: {len(data['losses'])} losses")


if __name__ == "__main__":
    main()
