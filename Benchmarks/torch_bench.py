"""The PyTorch side of the side-by-side benchmarks: same cases, same timing method.

Prints one JSON object {"case": seconds}. Case names match Sources/torchbench/Cases.swift.
"""
import json
import sys
import time

import torch


def measure(body, target=0.1, samples=7):
    for _ in range(3):
        body()
    iterations = 1
    while True:
        t = _time(iterations, body)
        if t >= target / 4 or iterations >= 1 << 24:
            break
        iterations *= 4
    per = _time(iterations, body) / iterations
    iterations = max(1, int(target / max(per, 1e-9)))
    times = sorted(_time(iterations, body) / iterations for _ in range(samples))
    return times[len(times) // 2]


def _time(n, body):
    start = time.perf_counter()
    for _ in range(n):
        body()
    return time.perf_counter() - start


def filled(shape, dtype=torch.float32):
    n = 1
    for s in shape:
        n *= s
    values = (torch.arange(n, dtype=torch.int64) * 7919 % 2000).to(torch.float64) / 1000 - 1
    return values.reshape(shape).to(dtype)


def cases():
    out = {}
    for n in (1000, 100_000, 10_000_000):
        out[f"zeros_{n}"] = (lambda n=n: torch.zeros(n))
    for n in (64, 256, 1024, 2048):
        a, b = filled([n, n]), filled([n, n])
        out[f"sgemm_{n}"] = (lambda a=a, b=b: torch.mm(a, b))
    a64, b64 = filled([1024, 1024], torch.float64), filled([1024, 1024], torch.float64)
    out["dgemm_1024"] = lambda: torch.mm(a64, b64)
    a16, b16 = filled([1024, 1024], torch.bfloat16), filled([1024, 1024], torch.bfloat16)
    out["bf16_mm_1024"] = lambda: torch.mm(a16, b16)
    h16, g16 = filled([1024, 1024], torch.float16), filled([1024, 1024], torch.float16)
    out["f16_mm_1024"] = lambda: torch.mm(h16, g16)
    ba, bb = filled([64, 128, 128]), filled([64, 128, 128])
    out["bmm_64x128x128x128"] = lambda: torch.bmm(ba, bb)
    bc, bd = filled([10, 5, 3, 32, 64]), filled([64, 48])
    out["matmul_broadcast_batch"] = lambda: torch.matmul(bc, bd)
    out["einsum_bij_bjk_bik"] = lambda: torch.einsum("bij,bjk->bik", ba, bb)
    ea, eb, ec = filled([8, 16, 12, 16, 16]), filled([12, 16, 16]), filled([16, 12, 16, 16])
    out["einsum_3_operand"] = lambda: torch.einsum("ikmno,mor,kmrs->inrs", ea, eb, ec)
    s64a, s64b = filled([64, 64]), filled([64, 64])
    out["matmul_64x64"] = lambda: torch.matmul(s64a, s64b)
    for n in (1000, 100_000, 10_000_000):
        a = filled([n])
        b = a * -0.5
        out[f"add_{n}"] = (lambda a=a, b=b: a + b)
        out[f"mul_{n}"] = (lambda a=a, b=b: a * b)
        out[f"exp_{n}"] = (lambda a=a: torch.exp(a))
        out[f"sigmoid_{n}"] = (lambda a=a: torch.sigmoid(a))
    big = filled([10_000_000])
    out["sum_10000000"] = lambda: big.sum()
    one, two = torch.tensor([1.5]), torch.tensor([2.5])
    out["add_1_element"] = lambda: one + two
    ga, gb = torch.tensor([1.5], requires_grad=True), torch.tensor([2.5], requires_grad=True)
    out["add_1_element_requires_grad"] = lambda: ga + gb
    logits = filled([4096, 1024])
    out["softmax_4096x1024"] = lambda: torch.softmax(logits, dim=-1)
    x = filled([16]).requires_grad_()

    def ten_op_graph():
        y = torch.exp(torch.sin(x * 2.0 + 1.0) * x) - torch.tanh(x) / (x * x + 1.0)
        loss = torch.sigmoid(y).sum()
        loss.backward()
        x.grad = None

    out["autograd_10_op_graph"] = ten_op_graph
    out.update(nn_cases())
    return out


def nn_cases():
    """Convolution, training steps and optimizer steps (issues 7 and 8)."""
    import torch.nn as nn
    import torch.nn.functional as F
    out = {}
    torch.manual_seed(0)
    cx, cw, cb = filled([32, 3, 32, 32]), torch.randn(32, 3, 3, 3) * 0.1, torch.zeros(32)
    out["conv2d_fwd"] = lambda: F.conv2d(cx, cw, cb, padding=1)
    gx, gw, gb = cx.clone().requires_grad_(), cw.clone().requires_grad_(), cb.clone().requires_grad_()

    def conv_fwd_bwd():
        F.conv2d(gx, gw, gb, padding=1).sum().backward()
        gx.grad = gw.grad = gb.grad = None

    out["conv2d_fwd_bwd"] = conv_fwd_bwd
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    mlp_opt = torch.optim.SGD(mlp.parameters(), lr=0.01)
    mx, my = filled([64, 784]), torch.arange(64) % 10

    def mlp_step():
        mlp_opt.zero_grad()
        F.cross_entropy(mlp(mx), my).backward()
        mlp_opt.step()

    out["mlp_train_step"] = mlp_step
    bmlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(torch.bfloat16)
    bmlp_opt = torch.optim.SGD(bmlp.parameters(), lr=0.01)
    bmx = mx.to(torch.bfloat16)

    def bmlp_step():
        bmlp_opt.zero_grad()
        F.cross_entropy(bmlp(bmx), my).backward()
        bmlp_opt.step()

    out["bf16_linear_train_step"] = bmlp_step

    class CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, 3, padding=1)
            self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
            self.fc = nn.Linear(32 * 7 * 7, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv1(x)), 2)
            return self.fc(F.max_pool2d(F.relu(self.conv2(x)), 2).flatten(1))

    cnn = CNN()
    cnn_opt = torch.optim.SGD(cnn.parameters(), lr=0.01)
    ix = filled([64, 1, 28, 28])

    def cnn_step():
        cnn_opt.zero_grad()
        F.cross_entropy(cnn(ix), my).backward()
        cnn_opt.step()

    out["cnn_train_step"] = cnn_step
    params = [torch.zeros(1_000_000, requires_grad=True) for _ in range(10)]
    for p in params:
        p.grad = filled([1_000_000])
    sgd = torch.optim.SGD(params, lr=0.01, momentum=0.9)
    adam = torch.optim.Adam(params, lr=1e-3)
    out["sgd_momentum_step_10M"] = lambda: sgd.step()
    out["adam_step_10M"] = lambda: adam.step()
    return out


