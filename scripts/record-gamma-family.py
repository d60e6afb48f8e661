#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/gamma_family.json for GammaFamilyTests.swift (run from the
repo root, torch 2.15): lgamma/digamma/polygamma values and gradients, Gamma, Beta and
Dirichlet seeded draws, rsample gradients, densities, moments, entropies, the KL pairs
registered among them, and Bernoulli's dtype-dependent clamp."""
import json
import os

import torch
from torch.distributions import Bernoulli, Beta, Dirichlet, Exponential, Gamma, Normal, Uniform, kl_divergence

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "gamma_family.json")
out = {}


def number(v):
    # JSON has no NaN or infinity: those go as strings the Swift side parses.
    v = float(v)
    return v if v == v and abs(v) != float("inf") else str(v)


def flat(t):
    return [number(v) for v in t.detach().flatten().tolist()]


special_x = [-2.5, -1.5, -0.3, 0.0, 0.2, 0.5, 1.0, 2.5, 7.0, 10.0, 23.5, 1e3]
for dtype, tag in ((torch.float32, "f32"), (torch.float64, "f64")):
    x = torch.tensor(special_x, dtype=dtype)
    out["lgamma_" + tag] = flat(torch.lgamma(x))
    out["digamma_" + tag] = flat(torch.digamma(x))
    for n in (1, 2, 3):
        out[f"polygamma{n}_{tag}"] = flat(torch.polygamma(n, x))
xg = torch.tensor([0.3, 1.7, 4.0, 12.5], dtype=torch.float64, requires_grad=True)
(torch.lgamma(xg).sum() + torch.digamma(xg).sum() * 0.5 + torch.polygamma(2, xg).sum() * 0.25).backward()
out["special_grad"] = flat(xg.grad)


def pattern(shape, a, b, dtype=torch.float32):
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, dtype=torch.float64) * a % b - b / 2).to(dtype).reshape(shape)


conc = torch.tensor([0.5, 1.0, 2.5, 9.0, 30.0])
rate = torch.tensor([1.0, 2.0, 0.5, 3.0, 1.5])
torch.manual_seed(0)
out["gamma_sample_f32"] = flat(Gamma(conc, rate).sample((3,)))
out["gamma_sample_f64"] = flat(Gamma(conc.double(), rate.double()).sample((2,)))
c, r = conc.clone().requires_grad_(True), rate.clone().requires_grad_(True)
torch.manual_seed(1)
x = Gamma(c, r).rsample((4,))
(x * pattern(x.shape, 0.61, 1.9)).sum().backward()
out["gamma_rsample"] = flat(x)
out["gamma_rsample_grad_concentration"] = flat(c.grad)
out["gamma_rsample_grad_rate"] = flat(r.grad)
g = Gamma(conc, rate)
value = torch.tensor([0.3, 1.0, 4.0, 2.5, 21.0])
out["gamma_log_prob"] = flat(g.log_prob(value))
out["gamma_entropy"] = flat(g.entropy())
out["gamma_mean"], out["gamma_variance"], out["gamma_mode"] = flat(g.mean), flat(g.variance), flat(g.mode)
c2 = conc.clone().requires_grad_(True)
(Gamma(c2, rate).log_prob(value).sum() + Gamma(c2, rate).entropy().sum()).backward()
out["gamma_log_prob_entropy_grad"] = flat(c2.grad)

dconc = torch.tensor([[0.3, 1.5, 2.0], [4.0, 7.0, 8.0], [0.2, 0.5, 0.9]])
torch.manual_seed(2)
out["dirichlet_sample"] = flat(Dirichlet(dconc).sample((2,)))
out["dirichlet_sample_f64"] = flat(Dirichlet(dconc.double()).sample())
dc = dconc.clone().requires_grad_(True)
torch.manual_seed(3)
x = Dirichlet(dc).rsample((2,))
(x * pattern(x.shape, 0.61, 1.9)).sum().backward()
out["dirichlet_rsample"] = flat(x)
out["dirichlet_rsample_grad"] = flat(dc.grad)
d = Dirichlet(dconc)
dvalue = torch.tensor([[0.2, 0.3, 0.5], [0.1, 0.45, 0.45], [0.6, 0.3, 0.1]])
out["dirichlet_log_prob"] = flat(d.log_prob(dvalue))
out["dirichlet_entropy"] = flat(d.entropy())
out["dirichlet_mean"], out["dirichlet_variance"], out["dirichlet_mode"] = flat(d.mean), flat(d.variance), flat(d.mode)

