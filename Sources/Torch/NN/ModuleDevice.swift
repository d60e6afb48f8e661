/// `module.to(device)`, `module.cpu()` and `module.to(device, dtype)`, so PyTorch training
/// scripts that move a model before training run unchanged on the CPU.

extension Module {
    /// Moves every parameter and buffer to `device` (`model.to(device)`). Only the CPU is
    /// served, so this changes nothing; each tensor goes through `Tensor.to(_:)`, which
    /// fails clearly for another device (a module without tensors, as in PyTorch, has
    /// nothing to move and does not fail) (`torch.nn.Module.to`).
    @discardableResult
    public func to(_ device: Device) -> Self {
        for m in modules() {
            for (_, slot) in m.slots() { _ = slot.tensor?.to(device) }
        }
        return self
    }

    /// Moves the module to the device named by `device` (`model.to("cpu")`, `torch.nn.Module.to`).
    /// - Throws: ``TorchError`` for an unparsable device string.
    @discardableResult
    public func to(device: String) throws -> Self { to(try Device(device)) }

    /// Moves to `device` and converts the floating-point state to `dtype` (`torch.nn.Module.to`).
    @discardableResult
    public func to(_ device: Device, _ dtype: DType) -> Self { to(device).to(dtype) }

    /// The module in host memory (`model.cpu()`): itself (`torch.nn.Module.cpu`).
    @discardableResult
    public func cpu() -> Self { to(Device.cpu) }
}
