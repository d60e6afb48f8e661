#!/usr/bin/env python3
"""Records Tests/TorchTests/Fixtures/linalg_more.json for LinalgMoreTests.swift (run from the
repo root, torch 2.15): torch.unique over slices, linalg.lstsq with each CPU driver (values,
residuals, rank, singular values, gradients), linalg.householder_product (values and
gradients) and linalg.eig / eigvals (complex results split into real and imaginary parts)."""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "TorchTests", "Fixtures", "linalg_more.json")
out = {}


def flat(t):
    return [float(v) for v in t.detach().flatten().tolist()]


def longs(t):
    return [int(v) for v in t.flatten().tolist()]


def pattern(shape, a, b, dtype=torch.float64):
    n = 1
    for d in shape:
        n *= d
    return (torch.arange(n, dtype=torch.float64) * a % b - b / 2).to(dtype).reshape(shape)


def unique_case(name, x, **kw):
    fn = torch.unique_consecutive if kw.pop("consecutive", False) else torch.unique
    v, inv, cnt = fn(x, return_inverse=True, return_counts=True, **kw)
    out[name] = {"shape": list(v.shape), "values": flat(v), "inverse": longs(inv), "counts": longs(cnt)}


ints = torch.tensor([[1, 2, 3], [0, 5, 1], [1, 2, 3], [0, 5, 0], [1, 2, 3]])
unique_case("unique_dim0", ints, dim=0)
unique_case("unique_dim1", torch.tensor([[1, 0, 1, 1], [2, 0, 2, 1], [3, 7, 3, 0]]), dim=1)
floats = torch.tensor([[[0.5, 1.0, 0.5, -2.0], [1.0, 1.0, 1.0, 3.0], [2.0, 0.0, 2.0, 3.0]],
                       [[0.5, 1.0, 0.5, -2.0], [4.0, 1.5, 4.0, 3.0], [0.0, 0.0, 0.0, 3.0]]])
unique_case("unique_dim_last", floats, dim=-1)
unique_case("unique_consecutive_dim0", torch.tensor([[1, 2], [1, 2], [0, 5], [1, 2]]), dim=0, consecutive=True)


def lstsq_case(name, A, B, grads=False, **kw):
    A = A.clone().requires_grad_(grads)
    B = B.clone().requires_grad_(grads)
    r = torch.linalg.lstsq(A, B, **kw)
    rec = {"solution_shape": list(r.solution.shape), "solution": flat(r.solution), "residuals_shape": list(r.residuals.shape),
           "residuals": flat(r.residuals), "rank_shape": list(r.rank.shape), "rank": longs(r.rank),
           "singular_shape": list(r.singular_values.shape), "singular": flat(r.singular_values)}
    if grads:
        (r.solution * pattern(r.solution.shape, 0.61, 1.9)).sum().backward()
        rec["grad_a"], rec["grad_b"] = flat(A.grad), flat(B.grad)
    out[name] = rec


A = pattern((5, 3), 0.37, 2.1) + torch.eye(5, 3)
B = pattern((5, 2), 0.53, 1.7)
for driver in ("gelsy", "gels", "gelsd", "gelss"):
    lstsq_case("lstsq_" + driver, A, B, grads=driver == "gelsy", driver=driver)
deficient = A.clone()
deficient[:, 2] = deficient[:, 0] * 2
for driver in ("gelsy", "gelsd"):
    lstsq_case("lstsq_deficient_" + driver, deficient, B, driver=driver)
lstsq_case("lstsq_under", pattern((3, 5), 0.29, 1.3) + torch.eye(3, 5), pattern((3, 2), 0.41, 1.1), grads=True)
lstsq_case("lstsq_batched_vector", pattern((2, 4, 3), 0.31, 1.9) + torch.eye(4, 3), pattern((2, 4), 0.17, 1.3), grads=True,
           driver="gelsd")
lstsq_case("lstsq_f32", A.float(), B.float(), rcond=1e-3)

torch.manual_seed(0)
geqrf_a, geqrf_tau = torch.geqrf(pattern((2, 5, 3), 0.43, 2.3))
for name, (a, tau) in {"householder": (geqrf_a, geqrf_tau),
                       "householder_short_tau": (pattern((4, 3), 0.37, 1.1), pattern((2,), 0.7, 1.9))}.items():
    a = a.clone().requires_grad_(True)
    tau = tau.clone().requires_grad_(True)
    q = torch.linalg.householder_product(a, tau)
    (q * pattern(q.shape, 0.61, 1.9)).sum().backward()
    out[name] = {"a": flat(a), "a_shape": list(a.shape), "tau": flat(tau), "tau_shape": list(tau.shape),
                 "value": flat(q), "grad_a": flat(a.grad), "grad_tau": flat(tau.grad)}

M = torch.tensor([[2.0, -1.0, 0.5, 0.0], [1.0, 3.0, 0.0, 1.0], [0.0, 0.5, -1.0, 2.0], [1.5, 0.0, 1.0, 0.5]],
                 dtype=torch.float64)
w, v = torch.linalg.eig(M)
out["eig"] = {"values_re": flat(w.real), "values_im": flat(w.imag), "vectors_abs": flat(v.abs())}
wb = torch.linalg.eigvals(torch.stack([M, M.T * 0.5 + torch.eye(4, dtype=torch.float64)]).float())
out["eigvals_batched_f32"] = {"re": flat(wb.real), "im": flat(wb.imag)}

# Gradients through eig and eigvals, for losses that do not depend on each eigenvector's
# phase (PyTorch refuses those): weighted real and imaginary parts of the eigenvalues and
# weighted squared moduli of the eigenvectors' entries.
A = M.clone().requires_grad_(True)
w, v = torch.linalg.eig(A)
c1, c2, c3 = pattern([4], 0.37, 1.3), pattern([4], 0.53, 1.1), pattern([4, 4], 0.61, 1.9)
((w.real * c1).sum() + (w.imag * c2).sum() + (v.abs() ** 2 * c3).sum()).backward()
out["eig_grad"] = {"grad": flat(A.grad)}
A = M.clone().requires_grad_(True)
w = torch.linalg.eigvals(A)
((w.real * c1).sum() + (w.imag * c2).sum()).backward()
out["eigvals_grad"] = {"grad": flat(A.grad)}
A = M.clone().requires_grad_(True)
try:
    torch.linalg.eig(A)[1].real.sum().backward()
except RuntimeError as e:
    out["eig_phase_error"] = {"message": str(e)}

with open(OUT, "w") as f:
    json.dump(out, f)
print("wrote", OUT)
