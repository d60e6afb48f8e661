/// Where a tensor's memory lives. Only the CPU is served today; the device is still kept on
/// every tensor and checked at every kernel entry so a backend can be added (`torch.device`).
public struct Device: Hashable, Sendable, CustomStringConvertible {
    /// The kind of device.
    public enum Kind: String, Sendable, Hashable {
        /// Host memory.
        case cpu
        /// An NVIDIA GPU (parsed, not served by this build).
        case cuda
        /// Apple's Metal backend (parsed, not served by this build).
        case mps
        /// The meta device: shapes without data (parsed, not served by this build).
        case meta
    }

    /// The kind of device.
    public let kind: Kind
    /// The device ordinal (`cuda:1` → 1), `nil` when not given.
    public let index: Int?

    /// The CPU.
    public static let cpu = Device(kind: .cpu, index: nil)

    /// Creates a device from its parts.
    public init(kind: Kind, index: Int? = nil) {
        self.kind = kind
        self.index = index
    }

    /// Parses a device string as `torch.device` does: `"cpu"`, `"cuda"`, `"cuda:0"`.
    ///
    /// - Throws: ``TorchError`` with PyTorch's message for an unknown device type or a bad
    ///   index, e.g. `Expected one of cpu, cuda, ... device type at start of device string: blabladevice`.
    public init(_ string: String) throws {
        let parts = string.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let kind = Kind(rawValue: String(parts[0])) else {
            throw TorchError("Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: \(string)")
        }
        var index: Int?
        if parts.count == 2 {
            guard let i = Int(parts[1]), i >= 0, !parts[1].hasPrefix("+") else {
                throw TorchError("Invalid device string: '\(string)'")
            }
            index = i
        }
        self.init(kind: kind, index: index)
    }

    /// `cpu`, `cuda:0`, as PyTorch prints a device.
    public var description: String {
        index.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue
    }
}

/// CUDA queries, as `torch.cuda`.
public enum cuda {
    /// `false`: this build has no CUDA backend.
    public static func isAvailable() -> Bool { false }
    /// `0`: this build has no CUDA backend.
    public static func deviceCount() -> Int { 0 }
}
