import Testing
@testable import Torch

/// Spelling PyTorch programs in Swift: numbers held in variables of any Swift number type
/// wherever an op takes a number, with PyTorch's promotion of Python numbers. Values are
/// derived by hand.
@Suite struct NumbersInVariablesTests {
    @Test func operatorsTakeEveryNumberType() {
        let x = Tensor([1.0, 2.0, 4.0])
        let d: Double = 0.5, f: Float = 2, i: Int = 3, i32: Int32 = -1, i64: Int64 = 10, u8: UInt8 = 4
        let b = true
        #expect((x * d).toArray(Float.self) == [0.5, 1, 2])
        #expect((d * x).toArray(Float.self) == [0.5, 1, 2])
        #expect((x + f).toArray(Float.self) == [3, 4, 6])
        #expect((f - x).toArray(Float.self) == [1, 0, -2])
        #expect((x - i).toArray(Float.self) == [-2, -1, 1])
        #expect((i / x).toArray(Float.self) == [3, 1.5, 0.75])
        #expect((x / i32).toArray(Float.self) == [-1, -2, -4])
        #expect((x + i64).toArray(Float.self) == [11, 12, 14])
        #expect((u8 * x).toArray(Float.self) == [4, 8, 16])
        #expect((x + b).toArray(Float.self) == [2, 3, 5])
        #if !(os(macOS) && arch(x86_64))
        let h: Float16 = 0.25
        #expect((x * h).toArray(Float.self) == [0.25, 0.5, 1])
        #expect((h + x).toArray(Float.self) == [1.25, 2.25, 4.25])
        #endif
        let i8: Int8 = -2, i16: Int16 = 3, u: UInt = 2, u64: UInt64 = 5
        #expect((x * i8).toArray(Float.self) == [-2, -4, -8])
        #expect((x * i16 + u).toArray(Float.self) == [5, 8, 14])
        #expect((x - u64).toArray(Float.self) == [-4, -3, -1])
        let s: Scalar = 2
        #expect((x * s).toArray(Float.self) == [2, 4, 8])
        // Literals still type-check, alone and mixed with variables.
        #expect((5.0 * x + 1).toArray(Float.self) == [6, 11, 21])
        #expect((2 * x * d - 1).toArray(Float.self) == [0, 1, 3])
    }

    @Test func promotionFollowsPythonNumbers() {
        let ints = Tensor([1, 2]), floats = Tensor([1.0, 2.0]), halfPrecisionInts = Tensor([1, 2], dtype: .int32)
        let d = 2.5, n = 3, f: Float = 0.5, b = true
        #expect((ints * d).dtype == .float32)
        #expect((ints * d).toArray(Float.self) == [2.5, 5])
        #expect((ints * f).dtype == .float32)
        #expect((ints * n).dtype == .int64)
        #expect((ints * n).toArray(Int.self) == [3, 6])
        #expect((floats * n).dtype == .float32)
        #expect((halfPrecisionInts + n).dtype == .int32)
        #expect((Tensor([true, false]) + b).dtype == .bool)
        #expect((Tensor([true, false]) * n).dtype == .int64)
        let big: Int64 = 1 << 40
        #expect((ints + big).toArray(Int64.self) == [(1 << 40) + 1, (1 << 40) + 2])
        #expect(resultType(ints, d) == .float32)
        #expect(resultType(halfPrecisionInts, n) == .int32)
    }

    @Test func comparisonsBothOrders() {
        let x = Tensor([1.0, 2.0, 3.0])
        let two = 2, half = 1.5, u8: UInt8 = 3
        #expect((x .> two).toArray(Bool.self) == [false, false, true])
        #expect((two .< x).toArray(Bool.self) == [false, false, true])
        #expect((x .>= two).toArray(Bool.self) == [false, true, true])
        #expect((two .<= x).toArray(Bool.self) == [false, true, true])
        #expect((x .< half).toArray(Bool.self) == [true, false, false])
        #expect((half .> x).toArray(Bool.self) == [true, false, false])
        #expect((x .<= half).toArray(Bool.self) == [true, false, false])
        #expect((half .>= x).toArray(Bool.self) == [true, false, false])
        #expect((x .== u8).toArray(Bool.self) == [false, false, true])
        #expect((u8 .== x).toArray(Bool.self) == [false, false, true])
        #expect((x .!= two).toArray(Bool.self) == [true, false, true])
        #expect((two .!= x).toArray(Bool.self) == [true, false, true])
        #expect((2 .< x).toArray(Bool.self) == [false, false, true])
        #expect(gt(x, half).toArray(Bool.self) == [false, true, true])
        #expect(le(x, two).toArray(Bool.self) == [true, true, false])
        #expect(eq(x, two).toArray(Bool.self) == [false, true, false])
        #expect(ne(x, two).toArray(Bool.self) == [true, false, true])
        #expect(lt(x, 2).toArray(Bool.self) == [true, false, false])
        #expect(ge(x, 2).toArray(Bool.self) == [false, true, true])
        #expect(x.gt(two).toArray(Bool.self) == [false, false, true])
        #expect(x.lt(half).toArray(Bool.self) == [true, false, false])
        #expect(x.le(two).toArray(Bool.self) == [true, true, false])
        #expect(x.ge(two).toArray(Bool.self) == [false, true, true])
        #expect(x.eq(two).toArray(Bool.self) == [false, true, false])
        #expect(x.ne(two).toArray(Bool.self) == [true, false, true])
    }

