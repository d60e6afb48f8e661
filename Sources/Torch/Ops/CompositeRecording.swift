/// Ops whose forward is composed of other ops but which PyTorch records as one node of
/// their own (`FracBackward0`, `DiagEmbedBackward0`, ...): the composition runs unrecorded
/// and a single node carries PyTorch's derivative formula, written in recorded ops so
/// second derivatives work too.

/// What a composite's derivative reads, unpacked with their version checks: the tensors
/// it declared (`saved[i]`) and, when asked for, its own result (`output`).
struct CompositeSaved {
    fileprivate let tensors: [Tensor]
    /// The op's result (only when recorded with `savingOutput: true`).
    let output: Tensor!

    /// The `i`-th tensor of the `saving:` list.
    subscript(_ i: Int) -> Tensor { tensors[i] }
}

/// `forward()` run unrecorded, then one node `name` over `inputs` with `backward`. The
/// derivative keeps alive only what it declares: the tensors in `saving` (inputs, or other
/// operands such as an index) and the result when `savingOutput`; anything else it needs
/// (shapes, dtypes, scalars) it captures as plain values. A declared tensor changed in
/// place before backward fails with PyTorch's message.
func composite(_ name: String, _ inputs: [Tensor], saving: [Tensor] = [], savingOutput: Bool = false,
               forward: () -> Tensor, backward: @escaping (Tensor, CompositeSaved) -> [Tensor?]) -> Tensor {
    let out = noGrad(forward)
    if needsGrad(inputs) {
        let savedTensors = saving.map(SavedTensor.init)
        let savedOutput = savingOutput ? SavedTensor(output: out, producer: name) : nil
        let needed = inputs.map(\.requiresGrad)
        record(name, inputs: inputs, outputs: [out]) { g in
            let saved = CompositeSaved(tensors: savedTensors.map { $0.unpack() }, output: savedOutput?.unpack())
            return zip(backward(g[0]!, saved), needed).map { grad, need in need ? grad : nil }
        }
    }
    return out
}

