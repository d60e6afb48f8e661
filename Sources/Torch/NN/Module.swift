/// The base class of every layer and model, like PyTorch's `nn.Module` (`torch.nn.Module`).
///
/// Sub-modules, parameters and buffers are found by reflection over stored properties, in
/// declaration order (superclass properties first), as PyTorch's `__setattr__` registers
/// them; a property's name, in PyTorch's snake case (`runningMean` → `running_mean`),
/// becomes its path component, so `namedParameters()` and `stateDict()` keys read like
/// PyTorch's (`features.0.weight`, `self_attn.in_proj_weight`).
///
/// What counts:
/// - a property holding a `Module` (or `Module?`) is a sub-module;
/// - `@Parameter var w: Tensor` is a parameter, `@Buffer var m: Tensor` a buffer;
/// - a plain `let w: Tensor` that requires grad when first seen is a parameter (a shortcut
///   for `@Parameter`); other plain tensors are ignored, as PyTorch ignores plain tensor
///   attributes.
///
/// The walk runs once per module and is cached. Declare sub-modules with `let` (or call
/// ``invalidateStructure()`` after replacing one); parameters and buffers may be
/// reassigned freely because the cache holds their cells.
///
/// Swift needs `override` where PyTorch just defines `forward`:
/// ```swift
/// final class Net: Module {
///     let fc1 = Linear(4, 8)
///     let fc2 = Linear(8, 2)
///     override func forward(_ x: Tensor) -> Tensor { fc2(relu(fc1(x))) }
/// }
/// ```
open class Module: CustomStringConvertible {
    /// `true` in training mode (PyTorch's `training`); see ``train(_:)`` and ``eval()``
    /// (`torch.nn.Module.training`).
    public private(set) var isTraining = true
    private var cachedEntries: [(name: String, entry: ModuleEntry)]?

    /// Creates a module in training mode (`torch.nn.Module.__init__`).
    public init() {}

    /// The computation; subclasses override it. Modules whose forward takes other inputs
    /// (several tensors, a tuple result) declare their own `callAsFunction`
    /// (`torch.nn.Module.forward`).
    open func forward(_ input: Tensor) -> Tensor {
        torchFatal("NotImplementedError: Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// Runs ``forward(_:)``, so `model(x)` reads as in PyTorch, with any registered hooks
    /// (`torch.nn.Module.__call__`).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard let hooks, !hooks.isEmpty else { return forward(input) }
        return forwardWithHooks(input, hooks)
    }

    /// Hooks registered with ``registerForwardHook(_:)`` and friends.
    var hooks: ModuleHooks?

    /// Tensors and modules added at run time by ``registerBuffer(_:_:persistent:)``,
    /// ``registerParameter(_:_:)`` and ``registerModule(_:_:)``, in registration order.
    var registered: [(name: String, entry: ModuleEntry)] = []

    // MARK: Structure

    /// Sub-modules a container holds outside stored properties (`Sequential`'s list);
    /// containers override this and call ``invalidateStructure()`` when it changes. SwiftTorch
    /// only: PyTorch keeps sub-modules in `torch.nn.Module._modules`, which Swift's reflection
    /// cannot fill for a container.
    open var dynamicChildren: [(name: String, module: Module)] { [] }

    /// Parameters a layer creates in numbers known only at run time (an RNN's
    /// `weight_ih_l0`, `weight_ih_l1`, ...); such layers override this. SwiftTorch only: PyTorch
    /// keeps parameters in `torch.nn.Module._parameters`, which Swift's reflection cannot fill for
    /// run-time names.
    open var dynamicParameters: [(name: String, slot: TensorSlot)] { [] }

    /// Forgets the cached reflection walk, so the next query walks the properties again. SwiftTorch
    /// only: PyTorch has no counterpart (it needs no reflection cache).
    public func invalidateStructure() { cachedEntries = nil }

    /// Parameters taken out of the module's tensors by a reparametrisation such as
    /// ``weightNorm(_:name:dim:)`` (PyTorch's `del module._parameters[name]`): the property
    /// still holds a tensor, a plain computed one that forward reads, but it is no longer a
    /// parameter nor in the state dict.
    var hiddenTensorNames: Set<String> = [] { didSet { invalidateStructure() } }

    /// Reparametrisations installed on this module by name (`"weight"`), so a second one on
    /// the same parameter is refused and removal finds the first.
    var reparametrizations: [String: AnyObject] = [:]

    var entries: [(name: String, entry: ModuleEntry)] {
        if let cached = cachedEntries { return cached }
        var found = reflectEntries()
            + dynamicParameters.map { ($0.name, ModuleEntry.tensor($0.slot)) }
            + dynamicChildren.map { ($0.name, ModuleEntry.module($0.module)) }
            + registered.map { ($0.name, $0.entry) }
        if !hiddenTensorNames.isEmpty {
            found.removeAll { e in
                if case .tensor = e.entry { return hiddenTensorNames.contains(e.name) }
                return false
            }
        }
        cachedEntries = found
        return found
    }

    private func reflectEntries() -> [(name: String, entry: ModuleEntry)] {
        var mirrors: [Mirror] = []
        var m: Mirror? = Mirror(reflecting: self)
        while let mirror = m, mirror.subjectType != Module.self {
            mirrors.append(mirror)
            m = mirror.superclassMirror
        }
        var result: [(name: String, entry: ModuleEntry)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard var name = child.label else { continue }
                if name.hasPrefix("$__lazy_storage_$_") { continue }
                if name.hasPrefix("_") { name.removeFirst() }
                if let entry = ModuleEntry(reflecting: child.value) { result.append((snakeCased(name), entry)) }
            }
        }
        return result
    }