    @Test func namedArithmeticAndPow() {
        let x = Tensor([1.0, 2.0, 3.0]), y = Tensor([10.0, 20.0, 30.0])
        let a: Double = 0.5, k: Int = 2, f: Float = 3
        #expect(add(x, y, alpha: a).toArray(Float.self) == [6, 12, 18])
        #expect(sub(y, x, alpha: k).toArray(Float.self) == [8, 16, 24])
        #expect(add(x, k).toArray(Float.self) == [3, 4, 5])
        #expect(add(x, k, alpha: a).toArray(Float.self) == [2, 3, 4])
        #expect(sub(x, f).toArray(Float.self) == [-2, -1, 0])
        #expect(sub(x, k, alpha: k).toArray(Float.self) == [-3, -2, -1])
        #expect(mul(x, f).toArray(Float.self) == [3, 6, 9])
        #expect(div(x, k).toArray(Float.self) == [0.5, 1, 1.5])
        #expect(div(Tensor([7, -7]), k, roundingMode: "floor").toArray(Int.self) == [3, -4])
        #expect(pow(x, k).toArray(Float.self) == [1, 4, 9])
        #expect(pow(k, x).toArray(Float.self) == [2, 4, 8])
        #expect(pow(Tensor([2, 3]), k).dtype == .int64)
        #expect(pow(Tensor([4.0, 9.0]), a).toArray(Float.self) == [2, 3])
        #expect(remainder(Tensor([-3, 3]), k).toArray(Int.self) == [1, 1])
        #expect(remainder(k, Tensor([3, -3])).toArray(Int.self) == [2, -1])
        #expect(fmod(Tensor([-3, 3]), k).toArray(Int.self) == [-1, 1])
        #expect(floorDivide(Tensor([-3, 3]), k).toArray(Int.self) == [-2, 1])
        #expect(x.add(y, alpha: a).toArray(Float.self) == [6, 12, 18])
        #expect(x.add(k).toArray(Float.self) == [3, 4, 5])
        #expect(x.add(k, alpha: a).toArray(Float.self) == [2, 3, 4])
        #expect(y.sub(x, alpha: k).toArray(Float.self) == [8, 16, 24])
        #expect(x.sub(k).toArray(Float.self) == [-1, 0, 1])
        #expect(x.sub(k, alpha: f).toArray(Float.self) == [-5, -4, -3])
        #expect(x.mul(a).toArray(Float.self) == [0.5, 1, 1.5])
        #expect(x.div(k).toArray(Float.self) == [0.5, 1, 1.5])
        #expect(x.pow(k).toArray(Float.self) == [1, 4, 9])
        #expect(Tensor([-3, 3]).remainder(k).toArray(Int.self) == [1, 1])
        #expect(Tensor([-3, 3]).fmod(k).toArray(Int.self) == [-1, 1])
        #expect(Tensor([-3, 3]).floorDivide(k).toArray(Int.self) == [-2, 1])
        #expect(lerp(x, y, weight: a).toArray(Float.self) == [5.5, 11, 16.5])
        #expect(addcmul(x, x, y, value: k).toArray(Float.self) == [21, 82, 183])
        #expect(addcdiv(x, y, x, value: a).toArray(Float.self) == [6, 7, 8])
    }

    @Test func inPlaceWithVariables() {
        let lr: Double = 0.1, k = 2, f: Float = 0.5
        let w = Tensor([1.0, 2.0]), g = Tensor([10.0, 20.0])
        w.add_(g, alpha: -lr)
        #expect(w.toArray(Float.self) == [0, 0])
        w.add_(k)
        #expect(w.toArray(Float.self) == [2, 2])
        w.add_(k, alpha: f)
        #expect(w.toArray(Float.self) == [3, 3])
        w.sub_(g, alpha: f)
        #expect(w.toArray(Float.self) == [-2, -7])
        w.sub_(k)
        #expect(w.toArray(Float.self) == [-4, -9])
        w.sub_(k, alpha: k)
        #expect(w.toArray(Float.self) == [-8, -13])
        w.mul_(f)
        #expect(w.toArray(Float.self) == [-4, -6.5])
        w.div_(k)
        #expect(w.toArray(Float.self) == [-2, -3.25])
        w.pow_(k)
        #expect(w.toArray(Float.self) == [4, 10.5625])
        w += k
        w -= f
        w *= k
        w /= f
        #expect(w.toArray(Float.self) == [22, 48.25])
        w.fill_(lr)
        #expect(w.toArray(Float.self) == [Float(0.1), Float(0.1)])
        let ints = Tensor([1, 2])
        ints.fill_(k)
        #expect(ints.toArray(Int.self) == [2, 2])
        ints.fill_(true)
        #expect(ints.toArray(Int.self) == [1, 1])
    }

