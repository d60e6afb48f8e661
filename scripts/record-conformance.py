#!/usr/bin/env python3
"""Records conformance cases for the API-breadth ops (issue 16) from real PyTorch, in
../shared/conformance/FORMAT.md's format, drawing shapes and values from a seed.

Usage: scripts/record-conformance.py --seed 1 --out Tests/ConformanceTests/Corpus
Writes ext_sorting.jsonl, ext_elementwise.jsonl, ... ext_special.jsonl (one file per family). Another seed gives
other cases. Needs torch 2.15: when `import torch` fails the script makes a venv in
.venv-record and installs it there, then runs itself again with that Python.
"""
import argparse
import json
import math
import os
import subprocess
import sys

try:
    import torch
except ImportError:
    venv = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv-record")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "-q", "torch==2.15.0", "numpy"])
    os.execv(python, [python] + sys.argv)


def number(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def encode(t):
    t = t.detach()
    data = t.contiguous().flatten().tolist()
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": [number(v) for v in data]}


def encode_view(base, view):
    """A non-contiguous input: the whole storage plus the view's geometry."""
    return {"dtype": str(base.dtype).replace("torch.", ""), "shape": list(view.shape), "strides": list(view.stride()),
            "offset": view.storage_offset(), "data": [number(v) for v in base.detach().flatten().tolist()]}


class Recorder:
    def __init__(self, seed):
        self.gen = torch.Generator().manual_seed(seed)
        self.cases = {}
        self.counts = {}

    def rand(self, *shape, dtype=torch.float32, low=-3.0, high=3.0):
        return (torch.rand(*shape, generator=self.gen, dtype=torch.float64) * (high - low) + low).to(dtype)

    def randint(self, low, high, *shape):
        return torch.randint(low, high, shape, generator=self.gen)

    def shape(self, rank):
        return [int(torch.randint(2, 5, (1,), generator=self.gen)) for _ in range(rank)]

    def add(self, family, op, variant, inputs, fn, kwargs=None, grads=True, views=None, rtol=1.3e-6, atol=1e-5):
        """Runs `fn(*inputs)` and records it; `views` maps input positions to (base, view)."""
        kwargs = kwargs or {}
        n = self.counts.get((op, variant), 0)
        self.counts[(op, variant)] = n + 1
        case = {"id": f"{op}/{variant}/{n}", "op": op}
        tensors = []
        encoded = []
        for i, x in enumerate(inputs):
            if views and i in views:
                base, _ = views[i]
                base = base.detach().clone()
                leaf = base.requires_grad_(grads and base.is_floating_point())
                view = leaf.as_strided(views[i][1].shape, views[i][1].stride(), views[i][1].storage_offset())
                tensors.append(view)
                encoded.append(encode_view(base, view))
            elif isinstance(x, torch.Tensor):
                leaf = x.detach().clone().requires_grad_(grads and x.is_floating_point())
                tensors.append(leaf)
                encoded.append(encode(x))
            else:
                tensors.append(x)
                encoded.append(number(x))
        case["inputs"] = encoded
        if kwargs:
            case["kwargs"] = {k: number(v) for k, v in kwargs.items()}
        try:
            out = fn(*tensors)
        except Exception as e:  # an error case
            case["out"] = {"error": str(e).split("\n")[0][:120]}
            self.cases.setdefault(family, []).append(case)
            return
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        case["out"] = [encode(o) for o in outs] if isinstance(out, (tuple, list)) else encode(out)
        first = outs[0]
        if grads and isinstance(first, torch.Tensor) and first.grad_fn is not None:
            case["grad_fn"] = first.grad_fn.name()
            grad_out = torch.rand(first.shape, generator=self.gen, dtype=torch.float64).to(first.dtype) + 0.5
            leaves = tensors  # a view input's gradient is with respect to the view itself
            wrt = [t for t in leaves if isinstance(t, torch.Tensor) and t.requires_grad]
            got = torch.autograd.grad(first, wrt, grad_out, allow_unused=True)
            it = iter(got)
            grads_list = []
            for t in leaves:
                if isinstance(t, torch.Tensor) and t.requires_grad:
                    g = next(it)
                    grads_list.append(encode(g if g is not None else torch.zeros_like(t)))
                else:
                    grads_list.append(None)
            case["grad_out"] = encode(grad_out)
            case["grads"] = grads_list
        case["rtol"], case["atol"] = rtol, atol
        self.cases.setdefault(family, []).append(case)

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        for family, cases in self.cases.items():
            with open(os.path.join(out, f"ext_{family}.jsonl"), "w") as f:
                for c in cases:
                    f.write(json.dumps(c) + "\n")
            print(f"ext_{family}.jsonl: {len(cases)} cases")


def distinct(r, *shape, dtype=torch.float32):
    """Values without ties (sort order and indices are then unique)."""
    n = 1
    for s in shape:
        n *= s
    perm = torch.randperm(n, generator=r.gen).to(torch.float64)
    return ((perm - n / 2) / 4 + r.rand(n, dtype=torch.float64, low=0, high=0.1)).reshape(shape).to(dtype)


def sorting(r):
    for rank in (1, 2, 3):
        shape = r.shape(rank)
        x = distinct(r, *shape)
        dim = int(torch.randint(-rank, rank, (1,), generator=r.gen))
        for descending in (False, True):
            r.add("sorting", "sort", "values", [x], lambda t: torch.sort(t, dim=dim, descending=descending),
                  {"dim": dim, "descending": descending})
        r.add("sorting", "argsort", "basic", [x], lambda t: torch.argsort(t, dim=dim), {"dim": dim}, grads=False)
        k = int(torch.randint(1, shape[dim] + 1, (1,), generator=r.gen))
        r.add("sorting", "topk", "largest", [x], lambda t: torch.topk(t, k, dim=dim), {"k": k, "dim": dim})
        r.add("sorting", "topk", "smallest", [x], lambda t: torch.topk(t, k, dim=dim, largest=False),
              {"k": k, "dim": dim, "largest": False})
        r.add("sorting", "kthvalue", "basic", [x], lambda t: torch.kthvalue(t, k, dim=dim), {"k": k, "dim": dim})
        r.add("sorting", "kthvalue", "keepdim", [x], lambda t: torch.kthvalue(t, k, dim=dim, keepdim=True),
              {"k": k, "dim": dim, "keepdim": True})
        r.add("sorting", "median", "all", [x], lambda t: torch.median(t))
        r.add("sorting", "median", "dim", [x], lambda t: torch.median(t, dim=dim), {"dim": dim})
        r.add("sorting", "msort", "basic", [x], lambda t: torch.msort(t))
    # NaN sorts last (first descending); median of a line with NaN is NaN.
    x = r.rand(2, 5)
    x[0, 2] = float("nan")
    r.add("sorting", "sort", "nan", [x], lambda t: torch.sort(t, dim=1), {"dim": 1}, grads=False)
    r.add("sorting", "sort", "nan_descending", [x], lambda t: torch.sort(t, dim=1, descending=True),
          {"dim": 1, "descending": True}, grads=False)
    r.add("sorting", "median", "nan", [x], lambda t: torch.median(t, dim=1), {"dim": 1}, grads=False)
    # Integers, and a mode with repeated values.
    xi = r.randint(0, 4, 3, 7)
    r.add("sorting", "sort", "int64", [xi], lambda t: torch.sort(t, dim=1, stable=True), {"dim": 1, "stable": True})
    r.add("sorting", "mode", "int64", [xi], lambda t: torch.mode(t, dim=1), {"dim": 1})
    # A non-contiguous input (a transposed view).
    base = distinct(r, 4, 3)
    view = base.t()
    r.add("sorting", "sort", "transposed", [view], lambda t: torch.sort(t, dim=1), {"dim": 1}, views={0: (base, view)})
    r.add("sorting", "topk", "transposed", [view], lambda t: torch.topk(t, 2, dim=1), {"k": 2, "dim": 1},
          views={0: (base, view)})
    # Errors.
    r.add("sorting", "topk", "k_too_large", [distinct(r, 3)], lambda t: torch.topk(t, 5), {"k": 5}, grads=False)
    r.add("sorting", "kthvalue", "k_zero", [distinct(r, 3)], lambda t: torch.kthvalue(t, 0), {"k": 0}, grads=False)


def elementwise(r):
    specials = torch.tensor([float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.5, -2.25, 3.0e38])
    for dtype in (torch.float32, torch.float64):
        s = specials.to(dtype)
        for op in ("isnan", "isinf", "isposinf", "isneginf", "isfinite", "signbit"):
            r.add("elementwise", op, str(dtype).replace("torch.", ""), [s], getattr(torch, op), grads=False)
        r.add("elementwise", "nan_to_num", "defaults_" + str(dtype)[6:], [s], torch.nan_to_num, grads=False)
        r.add("elementwise", "nan_to_num", "values_" + str(dtype)[6:], [s],
              lambda t: torch.nan_to_num(t, nan=1.0, posinf=2.0, neginf=-3.0),
              {"nan": 1.0, "posinf": 2.0, "neginf": -3.0}, grads=False)
    xi = torch.tensor([-2, 0, 3])
    for op in ("isnan", "isinf", "isfinite"):
        r.add("elementwise", op, "int64", [xi], getattr(torch, op), grads=False)
    for rank in (1, 2):
        shape = r.shape(rank)
        x = r.rand(*shape, low=-4, high=4)
        y = r.rand(*shape, low=-4, high=4)
        for op in ("frac", "fix", "sinc", "deg2rad", "rad2deg"):
            r.add("elementwise", op, f"rank{rank}", [x], getattr(torch, op))
        r.add("elementwise", "copysign", f"rank{rank}", [x, y], torch.copysign)
        r.add("elementwise", "logaddexp", f"rank{rank}", [x, y], torch.logaddexp)
        r.add("elementwise", "logaddexp2", f"rank{rank}", [x, y], torch.logaddexp2)
        r.add("elementwise", "hypot", f"rank{rank}", [x, y], torch.hypot)
        r.add("elementwise", "clamp_max", f"rank{rank}", [x, 0.5], torch.clamp_max)
        ypos = r.rand(*shape, low=0.1, high=3)
        xz = x.clone()
        xz.view(-1)[0] = 0.0
        r.add("elementwise", "xlogy", f"rank{rank}", [xz, ypos], torch.xlogy)
    x = torch.tensor([-1.5, 0.0, 2.0, 0.0])
    r.add("elementwise", "heaviside", "basic", [x, torch.tensor([0.5, 0.25, 0.75, 1.0])], torch.heaviside, grads=False)
    r.add("elementwise", "sinc", "zero", [torch.tensor([0.0, 1.0, -0.5])], torch.sinc)
    r.add("elementwise", "copysign", "negative_zero", [torch.tensor([1.0, 2.0]), torch.tensor([-0.0, 0.0])],
          torch.copysign)
    r.add("elementwise", "logaddexp", "large", [torch.tensor([1000.0, -1000.0, float("inf")]),
                                                 torch.tensor([999.0, -1001.0, float("inf")])], torch.logaddexp,
          grads=False)
    base = r.rand(3, 4)
    view = base[:, ::2]
    r.add("elementwise", "frac", "strided", [view], torch.frac, views={0: (base, view)})
    r.add("elementwise", "heaviside", "dtype_mismatch", [torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64)],
          torch.heaviside, grads=False)


