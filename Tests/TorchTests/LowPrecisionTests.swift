import Foundation
import Testing
@testable import Torch

/// float16, bfloat16, int8 and int16 against values PyTorch 2.15 recorded
/// (`scripts/make-lowp-fixtures.py`, `Fixtures/lowp/expected.json`): conversions bit for
/// bit (ties to even, NaN, infinities, subnormals, overflow), the promotion table, integer
/// wrap-around, printing, and the files — `torch.save` (zip and legacy), Python's
/// safetensors, NumPy — with their bytes unchanged.
@Suite struct LowPrecisionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lowp")

    static func fixture(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The recorded JSON below `path` (read per test: `Any` is not Sendable).
    static func expectation(_ path: String...) -> Any {
        let data = try! Data(contentsOf: fixture("expected.json"))
        var node: Any = try! JSONSerialization.jsonObject(with: data)
        for key in path { node = (node as! [String: Any])[key]! }
        return node
    }

    /// A recorded number: JSON numbers, or `"inf"`, `"-inf"`, `"nan"`.
    static func number(_ v: Any) -> Double {
        if let s = v as? String { return Double(s)! }
        return (v as! NSNumber).doubleValue
    }

    /// Row-major bit patterns of a 16-bit float tensor, numbers of any other.
    static func bits(_ t: Tensor) -> [Double] {
        switch t.dtype {
        case .float16: return t.toArray(Float16.self).map { Double($0.bitPattern) }
        case .bfloat16: return t.toArray(BFloat16.self).map { Double($0.bitPattern) }
        default: return t.toArray(Double.self)
        }
    }

    /// Whether `t` has the recorded dtype, shape and bits.
    static func matches(_ t: Tensor?, _ record: Any) -> Bool {
        guard let t, let record = record as? [String: Any] else { return false }
        let shape = (record["shape"] as! [NSNumber]).map(\.intValue)
        guard t.dtype.name == record["dtype"] as! String, t.shape == shape else { return false }
        let want = (record["bits"] as! [Any]).map(number)
        let got = bits(t)
        return zip(got, want).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && got.count == want.count
    }

    static func tensor(_ values: Any, dtype: DType) -> Tensor {
        Tensor((values as! [Any]).map(number), dtype: dtype)
    }

    @Test(arguments: ["float16", "bfloat16"])
    func conversionsRoundAsPyTorch(_ name: String) {
        let dtype = DType(name: name)!
        let from32 = Self.tensor(Self.expectation("conversions", "float32"), dtype: .float32)
        let from64 = Self.tensor(Self.expectation("conversions", "float64"), dtype: .float64)
        #expect(Self.matches(from32.to(dtype), Self.expectation("conversions", name, "from_float32")))
        #expect(Self.matches(from64.to(dtype), Self.expectation("conversions", name, "from_float64")))
        let small = Tensor([-3.75, -0.5, 0.5, 2.5, 300.25] as [Float]).to(dtype)
        #expect(small.to(.int64).toArray(Int64.self) == (Self.expectation("conversions", name, "to_int64") as! [Int64]))
        let edge = Tensor([-3.75, 100.5, 127.0, -128.0] as [Float]).to(dtype)
        #expect(edge.to(.int8).toArray(Int64.self) == (Self.expectation("conversions", name, "to_int8") as! [Int64]))
        // Back to float32 is exact.
        #expect(from32.to(dtype).to(.float32).to(dtype).toArray(Double.self).elementsEqual(
            from32.to(dtype).toArray(Double.self)) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test func promotionTableIsPyTorchs() {
        for row in Self.expectation("promotion") as! [[String]] {
            let (a, b, want) = (DType(name: row[0])!, DType(name: row[1])!, row[2])
            #expect(promoteTypes(a, b).name == want, "\(row[0]) + \(row[1])")
        }
        // A Python float keeps a half tensor half; a half and a bfloat16 meet in float32.
        let h = Tensor([1.0, 2.0], dtype: .float16)
        #expect((h * 1.5).dtype == .float16)
        #expect((h + Tensor([1.0, 2.0], dtype: .bfloat16)).dtype == .float32)
        #expect((Tensor([1.0, 2.0], dtype: .bfloat16) + Tensor([1, 2])).dtype == .bfloat16)
    }

    @Test(arguments: ["int8", "int16"])
    func integersWrapAsPyTorch(_ name: String) {
        let dtype = DType(name: name)!
        func ints(_ key: String) -> [Int64] { Self.expectation("integers", name, key) as! [Int64] }
        let a = Tensor(ints("a").map(Int.init), dtype: dtype), b = Tensor(ints("b").map(Int.init), dtype: dtype)
        #expect((a + b).toArray(Int64.self) == ints("add") && (a + b).dtype == dtype)
        #expect((a - b).toArray(Int64.self) == ints("sub"))
        #expect((a * b).toArray(Int64.self) == ints("mul"))
        #expect(floorDivide(a, b).toArray(Int64.self) == ints("floor_divide"))
        #expect(remainder(a, b).toArray(Int64.self) == ints("remainder"))
        #expect((-a).toArray(Int64.self) == ints("neg"))
        #expect(a.sum().toArray(Int64.self) == ints("sum") && a.sum().dtype.name == Self.expectation("integers", name, "sum_dtype") as! String)
        #expect(Self.matches(a * 1.5, Self.expectation("integers", name, "times_float")))
        #expect(Self.matches(a + Tensor.ones([6], dtype: .uint8), Self.expectation("integers", name, "plus_uint8")))
    }

    @Test func printsAsPyTorch() {
        let x = Tensor([0.1, -2.5, 1000.0, 3.0e-3] as [Float])
        let printed = Self.expectation("repr") as! [String: String]
        for name in ["float16", "bfloat16", "int8", "int16"] {
            #expect(x.to(DType(name: name)!).description == printed[name]!, "\(name)")
        }
        #expect(Tensor(2.5).to(.bfloat16).description == printed["scalar_bfloat16"]!)
        #expect(DType.bfloat16.description == "torch.bfloat16" && DType(name: "half") == .float16)
    }

    @Test(arguments: ["lowp.pt", "lowp_legacy.pt"])
    func torchSaveFilesLoadWithSharedStorage(_ file: String) throws {
        let record = Self.expectation("saved") as! [String: Any]
        let tensors = try load(from: Self.fixture(file))
        #expect(tensors.keys.sorted() == record.keys.sorted())
        for (name, t) in tensors { #expect(Self.matches(t, record[name]!), "\(name)") }
        #expect(tensors["f16_view"]!.storage === tensors["f16"]!.storage && tensors["f16_view"]!.offset == 2)
    }

    @Test func pythonSafetensorsLoadAndRoundTripBitExactly() throws {
        let record = Self.expectation("safetensors") as! [String: Any]
        let (tensors, _) = try loadSafetensors(from: Self.fixture("lowp.safetensors"))
        #expect(tensors.keys.sorted() == record.keys.sorted())
        for (name, t) in tensors { #expect(Self.matches(t, record[name]!), "\(name)") }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lowp-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try save(tensors, to: url)
        let (back, _) = try loadSafetensors(from: url)
        for (name, t) in tensors {
            #expect(back[name]!.dtype == t.dtype && Self.bits(back[name]!).elementsEqual(Self.bits(t)) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        }
    }

    @Test func numpyFilesLoad() throws {
        let record = Self.expectation("saved") as! [String: Any]
        #expect(Self.matches(try loadNpy(from: Self.fixture("i8.npy")), record["i8"]!))
        #expect(Self.matches(try loadNpy(from: Self.fixture("i16.npy")), record["i16"]!))
        #expect(Self.matches(try loadNpy(from: Self.fixture("f16.npy")), record["f16"]!))
        // NumPy has no bfloat16: writing one is refused with the reason.
        #expect(throws: TorchError.self) {
            try saveNpy(Tensor([1.0], dtype: .bfloat16), to: FileManager.default.temporaryDirectory.appendingPathComponent("bf.npy"))
        }
    }

    @Test func gradientsFlowInTheTensorsDtype() {
        for dtype in [DType.float16, .bfloat16] {
            let x = Tensor([0.5, -1.5, 2.0], dtype: dtype).requiresGrad_()
            let w = Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype: dtype).requiresGrad_()
            let loss = (matmul(x.unsqueeze(0), w).relu() * x.sum()).sum()
            loss.backward()
            #expect(x.grad?.dtype == dtype && w.grad?.dtype == dtype)
            // d/dw of relu(x·w)·Σx = Σx · x outer 1 where x·w > 0 (x·w = [6.0, 7.0], Σx = 1).
            #expect(w.grad!.toArray(Double.self) == [0.5, 0.5, -1.5, -1.5, 2.0, 2.0])
            // d/dx_i = Σ_j w_ij + Σ_j (x·w)_j = (w_i0 + w_i1) + 13.
            #expect(x.grad!.toArray(Double.self) == [16, 20, 24])
        }
    }

    @Test func elementsReadAndWriteInEveryDtype() {
        let h = Tensor([1.5, -2.25], dtype: .float16)
        #expect(h[1].item() == -2.25 && h.toArray(Float16.self) == [1.5, -2.25])
        let b = Tensor([1.5, 3.0e38], dtype: .bfloat16)
        #expect(b.toArray(Float.self)[1] == Float(BFloat16(Float(3.0e38))))
        #expect(Tensor([-128, 127], dtype: .int8).toArray(Int8.self) == [-128, 127])
        #expect(Tensor([300], dtype: .int16).half().bfloat16().char().short().toArray(Int16.self) == [44])
        #expect(Tensor.zeros([2], dtype: .bfloat16).dtype == .bfloat16 && Tensor.arange(0, 3, dtype: .float16).toArray(Double.self) == [0, 1, 2])
    }

    /// bfloat16 products run on oneDNN (float32 accumulation, one rounding): every element
    /// is within one bfloat16 rounding of the float32 product, for plain, transposed and
    /// batched operands.
    @Test func bfloat16ProductsRoundTheFloat32ProductOnce() {
        let g = Generator().manualSeed(3)
        let a = Tensor.randn([2, 40, 72], generator: g).bfloat16(), b = Tensor.randn([72, 56], generator: g).bfloat16()
        for (x, y) in [(a, b), (a.transpose(1, 2).contiguous().transpose(1, 2), b.t().contiguous().t())] {
            let got = matmul(x, y)
            let want = matmul(x.float(), y.float())
            #expect(got.dtype == .bfloat16 && got.shape == [2, 40, 56])
            let g32 = got.toArray(Float.self), w32 = want.toArray(Float.self)
            #expect(zip(g32, w32).allSatisfy { abs($0 - $1) <= abs($1) * 0.0079 + 1e-6 })
        }
        // float16 goes through float32 and rounds once: exactly the rounded float32 product.
        let h = matmul(a.half(), b.half())
        #expect(h.toArray(Float16.self) == matmul(a.half().float(), b.half().float()).half().toArray(Float16.self))
    }

    /// Every family of op accepts both 16-bit floats and agrees with the float32 result
    /// rounded once (to the dtype's tolerance).
    @Test(arguments: [DType.float16, .bfloat16])
    func opFamiliesComputeInFloat32AndRoundOnce(_ dtype: DType) {
        let g = Generator().manualSeed(7)
        let x32 = (Tensor.rand([4, 6], generator: g) + 0.25), y32 = Tensor.randn([4, 6], generator: g)
        let x = x32.to(dtype), y = y32.to(dtype)
        let tolerance = dtype == .float16 ? 2e-3 : 1.6e-2
        func check(_ name: String, _ f: (Tensor, Tensor) -> Tensor) {
            let got = f(x, y), want = f(x.float(), y.float())
            #expect(got.dtype == (want.dtype == .float32 ? dtype : want.dtype), "\(name) dtype \(got.dtype)")
            let a = got.toArray(Double.self), b = want.toArray(Double.self)
            #expect(a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * abs($1) + 1e-3 || ($0.isNaN && $1.isNaN) },
                    "\(name)")
        }
        check("log1p") { x, _ in log1p(x) }
        check("pow") { x, y in pow(x, y) }
        check("atan2") { x, y in atan2(x, y) }
        check("clamp") { x, _ in x.clamp(min: 0.5, max: 0.9) }
        check("floor") { x, y in floor(x * y * 10) }
        check("where") { x, y in `where`(x .> 0.7, x, y) }
        check("maximum") { x, y in maximum(x, y) }
        check("cumsum") { x, _ in x.cumsum(dim: 1) }
        check("prod") { x, _ in x.prod(dim: 1) }
        check("var") { x, _ in x.var(dim: 1) }
        check("norm") { x, _ in x.norm() }
        check("amin") { x, _ in x.amin(dims: [0]) }
        check("logsumexp") { x, _ in x.logsumexp(dim: 1) }
        check("mse") { x, y in mseLoss(x, y) }
        check("bce") { x, y in binaryCrossEntropyWithLogits(y, x.clamp(min: 0, max: 1)) }
        check("maxpool") { x, _ in maxPool2d(x.view(1, 1, 4, 6), 2) }
        check("avgpool") { x, _ in avgPool2d(x.view(1, 1, 4, 6), 2) }
        check("groupnorm") { x, _ in groupNorm(x.view(2, 4, 3), numGroups: 2) }
        check("batchnorm") { x, _ in batchNorm(x, runningMean: nil, runningVar: nil, training: true) }
        check("embedding") { x, _ in embedding(Tensor([3, 0, 1]), x) }
        check("gather") { x, _ in x.gather(1, Tensor([[0, 5], [1, 1], [2, 0], [4, 3]])) }
        check("index") { x, _ in x[1..., 2] }
        check("cat") { x, y in cat([x, y], dim: 0) }
        check("sort-free argmax") { x, _ in x.argmax(dim: 1) }
        check("einsum") { x, y in einsum("ij,kj->ik", x, y) }
        check("conv1d") { x, y in conv1d(x.view(1, 4, 6), y.view(2, 4, 3), padding: 1) }
        check("adam-free sigmoid grad") { x, _ in
            let t = x.detach().requiresGrad_()
            t.sigmoid().sum().backward()
            return t.grad!
        }
    }

    /// A `torch.save` file with every 16- and 8-bit dtype reads back; set
    /// `SWIFTTORCH_LOWP_PT` to keep it for `torch.load(weights_only=True)` (checked by hand:
    /// see the closing note of issue 15).
    @Test func ourPyTorchFilesKeepSixteenBitDtypes() throws {
        let url = ProcessInfo.processInfo.environment["SWIFTTORCH_LOWP_PT"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("lowp-\(UUID().uuidString).pt")
        let tensors: [String: Tensor] = [
            "half": Tensor([0.5, -2.0, 65504], dtype: .float16), "brain": Tensor([1.0, 3.140625, -0.0078125], dtype: .bfloat16),
            "small": Tensor([-128, 127], dtype: .int8), "short": Tensor([-300, 300], dtype: .int16),
        ]
        try save(tensors, to: url, format: .pytorch)
        let back = try load(from: url)
        for (name, t) in tensors { #expect(back[name]!.dtype == t.dtype && Self.bits(back[name]!) == Self.bits(t), "\(name)") }
    }
}
