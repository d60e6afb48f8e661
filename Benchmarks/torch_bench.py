"""The PyTorch side of the side-by-side benchmarks: same cases, same timing method.

Usage: torch_bench.py [--filter SUBSTRING] [--case NAME] [--list] [--threads N]
Prints one JSON object {"case": seconds}; --list prints the selected names, one a line.
Case names match Sources/torchbench/Cases.swift. Each case is a set-up function that
returns the timed body, so running one case (--case, as Benchmarks/run does) builds only
its own inputs.
"""
import json
import math
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


def creation_cases():
    out = {}
    for n in (1000, 100_000, 10_000_000):
        out[f"zeros_{n}"] = lambda n=n: (lambda: torch.zeros(n))
    return out


def linear_algebra_cases():
    out = {}

    def binary(op, shape_a, shape_b, dtype=torch.float32):
        def set_up():
            a, b = filled(shape_a, dtype), filled(shape_b, dtype)
            return lambda: op(a, b)
        return set_up

    for n in (64, 256, 1024, 2048):
        out[f"sgemm_{n}"] = binary(torch.mm, [n, n], [n, n])
    out["dgemm_1024"] = binary(torch.mm, [1024, 1024], [1024, 1024], torch.float64)
    out["bf16_mm_1024"] = binary(torch.mm, [1024, 1024], [1024, 1024], torch.bfloat16)
    out["f16_mm_1024"] = binary(torch.mm, [1024, 1024], [1024, 1024], torch.float16)
    out["bmm_64x128x128x128"] = binary(torch.bmm, [64, 128, 128], [64, 128, 128])
    out["matmul_broadcast_batch"] = binary(torch.matmul, [10, 5, 3, 32, 64], [64, 48])
    out["einsum_bij_bjk_bik"] = binary(lambda a, b: torch.einsum("bij,bjk->bik", a, b),
                                       [64, 128, 128], [64, 128, 128])

    def einsum3():
        ea, eb, ec = filled([8, 16, 12, 16, 16]), filled([12, 16, 16]), filled([16, 12, 16, 16])
        return lambda: torch.einsum("ikmno,mor,kmrs->inrs", ea, eb, ec)

    out["einsum_3_operand"] = einsum3
    out["matmul_64x64"] = binary(torch.matmul, [64, 64], [64, 64])
    return out


def elementwise_cases():
    out = {}
    for n in (1000, 100_000, 10_000_000):
        def pair(n=n):
            a = filled([n])
            return a, a * -0.5
        out[f"add_{n}"] = lambda pair=pair: (lambda a, b: lambda: a + b)(*pair())
        out[f"mul_{n}"] = lambda pair=pair: (lambda a, b: lambda: a * b)(*pair())
        out[f"exp_{n}"] = lambda n=n: (lambda a: lambda: torch.exp(a))(filled([n]))
        out[f"sigmoid_{n}"] = lambda n=n: (lambda a: lambda: torch.sigmoid(a))(filled([n]))
    out["sum_10000000"] = lambda: (lambda big: lambda: big.sum())(filled([10_000_000]))

    def add_one():
        one, two = torch.tensor([1.5]), torch.tensor([2.5])
        return lambda: one + two

    def add_one_grad():
        ga, gb = torch.tensor([1.5], requires_grad=True), torch.tensor([2.5], requires_grad=True)
        return lambda: ga + gb

    out["add_1_element"] = add_one
    out["add_1_element_requires_grad"] = add_one_grad
    out["softmax_4096x1024"] = lambda: (lambda t: lambda: torch.softmax(t, dim=-1))(filled([4096, 1024]))

    def ten_op_graph():
        x = filled([16]).requires_grad_()

        def body():
            y = torch.exp(torch.sin(x * 2.0 + 1.0) * x) - torch.tanh(x) / (x * x + 1.0)
            loss = torch.sigmoid(y).sum()
            loss.backward()
            x.grad = None
        return body

    out["autograd_10_op_graph"] = ten_op_graph
    return out


def train_step(model, opt, x, y, loss=None):
    import torch.nn.functional as F
    loss = loss or F.cross_entropy

    def body():
        opt.zero_grad()
        loss(model(x), y).backward()
        opt.step()
    return body


