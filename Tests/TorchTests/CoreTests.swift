import Testing
@testable import Torch

@Suite struct CreationTests {
    @Test func nestedLiteralsInferDtypeAndShape() {
        let f = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        #expect(f.shape == [2, 3])
        #expect(f.dtype == .float32)
        #expect(f.toArray(Float.self) == [1, 2, 3, 4, 5, 6])
        let i = Tensor([1, 2])
        #expect(i.dtype == .int64)
        #expect(Tensor([true]).dtype == .bool)
        let d = Tensor([1.0, 2.0], dtype: .float64)
        #expect(d.dtype == .float64)
        let deep = Tensor([[[1], [2]], [[3], [4]]])
        #expect(deep.shape == [2, 2, 1])
        #expect(deep.toArray(Int.self) == [1, 2, 3, 4])
    }

    @Test func zeroDimensionalTensors() {
        let s = Tensor(4.0)
        #expect(s.shape == [])
        #expect(s.dim == 0)
        #expect(s.numel == 1)
        #expect(s.item() == 4.0)
        #expect(Tensor(7).item(as: Int.self) == 7)
    }

    @Test func shapeAndScalarsTakesDtypeFromElementType() {
        #expect(Tensor(shape: [2], scalars: [Float(1), 2]).dtype == .float32)
        #expect(Tensor(shape: [2], scalars: [1.0, 2.0]).dtype == .float64)
        #expect(Tensor(shape: [2], scalars: [1, 2]).dtype == .int64)
        #expect(Tensor(shape: [2], scalars: [Int32(1), 2]).dtype == .int32)
        #expect(Tensor(shape: [2], scalars: [UInt8(1), 2]).dtype == .uint8)
        #expect(Tensor(shape: [1], scalars: [true]).dtype == .bool)
    }

    @Test func factories() {
        #expect(Tensor.zeros(3, 2).toArray(Float.self) == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.ones([2, 2], dtype: .float64).toArray(Double.self) == [1, 1, 1, 1])
        #expect(Tensor.empty(3, 5).shape == [3, 5])
        #expect(Tensor.full([2, 3], 3.141592).toArray(Float.self) == Array(repeating: Float(3.141592), count: 6))
        #expect(Tensor.full([2], 7).dtype == .int64)
        #expect(Tensor.full([2], true).dtype == .bool)
        #expect(Tensor.arange(1, 4).toArray(Int.self) == [1, 2, 3])
        #expect(Tensor.arange(0, 1, step: 0.25).toArray(Float.self) == [0, 0.25, 0.5, 0.75])
        #expect(Tensor.arange(5, -3, step: -2).toArray(Int.self) == [5, 3, 1, -1])
        #expect(Tensor.linspace(0, 1, steps: 5).toArray(Float.self) == [0, 0.25, 0.5, 0.75, 1])
        #expect(Tensor.eye(2, 3).toArray(Float.self) == [1, 0, 0, 0, 1, 0])
        let x = Tensor([[1, 2], [3, 4]])
        #expect(Tensor.zerosLike(x).dtype == .int64)
        #expect(Tensor.onesLike(x, dtype: .float32).toArray(Float.self) == [1, 1, 1, 1])
        #expect(Tensor.fullLike(x, 9).toArray(Int.self) == [9, 9, 9, 9])
        #expect(x.newFull([3, 2], 42).shape == [3, 2])
        #expect(x.newFull([3, 2], 42).dtype == .int64)
    }

    @Test func fillAndZeroAreInPlace() {
        let x = Tensor.zeros(2, 2)
        let version = x.storage.version
        x.fill_(32)
        #expect(x.toArray(Float.self) == [32, 32, 32, 32])
        #expect(x.storage.version > version)
        x.zero_()
        #expect(x.toArray(Float.self) == [0, 0, 0, 0])
    }
}

@Suite struct PropertyTests {
    @Test func sizeStridesContiguity() {
        let x = Tensor.zeros(2, 3, 4)
        #expect(x.size() == [2, 3, 4])
        #expect(x.size().description == "torch.Size([2, 3, 4])")
        #expect(x.size(1) == 3)
        #expect(x.size(-1) == 4)
        #expect(x.strides == [12, 4, 1])
        #expect(x.numel == 24)
        #expect(x.isContiguous)
        let t = x.asStrided([4, 3], [1, 4], offset: 0)
        #expect(!t.isContiguous)
        #expect(t.contiguous().isContiguous)
        #expect(x.dtype.description == "torch.float32")
        #expect(x.device == .cpu)
    }

    @Test func viewsShareStorage() {
        let base = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        let column = base.asStrided([2], [3], offset: 1)
        column.fill_(0)
        #expect(base.toArray(Float.self) == [1, 0, 3, 4, 0, 6])
        #expect(column.storage === base.storage)
        let copy = base.clone()
        copy.fill_(9)
        #expect(base.toArray(Float.self) == [1, 0, 3, 4, 0, 6])
    }

