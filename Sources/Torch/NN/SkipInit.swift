import Synchronization

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
    openSkipInitBlocks.add(1, ordering: .relaxed)
    defer { openSkipInitBlocks.subtract(1, ordering: .relaxed) }
    return try SkipInitState.$active.withValue(true) { try build() }
}

/// How many `skipInit` blocks are open anywhere: random fills read the task-local flag
/// only when this is non-zero.
private let openSkipInitBlocks = Atomic<Int>(0)

private enum SkipInitState {
    @TaskLocal static var active = false
}

/// Whether random initial values are being skipped here.
@inline(__always)
var isSkippingInit: Bool {
    openSkipInitBlocks.load(ordering: .relaxed) != 0 && SkipInitState.active
}
