/// Anomaly detection, as `torch.autograd.detect_anomaly()`: while on, every backward node's
/// results are checked for NaN, and the first one found stops the program naming the
/// forward op whose derivative produced it.

/// Runs `body` with anomaly detection on (`with torch.autograd.detect_anomaly():`).
public func detectAnomaly<R>(_ body: () throws -> R) rethrows -> R {
    let state = autogradThreadState()
    let previous = state.detectAnomaly
    state.detectAnomaly = true
    defer { state.detectAnomaly = previous }
    return try body()
}

/// Whether anomaly detection is on for this thread (`torch.is_anomaly_enabled`).
public func isAnomalyDetectionEnabled() -> Bool { autogradThreadState().detectAnomaly }

/// Fails with PyTorch's message when one of `outputs` of `node` holds a NaN.
func checkForNaN(_ outputs: [Tensor?], of node: Node) {
    for (i, g) in outputs.enumerated() {
        guard let g, g.dtype.isFloatingPoint else { continue }
        if Tensor.containsNaN(g) {
            torchFatal("RuntimeError: Function '\(node.name)' returned nan values in its \(i)th output.")
        }
    }
}