    @Test func creationWithVariables() {
        let n = 4, start: Int32 = 1, step = 0.5, v: Float = 1.5, u8: UInt8 = 7
        let r = Tensor.arange(0, n)
        #expect(r.dtype == .int64)
        #expect(r.toArray(Int.self) == [0, 1, 2, 3])
        #expect(Tensor.arange(n).toArray(Int.self) == [0, 1, 2, 3])
        #expect(Tensor.arange(start, n, step: step).toArray(Float.self) == [1, 1.5, 2, 2.5, 3, 3.5])
        #expect(Tensor.arange(start, n, step: step).dtype == .float32)
        #expect(Tensor.arange(0, n, step: 2).toArray(Int.self) == [0, 2])
        #expect(Tensor.arange(step).toArray(Float.self) == [0])
        #expect(Tensor.linspace(0, n, steps: 5).toArray(Float.self) == [0, 1, 2, 3, 4])
        let full = Tensor.full([2], v)
        #expect(full.dtype == .float32)
        #expect(full.toArray(Float.self) == [1.5, 1.5])
        #expect(Tensor.full([2], n).dtype == .int64)
        #expect(Tensor.full([2], u8).dtype == .int64)
        #expect(Tensor.full([1], v, requiresGrad: true).requiresGrad)
        #expect(Tensor.fullLike(Tensor([1, 2]), v).toArray(Int.self) == [1, 1])
        #expect(Tensor([1.0]).newFull([3], n).toArray(Float.self) == [4, 4, 4])
        let x = Tensor([1.0, 2.0, 3.0])
        #expect(x.maskedFill(x .> 1, v).toArray(Float.self) == [1, 1.5, 1.5])
        x.indexPut_([1], n)
        #expect(x.toArray(Float.self) == [1, 4, 3])
        x.maskedFill_(x .> 3, v)
        #expect(x.toArray(Float.self) == [1, 1.5, 3])
        let z = Tensor.zeros(2, 3)
        #expect(z.scatter(1, Tensor([[2], [0]]), value: v).toArray(Float.self) == [0, 0, 1.5, 1.5, 0, 0])
        z.scatter_(1, Tensor([[1], [1]]), value: n)
        #expect(z.toArray(Float.self) == [0, 4, 0, 0, 4, 0])
        let rows = Tensor([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]])
        #expect(z.indexAdd(0, Tensor([1, 0]), rows, alpha: v).toArray(Float.self) == [3, 7, 3, 1.5, 5.5, 1.5])
        z.indexAdd_(0, Tensor([0, 0]), rows, alpha: n)
        #expect(z.toArray(Float.self) == [12, 16, 12, 0, 4, 0])
    }

    @Test func clampWithVariables() {
        let x = Tensor([-2.0, 0.5, 3.0])
        let lo = -1, hi: Double = 1
        #expect(clamp(x, min: lo).toArray(Float.self) == [-1, 0.5, 3])
        #expect(clamp(x, max: hi).toArray(Float.self) == [-2, 0.5, 1])
        #expect(clamp(x, min: lo, max: hi).toArray(Float.self) == [-1, 0.5, 1])
        #expect(clamp(x, min: 0, max: hi).toArray(Float.self) == [0, 0.5, 1])
        #expect(x.clamp(min: lo).toArray(Float.self) == [-1, 0.5, 3])
        #expect(x.clamp(max: hi).toArray(Float.self) == [-2, 0.5, 1])
        #expect(x.clamp(min: lo, max: hi).toArray(Float.self) == [-1, 0.5, 1])
        #expect(clampMin(x, lo).toArray(Float.self) == [-1, 0.5, 3])
        // An integer tensor clamped by a float bound promotes, as PyTorch's clamp does.
        #expect(clamp(Tensor([1, 5]), max: 2.5).dtype == .float32)
        let y = Tensor([-2.0, 0.5, 3.0])
        y.clamp_(min: lo)
        #expect(y.toArray(Float.self) == [-1, 0.5, 3])
        y.clamp_(max: hi)
        #expect(y.toArray(Float.self) == [-1, 0.5, 1])
        y.clamp_(min: 0, max: hi / 4)
        #expect(y.toArray(Float.self) == [0, 0.25, 0.25])
    }

    @Test func whereWithNumbers() {
        let c = Tensor([true, false, true]), x = Tensor([1.0, 2.0, 3.0])
        let zero = 0.0, one = 1
        #expect(Torch.where(c, x, zero).toArray(Float.self) == [1, 0, 3])
        #expect(Torch.where(c, one, x).toArray(Float.self) == [1, 2, 1])
        let ints = Torch.where(c, 1, 0)
        #expect(ints.dtype == .int64)
        #expect(ints.toArray(Int.self) == [1, 0, 1])
        #expect(Torch.where(c, one, zero).dtype == .float32)
        #expect(Torch.where(c, 1.0, 0).toArray(Float.self) == [1, 0, 1])
        #expect(Torch.where(c, true, false).dtype == .bool)
    }
}

