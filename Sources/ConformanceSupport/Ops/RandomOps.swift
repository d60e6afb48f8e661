import Torch

/// `random.jsonl`: each case's `seed` seeds a fresh generator, which gives the same stream
/// as `torch.manual_seed(seed)` on the default one without disturbing it.
private func generator(_ c: OpCall) -> Generator {
    Generator(seed: UInt64(c[kw: "seed"].int ?? 0))
}

let randomOps: [String: OpImplementation] = [
    "random.rand": { c in .tensor(Tensor.rand(c[0].ints ?? [], dtype: c.dtype, generator: generator(c))) },
    "random.randn": { c in .tensor(Tensor.randn(c[0].ints ?? [], dtype: c.dtype, generator: generator(c))) },
    "random.randint": { c in
        if c.args.count == 2 {
            return .tensor(Tensor.randint(c[0].int ?? 1, c[1].ints ?? [], generator: generator(c)))
        }
        return .tensor(Tensor.randint(c[0].int ?? 0, c[1].int ?? 1, c[2].ints ?? [], generator: generator(c)))
    },
    "random.randperm": { c in .tensor(Tensor.randperm(c[0].int ?? 0, generator: generator(c))) },
    "random.Tensor.normal_": { c in
        .tensor(c.tensor(0).normal_(mean: c[kw: "mean"].double ?? 0, std: c[kw: "std"].double ?? 1, generator: generator(c)))
    },
    "random.Tensor.uniform_": { c in
        .tensor(c.tensor(0).uniform_(from: c[kw: "from"].double ?? 0, to: c[kw: "to"].double ?? 1, generator: generator(c)))
    },
    "random.bernoulli": { c in .tensor(bernoulli(c.tensor(0), generator: generator(c))) },
    "random.multinomial": { c in
        let replacement: Bool
        if case .scalar(.bool(let r)) = c[kw: "replacement"] { replacement = r } else { replacement = false }
        return .tensor(multinomial(c.tensor(0), numSamples: c[1].int ?? 1, replacement: replacement, generator: generator(c)))
    },
    "random.nn.init.kaiming_uniform_": { c in
        .tensor(kaimingUniform_(c.tensor(0), a: c[kw: "a"].double ?? 0, generator: generator(c)))
    },
    "random.nn.init.xavier_uniform_": { c in
        .tensor(xavierUniform_(c.tensor(0), gain: c[kw: "gain"].double ?? 1, generator: generator(c)))
    },
]
