#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/distributions.json for DistributionTests.swift (torch 2.15)."""
import json
import os

import torch
from torch.distributions import (Bernoulli, Categorical, Exponential, Independent, Laplace, MultivariateNormal,
                                 Normal, OneHotCategorical, Uniform, kl_divergence)


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
# Laplace, OneHotCategorical, Independent, MultivariateNormal.
torch.manual_seed(2)
lap = Laplace(loc, scale)
out["laplace_sample"] = flat(lap.sample((4,)))
out["laplace_log_prob"] = flat(lap.log_prob(value))
out["laplace_entropy"] = flat(lap.entropy())
out["laplace_variance"] = flat(lap.variance)
l3, s3 = loc.clone().requires_grad_(), scale.clone().requires_grad_()
Laplace(l3, s3).rsample((3,)).pow(2).sum().backward()
out["laplace_rsample_grad_loc"] = flat(l3.grad)
out["laplace_rsample_grad_scale"] = flat(s3.grad)
torch.manual_seed(3)
oh = OneHotCategorical(probs=cat_probs)
out["onehot_sample"] = flat(oh.sample((3,)))
out["onehot_log_prob"] = flat(oh.log_prob(torch.tensor([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])))
out["onehot_entropy"] = flat(oh.entropy())
ind = Independent(Normal(loc.reshape(1, 3).expand(2, 3), scale.reshape(1, 3).expand(2, 3)), 1)
out["independent_log_prob"] = flat(ind.log_prob(value.reshape(1, 3).expand(2, 3) * torch.tensor([[1.0], [0.5]])))
out["independent_entropy"] = flat(ind.entropy())
out["independent_batch_shape"] = list(ind.batch_shape)
cov = torch.tensor([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])
mvn_loc = torch.tensor([0.5, -1.0, 0.25])
torch.manual_seed(4)
mvn = MultivariateNormal(mvn_loc, covariance_matrix=cov)
out["mvn_sample"] = flat(mvn.sample((2,)))
out["mvn_log_prob"] = flat(mvn.log_prob(torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])))
out["mvn_entropy"] = flat(mvn.entropy())
out["mvn_scale_tril"] = flat(mvn.scale_tril)
with open(os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "distributions.json"), "w") as f:
    json.dump(out, f)
print(sorted(out))
