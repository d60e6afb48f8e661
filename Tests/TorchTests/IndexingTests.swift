import Testing
@testable import Torch

@Suite struct IndexingTests {
    @Test func seedIndexing() {
        let t = Tensor([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]])
        #expect(t[0, 1, 0].description == "tensor(4.)")
        let x = Tensor.arange(0, 12).view(3, 4)
        #expect(x[.all, 1].toArray(Int.self) == [1, 5, 9])
        #expect(x[1..<3].shape == [2, 4])
        #expect(x[2...].toArray(Int.self) == [8, 9, 10, 11])
        #expect(x[-1, -1].item(as: Int.self) == 11)
        #expect(x[.slice(0, nil, step: 2)].shape == [2, 4])
        #expect(x[.ellipsis, 0].toArray(Int.self) == [0, 4, 8])
        #expect(x[.newAxis].shape == [1, 3, 4])
        #expect(x[.all, 1].storage === x.storage)
        #expect(x[Tensor([2, 0])].toArray(Int.self) == [8, 9, 10, 11, 0, 1, 2, 3])
        #expect(x[x .> 8].toArray(Int.self) == [9, 10, 11])
    }

    @Test func assignment() {
        let b = Tensor.zeros(6)
        b[3] = Tensor(5.0)
        #expect(b.toArray(Float.self) == [0, 0, 0, 5, 0, 0])
        let x = Tensor.zeros(3, 3)
        x[.all, 1] = Tensor([7.0, 8.0, 9.0])
        #expect(x.toArray(Float.self) == [0, 7, 0, 0, 8, 0, 0, 9, 0])
        x[x .> 7.5] = Tensor(-1.0)
        #expect(x.toArray(Float.self) == [0, 7, 0, 0, -1, 0, 0, -1, 0])
        x.indexPut_([.int(0)], 2)
        #expect(x.toArray(Float.self)[0..<3] == [2, 2, 2])
    }

    @Test func outOfRangeFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros(3)[5]
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("index 5 is out of bounds for dimension 0 with size 3"))
    }
}