def reductions(r):
    for rank in (1, 2, 3):
        shape = r.shape(rank)
        x = r.rand(*shape)
        dim = int(torch.randint(-rank, rank, (1,), generator=r.gen))
        xn = x.clone()
        xn.view(-1)[0] = float("nan")
        r.add("reductions", "nansum", f"rank{rank}", [xn], torch.nansum)
        r.add("reductions", "nansum", f"dim_rank{rank}", [xn], lambda t: torch.nansum(t, dim=dim), {"dim": dim})
        r.add("reductions", "nanmean", f"rank{rank}", [xn], torch.nanmean)
        r.add("reductions", "nanmean", f"dim_rank{rank}", [xn], lambda t: torch.nanmean(t, dim=dim, keepdim=True),
              {"dim": dim, "keepdim": True})
        r.add("reductions", "var_mean", f"rank{rank}", [x], lambda t: torch.var_mean(t, dim=dim), {"dim": dim})
        r.add("reductions", "std_mean", f"rank{rank}", [x], lambda t: torch.std_mean(t, dim=dim, correction=0),
              {"dim": dim, "correction": 0})
        r.add("reductions", "aminmax", f"rank{rank}", [x], lambda t: torch.aminmax(t, dim=dim), {"dim": dim}, grads=False)
        r.add("reductions", "aminmax", f"all_rank{rank}", [x], lambda t: torch.aminmax(t), grads=False)
        r.add("reductions", "logcumsumexp", f"rank{rank}", [x], lambda t: torch.logcumsumexp(t, dim), {"dim": dim})
        xd = distinct(r, *shape)
        r.add("reductions", "cummax", f"rank{rank}", [xd], lambda t: torch.cummax(t, dim), {"dim": dim})
        r.add("reductions", "cummin", f"rank{rank}", [xd], lambda t: torch.cummin(t, dim), {"dim": dim})
    ties = torch.tensor([[1.0, 3.0, 3.0, float("nan"), 2.0, float("nan")]])
    r.add("reductions", "cummax", "ties_nan", [ties], lambda t: torch.cummax(t, 1), {"dim": 1}, grads=False)
    r.add("reductions", "cummin", "ties_nan", [ties], lambda t: torch.cummin(t, 1), {"dim": 1}, grads=False)
    r.add("reductions", "logcumsumexp", "inf", [torch.tensor([float("-inf"), 0.0, float("inf"), 1.0])],
          lambda t: torch.logcumsumexp(t, 0), {"dim": 0}, grads=False)
    base = r.rand(4, 6)
    view = base[:, 1::2]
    r.add("reductions", "nansum", "strided", [view], torch.nansum, views={0: (base, view)})