    /// The direct sub-modules with their names, in registration order
    /// (`torch.nn.Module.named_children`).
    public func namedChildren() -> [(name: String, module: Module)] {
        entries.compactMap { e in
            if case .module(let m) = e.entry { return (e.name, m) }
            return nil
        }
    }

    /// The direct sub-modules (`torch.nn.Module.children`).
    public func children() -> [Module] { namedChildren().map(\.module) }

    /// This module and every module below it, depth first, each once, with dotted names
    /// (`""` for this one) (`torch.nn.Module.named_modules`).
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, module: Module)] = []
        collectModules(prefix: prefix, seen: &seen, into: &out)
        return out
    }

    private func collectModules(prefix: String, seen: inout Set<ObjectIdentifier>,
                                into out: inout [(name: String, module: Module)]) {
        guard seen.insert(ObjectIdentifier(self)).inserted else { return }
        out.append((prefix, self))
        for (name, child) in namedChildren() {
            child.collectModules(prefix: prefix.isEmpty ? name : prefix + "." + name, seen: &seen, into: &out)
        }
    }

    /// This module and every module below it (`torch.nn.Module.modules`).
    public func modules() -> [Module] { namedModules().map(\.module) }

    /// Every parameter with its dotted name, each tensor once, in PyTorch's order
    /// (`torch.nn.Module.named_parameters`).
    public func namedParameters(recurse: Bool = true) -> [(name: String, parameter: Tensor)] {
        namedTensors(recurse: recurse) { slot in slot.isParameter }
    }

    /// Every parameter, each once: what an optimizer takes (`torch.nn.Module.parameters`).
    public func parameters(recurse: Bool = true) -> [Tensor] { namedParameters(recurse: recurse).map(\.parameter) }

    /// Every buffer with its dotted name (`torch.nn.Module.named_buffers`).
    public func namedBuffers(recurse: Bool = true) -> [(name: String, buffer: Tensor)] {
        namedTensors(recurse: recurse) { slot in !slot.isParameter }.map { ($0.name, $0.parameter) }
    }

    /// Every buffer (`torch.nn.Module.buffers`).
    public func buffers(recurse: Bool = true) -> [Tensor] { namedBuffers(recurse: recurse).map(\.buffer) }

    private func namedTensors(recurse: Bool, where keep: (TensorSlot) -> Bool) -> [(name: String, parameter: Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(name: String, parameter: Tensor)] = []
        let owners = recurse ? namedModules() : [("", self)]
        for (prefix, module) in owners {
            for (name, slot) in module.slots() where keep(slot) {
                guard let t = slot.tensor, seen.insert(ObjectIdentifier(t)).inserted else { continue }
                out.append((prefix.isEmpty ? name : prefix + "." + name, t))
            }
        }
        return out
    }

    /// This module's own parameter and buffer cells (not its children's), by name.
    func slots() -> [(name: String, slot: TensorSlot)] {
        entries.compactMap { e in
            if case .tensor(let slot) = e.entry { return (e.name, slot) }
            return nil
        }
    }

    // MARK: Modes and bulk changes

    /// Sets training mode on this module and every sub-module (`model.train()`,
    /// `torch.nn.Module.train`).
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for m in modules() { m.isTraining = mode }
        return self
    }

    /// Sets evaluation mode (`model.eval()`): Dropout passes inputs through, BatchNorm
    /// uses its running statistics (`torch.nn.Module.eval`).
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Clears every parameter's gradient: `nil` by default (PyTorch's `set_to_none=True`),
    /// or zeroed in place (`torch.nn.Module.zero_grad`).
    public func zeroGrad(setToNone: Bool = true) {
        for p in parameters() {
            if setToNone { p.grad = nil } else if let g = p.grad {
                if g.gradFn != nil { p.grad = Tensor.zerosLike(g) } else { g.zero_() }
            }
        }
    }

    /// Turns gradient tracking of every parameter on or off (freezing a model)
    /// (`torch.nn.Module.requires_grad_`).
    @discardableResult
    public func requiresGrad_(_ flag: Bool = true) -> Self {
        for p in parameters() { p.requiresGrad_(flag) }
        return self
    }

    /// Calls `body` on every sub-module and then this one, as PyTorch's `apply`
    /// (children first), e.g. to re-initialise weights (`torch.nn.Module.apply`).
    @discardableResult
    public func apply(_ body: (Module) -> Void) -> Self {
        for child in children() { child.apply(body) }
        body(self)
        return self
    }

    /// Converts every floating-point parameter and buffer to `dtype`, in place of the
    /// module's tensors (gradients are dropped, as in PyTorch) (`torch.nn.Module.to`).
    @discardableResult
    public func to(_ dtype: DType) -> Self {
        for m in modules() {
            for (_, slot) in m.slots() {
                guard let t = slot.tensor, t.dtype.isFloatingPoint, t.dtype != dtype else { continue }
                let converted = noGrad { t.to(dtype) }
                if slot.isParameter { converted.requiresGrad_(t.requiresGrad) }
                slot.assign(converted)
            }
        }
        return self
    }

    /// Converts the floating-point state to float64 (`torch.nn.Module.double`).
    @discardableResult public func double() -> Self { to(.float64) }
    /// Converts the floating-point state to float32 (`torch.nn.Module.float`).
    @discardableResult public func float() -> Self { to(.float32) }
    /// Converts the floating-point state to float16 (`module.half()`, `torch.nn.Module.half`).
    @discardableResult public func half() -> Self { to(.float16) }
    /// Converts the floating-point state to bfloat16 (`module.bfloat16()`,
    /// `torch.nn.Module.bfloat16`).
    @discardableResult public func bfloat16() -> Self { to(.bfloat16) }

    // MARK: Printing

    /// The part inside this module's parentheses when printed (`in_features=4, ...`)
    /// (`torch.nn.Module.extra_repr`).
    open var extraRepresentation: String { "" }

    /// The name printed for this module: its Swift type name (`torch.nn.Module._get_name`).
    open var typeName: String { String(describing: type(of: self)) }

    /// PyTorch's module repr: the type, its settings, and its children indented
    /// (`torch.nn.Module.__repr__`).
    open var description: String {
        let kids = namedChildren()
        if kids.isEmpty { return "\(typeName)(\(extraRepresentation))" }
        var lines: [String] = []
        if !extraRepresentation.isEmpty { lines.append(contentsOf: extraRepresentation.split(separator: "\n").map(String.init)) }
        for (name, child) in kids {
            lines.append(indentedBlock("(\(name)): \(child.description)"))
        }
        return "\(typeName)(\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n)"
    }
}