/// Subscripts with Swift variables, checked against what Python's indexing gives for
/// `x = torch.arange(12).view(3, 4)`.
@Suite struct IndexVariablesTests {
    let x = Tensor.arange(0, 12).view(3, 4)

    @Test func integersAndRanges() {
        let i = 1, j = 2, neg = -1, a = 1, b = 3
        #expect(x[i].toArray(Int.self) == [4, 5, 6, 7])
        #expect(x[i, j].item(as: Int.self) == 6)
        #expect(x[neg].toArray(Int.self) == [8, 9, 10, 11])
        #expect(x[neg, neg].item(as: Int.self) == 11)
        #expect(x[i, .all].toArray(Int.self) == [4, 5, 6, 7])
        #expect(x[.all, i].toArray(Int.self) == [1, 5, 9])
        #expect(x[.all, neg].toArray(Int.self) == [3, 7, 11])
        #expect(x[a..<b].shape == [2, 4])
        #expect(x[a..<b].toArray(Int.self) == [4, 5, 6, 7, 8, 9, 10, 11])
        #expect(x[a...].toArray(Int.self) == [4, 5, 6, 7, 8, 9, 10, 11])
        #expect(x[..<a].toArray(Int.self) == [0, 1, 2, 3])
        #expect(x[...a].shape == [2, 4])
        #expect(x[i, a..<b].toArray(Int.self) == [5, 6])
        #expect(x[.all, a..<b].toArray(Int.self) == [1, 2, 5, 6, 9, 10])
        #expect(x[a..<b, i].toArray(Int.self) == [5, 9])
        #expect(x[i, a...].toArray(Int.self) == [5, 6, 7])
        #expect(x[i, ..<b].toArray(Int.self) == [4, 5, 6])
        #expect(x[i, a...b].toArray(Int.self) == [5, 6, 7])
        #expect(x[i, -2...(-1)].toArray(Int.self) == [6, 7])
        #expect(x[i, ...neg].toArray(Int.self) == [4, 5, 6, 7])
        #expect(x[.all, .r(a..<b)].shape == [3, 2])
        #expect(x[.int(i), .slice(nil, nil, step: 2)].toArray(Int.self) == [4, 6])
        let i64: Int64 = 2, i32: Int32 = -2
        #expect(x[i64, i32].item(as: Int.self) == 10)
    }

    @Test func newAxisEllipsisAndTensors() {
        let i = 2
        #expect(x[.newAxis, i].shape == [1, 4])
        #expect(x[i, .newAxis].shape == [1, 4])
        #expect(x[.ellipsis, i].toArray(Int.self) == [2, 6, 10])
        #expect(x[i, .ellipsis].toArray(Int.self) == [8, 9, 10, 11])
        let rows = Tensor([2, 0])
        #expect(x[rows, i].toArray(Int.self) == [10, 2])
        #expect(x[i, rows].toArray(Int.self) == [10, 8])
        #expect(x[.all, rows].toArray(Int.self) == [2, 0, 6, 4, 10, 8])
        #expect(x[.tensor(rows), .all].shape == [2, 4])
        #expect(x[x[.all, 0] .> 0, i].toArray(Int.self) == [6, 10])
        // A view, as Python's basic indexing gives.
        #expect(x[i].storage === x.storage)
        #expect(x.index([i, .all]).toArray(Int.self) == [8, 9, 10, 11])
    }

    @Test func assignmentThroughVariables() {
        let y = Tensor.zeros(3, 4)
        let i = 1, j = 2, a = 0, b = 2, v = 7.5
        y[i] = Tensor(1.0)
        #expect(y.toArray(Float.self) == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0])
        y[i, j] = Tensor(5.0)
        y[.all, a] = Tensor([2.0, 3.0, 4.0])
        y[j, a..<b] = Tensor([-1.0, -2.0])
        #expect(y.toArray(Float.self) == [2, 0, 0, 0, 3, 1, 5, 1, -1, -2, 0, 0])
        y.indexPut_([i, .all], v)
        #expect(y[i].toArray(Float.self) == [7.5, 7.5, 7.5, 7.5])
        y.indexPut_([-1, j], 9)
        #expect(y[2, 2].item() == 9)
        y.indexPut_([.int(0)], 2)
        #expect(y[0].toArray(Float.self) == [2, 2, 2, 2])
        y[...] = Tensor([1.0, 2.0, 3.0, 4.0])
        #expect(y.toArray(Float.self) == [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4])
        #expect(y[...].storage === y.storage && y[...].shape == [3, 4])
        let scalar = Tensor(3.0)
        scalar[...] = Tensor(5.0)
        #expect(scalar.item() == 5)
    }
}

