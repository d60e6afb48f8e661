#!/usr/bin/env python3
"""Records torch.utils.data.distributed.DistributedSampler's index lists from real PyTorch
into Tests/DistributedTests/Fixtures/distributed_sampler.json, which
Tests/DistributedTests/DistributedSamplerTests.swift replays (no Python at test time).

Usage: python3 scripts/make-distributed-sampler-fixtures.py
"""
import json
import pathlib

import torch
from torch.utils.data.distributed import DistributedSampler

cases = []
# Sizes that split evenly, need padding (once and more than the list's length) or cutting.
for count in [1, 3, 10, 11, 100, 1437]:
    for replicas in [1, 2, 3, 4, 8]:
        for shuffle in [True, False]:
            for drop_last in [False, True]:
                if drop_last and count < replicas:
                    continue
                # The digits training set (1437 images) as `swifttorch train --distributed` shards it.
                if count == 1437 and (replicas != 2 or not shuffle):
                    continue
                for seed, epoch in [(0, 0), (0, 1), (7, 3)]:
                    if not shuffle and (seed, epoch) != (0, 0):
                        continue
                    ranks = []
                    for rank in range(replicas):
                        s = DistributedSampler(range(count), num_replicas=replicas, rank=rank,
                                               shuffle=shuffle, seed=seed, drop_last=drop_last)
                        s.set_epoch(epoch)
                        ranks.append(list(iter(s)))
                    cases.append(dict(count=count, replicas=replicas, shuffle=shuffle, drop_last=drop_last,
                                      seed=seed, epoch=epoch, indices=ranks))

out = pathlib.Path(__file__).resolve().parent.parent / "Tests/DistributedTests/Fixtures/distributed_sampler.json"
out.write_text(json.dumps({"torch": torch.__version__, "cases": cases}, separators=(",", ":")) + "\n")
print(f"wrote {len(cases)} cases to {out}")
