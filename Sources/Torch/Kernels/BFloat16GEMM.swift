import CDNNL

/// bfloat16 matrix products on oneDNN's matmul primitive: bfloat16 operands, float32
/// accumulation, each output rounded once to bfloat16 — PyTorch's CPU semantics — and on
/// this CPU's AVX-512 BF16 instructions, which run about twice float32's rate. (Debian's
/// oneDNN 2.6 has no public `dnnl_gemm_bf16bf16f32`, and its OpenBLAS no `sbgemm`, so the
/// primitive is the route.) Primitives are built once per shape and layout and cached.

/// One product's shape and layout: what a primitive is specialised for.
private struct BFloat16GEMMShape: Hashable {
    let m: Int, n: Int, k: Int
    let transA: Bool, lda: Int
    let transB: Bool, ldb: Int
    let ldc: Int
    /// A float32 result (unrounded, for `beta * C + alpha * A·B` to round once) or bfloat16.
    let floatOutput: Bool
}

/// A built primitive, shared between threads (oneDNN primitives are thread-safe to execute).
private struct CachedPrimitive: @unchecked Sendable {
    let primitive: dnnl_primitive_t
    var a: dnnl_memory_desc_t, b: dnnl_memory_desc_t, c: dnnl_memory_desc_t
}

/// The CPU engine and the primitive cache.
private final class BFloat16GEMMContext: @unchecked Sendable {
    let engine: dnnl_engine_t?
    let cache = Locked<[BFloat16GEMMShape: CachedPrimitive]>([:])

    init() {
        var e: dnnl_engine_t?
        engine = dnnl_engine_create(&e, dnnl_cpu, 0) == dnnl_success ? e : nil
    }

    static let shared = BFloat16GEMMContext()
}

/// A row-major `rows × cols` bfloat16 matrix, read transposed or not, with leading
/// dimension `ld`.
private func matrixDescriptor(rows: Int, cols: Int, transposed: Bool, ld: Int,
                              type: dnnl_data_type_t = dnnl_bf16) -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    var dims: [dnnl_dim_t] = [dnnl_dim_t(rows), dnnl_dim_t(cols)]
    var strides: [dnnl_dim_t] = transposed ? [1, dnnl_dim_t(ld)] : [dnnl_dim_t(ld), 1]
    _ = dnnl_memory_desc_init_by_strides(&md, 2, &dims, type, &strides)
    return md
}

private func buildPrimitive(_ s: BFloat16GEMMShape, engine: dnnl_engine_t) -> CachedPrimitive? {
    var a = matrixDescriptor(rows: s.m, cols: s.k, transposed: s.transA, ld: s.lda)
    var b = matrixDescriptor(rows: s.k, cols: s.n, transposed: s.transB, ld: s.ldb)
    var c = matrixDescriptor(rows: s.m, cols: s.n, transposed: false, ld: s.ldc, type: s.floatOutput ? dnnl_f32 : dnnl_bf16)
    var desc = dnnl_matmul_desc_t()
    guard dnnl_matmul_desc_init(&desc, &a, &b, nil, &c) == dnnl_success else { return nil }
    var pd: dnnl_primitive_desc_t?
    guard dnnl_primitive_desc_create(&pd, &desc, nil, engine, nil) == dnnl_success, let pd else { return nil }
    defer { dnnl_primitive_desc_destroy(pd) }
    var primitive: dnnl_primitive_t?
    guard dnnl_primitive_create(&primitive, pd) == dnnl_success, let primitive else { return nil }
    return CachedPrimitive(primitive: primitive, a: a, b: b, c: c)
}

/// `c = op(a) · op(b)` for row-major bfloat16 matrices (`c` is `m × n` with leading
/// dimension `ldc`, bfloat16, or float32 when `floatOutput`). Returns `false`, having written nothing, when oneDNN cannot run it;
/// the caller then takes the float32 route.
func bfloat16GEMM(m: Int, n: Int, k: Int,
                  a: UnsafeRawPointer, _ opA: BLASOperand, b: UnsafeRawPointer, _ opB: BLASOperand,
                  c: UnsafeMutableRawPointer, ldc: Int, floatOutput: Bool = false) -> Bool {
    let context = BFloat16GEMMContext.shared
    guard let engine = context.engine, m > 0, n > 0, k > 0 else { return false }
    let shape = BFloat16GEMMShape(m: m, n: n, k: k, transA: opA.transposed, lda: opA.ld,
                                  transB: opB.transposed, ldb: opB.ld, ldc: ldc, floatOutput: floatOutput)
    let cached: CachedPrimitive? = context.cache.withLock { cache in
        if let hit = cache[shape] { return hit }
        guard let built = buildPrimitive(shape, engine: engine) else { return nil }
        cache[shape] = built
        return built
    }
    guard var p = cached else { return false }
    var memA: dnnl_memory_t?, memB: dnnl_memory_t?, memC: dnnl_memory_t?
    guard dnnl_memory_create(&memA, &p.a, engine, UnsafeMutableRawPointer(mutating: a)) == dnnl_success,
          dnnl_memory_create(&memB, &p.b, engine, UnsafeMutableRawPointer(mutating: b)) == dnnl_success,
          dnnl_memory_create(&memC, &p.c, engine, c) == dnnl_success else { return false }
    defer { dnnl_memory_destroy(memA); dnnl_memory_destroy(memB); dnnl_memory_destroy(memC) }
    var stream: dnnl_stream_t?
    guard dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) == dnnl_success, let stream else { return false }
    defer { dnnl_stream_destroy(stream) }
    var args = [dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: memA), dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: memB),
                dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: memC)]
    setLibraryThreads(forWork: m * n * k, family: .gemm)
    guard dnnl_primitive_execute(p.primitive, stream, 3, &args) == dnnl_success else { return false }
    return dnnl_stream_wait(stream) == dnnl_success
}
