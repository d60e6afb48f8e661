import COpenBLAS
import CTorchSIMD

/// What the math libraries in use report about themselves (shown by `swifttorch info`).
public enum BLASInfo {
    /// OpenBLAS's build configuration, e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ...`.
    public static var configuration: String { String(cString: openblas_get_config()) }
    /// The kernel family OpenBLAS picked for this CPU (`Haswell`, `SkylakeX`, ...);
    /// `OPENBLAS_CORETYPE` in the environment overrides it.
    public static var coreType: String { String(cString: openblas_get_corename()) }
    /// The number of threads OpenBLAS uses.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }
    /// Below this many multiply-adds float32 GEMM goes to OpenBLAS instead of oneDNN.
    public static var smallProductThreshold: Int { smallGEMMThreshold }
    /// The SIMD width the SLEEF loops run at: 512, 256, or 0 for the portable fallback.
    public static var vectorWidth: Int { Int(st_simd_width()) }
}
