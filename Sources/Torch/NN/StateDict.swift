/// What `loadStateDict(_:strict:)` could not match (PyTorch's `_IncompatibleKeys`)
/// (`torch.nn.modules.module._IncompatibleKeys`).
public struct IncompatibleKeys: Equatable, Sendable {
    /// Keys the module has but the dictionary lacks.
    public var missingKeys: [String]
    /// Keys in the dictionary the module does not have.
    public var unexpectedKeys: [String]
}

extension Module {
    /// Every parameter and persistent buffer under its dotted name, in PyTorch's order:
    /// each module's own parameters, then its buffers, then its children's (the items of
    /// `torch.nn.Module.state_dict`).
    public func namedStateTensors() -> [(name: String, tensor: Tensor, slot: TensorSlot)] {
        var out: [(name: String, tensor: Tensor, slot: TensorSlot)] = []
        for (prefix, module) in namedModules() {
            let own = module.slots()
            for (name, slot) in own.filter({ $0.slot.isParameter }) + own.filter({ !$0.slot.isParameter && $0.slot.isPersistent }) {
                guard let t = slot.tensor else { continue }
                out.append((prefix.isEmpty ? name : prefix + "." + name, t, slot))
            }
        }
        return out
    }

    /// The state dict keys in PyTorch's order (the keys of `torch.nn.Module.state_dict`).
    public func stateDictKeys() -> [String] { namedStateTensors().map(\.name) }

    /// Parameters and persistent buffers by dotted name (`model.state_dict()`), detached and
    /// sharing storage with the module's tensors, ready for `save(_:to:)`
    /// (`torch.nn.Module.state_dict`).
    public func stateDict() -> [String: Tensor] {
        var d: [String: Tensor] = [:]
        for (name, t, _) in namedStateTensors() { d[name] = t.detach() }
        return d
    }

    /// Copies `stateDict`'s tensors into this module's parameters and buffers, in place (so
    /// an optimizer holding the parameters keeps working), converting dtype as `copy_` does
    /// (`torch.nn.Module.load_state_dict`).
    ///
    /// - Parameters:
    ///   - stateDict: Tensors by dotted name, as ``Module/stateDict()`` gives them.
    ///   - strict: when `true` (PyTorch's default), a missing or unexpected key is an error;
    ///     otherwise they are returned.
    /// - Throws: ``TorchError`` naming every missing or unexpected key and every shape
    ///   mismatch, in PyTorch's wording; nothing is changed when it throws.
    @discardableResult
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws -> IncompatibleKeys {
        let own = namedStateTensors()
        let ownNames = Set(own.map(\.name))
        let missing = own.map(\.name).filter { stateDict[$0] == nil }
        let unexpected = stateDict.keys.filter { !ownNames.contains($0) }.sorted()
        var problems: [String] = []
        if strict {
            if !unexpected.isEmpty {
                problems.append("Unexpected key(s) in state_dict: \(unexpected.map { "\"\($0)\"" }.joined(separator: ", ")). ")
            }
            if !missing.isEmpty {
                problems.append("Missing key(s) in state_dict: \(missing.map { "\"\($0)\"" }.joined(separator: ", ")). ")
            }
        }
        for (name, t, _) in own {
            guard let source = stateDict[name], source.shape != t.shape else { continue }
            problems.append("size mismatch for \(name): copying a param with shape \(Size(source.shape)) from checkpoint, the shape in current model is \(Size(t.shape)).")
        }
        if !problems.isEmpty {
            throw TorchError("Error(s) in loading state_dict for \(typeName):\n\t" + problems.joined(separator: "\n\t"))
        }
        noGrad {
            for (name, t, _) in own {
                if let source = stateDict[name] { t.copy_(source) }
            }
        }
        return IncompatibleKeys(missingKeys: missing, unexpectedKeys: unexpected)
    }

    /// Loads the state dict a PyTorch file holds (``loadPyTorch(from:)``'s result): the
    /// value itself when it is a dictionary of tensors, else its `state_dict` or `model`
    /// entry (see ``PickleValue/stateDict``) (`torch.nn.Module.load_state_dict`).
    ///
    /// - Throws: ``TorchError`` when the value holds no state dict, or as
    ///   the dictionary overload does.
    @discardableResult
    public func loadStateDict(_ value: PickleValue, strict: Bool = true) throws -> IncompatibleKeys {
        guard let tensors = value.stateDict else {
            throw TorchError("Error(s) in loading state_dict for \(typeName): the value holds \(value.kindDescription), not a state dict of tensors")
        }
        return try loadStateDict(tensors, strict: strict)
    }
}