def shapes(r):
    for rank in (1, 2, 3):
        shape = r.shape(rank)
        x = r.rand(*shape)
        dim = int(torch.randint(-rank, rank, (1,), generator=r.gen))
        sections = int(torch.randint(1, 4, (1,), generator=r.gen))
        r.add("shapes", "tensor_split", f"sections_rank{rank}", [x], lambda t: torch.tensor_split(t, sections, dim=dim),
              {"sections": sections, "dim": dim}, grads=False)
        r.add("shapes", "tensor_split", f"indices_rank{rank}", [x], lambda t: torch.tensor_split(t, [1, 3], dim=dim),
              {"indices": [1, 3], "dim": dim}, grads=False)
        r.add("shapes", "diff", f"rank{rank}", [x], lambda t: torch.diff(t, dim=dim), {"dim": dim})
        r.add("shapes", "diff", f"n2_rank{rank}", [x], lambda t: torch.diff(t, n=2, dim=dim), {"n": 2, "dim": dim})
        r.add("shapes", "repeat_interleave", f"rank{rank}", [x], lambda t: torch.repeat_interleave(t, 2, dim=dim),
              {"repeats": 2, "dim": dim})
        if rank >= 2:
            for k in (1, 2, 3, -1):
                r.add("shapes", "rot90", f"k{k}_rank{rank}", [x], lambda t: torch.rot90(t, k, [0, 1]), {"k": k, "dims": [0, 1]})
        idx = torch.argsort(r.rand(*shape), dim=dim)
        r.add("shapes", "take_along_dim", f"rank{rank}", [x, idx], lambda t, i: torch.take_along_dim(t, i, dim=dim), {"dim": dim})
        r.add("shapes", "diag_embed", f"rank{rank}", [x], torch.diag_embed)
    x = r.rand(2, 4)
    r.add("shapes", "diag_embed", "offset", [x], lambda t: torch.diag_embed(t, offset=1), {"offset": 1})
    r.add("shapes", "diff", "prepend", [x, r.rand(2, 1)], lambda t, p: torch.diff(t, dim=1, prepend=p), {"dim": 1})
    r.add("shapes", "repeat_interleave", "flat", [x], lambda t: torch.repeat_interleave(t, 3), {"repeats": 3})
    r.add("shapes", "repeat_interleave", "tensor", [x, torch.tensor([1, 0, 2, 1])],
          lambda t, rep: torch.repeat_interleave(t, rep, dim=1), {"dim": 1})
    a, b = r.rand(3), r.rand(2)
    for indexing in ("ij", "xy"):
        r.add("shapes", "meshgrid", indexing, [a, b], lambda u, v: torch.meshgrid(u, v, indexing=indexing),
              {"indexing": indexing}, grads=False)
    for rows, cols, offset in ((3, 3, 0), (4, 3, 1), (3, 5, -1)):
        r.add("shapes", "tril_indices", f"{rows}x{cols}_{offset}", [rows, cols], lambda m, n: torch.tril_indices(m, n, offset),
              {"offset": offset}, grads=False)
        r.add("shapes", "triu_indices", f"{rows}x{cols}_{offset}", [rows, cols], lambda m, n: torch.triu_indices(m, n, offset),
              {"offset": offset}, grads=False)
    y = r.rand(4, 6, 4)
    r.add("shapes", "hsplit", "basic", [y], lambda t: torch.hsplit(t, 3), {"sections": 3}, grads=False)
    r.add("shapes", "vsplit", "basic", [y], lambda t: torch.vsplit(t, 2), {"sections": 2}, grads=False)
    r.add("shapes", "dsplit", "basic", [y], lambda t: torch.dsplit(t, 2), {"sections": 2}, grads=False)
    r.add("shapes", "hsplit", "indivisible", [y], lambda t: torch.hsplit(t, 4), {"sections": 4}, grads=False)
    for dim in (-1, 0):
        u, v = r.rand(3, 3), r.rand(3, 3)
        r.add("shapes", "linalg.cross", f"dim{dim}", [u, v], lambda p, q: torch.linalg.cross(p, q, dim=dim), {"dim": dim})
    r.add("shapes", "rot90", "same_dims", [r.rand(2, 2)], lambda t: torch.rot90(t, 1, [0, 0]), {"k": 1, "dims": [0, 0]},
          grads=False)


