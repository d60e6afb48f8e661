#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/distributions.json for DistributionTests.swift (torch 2.15)."""
import json
import os

import torch
from torch.distributions import Bernoulli, Categorical, Exponential, Normal, Uniform, kl_divergence


def flat(t):
    return [float(v) for v in t.detach().flatten().tolist()]


loc, scale = torch.tensor([0.5, -1.0, 2.0]), torch.tensor([1.0, 0.5, 2.0])
probs = torch.tensor([0.2, 0.7, 0.5])
cat_probs = torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])
rate = torch.tensor([0.5, 2.0])
low, high = torch.tensor([0.0, -1.0]), torch.tensor([1.0, 3.0])
value = torch.tensor([0.3, -0.2, 1.5])
out = {}
torch.manual_seed(0)
n = Normal(loc, scale)
out["normal_sample"] = flat(n.sample((4,)))
out["normal_rsample"] = flat(n.rsample((2,)))
out["normal_log_prob"] = flat(n.log_prob(value))
out["normal_entropy"] = flat(n.entropy())
b = Bernoulli(probs=probs)
out["bernoulli_sample"] = flat(b.sample((4,)))
out["bernoulli_log_prob"] = flat(b.log_prob(torch.tensor([1.0, 0.0, 1.0])))
out["bernoulli_entropy"] = flat(b.entropy())
c = Categorical(probs=cat_probs)
out["categorical_sample"] = flat(c.sample((5,)))
out["categorical_log_prob"] = flat(c.log_prob(torch.tensor([2, 0])))
out["categorical_entropy"] = flat(c.entropy())
u = Uniform(low, high)
out["uniform_sample"] = flat(u.sample((3,)))
out["uniform_log_prob"] = flat(u.log_prob(torch.tensor([0.5, 2.0])))
e = Exponential(rate)
out["exponential_sample"] = flat(e.sample((3,)))
out["exponential_log_prob"] = flat(e.log_prob(torch.tensor([1.0, 0.25])))
out["kl_normal"] = flat(kl_divergence(Normal(loc, scale), Normal(loc * 0.5, scale * 2)))
out["kl_bernoulli"] = flat(kl_divergence(Bernoulli(probs=probs), Bernoulli(probs=probs.flip(0))))
out["kl_categorical"] = flat(kl_divergence(Categorical(probs=cat_probs), Categorical(probs=cat_probs.flip(1))))
out["kl_exponential"] = flat(kl_divergence(Exponential(rate), Exponential(rate * 3)))
# rsample is differentiable: d(sum rsample)/d loc = count, d/d scale = sum of eps.
torch.manual_seed(1)
l2, s2 = loc.clone().requires_grad_(), scale.clone().requires_grad_()
Normal(l2, s2).rsample((5,)).sum().backward()
out["rsample_grad_loc"] = flat(l2.grad)
out["rsample_grad_scale"] = flat(s2.grad)
with open(os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "distributions.json"), "w") as f:
    json.dump(out, f)
print(sorted(out))
