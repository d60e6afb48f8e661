/// Ops whose forward is composed of other ops but which PyTorch records as one node of
/// their own (`FracBackward0`, `DiagEmbedBackward0`, ...): the composition runs unrecorded
/// and a single node carries PyTorch's derivative formula, written in recorded ops so
/// second derivatives work too.

/// `forward()` run unrecorded, then one node `name` over `inputs` with `backward`.
func composite(_ name: String, _ inputs: [Tensor], forward: () -> Tensor,
                       backward: @escaping (Tensor, Tensor) -> [Tensor?]) -> Tensor {
    let out = noGrad(forward)
    if needsGrad(inputs) {
        let saved = SavedTensor(output: out, producer: name)
        record(name, inputs: inputs, outputs: [out]) { g in
            zip(backward(g[0]!, saved.unpack()), inputs).map { grad, input in input.requiresGrad ? grad : nil }
        }
    }
    return out
}