def searching(r):
    seq = torch.sort(r.rand(7)).values
    vals = r.rand(3, 4)
    for right in (False, True):
        r.add("searching", "searchsorted", f"right{right}", [seq, vals], lambda s, v: torch.searchsorted(s, v, right=right),
              {"right": right}, grads=False)
        r.add("searching", "bucketize", f"right{right}", [vals, seq], lambda v, s: torch.bucketize(v, s, right=right),
              {"right": right}, grads=False)
    seq2 = torch.sort(r.rand(3, 5), dim=1).values
    r.add("searching", "searchsorted", "batched", [seq2, r.rand(3, 2)], torch.searchsorted, grads=False)
    r.add("searching", "searchsorted", "ties", [torch.tensor([1.0, 2.0, 2.0, 3.0]), torch.tensor([2.0, 0.0, 4.0])],
          torch.searchsorted, grads=False)
    counts = r.randint(0, 6, 12)
    r.add("searching", "bincount", "basic", [counts], torch.bincount, grads=False)
    r.add("searching", "bincount", "minlength", [counts], lambda t: torch.bincount(t, minlength=10), {"minlength": 10}, grads=False)
    r.add("searching", "bincount", "weights", [counts, r.rand(12)], lambda t, w: torch.bincount(t, weights=w), grads=False)
    r.add("searching", "bincount", "negative", [torch.tensor([1, -1])], torch.bincount, grads=False)
    h = r.rand(20)
    r.add("searching", "histc", "auto", [h], lambda t: torch.histc(t, bins=5), {"bins": 5}, grads=False)
    r.add("searching", "histc", "range", [h], lambda t: torch.histc(t, bins=4, min=-1, max=1), {"bins": 4, "min": -1, "max": 1},
          grads=False)
    u = r.randint(0, 5, 3, 4)
    r.add("searching", "unique", "basic", [u], lambda t: torch.unique(t), grads=False)
    r.add("searching", "unique", "inverse_counts", [u], lambda t: torch.unique(t, return_inverse=True, return_counts=True),
          {"return_inverse": True, "return_counts": True}, grads=False)
    uf = torch.tensor([2.0, 1.0, 2.0, float("nan"), 1.0])
    r.add("searching", "unique", "float", [uf], lambda t: torch.unique(t, return_counts=True), {"return_counts": True}, grads=False)
    c = torch.tensor([1, 1, 2, 2, 2, 1, 3, 3])
    r.add("searching", "unique_consecutive", "basic", [c],
          lambda t: torch.unique_consecutive(t, return_inverse=True, return_counts=True),
          {"return_inverse": True, "return_counts": True}, grads=False)
    a = r.rand(6)
    b = a.clone()
    b[1] += 1e-6
    b[2] += 1e-3
    a[3], b[3] = float("inf"), float("inf")
    a[4], b[4] = float("nan"), float("nan")
    for equal_nan in (False, True):
        r.add("searching", "isclose", f"equal_nan{equal_nan}", [a, b], lambda p, q: torch.isclose(p, q, equal_nan=equal_nan),
              {"equal_nan": equal_nan}, grads=False)
    r.add("searching", "isclose", "tolerances", [a, b], lambda p, q: torch.isclose(p, q, rtol=1e-2, atol=1e-2),
          {"rtol": 1e-2, "atol": 1e-2}, grads=False)
    for p in (2.0, 1.0, 3.0, 0.0, float("inf")):
        x1, x2 = r.rand(4, 3), r.rand(5, 3)
        r.add("searching", "cdist", f"p{p}", [x1, x2], lambda u, v: torch.cdist(u, v, p=p), {"p": p},
              grads=p != 0.0, rtol=1e-5, atol=1e-5)
    r.add("searching", "cdist", "batched", [r.rand(2, 3, 4), r.rand(2, 2, 4)], torch.cdist, rtol=1e-5, atol=1e-5)