/// `torch.f(x, ...)` spellings of ops that are methods, and one-argument `where`.
@Suite struct FunctionalFormsTests {
    @Test func shapeFunctions() {
        let x = Tensor.arange(0, 24).view(2, 3, 4)
        #expect(flatten(x).shape == [24])
        #expect(flatten(x, 1).shape == [2, 12])
        #expect(flatten(x, 0, 1).shape == [6, 4])
        #expect(flatten(x, startDim: 1).shape == [2, 12])
        #expect(flatten(x, endDim: 1).shape == [6, 4])
        #expect(x.flatten(1).shape == [2, 12])
        #expect(x.flatten(0, -2).shape == [6, 4])
        let s = Tensor.zeros(1, 3, 1)
        #expect(squeeze(s).shape == [3])
        #expect(squeeze(s, 0).shape == [3, 1])
        #expect(squeeze(s, dims: [0, 2]).shape == [3])
        #expect(unsqueeze(s, -1).shape == [1, 3, 1, 1])
        #expect(transpose(x, 0, 2).shape == [4, 3, 2])
        #expect(transpose(x, 0, 2)[1, 2, 0].item(as: Int.self) == 9)
        #expect(permute(x, 2, 0, 1).shape == [4, 2, 3])
        #expect(permute(x, [1, 0, 2])[2, 1, 3].item(as: Int.self) == 23)
        #expect(reshape(x, 4, -1).shape == [4, 6])
        #expect(reshape(x, [-1]).shape == [24])
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(t(m).toArray(Int.self) == [1, 4, 2, 5, 3, 6])
        #expect(narrow(m, 1, 1, 2).toArray(Int.self) == [2, 3, 5, 6])
        #expect(select(m, 1, -1).toArray(Int.self) == [3, 6])
        #expect(split(m, 2, dim: 1).map(\.shape) == [[2, 2], [2, 1]])
        #expect(split(m, [1, 2], dim: 1)[1].toArray(Int.self) == [2, 3, 5, 6])
        #expect(chunk(m, 2).map { $0.toArray(Int.self) } == [[1, 2, 3], [4, 5, 6]])
        #expect(flip(m, [1]).toArray(Int.self) == [3, 2, 1, 6, 5, 4])
        #expect(roll(m, 1).toArray(Int.self) == [6, 1, 2, 3, 4, 5])
        #expect(roll(m, [1], dims: [1]).toArray(Int.self) == [3, 1, 2, 6, 4, 5])
        let sq = Tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(tril(sq).toArray(Int.self) == [1, 0, 0, 4, 5, 0, 7, 8, 9])
        #expect(triu(sq, 1).toArray(Int.self) == [0, 2, 3, 0, 0, 6, 0, 0, 0])
        #expect(diagonal(sq).toArray(Int.self) == [1, 5, 9])
        #expect(diagonal(sq, offset: -1).toArray(Int.self) == [4, 8])
        #expect(asStrided(sq, [2, 2], [1, 3]).toArray(Int.self) == [1, 4, 2, 5])
    }

    @Test func copyAndIndexFunctions() {
        let w = Tensor([1.0, 2.0], requiresGrad: true)
        let c = clone(w)
        #expect(c.storage !== w.storage)
        #expect(c.gradFn?.name == "CloneBackward0")
        #expect(!detach(w).requiresGrad)
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(indexSelect(m, 1, Tensor([2, 0])).toArray(Int.self) == [3, 1, 6, 4])
        #expect(gather(m, 1, Tensor([[0, 0], [2, 1]])).toArray(Int.self) == [1, 1, 6, 5])
        #expect(scatterAdd(Tensor.zeros([3], dtype: .int64), 0, Tensor([0, 2, 0]), Tensor([1, 2, 3])).toArray(Int.self) == [4, 0, 2])
        let fill = -1
        #expect(maskedFill(m, m .> 4, fill).toArray(Int.self) == [1, 2, 3, 4, -1, -1])
        #expect(maskedFill(m, m .> 4, 0.5).dtype == .int64)
        #expect(maskedSelect(m, m .> 4).toArray(Int.self) == [5, 6])
    }