c1 = torch.tensor([0.4, 2.0, 8.0, 0.9])
c0 = torch.tensor([0.7, 3.0, 9.0, 12.0])
torch.manual_seed(4)
out["beta_sample"] = flat(Beta(c1, c0).sample((3,)))
a1, a0 = c1.clone().requires_grad_(True), c0.clone().requires_grad_(True)
torch.manual_seed(5)
x = Beta(a1, a0).rsample((5,))
(x * pattern(x.shape, 0.61, 1.9)).sum().backward()
out["beta_rsample"] = flat(x)
out["beta_rsample_grad1"] = flat(a1.grad)
out["beta_rsample_grad0"] = flat(a0.grad)
b = Beta(c1, c0)
bvalue = torch.tensor([0.1, 0.5, 0.45, 0.02])
out["beta_log_prob"] = flat(b.log_prob(bvalue))
out["beta_entropy"] = flat(b.entropy())
out["beta_mean"], out["beta_variance"], out["beta_mode"] = flat(b.mean), flat(b.variance), flat(b.mode)

g2 = Gamma(conc.flip(0), rate)
b2 = Beta(c0, c1)
d2 = Dirichlet(dconc.flip(-1) + 0.5)
e = Exponential(torch.tensor([0.5, 1.0, 2.0, 3.0, 0.7]))
n = Normal(torch.tensor([0.0, 1.0, -1.0, 2.0, 0.5]), torch.tensor([1.0, 0.5, 2.0, 1.5, 3.0]))
u = Uniform(torch.tensor([0.1, 0.0, 0.2, 0.5, -0.1]), torch.tensor([0.9, 1.0, 0.3, 1.5, 0.5]))
u4 = Uniform(torch.tensor([0.1, 0.0, 0.2, -0.5]), torch.tensor([0.9, 1.0, 0.3, 0.5]))
e4, n4 = Exponential(torch.tensor([0.5, 1.0, 2.0, 3.0])), Normal(torch.tensor([0.0, 1.0, -1.0, 2.0]), torch.tensor([1.0, 0.5, 2.0, 1.5]))
g4 = Gamma(torch.tensor([0.5, 1.0, 2.5, 9.0]), torch.tensor([1.0, 2.0, 0.5, 3.0]))
out["kl"] = {
    "gamma_gamma": flat(kl_divergence(g, g2)), "beta_beta": flat(kl_divergence(b, b2)),
    "dirichlet_dirichlet": flat(kl_divergence(d, d2)), "gamma_beta": flat(kl_divergence(g4, b)),
    "gamma_uniform": flat(kl_divergence(g, u)), "gamma_exponential": flat(kl_divergence(g, e)),
    "gamma_normal": flat(kl_divergence(g, n)), "exponential_gamma": flat(kl_divergence(e, g)),
    "beta_exponential": flat(kl_divergence(b, e4)), "beta_gamma": flat(kl_divergence(b, g4)),
    "beta_normal": flat(kl_divergence(b, n4)), "beta_uniform": flat(kl_divergence(b, u4)),
    "uniform_beta": flat(kl_divergence(u4, b)), "uniform_gamma": flat(kl_divergence(u, g)),
}

for dtype, tag in ((torch.float64, "f64"), (torch.float32, "f32")):
    p = torch.tensor([1e-10, 0.5, 1 - 1e-12, 0.0], dtype=dtype)
    bern = Bernoulli(probs=p)
    out["bernoulli_logits_" + tag] = flat(bern.logits)
    out["bernoulli_log_prob_" + tag] = flat(bern.log_prob(torch.tensor([0.0, 1.0, 1.0, 0.0], dtype=dtype)))

with open(OUT, "w") as f:
    json.dump(out, f)
print("wrote", OUT)
