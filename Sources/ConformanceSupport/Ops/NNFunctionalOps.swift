import Torch

/// `nn_functional.jsonl`: `torch.nn.functional` layers' functional forms.
let nnFunctionalOps: [String: OpImplementation] = [
    "nn.functional.linear": { c in .tensor(linear(c.tensor(0), c.tensor(1), c[2].tensor)) },
    "nn.functional.conv1d": { c in
        .tensor(conv1d(c.tensor(0), c.tensor(1), c[2].tensor, stride: c[kw: "stride"].int ?? 1,
                       padding: padding(c), dilation: c[kw: "dilation"].int ?? 1, groups: c[kw: "groups"].int ?? 1))
    },
    "nn.functional.conv2d": { c in
        .tensor(conv2d(c.tensor(0), c.tensor(1), c[2].tensor, stride: c[kw: "stride"].ints ?? [1],
                       padding: padding(c), dilation: c[kw: "dilation"].ints ?? [1], groups: c[kw: "groups"].int ?? 1))
    },
    "nn.functional.conv_transpose2d": { c in
        .tensor(convTranspose2d(c.tensor(0), c.tensor(1), c[2].tensor, stride: c[kw: "stride"].ints ?? [1],
                                padding: c[kw: "padding"].ints ?? [0], outputPadding: c[kw: "output_padding"].ints ?? [0],
                                groups: c[kw: "groups"].int ?? 1, dilation: c[kw: "dilation"].ints ?? [1]))
    },
    "nn.functional.max_pool2d": { c in
        .tensor(maxPool2d(c.tensor(0), c[kw: "kernel_size"].ints ?? c[1].ints!, stride: c[kw: "stride"].ints,
                          padding: c[kw: "padding"].ints ?? [0], dilation: c[kw: "dilation"].ints ?? [1],
                          ceilMode: flag(c, "ceil_mode")))
    },
    "nn.functional.avg_pool2d": { c in
        .tensor(avgPool2d(c.tensor(0), c[kw: "kernel_size"].ints ?? c[1].ints!, stride: c[kw: "stride"].ints,
                          padding: c[kw: "padding"].ints ?? [0], ceilMode: flag(c, "ceil_mode"),
                          countIncludePad: c[kw: "count_include_pad"].double.map { $0 != 0 } ?? true,
                          divisorOverride: c[kw: "divisor_override"].int))
    },
    "nn.functional.batch_norm": { c in
        let runningMean = c[1].tensor, runningVar = c[2].tensor
        let y = batchNorm(c.tensor(0), runningMean: runningMean, runningVar: runningVar,
                          weight: c[3].tensor ?? c[kw: "weight"].tensor, bias: c[4].tensor ?? c[kw: "bias"].tensor,
                          training: flag(c, "training"), momentum: c[kw: "momentum"].double ?? 0.1,
                          eps: c[kw: "eps"].double ?? 1e-5)
        guard let runningMean, let runningVar else { return .tensor(y) }
        return .tensors([y, runningMean, runningVar])
    },
    "nn.functional.layer_norm": { c in
        .tensor(layerNorm(c.tensor(0), normalizedShape: c[1].ints ?? c[kw: "normalized_shape"].ints ?? [], weight: c[2].tensor ?? c[kw: "weight"].tensor, bias: c[3].tensor ?? c[kw: "bias"].tensor,
                          eps: c[kw: "eps"].double ?? 1e-5))
    },
    "nn.functional.group_norm": { c in
        .tensor(groupNorm(c.tensor(0), numGroups: c[1].int!, weight: c[2].tensor, bias: c[3].tensor,
                          eps: c[kw: "eps"].double ?? 1e-5))
    },
    "nn.functional.embedding": { c in
        .tensor(embedding(c.tensor(0), c.tensor(1), paddingIdx: c[kw: "padding_idx"].int))
    },
    "nn.functional.scaled_dot_product_attention": { c in
        .tensor(scaledDotProductAttention(c.tensor(0), c.tensor(1), c.tensor(2),
                                          attnMask: c[3].tensor ?? c[kw: "attn_mask"].tensor,
                                          dropoutP: c[kw: "dropout_p"].double ?? 0,
                                          isCausal: (c[kw: "is_causal"].double ?? 0) != 0,
                                          scale: c[kw: "scale"].double))
    },
    "nn.functional.dropout": { c in
        .tensor(dropout(c.tensor(0), p: c[kw: "p"].double ?? 0.5, training: c[kw: "training"].double.map { $0 != 0 } ?? true))
    },
    "nn.functional.softmax": { c in
        .tensor(softmax(c.tensor(0), dim: c[kw: "dim"].int ?? c[1].int!, dtype: c.dtype))
    },
    "nn.functional.log_softmax": { c in
        .tensor(c.tensor(0).logSoftmax(dim: c[kw: "dim"].int ?? c[1].int!, dtype: c.dtype))
    },
    "nn.functional.pad": { c in
        .tensor(pad(c.tensor(0), c[1].ints!, mode: c[kw: "mode"].string.flatMap(PaddingMode.init(rawValue:)) ?? .constant,
                    value: c[kw: "value"].double ?? 0))
    },
    "nn.functional.interpolate": { c in
        let scale = c[kw: "scale_factor"].list.map { $0.compactMap(\.double) } ?? c[kw: "scale_factor"].double.map { [$0] }
        return .tensor(interpolate(c.tensor(0), size: c[kw: "size"].ints, scaleFactor: scale,
                                   mode: c[kw: "mode"].string.flatMap(InterpolationMode.init(rawValue:)) ?? .nearest,
                                   alignCorners: c[kw: "align_corners"].double.map { $0 != 0 }))
    },
    "nn.functional.one_hot": { c in .tensor(oneHot(c.tensor(0), numClasses: c[1].int ?? c[kw: "num_classes"].int ?? -1)) },
    "nn.functional.normalize": { c in
        .tensor(normalize(c.tensor(0), p: c[kw: "p"].double ?? 2, dim: c[kw: "dim"].int ?? 1, eps: c[kw: "eps"].double ?? 1e-12))
    },
    "nn.functional.cosine_similarity": { c in
        .tensor(cosineSimilarity(c.tensor(0), c.tensor(1), dim: c[kw: "dim"].int ?? 1, eps: c[kw: "eps"].double ?? 1e-8))
    },
    "nn.functional.pixel_shuffle": { c in .tensor(pixelShuffle(c.tensor(0), upscaleFactor: c[1].int!)) },
    "nn.functional.pixel_unshuffle": { c in .tensor(pixelUnshuffle(c.tensor(0), downscaleFactor: c[1].int!)) },
    "nn.functional.adaptive_avg_pool2d": { c in .tensor(adaptiveAvgPool2d(c.tensor(0), c[1].ints!)) },
]

/// A boolean keyword, `false` when absent.
private func flag(_ c: OpCall, _ name: String) -> Bool { (c[kw: name].double ?? 0) != 0 }

/// A convolution's `padding` keyword: a number, a list, or `"same"`/`"valid"`.
private func padding(_ c: OpCall) -> ConvolutionPadding {
    if let name = c[kw: "padding"].string { return ConvolutionPadding(name) ?? .valid }
    return .explicit(c[kw: "padding"].ints ?? [0])
}
