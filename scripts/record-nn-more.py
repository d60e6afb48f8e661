#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/nn_more.json for NNMoreTests.swift (run from the repo
root, torch 2.15): nn.Transformer and its decoder built after torch.manual_seed (state-dict
keys, weights, outputs and gradients under masks), nn.utils.rnn's packed sequences through
RNN/LSTM/GRU, the hook-based weight_norm and spectral_norm, 3-D pooling and adaptive max
pooling's indices. Inputs are the `pattern()` ramps the Swift tests rebuild."""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "nn_more.json")
out = {}


def number(v):
    # JSON has no NaN or infinity: those go as strings the Swift side parses.
    v = float(v)
    return v if v == v and abs(v) != float("inf") else str(v)


def flat(t):
    return [number(v) for v in t.detach().flatten().tolist()]


def pattern(shape, a, b, dtype=torch.float32):
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, dtype=torch.float64) * a % b - b / 2).to(dtype).reshape(shape)


def weighted_backward(y):
    (y * pattern(y.shape, 0.61, 1.9, y.dtype)).sum().backward()


# --- nn.Transformer -------------------------------------------------------------------------
def transformer_case(name, build, run, grads):
    torch.manual_seed(0)
    model = build()
    record = {"keys": list(model.state_dict().keys()),
              "state": {k: flat(v) for k, v in model.state_dict().items()}}
    y, inputs = run(model)
    weighted_backward(y)
    record["shape"] = list(y.shape)
    record["value"] = flat(y)
    record["input_grads"] = [flat(t.grad) for t in inputs]
    named = dict(model.named_parameters())
    record["param_grads"] = {k: flat(named[k].grad) for k in grads}
    out[name] = record


def run_post_norm(model):
    src = pattern((5, 2, 8), 0.37, 2.1).requires_grad_(True)
    tgt = pattern((4, 2, 8), 0.53, 1.7).requires_grad_(True)
    src_kpm = torch.tensor([[False, False, False, False, False], [False, False, False, True, True]])
    tgt_mask = nn.Transformer.generate_square_subsequent_mask(4)
    y = model(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=src_kpm, memory_key_padding_mask=src_kpm)
    return y, [src, tgt]


transformer_case(
    "transformer_post",
    lambda: nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16,
                           dropout=0.0),
    run_post_norm,
    ["encoder.layers.0.self_attn.in_proj_weight", "decoder.layers.1.multihead_attn.in_proj_weight",
     "decoder.layers.0.linear1.weight", "decoder.norm.weight"])


def run_pre_norm(model):
    model.eval()
    src = pattern((2, 5, 8), 0.41, 1.9).requires_grad_(True)
    tgt = pattern((2, 3, 8), 0.29, 2.3).requires_grad_(True)
    memory_mask = pattern((3, 5), 0.7, 1.1)
    tgt_mask = torch.tensor([[False, True, True], [False, False, True], [False, False, False]])
    tgt_kpm = torch.tensor([[0.0, 0.0, -0.5], [0.0, 0.0, 0.0]])
    y = model(src, tgt, tgt_mask=tgt_mask, memory_mask=memory_mask, tgt_key_padding_mask=tgt_kpm,
              tgt_is_causal=True)
    return y, [src, tgt]


transformer_case(
    "transformer_pre",
    lambda: nn.Transformer(d_model=8, nhead=4, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=12,
                           dropout=0.1, activation="gelu", batch_first=True, norm_first=True),
    run_pre_norm,
    ["encoder.layers.0.linear2.weight", "decoder.layers.0.self_attn.in_proj_bias"])


def run_decoder_layer(model):
    tgt = pattern((4, 8), 0.31, 1.3).requires_grad_(True)
    memory = pattern((6, 8), 0.23, 1.7).requires_grad_(True)
    y = model(tgt, memory, tgt_mask=nn.Transformer.generate_square_subsequent_mask(4), tgt_is_causal=True,
              memory_mask=torch.ones(4, 6, dtype=torch.bool).triu(3), memory_is_causal=False)
    return y, [tgt, memory]


transformer_case("decoder_layer", lambda: nn.TransformerDecoderLayer(8, 2, 16, 0.0), run_decoder_layer,
                 ["linear2.bias", "norm3.weight"])


def run_causal_memory(model):
    tgt = pattern((4, 1, 8), 0.47, 1.5).requires_grad_(True)
    memory = pattern((6, 1, 8), 0.19, 2.2).requires_grad_(True)
    # memory_is_causal with a mask that is not causal: PyTorch trusts the hint (the top-left
    # causal mask of 4 x 6 is applied, not the given one).
    y = model(tgt, memory, memory_mask=torch.zeros(4, 6), memory_is_causal=True)
    return y, [tgt, memory]


transformer_case("decoder_causal_memory",
                 lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16, 0.0), 2, nn.LayerNorm(8)),
                 run_causal_memory, ["layers.1.norm2.bias"])