/// Indents every line of `text` but the first by two spaces (PyTorch's `_addindent`).
func indentedBlock(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }
        .joined(separator: "\n")
}

/// A Swift property name in PyTorch's casing (`runningMean` → `running_mean`,
/// `selfAttn` → `self_attn`, `convRGB` → `conv_rgb`), so a model ported with Swift names
/// has PyTorch's state-dict keys.
func snakeCased(_ name: String) -> String {
    let chars = Array(name)
    var out = ""
    for (i, c) in chars.enumerated() {
        if c.isUppercase {
            let previous = i > 0 ? chars[i - 1] : nil
            let next = i + 1 < chars.count ? chars[i + 1] : nil
            let startsWord = previous.map { $0.isLowercase || $0.isNumber } ?? false
            let endsAcronym = (previous?.isUppercase ?? false) && (next?.isLowercase ?? false)
            if startsWord || endsAcronym { out.append("_") }
            out.append(contentsOf: c.lowercased())
        } else {
            out.append(c)
        }
    }
    return out
}

/// What reflection found in one stored property of a module.
enum ModuleEntry {
    case module(Module)
    case tensor(TensorSlot)

    init?(reflecting value: Any) {
        if let m = value as? Module { self = .module(m); return }
        if let p = value as? Parameter<Tensor> { self = .tensor(p.slot); return }
        if let p = value as? Parameter<Tensor?> { self = .tensor(p.slot); return }
        if let b = value as? Buffer<Tensor> { self = .tensor(b.slot); return }
        if let b = value as? Buffer<Tensor?> { self = .tensor(b.slot); return }
        if let t = value as? Tensor, t.requiresGrad, t.isLeaf {
            self = .tensor(TensorSlot(t, isParameter: true)); return
        }
        return nil
    }
}