def indexing(r):
    x = r.rand(5, 4)
    idx = torch.tensor([3, 0, 1])
    r.add("indexing", "index_copy", "dim0", [x, idx, r.rand(3, 4)], lambda t, i, s: torch.index_copy(t, 0, i, s), {"dim": 0})
    r.add("indexing", "index_copy", "dim1", [x, torch.tensor([2, 0]), r.rand(5, 2)], lambda t, i, s: torch.index_copy(t, 1, i, s),
          {"dim": 1})
    r.add("indexing", "index_fill", "dim0", [x, idx], lambda t, i: torch.index_fill(t, 0, i, -1.5), {"dim": 0, "value": -1.5})
    r.add("indexing", "index_fill", "dim1", [x, torch.tensor([1])], lambda t, i: torch.index_fill(t, 1, i, 2.0), {"dim": 1, "value": 2.0})
    mask = r.rand(5, 4) > 0
    r.add("indexing", "masked_scatter", "basic", [x, mask, r.rand(5, 4)], lambda t, m, s: torch.masked_scatter(t, m, s))
    r.add("indexing", "masked_scatter", "broadcast", [x, torch.tensor([True, False, True, False]), r.rand(12)],
          lambda t, m, s: torch.masked_scatter(t, m, s))
    src = distinct(r, 3, 4)
    index = r.randint(0, 5, 3, 4)
    for reduce in ("sum", "mean", "amax", "amin", "prod"):
        for include_self in (True, False):
            r.add("indexing", "scatter_reduce", f"{reduce}_{include_self}", [distinct(r, 5, 4), index, src],
                  lambda t, i, s: torch.scatter_reduce(t, 0, i, s, reduce=reduce, include_self=include_self),
                  {"dim": 0, "reduce": reduce, "include_self": include_self}, rtol=1e-5, atol=1e-5)
    r.add("indexing", "scatter_reduce", "int64_mean", [r.randint(0, 9, 4), torch.tensor([0, 1, 0]), r.randint(0, 9, 3)],
          lambda t, i, s: torch.scatter_reduce(t, 0, i, s, reduce="mean"), {"dim": 0, "reduce": "mean"}, grads=False)
    y = r.rand(4, 7)
    for q in (0.0, 0.3, 0.5, 1.0):
        r.add("indexing", "quantile", f"all_q{q}", [y], lambda t: torch.quantile(t, q), {"q": q}, grads=False)
        r.add("indexing", "quantile", f"dim_q{q}", [y], lambda t: torch.quantile(t, q, dim=1), {"q": q, "dim": 1}, grads=False)
    yn = y.clone()
    yn[1, 2] = float("nan")
    r.add("indexing", "quantile", "nan", [yn], lambda t: torch.quantile(t, 0.4, dim=1, keepdim=True),
          {"q": 0.4, "dim": 1, "keepdim": True}, grads=False)
    r.add("indexing", "nanquantile", "nan", [yn], lambda t: torch.nanquantile(t, 0.4, dim=1), {"q": 0.4, "dim": 1}, grads=False)
    r.add("indexing", "quantile", "bad_q", [y], lambda t: torch.quantile(t, 1.5), {"q": 1.5}, grads=False)