def vision_cases():
    import torchvision

    torch.manual_seed(0)
    net = torchvision.models.resnet18().eval()
    out = {}
    for batch in (1, 16):
        x = filled([batch, 3, 224, 224])

        def infer(x=x):
            with torch.no_grad():
                net(x)

        out[f"resnet18_infer_b{batch}"] = infer
    return out


def api_cases():
    """Sorting, selection, sets and scatter (issue 16); names match Cases.swift."""
    out = {}
    v = filled([1_000_000])
    out["sort_1M"] = lambda: torch.sort(v)
    out["topk_1M_k100"] = lambda: torch.topk(v, 100)
    ints = (torch.arange(1_000_000) * 7919) % 50_000
    out["unique_1M_int64"] = lambda: torch.unique(ints)
    rows = torch.zeros(100_000, 16)
    index = ((torch.arange(400_000) * 7919) % 100_000).reshape(-1, 1).expand(-1, 16).contiguous()
    src = filled([400_000, 16])
    out["scatter_add_100k_rows"] = lambda: rows.scatter_add(0, index, src)
    return out


def main():
    flt = None
    if "--filter" in sys.argv:
        flt = sys.argv[sys.argv.index("--filter") + 1]
    results = {}
    for name, body in {**cases(), **vision_cases(), **api_cases()}.items():
        if flt and flt not in name:
            continue
        results[name] = measure(body)
        print(f"{name}: {results[name] * 1e6:.2f} us", file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