    @Test func nonzeroAndOneArgumentWhere() {
        let c = Tensor([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
        let nz = nonzero(c)
        #expect(nz.dtype == .int64)
        #expect(nz.shape == [3, 2])
        #expect(nz.toArray(Int.self) == [0, 1, 1, 0, 1, 2])
        #expect(c.argwhere().toArray(Int.self) == [0, 1, 1, 0, 1, 2])
        let idx = Torch.where(c .!= 0)
        #expect(idx.count == 2)
        #expect(idx[0].toArray(Int.self) == [0, 1, 1])
        #expect(idx[1].toArray(Int.self) == [1, 0, 2])
        #expect(c[idx[0], idx[1]].toArray(Float.self) == [1.5, 2, -1])
        #expect(Torch.where(Tensor([false, true, true]))[0].toArray(Int.self) == [1, 2])
        // 0-d: nonzero keeps zero columns; where reads it as 1-d.
        #expect(nonzero(Tensor(5)).shape == [1, 0])
        #expect(nonzero(Tensor(0)).shape == [0, 0])
        #expect(Torch.where(Tensor(true)).map(\.shape) == [[1]])
        #expect(Torch.where(Tensor(false))[0].shape == [0])
        #expect(nonzero(Tensor.zeros(2, 0)).shape == [0, 2])
    }
}

/// Python's attribute and protocol spellings: `x.requires_grad = ...`, `for row in x`,
/// `view_as`, `.cpu()`, `model.to(device)`, `nn.init.constant_`, `lstm(x)`.
@Suite struct PythonSpellingsTests {
    @Test func settableRequiresGrad() {
        let w = Tensor([1.0, 2.0])
        w.requiresGrad = true
        #expect(w.requiresGrad && w.isLeaf)
        (w * w).sum().backward()
        #expect(w.grad?.toArray(Float.self) == [2, 4])
        w.requiresGrad = false
        #expect(!w.requiresGrad)
        #expect(!(w * 2).requiresGrad)
        // Making an integer tensor not require grad is allowed, as in PyTorch.
        let ints = Tensor([1, 2])
        ints.requiresGrad = false
        #expect(!ints.requiresGrad)
    }

    @Test func requiresGradOnIntegerTensorFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Tensor([1, 2]).requiresGrad = true
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
            .contains("only Tensors of floating point dtype can require gradients"))
    }

    @Test func requiresGradOnNonLeafFails() async throws {
        let off = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let y = Tensor([1.0], requiresGrad: true) * 2
            y.requiresGrad = false
        }
        #expect(String(decoding: off.standardErrorContent, as: UTF8.self)
            .contains("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."))
        let on = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let y = Tensor([1.0], requiresGrad: true) * 2
            y.requiresGrad = true
        }
        let text = String(decoding: on.standardErrorContent, as: UTF8.self)
        #expect(text.contains("you can only change requires_grad flags of leaf variables."))
        #expect(!text.contains("var.detach()"))
    }

    @Test func iterationOverRows() {
        let x = Tensor([[1, 2], [3, 4], [5, 6]])
        var rows: [[Int]] = []
        for row in x { rows.append(row.toArray(Int.self)) }
        #expect(rows == [[1, 2], [3, 4], [5, 6]])
        let y = Tensor([10, 20, 30])
        #expect(zip(x, y).map { ($0 * $1).toArray(Int.self) } == [[10, 20], [60, 80], [150, 180]])
        #expect(Array(x).count == 3)
        #expect(x.map { $0.sum().item(as: Int.self) } == [3, 7, 11])
        #expect(Array(Tensor.zeros(0, 2)).isEmpty)
        // Rows are views recorded by one UnbindBackward0, as Python's iteration gives.
        let w = Tensor([[1.0, 2.0], [3.0, 4.0]], requiresGrad: true)
        let parts = Array(w)
        #expect(parts[1].gradFn?.name == "UnbindBackward0")
        #expect(parts[0].storage === w.storage)
        (parts[1] * 3).sum().backward()
        #expect(w.grad?.toArray(Float.self) == [0, 0, 3, 3])
        let u = unbind(Tensor([[1, 2], [3, 4]]), dim: 1)
        #expect(u.map { $0.toArray(Int.self) } == [[1, 3], [2, 4]])
        #expect(Tensor([[1, 2], [3, 4]]).unbind(dim: 1)[1].toArray(Int.self) == [2, 4])
    }

    @Test func iterationOverZeroDimFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            for _ in Tensor(1.0) {}
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("TypeError: iteration over a 0-d tensor"))
    }

    @Test func viewsAndDevices() {
        let x = Tensor.arange(0, 6), shape = Tensor.zeros(2, 3)
        #expect(x.viewAs(shape).shape == [2, 3])
        #expect(x.viewAs(shape).storage === x.storage)
        #expect(x.reshapeAs(shape).shape == [2, 3])
        #expect(x.typeAs(shape).dtype == .float32)
        #expect(x.cpu() === x)
        let d = x.to(.cpu, .float64)
        #expect(d.dtype == .float64)
        #expect(d.toArray(Double.self) == [0, 1, 2, 3, 4, 5])
        let model = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
        #expect(model.to(.cpu) === model)
        #expect(model.cpu() === model)
        #expect((try? model.to(device: "cpu")) === model)
        model.to(.cpu, .float64)
        #expect(model.parameters().allSatisfy { $0.dtype == .float64 && $0.requiresGrad })
    }

    @Test func moduleToCUDAFails() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            Linear(2, 2).to(Device(kind: .cuda, index: 0))
        }
        #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("Cannot move a tensor to cuda:0"))
    }

    @Test func constantInitialisers() {
        let layer = Linear(3, 2)
        let bound = 0.25
        constant_(layer.weight, bound)
        #expect(layer.weight.toArray(Float.self) == [Float](repeating: 0.25, count: 6))
        #expect(layer.weight.requiresGrad && layer.weight.isLeaf)
        zeros_(layer.bias!)
        #expect(layer.bias!.toArray(Float.self) == [0, 0])
        ones_(layer.bias!)
        #expect(layer.bias!.toArray(Float.self) == [1, 1])
        constant_(layer.bias!, 3)
        #expect(layer.bias!.toArray(Float.self) == [3, 3])
        eye_(layer.weight)
        #expect(layer.weight.toArray(Float.self) == [1, 0, 0, 0, 1, 0])
    }

    @Test func recurrentLayersWithoutState() {
        let x = Tensor.arange(0, 6, dtype: .float32).view(3, 1, 2) / 6
        let lstm = withDefaultGenerator(Generator().manualSeed(0)) { LSTM(2, 3) }
        let (output, (h, c)) = lstm(x)
        let explicit = lstm(x, nil)
        #expect(output.shape == [3, 1, 3] && h.shape == [1, 1, 3] && c.shape == [1, 1, 3])
        #expect(output.toArray(Float.self) == explicit.output.toArray(Float.self))
        #expect(c.toArray(Float.self) == explicit.state.c.toArray(Float.self))
        let only: Tensor = lstm(x)
        #expect(only.toArray(Float.self) == output.toArray(Float.self))
        #expect(lstm(x).state.h.toArray(Float.self) == h.toArray(Float.self))
        let gru = withDefaultGenerator(Generator().manualSeed(0)) { GRU(2, 3) }
        let (gOut, gH) = gru(x)
        #expect(gOut.shape == [3, 1, 3] && gH.shape == [1, 1, 3])
        #expect(gH.toArray(Float.self) == gru(x, nil).hidden.toArray(Float.self))
        let rnn = withDefaultGenerator(Generator().manualSeed(0)) { RNN(2, 3) }
        #expect(rnn(x).hidden.toArray(Float.self) == rnn(x, nil).hidden.toArray(Float.self))
    }
}

