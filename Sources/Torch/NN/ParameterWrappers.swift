/// A type a module property can hold under ``Parameter`` or ``Buffer``: a tensor, or an
/// optional one (a layer built with `bias: false` keeps `nil`). SwiftTorch only: PyTorch has no
/// counterpart (Swift protocol glue for the property wrappers).
public protocol ModuleTensorValue {
    /// The value for the slot's current tensor.
    static func fromSlot(_ tensor: Tensor?) -> Self
    /// The tensor this value holds, if any.
    var slotTensor: Tensor? { get }
}

extension Tensor: ModuleTensorValue {
    /// The slot's tensor (a non-optional slot always holds one). SwiftTorch only: PyTorch has no
    /// counterpart (Swift protocol glue for the property wrappers).
    public static func fromSlot(_ tensor: Tensor?) -> Tensor {
        guard let t = tensor else { torchFatal("RuntimeError: a non-optional module slot is empty") }
        return t
    }
    /// This tensor. SwiftTorch only: PyTorch has no counterpart (Swift protocol glue for the
    /// property wrappers).
    public var slotTensor: Tensor? { self }
}

extension Optional: ModuleTensorValue where Wrapped == Tensor {
    /// The slot's tensor or `nil`.
    public static func fromSlot(_ tensor: Tensor?) -> Tensor? { tensor }
    /// The wrapped tensor, if any.
    public var slotTensor: Tensor? { self }
}

/// The shared cell behind a ``Parameter`` or ``Buffer`` property. SwiftTorch only: PyTorch has no
/// counterpart (storage for the property wrappers).
///
/// A class, so the module's cached list of slots stays right when the property is
/// reassigned (`linear.weight = ...`): the cache holds the cell, not the tensor.
public final class TensorSlot {
    /// The tensor currently held.
    public internal(set) var tensor: Tensor?
    /// `true` for a parameter, `false` for a buffer.
    public let isParameter: Bool
    /// Whether a buffer belongs in the state dict (PyTorch's `persistent`).
    public let isPersistent: Bool

    /// A cell holding `tensor` as a parameter (made a leaf that requires grad), for
    /// ``Module/dynamicParameters``.
    public static func parameter(_ tensor: Tensor) -> TensorSlot { TensorSlot(tensor, isParameter: true) }

    init(_ tensor: Tensor?, isParameter: Bool, isPersistent: Bool = true) {
        self.isParameter = isParameter
        self.isPersistent = isPersistent
        self.tensor = isParameter ? tensor.map(TensorSlot.asParameter) : tensor
    }

    /// A parameter is a leaf that requires grad, as `nn.Parameter(t)` makes it: a tensor
    /// with history is detached first (sharing its data).
    static func asParameter(_ t: Tensor) -> Tensor {
        let leaf = t.isLeaf ? t : t.detach()
        if leaf.dtype.isFloatingPoint && !leaf.requiresGrad { leaf.requiresGrad_(true) }
        return leaf
    }

    func assign(_ t: Tensor?) { tensor = isParameter ? t.map(TensorSlot.asParameter) : t }
}

/// Marks a module property as a learnable parameter, like `nn.Parameter` in PyTorch
/// (`torch.nn.Parameter`).
///
/// ```swift
/// final class Scale: Module {
///     @Parameter var gain = Tensor.ones(3)
///     override func forward(_ x: Tensor) -> Tensor { x * gain }
/// }
/// ```
/// The tensor is made a leaf that requires grad; it appears in `parameters()` and the
/// state dict under the property's name.
@propertyWrapper
public struct Parameter<Value: ModuleTensorValue> {
    /// The cell the module's reflection finds.
    public let slot: TensorSlot
    /// Wraps `wrappedValue` as a parameter.
    public init(wrappedValue: Value) { slot = TensorSlot(wrappedValue.slotTensor, isParameter: true) }
    /// The parameter tensor; assigning replaces it (made a leaf that requires grad).
    public var wrappedValue: Value {
        get { Value.fromSlot(slot.tensor) }
        nonmutating set { slot.assign(newValue.slotTensor) }
    }
}

/// Marks a module property as a buffer (`register_buffer`): state that is saved and loaded
/// with the module but not trained, such as BatchNorm's running statistics (`torch.nn.Buffer`).
@propertyWrapper
public struct Buffer<Value: ModuleTensorValue> {
    /// The cell the module's reflection finds.
    public let slot: TensorSlot
    /// Wraps `wrappedValue` as a buffer; `persistent: false` keeps it out of the state dict.
    public init(wrappedValue: Value, persistent: Bool = true) {
        slot = TensorSlot(wrappedValue.slotTensor, isParameter: false, isPersistent: persistent)
    }
    /// The buffer tensor.
    public var wrappedValue: Value {
        get { Value.fromSlot(slot.tensor) }
        nonmutating set { slot.assign(newValue.slotTensor) }
    }
}