def linalg(r):
    tol = {"rtol": 1e-4, "atol": 1e-4}
    for n in (2, 3, 4):
        a = r.rand(n, n)
        spd = (a @ a.T + n * torch.eye(n)).detach()
        r.add("linalg", "linalg.cholesky", f"n{n}", [spd], torch.linalg.cholesky, **tol)
        r.add("linalg", "linalg.cholesky_ex", f"n{n}", [spd], torch.linalg.cholesky_ex, **tol)
        r.add("linalg", "linalg.slogdet", f"n{n}", [a], torch.linalg.slogdet, **tol)
        r.add("linalg", "linalg.matrix_exp", f"n{n}", [a * 0.5], torch.linalg.matrix_exp, **tol)
        for p in (0, 1, 2, 3, -2):
            r.add("linalg", "linalg.matrix_power", f"n{n}_p{p}", [spd / n], lambda t: torch.linalg.matrix_power(t, p), {"n": p}, **tol)
        for ord in ("fro", "nuc", 2, -2, 1, -1, float("inf")):
            r.add("linalg", "linalg.matrix_norm", f"n{n}_{ord}", [a], lambda t: torch.linalg.matrix_norm(t, ord), {"ord": ord}, **tol)
    for m, n in ((4, 3), (3, 3), (5, 2)):
        a = r.rand(m, n)
        r.add("linalg", "linalg.qr", f"{m}x{n}", [a], torch.linalg.qr, **tol)
        r.add("linalg", "linalg.pinv", f"{m}x{n}", [a], torch.linalg.pinv, **tol)
        r.add("linalg", "linalg.matrix_rank", f"{m}x{n}", [a], torch.linalg.matrix_rank, grads=False)
    low = r.rand(4, 2) @ r.rand(2, 4)
    r.add("linalg", "linalg.matrix_rank", "rank2", [low], torch.linalg.matrix_rank, grads=False)
    r.add("linalg", "linalg.qr", "batched", [r.rand(2, 4, 3)], torch.linalg.qr, **tol)
    r.add("linalg", "linalg.multi_dot", "matrices", [r.rand(2, 3), r.rand(3, 4), r.rand(4, 2)],
          lambda *m: torch.linalg.multi_dot(list(m)), **tol)
    r.add("linalg", "linalg.multi_dot", "vectors", [r.rand(3), r.rand(3, 4), r.rand(4)],
          lambda *m: torch.linalg.multi_dot(list(m)), **tol)
    r.add("linalg", "linalg.cholesky", "not_positive_definite", [torch.tensor([[1.0, 2.0], [2.0, 1.0]])],
          torch.linalg.cholesky, grads=False)