/// `pow` with the exponents PyTorch's CPU kernel computes without `pow` (2, 3, -2, -0.5,
/// 0.5, -1): the results match the plain arithmetic to the bit. The inputs are chosen where
/// `powf` rounds differently (`powf(1.1000001, 3)` is 1.3310006, `x * x * x` 1.3310004).
@Suite struct PowSpecialExponentTests {
    static let xs: [Float] = [Float(1.1).nextUp, 1.1000003, 1.1000005, 1.1000007, 1.1000009, 1.1000013]

    @Test func cubeIsRepeatedMultiplication() {
        let x = Tensor(shape: [6], scalars: Self.xs)
        let k = 3
        #expect(pow(x, 3).toArray(Float.self) == Self.xs.map { $0 * $0 * $0 })
        #expect(x.pow(k).toArray(Float.self) == Self.xs.map { $0 * $0 * $0 })
        #expect(pow(x, 3.0).toArray(Float.self)[0] == 1.3310004)
        let y = x.clone()
        y.pow_(3)
        #expect(y.toArray(Float.self) == Self.xs.map { $0 * $0 * $0 })
    }

    @Test func negativeAndHalfExponents() {
        let x = Tensor(shape: [6], scalars: Self.xs)
        #expect(pow(x, -2).toArray(Float.self) == Self.xs.map { 1 / ($0 * $0) })
        #expect(pow(x, -2).toArray(Float.self)[0] == 0.8264461)
        #expect(pow(x, -0.5).toArray(Float.self) == Self.xs.map { 1 / $0.squareRoot() })
        #expect(pow(x, -0.5).toArray(Float.self)[1] == 0.95346254)
        #expect(pow(x, 0.5).toArray(Float.self) == Self.xs.map { $0.squareRoot() })
        #expect(pow(x, -1).toArray(Float.self) == Self.xs.map { 1 / $0 })
        #expect(pow(x, 2).toArray(Float.self) == Self.xs.map { $0 * $0 })
        let d = Tensor(shape: [2], scalars: [1.1, 3.7])
        #expect(pow(d, 3).toArray(Double.self) == [1.1 * 1.1 * 1.1, 3.7 * 3.7 * 3.7])
        // Integer tensors keep exact integer powers.
        #expect(pow(Tensor([2, -3]), 3).toArray(Int.self) == [8, -27])
    }

    @Test func gradientsOfSpecialExponents() {
        let x = Tensor([2.0], requiresGrad: true)
        pow(x, 3).sum().backward()
        #expect(x.grad?.toArray(Float.self) == [12])
        x.grad = nil
        pow(x, -2).sum().backward()
        #expect(x.grad?.toArray(Float.self) == [-0.25])
    }
}

