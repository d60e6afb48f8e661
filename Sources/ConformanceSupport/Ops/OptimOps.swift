import Torch

/// `optim.jsonl`: `inputs` = [params, grads per step]; the result is every parameter after
/// every step, flattened step by step (the comparison flattens the recorded lists alike).
let optimOps: [String: OpImplementation] = [
    "optim.SGD": { c in
        replaySteps(c) { params, k in
            SGD(params, lr: k["lr"] ?? 1e-3, momentum: k["momentum"] ?? 0, dampening: k["dampening"] ?? 0,
                weightDecay: k["weight_decay"] ?? 0, nesterov: (k["nesterov"] ?? 0) != 0, maximize: (k["maximize"] ?? 0) != 0)
        }
    },
    "optim.Adam": { c in
        replaySteps(c) { params, k in
            Adam(params, lr: k["lr"] ?? 1e-3, betas: (k["beta1"] ?? 0.9, k["beta2"] ?? 0.999), eps: k["eps"] ?? 1e-8,
                 weightDecay: k["weight_decay"] ?? 0, amsgrad: (k["amsgrad"] ?? 0) != 0, maximize: (k["maximize"] ?? 0) != 0)
        }
    },
    "optim.AdamW": { c in
        replaySteps(c) { params, k in
            AdamW(params, lr: k["lr"] ?? 1e-3, betas: (k["beta1"] ?? 0.9, k["beta2"] ?? 0.999), eps: k["eps"] ?? 1e-8,
                  weightDecay: k["weight_decay"] ?? 1e-2, amsgrad: (k["amsgrad"] ?? 0) != 0, maximize: (k["maximize"] ?? 0) != 0)
        }
    },
    "optim.RMSprop": { c in
        replaySteps(c) { params, k in
            RMSprop(params, lr: k["lr"] ?? 1e-2, alpha: k["alpha"] ?? 0.99, eps: k["eps"] ?? 1e-8,
                    weightDecay: k["weight_decay"] ?? 0, momentum: k["momentum"] ?? 0, centered: (k["centered"] ?? 0) != 0)
        }
    },
    "optim.Adagrad": { c in
        replaySteps(c) { params, k in
            Adagrad(params, lr: k["lr"] ?? 1e-2, lrDecay: k["lr_decay"] ?? 0, weightDecay: k["weight_decay"] ?? 0,
                    initialAccumulatorValue: k["initial_accumulator_value"] ?? 0, eps: k["eps"] ?? 1e-10)
        }
    },
]

/// Builds the optimizer from the case's keyword arguments (numbers and bools as Doubles,
/// `betas` split into `beta1`/`beta2`), applies each step's gradients and collects the
/// parameters after every step.
private func replaySteps(_ c: OpCall, make: ([Tensor], [String: Double]) -> Optimizer) -> OpValue {
    let params = (c[0].tensors ?? []).map { $0.detach().clone().requiresGrad_() }
    var k: [String: Double] = [:]
    for (name, arg) in c.kwargs {
        if let betas = arg.list, betas.count == 2 {
            k["beta1"] = betas[0].double
            k["beta2"] = betas[1].double
        } else if let v = arg.double {
            k[name] = v
        }
    }
    let optimizer = make(params, k)
    var results: [Tensor] = []
    for step in c[1].list ?? [] {
        for (p, g) in zip(params, step.tensors ?? []) { p.grad = g }
        optimizer.step()
        results += params.map { $0.detach().clone() }
    }
    return .tensors(results)
}
