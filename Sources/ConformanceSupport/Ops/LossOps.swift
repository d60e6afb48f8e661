import Torch

/// `losses.jsonl`: the loss functions of `torch.nn.functional`.
let lossOps: [String: OpImplementation] = [
    "nn.functional.mse_loss": { c in .tensor(mseLoss(c.tensor(0), c.tensor(1), reduction: reduction(c))) },
    "nn.functional.l1_loss": { c in .tensor(l1Loss(c.tensor(0), c.tensor(1), reduction: reduction(c))) },
    "nn.functional.smooth_l1_loss": { c in
        .tensor(smoothL1Loss(c.tensor(0), c.tensor(1), reduction: reduction(c), beta: c[kw: "beta"].double ?? 1))
    },
    "nn.functional.huber_loss": { c in
        .tensor(huberLoss(c.tensor(0), c.tensor(1), reduction: reduction(c), delta: c[kw: "delta"].double ?? 1))
    },
    "nn.functional.cross_entropy": { c in
        .tensor(crossEntropy(c.tensor(0), c.tensor(1), weight: c[kw: "weight"].tensor,
                             ignoreIndex: c[kw: "ignore_index"].int ?? -100, reduction: reduction(c),
                             labelSmoothing: c[kw: "label_smoothing"].double ?? 0))
    },
    "nn.functional.nll_loss": { c in
        .tensor(nllLoss(c.tensor(0), c.tensor(1), weight: c[kw: "weight"].tensor,
                        ignoreIndex: c[kw: "ignore_index"].int ?? -100, reduction: reduction(c)))
    },
    "nn.functional.binary_cross_entropy": { c in
        .tensor(binaryCrossEntropy(c.tensor(0), c.tensor(1), weight: c[kw: "weight"].tensor, reduction: reduction(c)))
    },
    "nn.functional.binary_cross_entropy_with_logits": { c in
        .tensor(binaryCrossEntropyWithLogits(c.tensor(0), c.tensor(1), weight: c[kw: "weight"].tensor,
                                             reduction: reduction(c), posWeight: c[kw: "pos_weight"].tensor))
    },
    "nn.functional.kl_div": { c in
        .tensor(klDiv(c.tensor(0), c.tensor(1), reduction: reduction(c), logTarget: (c[kw: "log_target"].double ?? 0) != 0))
    },
    "nn.functional.margin_ranking_loss": { c in
        .tensor(marginRankingLoss(c.tensor(0), c.tensor(1), c.tensor(2), margin: c[kw: "margin"].double ?? 0,
                                  reduction: reduction(c)))
    },
    "nn.functional.cosine_embedding_loss": { c in
        .tensor(cosineEmbeddingLoss(c.tensor(0), c.tensor(1), c.tensor(2), margin: c[kw: "margin"].double ?? 0,
                                    reduction: reduction(c)))
    },
]

/// The case's `reduction` keyword (PyTorch's default `mean` when absent).
private func reduction(_ c: OpCall) -> Reduction {
    c[kw: "reduction"].string.flatMap(Reduction.init(rawValue:)) ?? .mean
}