def special(r):
    """The gamma-function family, 3-D pooling, adaptive max pooling's indices and the
    Householder product (recorded after every other family, so earlier cases keep their draws)."""
    for dtype in (torch.float32, torch.float64):
        tag = str(dtype).replace("torch.", "")
        x = r.rand(3, 4, low=-3.5, high=6, dtype=dtype)
        r.add("special", "lgamma", tag, [x], torch.lgamma)
        r.add("special", "digamma", tag, [x], torch.digamma)
        for n in (1, 2):
            r.add("special", "polygamma", f"n{n}_{tag}", [n, x], torch.polygamma)
    vol = r.rand(2, 2, 4, 5, 3)
    r.add("special", "nn.functional.max_pool3d", "k2", [vol], lambda t: torch.nn.functional.max_pool3d(t, 2),
          {"kernel_size": 2})
    r.add("special", "nn.functional.max_pool3d", "strided_padded", [vol],
          lambda t: torch.nn.functional.max_pool3d(t, 3, stride=(1, 2, 2), padding=1, ceil_mode=True),
          {"kernel_size": 3, "stride": [1, 2, 2], "padding": 1, "ceil_mode": True})
    r.add("special", "nn.functional.avg_pool3d", "k2", [vol], lambda t: torch.nn.functional.avg_pool3d(t, 2),
          {"kernel_size": 2})
    r.add("special", "nn.functional.avg_pool3d", "padded_exclusive", [vol],
          lambda t: torch.nn.functional.avg_pool3d(t, (2, 3, 2), padding=1, count_include_pad=False),
          {"kernel_size": [2, 3, 2], "padding": 1, "count_include_pad": False})
    r.add("special", "nn.functional.adaptive_max_pool2d", "indices", [r.rand(2, 3, 7, 5)],
          lambda t: torch.nn.functional.adaptive_max_pool2d(t, (3, 2), return_indices=True),
          {"output_size": [3, 2], "return_indices": True})
    a, tau = torch.geqrf(r.rand(5, 3, dtype=torch.float64))
    r.add("special", "linalg.householder_product", "geqrf", [a, tau], torch.linalg.householder_product, rtol=1e-10, atol=1e-10)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "ConformanceTests", "Corpus"))
    args = parser.parse_args()
    r = Recorder(args.seed)
    sorting(r)
    elementwise(r)
    reductions(r)
    shapes(r)
    searching(r)
    indexing(r)
    linalg(r)
    special(r)
    r.write(args.out)


if __name__ == "__main__":
    main()
