/// Parameters, buffers and sub-modules added at run time, as PyTorch's `register_buffer`,
/// `register_parameter` and `add_module` add them: they take part in `parameters()`,
/// `stateDict()`, `to(_:)` and printing like stored properties do, after them.
extension Module {
    /// Adds a buffer (`self.register_buffer(name, tensor, persistent=True)`): state that is
    /// not trained, such as a positional-encoding table or running statistics. A
    /// non-persistent buffer stays out of ``stateDict()``; a `nil` tensor reserves the name
    /// (`torch.nn.Module.register_buffer`).
    public func registerBuffer(_ name: String, _ tensor: Tensor?, persistent: Bool = true) {
        checkNewName(name, kind: "buffer")
        registered.append((name, .tensor(TensorSlot(tensor, isParameter: false, isPersistent: persistent))))
        invalidateStructure()
    }

    /// Adds a parameter (`self.register_parameter(name, param)`); the tensor becomes a leaf
    /// that requires grad, as `nn.Parameter(t)` makes it (`torch.nn.Module.register_parameter`).
    public func registerParameter(_ name: String, _ parameter: Tensor?) {
        checkNewName(name, kind: "parameter")
        registered.append((name, .tensor(TensorSlot(parameter, isParameter: true))))
        invalidateStructure()
    }

    /// Adds a sub-module (`self.add_module(name, module)` / `register_module`,
    /// `torch.nn.Module.register_module`).
    public func registerModule(_ name: String, _ module: Module) {
        checkNewName(name, kind: "module")
        registered.append((name, .module(module)))
        invalidateStructure()
    }

    /// `add_module(name, module)`: PyTorch's other name for ``registerModule(_:_:)``. On a
    /// ``Sequential`` the module is also appended to the modules it runs, as in PyTorch
    /// (`slice1 = nn.Sequential(); slice1.add_module(str(x), features[x])`)
    /// (`torch.nn.Module.add_module`).
    public func addModule(_ name: String, _ module: Module) {
        if let sequential = self as? Sequential {
            sequential.append(module, named: name)
        } else {
            registerModule(name, module)
        }
    }

    /// The parameter at a dotted path (`get_parameter("layer1.0.weight")`), or `nil`
    /// (`torch.nn.Module.get_parameter`).
    public func getParameter(_ target: String) -> Tensor? {
        namedParameters().first { $0.name == target }?.parameter
    }

    /// The buffer at a dotted path (`get_buffer("bn.running_mean")`), or `nil`
    /// (`torch.nn.Module.get_buffer`).
    public func getBuffer(_ target: String) -> Tensor? {
        namedBuffers().first { $0.name == target }?.buffer
    }

    /// PyTorch's checks on a new attribute name, with its `KeyError` messages.
    private func checkNewName(_ name: String, kind: String) {
        if name.isEmpty { torchFatal("KeyError: '\(kind) name can\\'t be empty string \"\"'") }
        if name.contains(".") { torchFatal("KeyError: '\(kind) name can\\'t contain \".\", got: \(name)'") }
        if entries.contains(where: { $0.name == name }) { torchFatal("KeyError: \"attribute '\(name)' already exists\"") }
    }
}

/// `nn.ParameterList`: parameters held in a list, named `0`, `1`, ... in state dicts
/// (`torch.nn.ParameterList`).
public final class ParameterList: Module, RandomAccessCollection {
    private var slots: [TensorSlot]

    /// Creates the list; each tensor becomes a parameter.
    public init(_ parameters: [Tensor] = []) {
        slots = parameters.map { TensorSlot.parameter($0) }
        super.init()
    }

    /// The parameters, named by position.
    public override var dynamicParameters: [(name: String, slot: TensorSlot)] {
        slots.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Appends a parameter.
    public func append(_ parameter: Tensor) {
        slots.append(TensorSlot.parameter(parameter))
        invalidateStructure()
    }

    /// The first index.
    public var startIndex: Int { 0 }
    /// One past the last index.
    public var endIndex: Int { slots.count }
    /// The parameter at `index` (negative counts from the end).
    public subscript(index: Int) -> Tensor { slots[index < 0 ? index + slots.count : index].tensor! }

    /// PyTorch's repr: one line per parameter, `(0): Parameter containing: [torch.float32 of size 3x4]`.
    public override var description: String {
        guard !slots.isEmpty else { return "ParameterList()" }
        let lines = slots.enumerated().map { i, slot in
            let t = slot.tensor!
            return "  (\(i)): Parameter containing: [\(t.dtype) of size \(t.shape.map(String.init).joined(separator: "x"))]"
        }
        return "ParameterList(\n" + lines.joined(separator: "\n") + "\n)"
    }
}

/// `nn.ParameterDict`: parameters by name, in insertion order (`torch.nn.ParameterDict`).
public final class ParameterDict: Module {
    private var keys: [String] = []
    private var table: [String: TensorSlot] = [:]

    /// Creates the dictionary from ordered pairs; each tensor becomes a parameter.
    public init(_ pairs: [(String, Tensor)] = []) {
        super.init()
        for (k, v) in pairs { self[k] = v }
    }

    /// The parameters under their keys.
    public override var dynamicParameters: [(name: String, slot: TensorSlot)] { keys.map { ($0, table[$0]!) } }

    /// The keys, in insertion order.
    public var allKeys: [String] { keys }

    /// The number of parameters.
    public var count: Int { keys.count }

    /// The parameter for `key`; assigning adds or replaces it, `nil` removes it.
    public subscript(key: String) -> Tensor? {
        get { table[key]?.tensor }
        set {
            if let newValue {
                if table.updateValue(TensorSlot.parameter(newValue), forKey: key) == nil { keys.append(key) }
            } else if table.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
            invalidateStructure()
        }
    }
}
