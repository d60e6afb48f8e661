/// `nn.Sequential`: runs its modules in order, each on the previous one's output.
/// Sub-modules are named `0`, `1`, ... as in PyTorch (`torch.nn.Sequential`).
public final class Sequential: Module {
    /// The modules, in order.
    public private(set) var layers: [Module]
    /// The modules' names when built from named pairs; `nil` names them by position.
    private var names: [String]?

    /// `Sequential(Linear(784, 128), ReLU(), Linear(128, 10))`.
    public convenience init(_ layers: Module...) { self.init(layers) }

    /// Creates the container from an array.
    public init(_ layers: [Module]) {
        self.layers = layers
        super.init()
    }

    /// `nn.Sequential(OrderedDict([("conv0", ...), ("norm0", ...)]))`: named modules, run
    /// in the given order (their names become the state-dict path components).
    public init(_ named: KeyValuePairs<String, Module>) {
        self.layers = named.map(\.value)
        self.names = named.map(\.key)
        super.init()
    }

    /// Named modules from an array of pairs (names built at run time).
    public init(named pairs: [(String, Module)]) {
        self.layers = pairs.map(\.1)
        self.names = pairs.map(\.0)
        super.init()
    }

    /// The modules named by position, or by the names they were given.
    public override var dynamicChildren: [(name: String, module: Module)] {
        layers.enumerated().map { (names?[$0.offset] ?? String($0.offset), $0.element) }
    }

    /// Feeds `x` through every module.
    public override func forward(_ x: Tensor) -> Tensor {
        var y = x
        for layer in layers { y = layer(y) }
        return y
    }

    /// Appends a module.
    public func append(_ module: Module) {
        names?.append(String(layers.count))
        layers.append(module)
        invalidateStructure()
    }

    /// Appends a module under `name` (``Module/addModule(_:_:)``); a name already used
    /// replaces that module in place, as PyTorch's `_modules[name] = module` does.
    func append(_ module: Module, named name: String) {
        let current = names ?? layers.indices.map(String.init)
        if let i = current.firstIndex(of: name) {
            layers[i] = module
        } else {
            names = current + [name]
            layers.append(module)
        }
        invalidateStructure()
    }

    /// The module at `index` (negative counts from the end).
    public subscript(index: Int) -> Module { layers[index < 0 ? index + layers.count : index] }

    /// The number of modules.
    public var count: Int { layers.count }
}

/// `nn.ModuleList`: holds modules so their parameters are registered (named `0`, `1`, ...);
/// `forward` is the owner's business (`torch.nn.ModuleList`).
public final class ModuleList: Module, RandomAccessCollection {
    private var items: [Module]

    /// Creates the list.
    public init(_ modules: [Module] = []) {
        items = modules
        super.init()
    }

    /// The modules named by position.
    public override var dynamicChildren: [(name: String, module: Module)] {
        items.enumerated().map { (String($0.offset), $0.element) }
    }

    /// Appends a module.
    public func append(_ module: Module) {
        items.append(module)
        invalidateStructure()
    }

    /// PyTorch's ModuleList repr: runs of identical children collapse to `(0-1): 2 x ...`.
    public override var description: String {
        guard !items.isEmpty else { return "\(typeName)()" }
        var blocks: [(start: Int, end: Int, text: String)] = []
        for (i, item) in items.enumerated() {
            let text = item.description
            if let last = blocks.last, last.text == text {
                blocks[blocks.count - 1].end = i
            } else {
                blocks.append((i, i, text))
            }
        }
        let lines = blocks.map { b in
            indentedBlock(b.start == b.end ? "(\(b.start)): \(b.text)" : "(\(b.start)-\(b.end)): \(b.end - b.start + 1) x \(b.text)")
        }
        return "\(typeName)(\n  " + lines.joined(separator: "\n  ") + "\n)"
    }

    /// The first index.
    public var startIndex: Int { 0 }
    /// One past the last index.
    public var endIndex: Int { items.count }
    /// The module at `index`.
    public subscript(index: Int) -> Module { items[index] }
}

/// `nn.ModuleDict`: modules by name, kept in insertion order (`torch.nn.ModuleDict`).
public final class ModuleDict: Module {
    private var keys: [String] = []
    private var table: [String: Module] = [:]

    /// Creates the dictionary from ordered pairs.
    public init(_ pairs: [(String, Module)] = []) {
        super.init()
        for (k, m) in pairs { self[k] = m }
    }

    /// The modules under their keys.
    public override var dynamicChildren: [(name: String, module: Module)] { keys.map { ($0, table[$0]!) } }

    /// The module for `key`; assigning adds or replaces it.
    public subscript(key: String) -> Module? {
        get { table[key] }
        set {
            if let newValue {
                if table.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if table.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
            invalidateStructure()
        }
    }

    /// The keys, in insertion order.
    public var moduleKeys: [String] { keys }
}
