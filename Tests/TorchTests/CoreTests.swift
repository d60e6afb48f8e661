import Testing
@testable import Torch

@Test func literalShapes() {
    let t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    #expect(t.shape == [2, 3])
    #expect(t.dtype == .float32)
}
