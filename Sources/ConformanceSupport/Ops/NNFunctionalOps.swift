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
    "nn.functional.adaptive_avg_pool2d": { c in .tensor(adaptiveAvgPool2d(c.tensor(0), c[1].ints!)) },
]

/// A boolean keyword, `false` when absent.
private func flag(_ c: OpCall, _ name: String) -> Bool { (c[kw: name].double ?? 0) != 0 }

/// A convolution's `padding` keyword: a number, a list, or `"same"`/`"valid"`.
private func padding(_ c: OpCall) -> ConvolutionPadding {
    if let name = c[kw: "padding"].string { return ConvolutionPadding(name) ?? .valid }
    return .explicit(c[kw: "padding"].ints ?? [0])
}