def nn_cases():
    """Convolution, training steps and optimizer steps (issues 7 and 8)."""
    import torch.nn as nn
    import torch.nn.functional as F
    out = {}

    def conv_inputs():
        torch.manual_seed(0)
        return filled([32, 3, 32, 32]), torch.randn(32, 3, 3, 3) * 0.1, torch.zeros(32)

    def conv_fwd():
        cx, cw, cb = conv_inputs()
        return lambda: F.conv2d(cx, cw, cb, padding=1)

    def conv_fwd_bwd():
        gx, gw, gb = (t.requires_grad_() for t in conv_inputs())

        def body():
            F.conv2d(gx, gw, gb, padding=1).sum().backward()
            gx.grad = gw.grad = gb.grad = None
        return body

    out["conv2d_fwd"] = conv_fwd
    out["conv2d_fwd_bwd"] = conv_fwd_bwd

    def labels():
        return torch.arange(64) % 10

    def mlp_step():
        torch.manual_seed(0)
        mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        return train_step(mlp, torch.optim.SGD(mlp.parameters(), lr=0.01), filled([64, 784]), labels())

    def bmlp_step():
        torch.manual_seed(0)
        bmlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10)).to(torch.bfloat16)
        return train_step(bmlp, torch.optim.SGD(bmlp.parameters(), lr=0.01),
                          filled([64, 784]).to(torch.bfloat16), labels())

    out["mlp_train_step"] = mlp_step
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

    def cnn_step():
        torch.manual_seed(0)
        cnn = CNN()
        return train_step(cnn, torch.optim.SGD(cnn.parameters(), lr=0.01), filled([64, 1, 28, 28]), labels())

    out["cnn_train_step"] = cnn_step

    def optimizer_params():
        params = [torch.zeros(1_000_000, requires_grad=True) for _ in range(10)]
        for p in params:
            p.grad = filled([1_000_000])
        return params

    out["sgd_momentum_step_10M"] = lambda: torch.optim.SGD(optimizer_params(), lr=0.01, momentum=0.9).step
    out["adam_step_10M"] = lambda: torch.optim.Adam(optimizer_params(), lr=1e-3).step
    return out


def vision_cases():
    out = {}
    for batch in (1, 16):
        def infer_case(batch=batch):
            import torchvision

            torch.manual_seed(0)
            net = torchvision.models.resnet18().eval()
            x = filled([batch, 3, 224, 224])

            def infer():
                with torch.no_grad():
                    net(x)
            return infer

        out[f"resnet18_infer_b{batch}"] = infer_case

    def cifar_step():
        import torchvision

        torch.manual_seed(0)
        net = torchvision.models.resnet18(num_classes=10)
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
        x, y = filled([32, 3, 32, 32]), torch.arange(32) % 10

        def step():
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        return step

    out["resnet18_cifar_train_step"] = cifar_step
    return out


def api_cases():
    """Sorting, selection, sets and scatter (issue 16); names match Cases.swift."""
    out = {}
    out["sort_1M"] = lambda: (lambda v: lambda: torch.sort(v))(filled([1_000_000]))
    out["topk_1M_k100"] = lambda: (lambda v: lambda: torch.topk(v, 100))(filled([1_000_000]))
    out["unique_1M_int64"] = lambda: (lambda i: lambda: torch.unique(i))((torch.arange(1_000_000) * 7919) % 50_000)

    def scatter_add():
        rows = torch.zeros(100_000, 16)
        index = ((torch.arange(400_000) * 7919) % 100_000).reshape(-1, 1).expand(-1, 16).contiguous()
        src = filled([400_000, 16])
        return lambda: rows.scatter_add(0, index, src)

    out["scatter_add_100k_rows"] = scatter_add
    return out


def resampling_cases():
    """Padding and interpolation, forward and backward (issue 18); names match Cases.swift."""
    import torch.nn.functional as F

    def fwd_bwd(shape, op):
        def set_up():
            x = filled(shape).requires_grad_()

            def body():
                op(x).sum().backward()
                x.grad = None
            return body
        return set_up

    def batch_norm_fwd_bwd():
        # Training, affine, with running statistics: what BatchNorm2d runs in train mode.
        x = filled([32, 64, 32, 32]).requires_grad_()
        weight, bias = torch.ones(64).requires_grad_(), torch.zeros(64).requires_grad_()
        running_mean, running_var = torch.zeros(64), torch.ones(64)

        def body():
            F.batch_norm(x, running_mean, running_var, weight, bias, training=True).sum().backward()
            x.grad = weight.grad = bias.grad = None
        return body

    return {
        "pad_reflect_fwd_bwd": fwd_bwd([2, 32, 32, 32], lambda x: F.pad(x, [4, 4, 4, 4], mode="reflect")),
        "interpolate_nearest_fwd_bwd": fwd_bwd([2, 128, 8, 8], lambda x: F.interpolate(x, scale_factor=2, mode="nearest")),
        "interpolate_bilinear_fwd_bwd": fwd_bwd([2, 128, 8, 8], lambda x: F.interpolate(x, scale_factor=2, mode="bilinear")),
        "batchnorm2d_fwd_bwd": batch_norm_fwd_bwd,
        "maxpool2d_fwd_bwd": fwd_bwd([32, 64, 32, 32], lambda x: F.max_pool2d(x, 3, stride=2, padding=1)),
    }