/// Python's tensor attributes: `x.T`, `x.mT`, `x.ndim`, `x.is_cuda` and friends.
@Suite struct TensorAttributeTests {
    @Test func transposesAndCounts() {
        let m = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect(m.T.shape == [3, 2])
        #expect(m.T.toArray(Int.self) == [1, 4, 2, 5, 3, 6])
        #expect(m.T.storage === m.storage)
        let x = Tensor.arange(0, 24).view(2, 3, 4)
        #expect(x.T.shape == [4, 3, 2])
        #expect(x.T[3, 2, 1].item(as: Int.self) == 23)
        #expect(x.mT.shape == [2, 4, 3])
        #expect(x.mT[1, 3, 2].item(as: Int.self) == 23)
        #expect(x.mT[0, 1, 2].item(as: Int.self) == 9)
        #expect(Tensor([1, 2]).T.shape == [2])
        #expect(x.ndim == 3)
        #expect(!x.isCuda && x.device == .cpu)
        #expect(!x.isFloatingPoint() && Tensor([1.0]).isFloatingPoint())
        #expect(x.elementSize() == 8 && Tensor([1.0]).elementSize() == 4)
        #expect(x.nelement() == 24)
    }

    /// PyTorch's positional layer arguments and `inplace` flags (values from PyTorch 2.15).
    @Test func positionalLayerArgumentsAndInplace() {
        #expect(ReLU(true).description == "ReLU(inplace=True)")
        #expect(LeakyReLU(0.2, inplace: true).description == "LeakyReLU(negative_slope=0.2, inplace=True)")
        #expect(Dropout(0.2).description == "Dropout(p=0.2, inplace=False)")
        #expect(Conv2d(3, 8, 4, 2, 1, bias: false).description
                == "Conv2d(3, 8, kernel_size=(4, 4), stride=(2, 2), padding=(1, 1), bias=False)")
        #expect(ConvTranspose2d(16, 8, 4, 1, 0, bias: false).description
                == "ConvTranspose2d(16, 8, kernel_size=(4, 4), stride=(1, 1), bias=False)")
        let a = Tensor([-2.0, -0.5, 1.0, 3.0] as [Float]).requiresGrad_()
        let y = LeakyReLU(0.2, inplace: true)(a * 1)
        y.sum().backward()
        #expect(y.toArray(Float.self) == [-0.4, -0.1, 1, 3])
        #expect(a.grad!.toArray(Float.self) == [0.2, 0.2, 1, 1])
    }

    /// A Swift `[Int]` inside a subscript is Python's list index: the dim stays.
    @Test func integerListIndex() {
        let x = Tensor.arange(24.0).reshape(2, 3, 4)
        let last = x[.all, [-1], .all]
        #expect(last.shape == [2, 1, 4])
        #expect(last.flatten().toArray(Float.self) == [8, 9, 10, 11, 20, 21, 22, 23])
    }

    /// One code path for RNN, GRU and LSTM through `RecurrentState` gives what each layer's
    /// own call gives.
    @Test func recurrentStateIsGenericOverLayers() {
        withDefaultGenerator(Torch.Generator().manualSeed(0)) {
            let x = Tensor.randn([5, 3, 4])
            let lstm = LSTM(4, 6, numLayers: 2)
            let gru = GRU(4, 6)
            for layer in [lstm, gru] as [RecurrentLayer] {
                var state = layer.zeroState(batchSize: 3)
                #expect(state.h.shape == [layer.numLayers, 3, 6])
                #expect((state.c != nil) == (layer is LSTM))
                let (out1, s1) = layer(x, state: state)
                state = s1.detach()
                let (out2, _) = layer(x, state: state)
                if let lstm = layer as? LSTM {
                    let direct = lstm(x, nil)
                    #expect(allclose(direct.output, out1))
                    #expect(allclose(lstm(x, (s1.h, s1.c!)).output, out2))
                    #expect(!state.h.requiresGrad && s1.h.requiresGrad)
                } else if let gru = layer as? GRU {
                    #expect(allclose(gru(x, nil).output, out1))
                    #expect(allclose(gru(x, s1.h).output, out2))
                }
            }
        }
    }

    /// `len(x)`, `torch.arange(0, n, 2)` and the free `*_like` creators.
    @Test func lengthArangeStepAndLikeFunctions() {
        let x = Tensor.zeros([4, 2])
        #expect(x.count == 4)
        let n = 7
        #expect(Tensor.arange(0, n, 2).toArray(Int64.self) == [0, 2, 4, 6])
        #expect(zerosLike(x).shape == [4, 2] && onesLike(x).sum().item() == 8)
        #expect(fullLike(x, 3).toArray(Float.self) == Array(repeating: 3, count: 8))
        let a = withDefaultGenerator(Torch.Generator().manualSeed(0)) { randnLike(x) }
        let b = withDefaultGenerator(Torch.Generator().manualSeed(0)) { Tensor.randn([4, 2]) }
        #expect(a.toArray(Float.self) == b.toArray(Float.self))
    }
}
