#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/nn_extras.json for NNExtrasTests.swift (run from the
repo root, torch 2.15): recurrent cells built after torch.manual_seed(0) (their weights and
one step on a fixed input) and the layout modules' outputs."""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "nn_extras.json")


def flat(t):
    return [float(v) for v in t.detach().flatten().tolist()]


x = (torch.arange(2 * 3, dtype=torch.float64) * 0.37 % 1.3 - 0.6).float().reshape(2, 3)
h = (torch.arange(2 * 4, dtype=torch.float64) * 0.53 % 1.1 - 0.5).float().reshape(2, 4)
out = {}
for name, cls in (("RNNCell", nn.RNNCell), ("LSTMCell", nn.LSTMCell), ("GRUCell", nn.GRUCell)):
    torch.manual_seed(0)
    cell = cls(3, 4)
    state = {k: flat(v) for k, v in cell.state_dict().items()}
    if name == "LSTMCell":
        y, c = cell(x, (h, h * 0.5))
        result = {"h": flat(y), "c": flat(c)}
    else:
        result = {"h": flat(cell(x, h))}
    out[name] = {"keys": list(cell.state_dict().keys()), "state": state, **result, "zero_state": flat(cell(x) if name != "LSTMCell" else cell(x)[0])}
img = (torch.arange(2 * 4 * 4 * 6, dtype=torch.float64) * 0.29 % 1.7 - 0.8).float().reshape(2, 4, 4, 6)
out["input"] = flat(img)
out["PixelUnshuffle2"] = flat(nn.PixelUnshuffle(2)(img))
out["ChannelShuffle2"] = flat(nn.ChannelShuffle(2)(img))
out["ReflectionPad2d"] = flat(nn.ReflectionPad2d((1, 2, 2, 1))(img))
out["ReplicationPad2d"] = flat(nn.ReplicationPad2d((2, 0, 1, 1))(img))
out["ZeroPad2d"] = flat(nn.ZeroPad2d(1)(img))
out["ConstantPad1d"] = flat(nn.ConstantPad1d((1, 2), 0.5)(img[0]))
out["InstanceNorm2d"] = flat(nn.InstanceNorm2d(4)(img))
out["AvgPool1d"] = flat(nn.AvgPool1d(3, stride=2, padding=1)(img[0]))
out["Upsample"] = flat(nn.Upsample(scale_factor=2, mode="nearest")(img))

# Sliding blocks, unpooling, local response norm: values and the gradient of a weighted sum.
def pattern(shape, a, b):
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, dtype=torch.float64) * a % b - b / 2).float().reshape(shape)


def forward_and_grad(f, x, name):
    x = x.clone().requires_grad_(True)
    y = f(x)
    w = pattern(y.shape, 0.61, 1.9)
    (y * w).sum().backward()
    out[name] = {"shape": list(y.shape), "value": flat(y), "grad": flat(x.grad)}


F = torch.nn.functional
img5 = pattern((2, 3, 5, 6), 0.37, 2.1)
forward_and_grad(lambda t: F.unfold(t, (2, 3), dilation=(1, 2), padding=(1, 0), stride=(2, 1)), img5, "unfold")
cols = pattern((2, 3 * 2 * 3, 3 * 2), 0.43, 1.7)
forward_and_grad(lambda t: F.fold(t, (5, 6), (2, 3), dilation=(1, 2), padding=(1, 0), stride=(2, 1)), cols, "fold")
pooled, idx = F.max_pool2d(pattern((1, 2, 4, 5), 0.71, 2.3), 2, return_indices=True)
out["unpool_indices"] = [int(v) for v in idx.flatten().tolist()]
forward_and_grad(lambda t: F.max_unpool2d(t, idx, 2, output_size=(4, 5)), pooled, "max_unpool2d")
forward_and_grad(lambda t: nn.LocalResponseNorm(3)(t), pattern((2, 5, 3, 3), 0.53, 2.9), "lrn4d")
forward_and_grad(lambda t: nn.LocalResponseNorm(2, alpha=0.1, beta=0.5, k=2.0)(t), pattern((2, 4, 6), 0.31, 1.3), "lrn3d")
out["lrn_repr"] = repr(nn.LocalResponseNorm(3))
conv_w = pattern((4, 3, 2, 3), 0.23, 0.9)
forward_and_grad(lambda t: F.conv2d(t, conv_w, padding="same", dilation=(1, 2)), img5, "conv2d_same_even")
forward_and_grad(lambda t: F.conv1d(t, pattern((2, 3, 4), 0.41, 1.1), padding="same"), pattern((2, 3, 7), 0.19, 1.3),
                 "conv1d_same_even")
torch.manual_seed(5)
ct1 = nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1, output_padding=1)
out["convtranspose1d_weight"] = flat(ct1.weight)
out["convtranspose1d_bias"] = flat(ct1.bias)
out["convtranspose1d_repr"] = repr(ct1)
forward_and_grad(lambda t: ct1(t), pattern((2, 3, 5), 0.29, 1.7), "convtranspose1d")
torch.manual_seed(6)
bag = nn.EmbeddingBag(10, 3, mode="mean")
out["embeddingbag_weight"] = flat(bag.weight)
out["embeddingbag_repr"] = repr(bag)
bag_input = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])
bag_offsets = torch.tensor([0, 4, 4])
for mode in ("sum", "mean", "max"):
    w = bag.weight.detach().clone().requires_grad_(True)
    y = F.embedding_bag(bag_input, w, bag_offsets, mode=mode)
    (y * pattern(y.shape, 0.61, 1.9)).sum().backward()
    out["embeddingbag_" + mode] = {"value": flat(y), "grad": flat(w.grad)}
w = bag.weight.detach().clone().requires_grad_(True)
psw = pattern((8,), 0.37, 1.1).requires_grad_(True)
y = F.embedding_bag(bag_input.reshape(2, 4), w, mode="sum", per_sample_weights=psw.reshape(2, 4))
(y * pattern(y.shape, 0.61, 1.9)).sum().backward()
forward_and_grad(lambda t: F.adaptive_max_pool2d(t, (3, 2)), pattern((2, 3, 7, 5), 0.713, 2.9), "adaptive_max_pool2d")
forward_and_grad(lambda t: F.adaptive_max_pool1d(t, 4), pattern((2, 3, 10), 0.617, 2.3), "adaptive_max_pool1d")
out["adaptive_max_repr"] = [repr(nn.AdaptiveMaxPool2d((3, 2))), repr(nn.AdaptiveMaxPool2d(7)), repr(nn.AdaptiveMaxPool1d(4))]
torch.manual_seed(8)
c3 = nn.Conv3d(2, 3, 2, stride=(1, 2, 1), padding=1, dilation=(2, 1, 1))
out["conv3d_weight"] = flat(c3.weight)
out["conv3d_bias"] = flat(c3.bias)
out["conv3d_repr"] = repr(c3)
forward_and_grad(lambda t: c3(t), pattern((2, 2, 4, 5, 3), 0.47, 1.9), "conv3d")
torch.manual_seed(7)
sparse_w = torch.empty(5, 3)
nn.init.sparse_(sparse_w, 0.4, std=0.5)
out["sparse_init"] = flat(sparse_w)
dirac_w = torch.empty(4, 2, 3, 3)
nn.init.dirac_(dirac_w, groups=2)
out["dirac_nonzero"] = [int(i) for i in dirac_w.flatten().nonzero().flatten().tolist()]
out["embeddingbag_psw"] = {"value": flat(y), "grad": flat(w.grad), "psw_grad": flat(psw.grad)}

with open(OUT, "w") as f:
    json.dump(out, f)
print("wrote", OUT)
