import Testing
@testable import Torch

/// Channel dropout's shape rules of PyTorch 2.15, with masks recorded from PyTorch after
/// `torch.manual_seed(0)` on tensors of ones.
@Suite(.serialized) struct DropoutShapeTests {
    func masked(_ f: (Tensor) -> Tensor, _ shape: [Int]) -> [Float] {
        manualSeed(0)
        return f(Tensor.ones(shape)).toArray(Float.self)
    }

    func expectClose(_ got: [Float], _ want: [Float]) {
        #expect(got.count == want.count)
        for (a, b) in zip(got, want) { #expect(Swift.abs(a - b) < 1e-6, "\(got) vs \(want)") }
    }

    @Test func threeDimensionalInputIsReadAsBatchChannelLength() {
        // Masked per (N, C): whole rows of L elements.
        expectClose(masked({ dropout2d($0, p: 0.5) }, [2, 3, 4]),
                    [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func twoDimensionalInputIsElementwise() {
        expectClose(masked({ dropout2d($0, p: 0.5) }, [3, 4]), [0, 0, 2, 0, 0, 0, 2, 2, 0, 2, 2, 2])
    }

    @Test func fourDimensionalInputMasksFeatureMaps() {
        expectClose(masked({ dropout2d($0, p: 0.5) }, [2, 3, 2, 2]),
                    [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func dropout1dAndDropout3dTakeUnbatchedInput() {
        expectClose(masked({ dropout1d($0, p: 0.5) }, [3, 4]), [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2])
        let k: Float = 1.4285714626312256
        expectClose(masked({ dropout1d($0, p: 0.3) }, [2, 3, 2]), [0, 0, 0, 0, k, k, 0, 0, k, k, 0, 0])
        expectClose(masked({ dropout3d($0, p: 0.3) }, [4, 1, 1, 2]), [0, 0, 0, 0, k, k, 0, 0])
        expectClose(masked({ Dropout3d(p: 0.3)($0) }, [4, 1, 1, 2]), [0, 0, 0, 0, k, k, 0, 0])
    }

    @Test func probabilityOneZeroesEverything() {
        #expect(dropout2d(Tensor.ones([2, 2, 3]), p: 1).toArray(Float.self) == [Float](repeating: 0, count: 12))
    }
}