    @Test func bridgeSharesMemoryBothWays() {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: 5)
        defer { buffer.deallocate() }
        for i in 0..<5 { buffer[i] = Float(i) }
        let t = Tensor(sharing: buffer, shape: [5])
        #expect(t.toArray(Float.self) == [0, 1, 2, 3, 4])
        buffer[2] = 42
        #expect(t.doubleValue(at: [2]) == 42)
        t.fill_(7)
        #expect(buffer[4] == 7)
        t.withUnsafeMutableBufferPointer(Float.self) { $0[0] = -1 }
        #expect(buffer[0] == -1)
    }
}

@Suite struct ConversionTests {
    @Test func floatToIntTruncatesTowardZero() {
        let x = Tensor([1.7, -2.7, 0.5, -0.5])
        #expect(x.long().toArray(Int.self) == [1, -2, 0, 0])
        #expect(x.int().dtype == .int32)
        #expect(x.bool().toArray(Bool.self) == [true, true, true, true])
        #expect(Tensor([-1.0, 256.0, 3.9]).to(.uint8).toArray(UInt8.self) == [255, 0, 3])
    }

    @Test func conversionsKeepValues() {
        let x = Tensor([1, 2, 3])
        #expect(x.float().toArray(Float.self) == [1, 2, 3])
        #expect(x.double().dtype == .float64)
        #expect(x.type(.float64).dtype == .float64)
        #expect(x.to(.int64) === x)
        #expect(x.type() == "torch.LongTensor")
        #expect(Tensor([0, 2]).bool().toArray(Bool.self) == [false, true])
    }

    @Test func devices() throws {
        #expect(try Device("cuda:0") == Device(kind: .cuda, index: 0))
        #expect(try Device("cpu") == .cpu)
        #expect(try Device("cuda:1").description == "cuda:1")
        #expect(cuda.isAvailable() == false)
        #expect(throws: TorchError.self) { try Device("blabladevice") }
        let error = #expect(throws: TorchError.self) { try Device("blabladevice") }
        #expect(error?.message.hasPrefix("Expected one of cpu, cuda") == true)
        #expect(error?.message.hasSuffix("device type at start of device string: blabladevice") == true)
    }
}

@Suite struct PromotionTests {
    @Test func promoteTypesTable() {
        #expect(promoteTypes(.int32, .int64) == .int64)
        #expect(promoteTypes(.uint8, .int32) == .int32)
        #expect(promoteTypes(.bool, .uint8) == .uint8)
        #expect(promoteTypes(.bool, .bool) == .bool)
        #expect(promoteTypes(.int64, .float32) == .float32)
        #expect(promoteTypes(.float32, .float64) == .float64)
        #expect(promoteTypes(.uint8, .float64) == .float64)
    }

    @Test func zeroDimAndScalarsParticipateByCategory() {
        let i32 = Tensor([1, 2], dtype: .int32)
        let f32 = Tensor([1.0, 2.0])
        #expect(resultType(i32, Tensor(5)) == .int32)
        #expect(resultType(i32, 2.5) == .float32)
        #expect(resultType(i32, 2) == .int32)
        #expect(resultType(f32, Tensor(1.0, dtype: .float64)) == .float32)
        #expect(resultType(Tensor([true]), 3) == .int64)
        #expect(resultType(Tensor([true]), Tensor(2.0, dtype: .float64)) == .float64)
        #expect(resultType(Tensor(1, dtype: .int32), Tensor(2, dtype: .int64)) == .int64)
        #expect(resultType(Tensor([1], dtype: .uint8), Tensor(-5)) == .uint8)
        #expect(resultType(Tensor([1], dtype: .int64), Tensor(1.0, dtype: .float64)) == .float64)
    }
}

@Suite struct BadInputTests {
    @Test func raggedArraysFail() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([[1.0, 2.0], [3.0]])
        }
    }

    @Test func raggedMessageNamesTheDimension() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([[1, 2], [3]])
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("ValueError: expected sequence of length 2 at dim 1 (got 1)"))
    }

    @Test func negativeSizeFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, -1])
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("Trying to create tensor with negative dimension -1: [2, -1]"))
    }

    @Test func itemOnManyElementsFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1.0, 2.0]).item()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("a Tensor with 2 elements cannot be converted to Scalar"))
    }

    @Test func integerTensorsCannotRequireGrad() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor([1, 2]).requiresGrad_()
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("only Tensors of floating point dtype can require gradients"))
    }

    @Test func movingToCudaFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor([1.0]).to(Device(kind: .cuda, index: 0))
        }
        let text = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(text.contains("only the CPU backend"))
    }

    @Test func badArangeStepFails() async {
        await #expect(processExitsWith: .failure) { _ = Tensor.arange(0, 5, step: 0) }
        await #expect(processExitsWith: .failure) { _ = Tensor.arange(0, 5, step: -1) }
    }
}
