/// Building a module without drawing its initial values (`torch.nn.utils.skip_init`): the
/// random fills its constructor and initialisers make (`uniform_`, `normal_`,
/// `kaimingUniform_`, `truncNormal_`, `orthogonal_`, ...) are skipped, so parameters hold
/// whatever the allocator gave them (constant fills such as `zeros_` still run). Meant for
/// a model whose weights are loaded right after, or whose structure alone is needed: a
/// torchvision-sized model builds in milliseconds instead of drawing a hundred million
/// numbers, and the default generator is left untouched.
///
/// ```swift
/// let model = skipInit { resnet50() }
/// try model.loadStateDict(try load(from: "resnet50.pth"))
/// ```
public func skipInit<M>(_ build: () throws -> M) rethrows -> M {
    try skipInitState.withValue(true, build)
}

/// Whether random fills are skipped for the current task.
private let skipInitState = ScopedTaskSetting(false)

/// Whether random initial values are being skipped here.
@inline(__always)
var isSkippingInit: Bool { skipInitState.current }
