#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/samplers.json for SamplerTests.swift (torch 2.15)."""
import json
import os

import torch
from torch.utils.data import BatchSampler, RandomSampler, SequentialSampler, SubsetRandomSampler, WeightedRandomSampler

out = {}
torch.manual_seed(0)
out["random"] = list(RandomSampler(range(10)))
torch.manual_seed(0)
out["random_replacement_70"] = list(RandomSampler(range(10), replacement=True, num_samples=70))
out["random_generator_25"] = list(RandomSampler(range(10), num_samples=25, generator=torch.Generator().manual_seed(3)))
torch.manual_seed(0)
out["subset"] = list(SubsetRandomSampler([5, 9, 2, 7, 11]))
torch.manual_seed(0)
out["weighted"] = list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.0, 2.0], 12))
out["weighted_no_replacement"] = list(WeightedRandomSampler([0.1, 0.9, 0.4, 0.5, 2.0], 4, replacement=False,
                                                            generator=torch.Generator().manual_seed(1)))
out["batches"] = list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=False))
out["batches_drop"] = list(BatchSampler(SequentialSampler(range(10)), batch_size=3, drop_last=True))
with open(os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "samplers.json"), "w") as f:
    json.dump(out, f)
print(out)