out["square_subsequent_mask"] = [str(v) for v in nn.Transformer.generate_square_subsequent_mask(3).flatten().tolist()]

# --- nn.utils.rnn: packed sequences ---------------------------------------------------------
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pack_sequence


def longs(t):
    return [int(v) for v in t.flatten().tolist()]


padded = pattern((4, 3, 2), 0.37, 1.9).requires_grad_(True)
packed = pack_padded_sequence(padded, [2, 4, 2], enforce_sorted=False)
weighted_backward(packed.data)
out["pack_padded"] = {"data": flat(packed.data), "batch_sizes": longs(packed.batch_sizes),
                      "sorted_indices": longs(packed.sorted_indices), "unsorted_indices": longs(packed.unsorted_indices),
                      "grad": flat(padded.grad)}
data = packed.data.detach().clone().requires_grad_(True)
again = torch.nn.utils.rnn.PackedSequence(data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
unpadded, lengths = pad_packed_sequence(again, batch_first=True, padding_value=-1.0, total_length=5)
weighted_backward(unpadded)
out["pad_packed"] = {"shape": list(unpadded.shape), "value": flat(unpadded), "lengths": longs(lengths),
                     "grad": flat(data.grad)}
batch_first_pack = pack_padded_sequence(pattern((3, 4, 2), 0.29, 1.3), torch.tensor([4, 3, 1]), batch_first=True)
out["pack_batch_first"] = {"data": flat(batch_first_pack.data), "batch_sizes": longs(batch_first_pack.batch_sizes)}


def packed_rnn_case(name, build, make_state, grads):
    torch.manual_seed(0)
    rnn = build()
    x = pattern((4, 3, 2), 0.37, 1.9).requires_grad_(True)
    state = make_state()
    p = pack_padded_sequence(x, [2, 4, 2], enforce_sorted=False)
    y, final = rnn(p, state) if state is not None else rnn(p)
    finals = list(final) if isinstance(final, tuple) else [final]
    total = (y.data * pattern(y.data.shape, 0.61, 1.9)).sum()
    for i, f in enumerate(finals):
        total = total + (f * pattern(f.shape, 0.43 + 0.1 * i, 1.3)).sum()
    total.backward()
    states = [] if state is None else (list(state) if isinstance(state, tuple) else [state])
    named = dict(rnn.named_parameters())
    out[name] = {"output": flat(y.data), "batch_sizes": longs(y.batch_sizes), "finals": [flat(f) for f in finals],
                 "input_grad": flat(x.grad), "state_grads": [flat(t.grad) for t in states],
                 "param_grads": {k: flat(named[k].grad) for k in grads}}


packed_rnn_case("packed_lstm", lambda: nn.LSTM(2, 3, num_layers=2, bidirectional=True),
                lambda: (pattern((4, 3, 3), 0.23, 0.9).requires_grad_(True),
                         pattern((4, 3, 3), 0.31, 1.1).requires_grad_(True)),
                ["weight_hh_l0_reverse", "bias_ih_l1"])
packed_rnn_case("packed_gru", lambda: nn.GRU(2, 3, batch_first=True), lambda: pattern((1, 3, 3), 0.17, 0.7).requires_grad_(True),
                ["weight_ih_l0"])
packed_rnn_case("packed_rnn", lambda: nn.RNN(2, 3, nonlinearity="relu", bidirectional=True), lambda: None,
                ["weight_hh_l0", "bias_hh_l0_reverse"])
seqs = [pattern((2, 2), 0.3, 1.1), pattern((3, 2), 0.5, 1.3), pattern((1, 2), 0.7, 1.7)]
ps = pack_sequence(seqs, enforce_sorted=False)
out["pack_sequence"] = {"data": flat(ps.data), "batch_sizes": longs(ps.batch_sizes), "sorted_indices": longs(ps.sorted_indices)}

# --- nn.utils.weight_norm / spectral_norm (the hook-based forms) ------------------------------
import warnings

warnings.filterwarnings("ignore", category=FutureWarning)


def reparam_case(name, build, apply, x, grads, steps=("train",)):
    torch.manual_seed(0)
    module = apply(build())
    record = {"keys": list(module.state_dict().keys()),
              "state": {k: flat(v) for k, v in module.state_dict().items()},
              "weight_before": flat(module.weight), "calls": []}
    for mode in steps:
        module.train(mode == "train")
        for p in module.parameters():
            p.grad = None
        xi = x.clone().requires_grad_(True)
        y = module(xi)
        weighted_backward(y)
        named = dict(module.named_parameters())
        record["calls"].append({"value": flat(y), "weight": flat(module.weight), "input_grad": flat(xi.grad),
                                "state": {k: flat(v) for k, v in module.state_dict().items()},
                                "param_grads": {k: flat(named[k].grad) for k in grads}})
    out[name] = record
    return module


m = reparam_case("weight_norm_linear", lambda: nn.Linear(4, 3), lambda m: nn.utils.weight_norm(m),
                 pattern((2, 4), 0.37, 1.9), ["weight_g", "weight_v", "bias"])
nn.utils.remove_weight_norm(m)
out["weight_norm_linear"]["removed"] = {"keys": sorted(m.state_dict().keys()), "weight": flat(m.weight)}
reparam_case("weight_norm_conv_dim1", lambda: nn.Conv2d(2, 3, 2), lambda m: nn.utils.weight_norm(m, dim=1),
             pattern((1, 2, 3, 3), 0.29, 1.3), ["weight_g", "weight_v"])
reparam_case("weight_norm_none", lambda: nn.Linear(3, 2, bias=False), lambda m: nn.utils.weight_norm(m, dim=None),
             pattern((2, 3), 0.41, 1.7), ["weight_g", "weight_v"])
m = reparam_case("spectral_norm_linear", lambda: nn.Linear(5, 4), lambda m: nn.utils.spectral_norm(m),
                 pattern((3, 5), 0.37, 1.9), ["weight_orig", "bias"], steps=("train", "train", "eval"))
nn.utils.remove_spectral_norm(m)
out["spectral_norm_linear"]["removed"] = {"keys": sorted(m.state_dict().keys()), "weight": flat(m.weight)}
reparam_case("spectral_norm_convtranspose", lambda: nn.ConvTranspose2d(3, 2, 2),
             lambda m: nn.utils.spectral_norm(m, n_power_iterations=3, eps=1e-6),
             pattern((1, 3, 2, 2), 0.53, 1.7), ["weight_orig"])

# --- 3-D pooling, adaptive max pooling with indices ------------------------------------------
def pool_case(name, f, x):
    x = x.clone().requires_grad_(True)
    y = f(x)
    values, indices = y if isinstance(y, tuple) else (y, None)
    weighted_backward(values)
    out[name] = {"shape": list(values.shape), "value": flat(values), "grad": flat(x.grad),
                 "indices": None if indices is None else longs(indices)}


vol = pattern((2, 2, 5, 6, 4), 0.37, 2.3)
pool_case("max_pool3d", lambda t: F.max_pool3d(t, (2, 3, 2), stride=(2, 1, 2), padding=(1, 1, 0), dilation=(1, 1, 2),
                                               ceil_mode=True, return_indices=True), vol)
pool_case("max_pool3d_unbatched", lambda t: nn.MaxPool3d(2)(t), vol[0])
ties = torch.tensor([1.0, 3.0, 3.0, 2.0, float("nan"), 0.0, float("nan"), 5.0]).reshape(1, 1, 2, 2, 2)
pool_case("max_pool3d_nan", lambda t: F.max_pool3d(t, 2, return_indices=True), ties)
pool_case("max_pool3d_ties", lambda t: F.max_pool3d(t, (1, 2, 2), return_indices=True),
          torch.tensor([[[[[1.0, 3.0], [3.0, 2.0]], [[4.0, 4.0], [4.0, 4.0]]]]]))
pool_case("avg_pool3d_ceil", lambda t: F.avg_pool3d(t, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), vol)
pool_case("avg_pool3d_divisor", lambda t: F.avg_pool3d(t, (2, 3, 2), padding=(1, 1, 1), divisor_override=5), vol)
pool_case("avg_pool3d_pad", lambda t: nn.AvgPool3d((2, 2, 3), stride=(1, 2, 1), padding=(1, 0, 1))(t), vol[1])
grid = torch.tensor([[3.0, 1.0, 3.0, 2.0, 2.0], [0.0, 3.0, 1.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]]).reshape(1, 1, 3, 5)
pool_case("adaptive_max_pool2d_ties", lambda t: F.adaptive_max_pool2d(t, (2, 3), return_indices=True), grid)
pool_case("adaptive_max_pool2d_indices", lambda t: nn.AdaptiveMaxPool2d((3, 2), return_indices=True)(t),
          pattern((2, 3, 7, 5), 0.713, 2.9))
pool_case("adaptive_max_pool1d_indices", lambda t: nn.AdaptiveMaxPool1d(4, return_indices=True)(t),
          torch.tensor([[1.0, float("nan"), 2.0, float("nan"), 7.0, 7.0, 0.0, 3.0, 1.0, 4.0]]))
out["pool3d_repr"] = [repr(nn.MaxPool3d(2, stride=(1, 2, 1), padding=1)), repr(nn.MaxPool3d((2, 1, 2), ceil_mode=True)),
                      repr(nn.AvgPool3d(3, stride=2, ceil_mode=True, count_include_pad=False, divisor_override=5)),
                      repr(nn.AvgPool3d((2, 3, 1)))]

with open(OUT, "w") as f:
    json.dump(out, f)
print("wrote", OUT)