def example_cases():
    """Training steps of models from PyTorch's examples repository (issue 18): the VAE of
    examples/vae and the Net of examples/mnist, as those programs write them."""
    import torch.nn as nn
    import torch.nn.functional as F

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 400)
            self.fc21 = nn.Linear(400, 20)
            self.fc22 = nn.Linear(400, 20)
            self.fc3 = nn.Linear(20, 400)
            self.fc4 = nn.Linear(400, 784)

        def forward(self, x):
            h1 = F.relu(self.fc1(x.view(-1, 784)))
            mu, logvar = self.fc21(h1), self.fc22(h1)
            z = mu + torch.randn_like(logvar) * torch.exp(0.5 * logvar)
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar

    def vae_step():
        torch.manual_seed(0)
        model = VAE()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = (filled([128, 1, 28, 28]) + 1) / 2

        def body():
            opt.zero_grad()
            recon, mu, logvar = model(x)
            bce = F.binary_cross_entropy(recon, x.view(-1, 784), reduction="sum")
            kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
            (bce + kld).backward()
            opt.step()
        return body

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 32, 3, 1)
            self.conv2 = nn.Conv2d(32, 64, 3, 1)
            self.dropout1 = nn.Dropout(0.25)
            self.dropout2 = nn.Dropout(0.5)
            self.fc1 = nn.Linear(9216, 128)
            self.fc2 = nn.Linear(128, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
            x = torch.flatten(self.dropout1(x), 1)
            x = self.fc2(self.dropout2(F.relu(self.fc1(x))))
            return F.log_softmax(x, dim=1)

    def mnist_step():
        torch.manual_seed(0)
        model = Net()
        return train_step(model, torch.optim.Adadelta(model.parameters(), lr=1.0),
                          filled([64, 1, 28, 28]), torch.arange(64) % 10, loss=F.nll_loss)

    # examples/word_language_model as main.py runs it by default: wikitext-2's vocabulary,
    # embedding and hidden 200, 2 layers, dropout 0.2, batch 20, bptt 35, lr 20, clip 0.25.
    ntokens = 33278

    class RNNModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.drop = nn.Dropout(0.2)
            self.encoder = nn.Embedding(ntokens, 200)
            self.rnn = nn.LSTM(200, 200, 2, dropout=0.2)
            self.decoder = nn.Linear(200, ntokens)
            nn.init.uniform_(self.encoder.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

        def forward(self, input, hidden):
            output, hidden = self.rnn(self.drop(self.encoder(input)), hidden)
            decoded = self.decoder(self.drop(output)).view(-1, ntokens)
            return F.log_softmax(decoded, dim=1), hidden

    class TransformerModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(200, 2, 200, 0.2), 2)
            self.input_emb = nn.Embedding(ntokens, 200)
            self.decoder = nn.Linear(200, ntokens)
            position = torch.arange(0, 64, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(torch.arange(0, 200, 2).float() * (-math.log(10000.0) / 200))
            pe = torch.zeros(64, 200)
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            self.pe = pe.unsqueeze(1)
            nn.init.uniform_(self.input_emb.weight, -0.1, 0.1)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

        def forward(self, src, mask):
            x = F.dropout(self.input_emb(src) * math.sqrt(200) + self.pe[:src.size(0)], 0.2, True)
            return F.log_softmax(self.decoder(self.encoder(x, mask=mask)), dim=-1)

    def lm_step(make, transformer):
        torch.manual_seed(0)
        model = make()
        data, targets = torch.randint(0, ntokens, (35, 20)), torch.randint(0, ntokens, (700,))
        mask = torch.log(torch.tril(torch.ones(35, 35)))
        hidden = [(torch.zeros(2, 20, 200), torch.zeros(2, 20, 200))]

        def body():
            model.zero_grad()
            if transformer:
                output = model(data, mask).view(-1, ntokens)
            else:
                hidden[0] = tuple(h.detach() for h in hidden[0])
                output, hidden[0] = model(data, hidden[0])
            F.nll_loss(output, targets).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
            for p in model.parameters():
                p.data.add_(p.grad, alpha=-20)
        return body

    return {"vae_train_step": vae_step,
            "lstm_lm_train_step": lambda: lm_step(RNNModel, False),
            "transformer_lm_train_step": lambda: lm_step(TransformerModel, True),
            "mnist_cnn_train_step": mnist_step}


def all_cases():
    """Every case's set-up function, in Cases.swift's order."""
    out = {}
    for family in (creation_cases, linear_algebra_cases, elementwise_cases, nn_cases, vision_cases, api_cases,
                   resampling_cases, example_cases):
        out.update(family())
    return out


def main():
    def option(flag):
        return sys.argv[sys.argv.index(flag) + 1] if flag in sys.argv else None

    flt, exact = option("--filter"), option("--case")
    if option("--threads"):
        torch.set_num_threads(int(option("--threads")))
    selected = [name for name in all_cases()
                if (flt is None or flt in name) and (exact is None or name == exact)]
    if "--list" in sys.argv:
        print("\n".join(selected))
        return
    cases = all_cases()
    results = {}
    for name in selected:
        results[name] = measure(cases[name]())
        print(f"{name}: {results[name] * 1e6:.2f} us", file=sys.stderr)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
