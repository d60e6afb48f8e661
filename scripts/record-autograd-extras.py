#!/usr/bin/env python3
"""Records PyTorch's values for SwiftTorch's autograd extras (custom Functions, module and
tensor hooks, torch.autograd.functional, anomaly detection) into
Tests/TorchTests/Fixtures/autograd_extras.json. Run once with PyTorch 2.15 installed; the
tests read the file and never need Python."""
import json
import os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
out = {}


def t(x):
    return x.detach().reshape(-1).tolist()


# A custom Function: a clamp with a straight-through gradient.
class StraightThroughClamp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(-1.0, 1.0)

    @staticmethod
    def backward(ctx, g):
        return g


# A custom Function that saves its output: exp with its own derivative.
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        (y,) = ctx.saved_tensors
        return g * y


x = torch.tensor([-2.0, -0.5, 0.25, 1.5, 3.0], requires_grad=True)
w = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0])
y = StraightThroughClamp.apply(x)
(y * w).sum().backward()
out["ste"] = {"x": t(x), "w": t(w), "y": t(y), "grad": t(x.grad), "grad_fn": y.grad_fn.name()}

x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
y = MyExp.apply(x)
(y * y).sum().backward()
out["myexp"] = {"x": t(x), "y": t(y), "grad": t(x.grad)}

# Module hooks on a Linear(3, 2) with fixed weights.
lin = torch.nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
    lin.bias.copy_(torch.tensor([0.05, -0.05]))
seen = {}
h1 = lin.register_forward_pre_hook(lambda m, inp: (inp[0] * 2,))
h2 = lin.register_forward_hook(lambda m, inp, o: o + 1)


def bw(m, gi, go):
    seen["grad_input"] = t(gi[0])
    seen["grad_output"] = t(go[0])
    return (gi[0] * 10,)


h3 = lin.register_full_backward_hook(bw)
inp = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], requires_grad=True)
o = lin(inp)
(o * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
out["module_hooks"] = {"input": t(inp), "output": t(o), "input_grad": t(inp.grad),
                       "weight_grad": t(lin.weight.grad), **seen}
h1.remove(); h2.remove(); h3.remove()
inp2 = torch.tensor([[1.0, 2.0, 3.0]])
out["module_hooks"]["after_remove"] = t(lin(inp2))

# Post-accumulate-grad hook: sees the accumulated grad, here scales the parameter.
p = torch.tensor([1.0, 2.0], requires_grad=True)
record = []
p.register_post_accumulate_grad_hook(lambda q: record.append(t(q.grad)))
(p * p).sum().backward()
(3 * p).sum().backward()
out["post_accumulate"] = {"calls": record}

# torch.autograd.functional.
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp


def f(z):
    return torch.stack([z[0] * z[1], z[1].sin() + z[2] ** 2, (z[0] * z[2]).exp()])


def s(z):
    return (z[0] ** 2 * z[1] + z[1] * z[2].exp()).sum()


z = torch.tensor([0.3, -0.7, 0.5])
v3 = torch.tensor([1.0, -2.0, 0.5])
out["functional"] = {
    "z": t(z), "v": t(v3),
    "jacobian": t(jacobian(f, z)),
    "hessian": t(hessian(s, z)),
    "vjp": t(vjp(f, z, v3)[1]),
    "jvp": t(jvp(f, z, v3)[1]),
    "hvp": t(hvp(s, z, v3)[1]),
}

path = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "autograd_extras.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
print("wrote", os.path.normpath(path))
