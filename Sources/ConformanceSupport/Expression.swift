import Torch

/// The small expression language of `expr`, `grad2` and `backward*` cases: Python over the
/// inputs `a b c d`, with numbers, `+ - * / **`, unary minus, comparisons, calls of
/// `torch.*` functions with positional and keyword arguments, lists and tuples, indexing
/// like `a[0]` and method calls like `a.add_(1.0)`.
///
/// Every call and operator goes through the op table (`torch.exp(x)` → `opTable["exp"]`,
/// `x * y` → `opTable["mul"]`, `x.add_(y)` → `opTable["Tensor.add_"]`), so the evaluator
/// grows with the ops and an op that does not exist yet makes the case skip.
public indirect enum Expression: Equatable, Sendable {
    case name(String)
    case number(Scalar)
    case list([Expression])
    case call(String, [Expression], [String: Expression])
    case method(Expression, String, [Expression], [String: Expression])
    case binary(String, Expression, Expression)
    case negate(Expression)
    case index(Expression, [Expression])
    /// A Python string literal (`'bilinear'`).
    case string(String)
    /// Python's `None`.
    case none
    /// `start:stop:step` inside a subscript; absent parts are `nil`.
    case slice(Expression?, Expression?, Expression?)
    /// An attribute read without a call (`torch.max(a, dim=0).values`).
    case attribute(Expression, String)

    /// Parses Python source; throws on anything outside the language.
    public static func parse(_ source: String) throws -> Expression {
        var parser = ExpressionParser(tokens: try tokenize(source))
        let e = try parser.expression()
        guard parser.atEnd else { throw ExpressionError("unexpected \(parser.peek ?? "") in \(source)") }
        return e
    }
}

/// Why an expression could not be parsed or evaluated. SwiftTorch only: PyTorch has no counterpart
/// (conformance-runner plumbing).
public struct ExpressionError: Error, CustomStringConvertible {
    /// The reason.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// An op the expression needs that the table does not have yet. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public struct MissingOp: Error, CustomStringConvertible {
    /// The op's table name.
    public let op: String
    /// `<op> not implemented`.
    public var description: String { "\(op) not implemented" }
}

func tokenize(_ source: String) throws -> [String] {
    var tokens: [String] = []
    let chars = Array(source)
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if c == " " { i += 1; continue }
        if c.isLetter || c == "_" {
            var j = i
            while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
            // `a.add_` splits into `a`, `.`, `add_` so methods parse as postfix; `torch.x.y` stays a name.
            let word = String(chars[i..<j])
            if !word.hasPrefix("torch."), !word.hasPrefix("F."), let dot = word.firstIndex(of: ".") {
                tokens.append(String(word[..<dot]))
                var rest = word[word.index(after: dot)...]
                while true {
                    tokens.append(".")
                    if let next = rest.firstIndex(of: ".") {
                        tokens.append(String(rest[..<next]))
                        rest = rest[rest.index(after: next)...]
                    } else {
                        tokens.append(String(rest))
                        break
                    }
                }
            } else {
                tokens.append(word)
            }
            i = j
        } else if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
            var j = i
            while j < chars.count, chars[j].isNumber || chars[j] == "." || chars[j] == "e"
                || ((chars[j] == "-" || chars[j] == "+") && j > i && chars[j - 1] == "e") { j += 1 }
            tokens.append(String(chars[i..<j]))
            i = j
        } else if c == "'" || c == "\"" {
            // A string literal becomes one token starting with its quote.
            var j = i + 1
            while j < chars.count, chars[j] != c { j += 1 }
            guard j < chars.count else { throw ExpressionError("unterminated string") }
            tokens.append("'" + String(chars[(i + 1)..<j]))
            i = j + 1
        } else if c == "." && i + 1 < chars.count && (chars[i + 1].isLetter || chars[i + 1] == "_") {
            // `f(x).values`, `y[0].fill_(1)`: a method or attribute after a call or subscript.
            tokens.append(".")
            i += 1
        } else if i + 2 < chars.count, String(chars[i...i + 2]) == "**=" {
            tokens.append("**=")
            i += 3
        } else if i + 1 < chars.count, ["**", ">=", "<=", "==", "!=", "+=", "-=", "*=", "/="].contains(String(chars[i...i + 1])) {
            tokens.append(String(chars[i...i + 1]))
            i += 2
        } else if "+-*/()[],=<>:".contains(c) {
            tokens.append(String(c))
            i += 1
        } else {
            throw ExpressionError("unexpected character \(c)")
        }
    }
    return tokens
}

struct ExpressionParser {
    let tokens: [String]
    var position = 0

    var atEnd: Bool { position >= tokens.count }
    var peek: String? { atEnd ? nil : tokens[position] }

    mutating func take(_ t: String) throws {
        guard peek == t else { throw ExpressionError("expected \(t), found \(peek ?? "end")") }
        position += 1
    }

    mutating func expression() throws -> Expression { try comparison() }

    mutating func comparison() throws -> Expression {
        var left = try additive()
        while let op = peek, [">", "<", ">=", "<=", "==", "!="].contains(op) {
            position += 1
            left = .binary(op, left, try additive())
        }
        return left
    }

    mutating func additive() throws -> Expression {
        var left = try multiplicative()
        while let op = peek, op == "+" || op == "-" {
            position += 1
            left = .binary(op, left, try multiplicative())
        }
        return left
    }

    mutating func multiplicative() throws -> Expression {
        var left = try unary()
        while let op = peek, op == "*" || op == "/" {
            position += 1
            left = .binary(op, left, try unary())
        }
        return left
    }

    mutating func unary() throws -> Expression {
        if peek == "-" {
            position += 1
            return .negate(try unary())
        }
        return try power()
    }

    /// `**` binds tighter than unary minus on its left and is right-associative.
    mutating func power() throws -> Expression {
        let base = try postfix()
        if peek == "**" {
            position += 1
            return .binary("**", base, try unary())
        }
        return base
    }

    mutating func postfix() throws -> Expression {
        var e = try primary()
        while true {
            if peek == "[" {
                position += 1
                var items: [Expression] = []
                while peek != "]" {
                    items.append(try subscriptItem())
                    if peek == "," { position += 1 }
                }
                try take("]")
                e = .index(e, items)
            } else if peek == "." {
                position += 1
                guard let name = peek else { throw ExpressionError("method name expected") }
                position += 1
                if peek != "(" {
                    e = .attribute(e, name)
                    continue
                }
                let (args, kwargs) = try arguments()
                e = .method(e, name, args, kwargs)
            } else {
                return e
            }
        }
    }

    /// One item of a subscript: an expression or a slice `start:stop:step`.
    mutating func subscriptItem() throws -> Expression {
        func part() throws -> Expression? {
            peek == ":" || peek == "," || peek == "]" ? nil : try expression()
        }
        let start = try part()
        guard peek == ":" else {
            guard let start else { throw ExpressionError("empty subscript") }
            return start
        }
        position += 1
        let stop = try part()
        var step: Expression?
        if peek == ":" {
            position += 1
            step = try part()
        }
        return .slice(start, stop, step)
    }

    mutating func arguments() throws -> ([Expression], [String: Expression]) {
        try take("(")
        var args: [Expression] = []
        var kwargs: [String: Expression] = [:]
        while peek != ")" {
            if position + 1 < tokens.count, tokens[position + 1] == "=", let key = peek {
                position += 2
                kwargs[key] = try expression()
            } else {
                args.append(try expression())
            }
            if peek == "," { position += 1 }
        }
        try take(")")
        return (args, kwargs)
    }

    mutating func primary() throws -> Expression {
        guard let t = peek else { throw ExpressionError("unexpected end") }
        if t == "(" {
            position += 1
            var items: [Expression] = []
            var sawComma = false
            while peek != ")" {
                items.append(try expression())
                if peek == "," { position += 1; sawComma = true }
            }
            try take(")")
            return items.count == 1 && !sawComma ? items[0] : .list(items)
        }
        if t == "[" {
            position += 1
            var items: [Expression] = []
            while peek != "]" {
                items.append(try expression())
                if peek == "," { position += 1 }
            }
            try take("]")
            return .list(items)
        }
        position += 1
        if let first = t.first, first.isNumber || first == "." {
            if t.contains(".") || t.contains("e") {
                guard let d = Double(t) else { throw ExpressionError("bad number \(t)") }
                return .number(.double(d))
            }
            guard let i = Int64(t) else { throw ExpressionError("bad number \(t)") }
            return .number(.int(i))
        }
        if t.hasPrefix("'") { return .string(String(t.dropFirst())) }
        if t == "None" { return .none }
        if t.hasPrefix("F.") {
            let (args, kwargs) = try arguments()
            return .call("nn.functional." + t.dropFirst(2), args, kwargs)
        }
        if t == "True" { return .number(.bool(true)) }
        if t == "False" { return .number(.bool(false)) }
        if t.hasPrefix("torch.") {
            let (args, kwargs) = try arguments()
            return .call(String(t.dropFirst(6)), args, kwargs)
        }
        return .name(t)
    }
}

/// Evaluates an expression with `a b c d` bound to tensors, through the op table. SwiftTorch only:
/// PyTorch has no counterpart (conformance-runner plumbing).
public struct ExpressionEvaluator {
    /// The variables (`a`, `b`, ..., and those a program assigns).
    public private(set) var variables: [String: Tensor]
    /// The case id, for messages.
    public let id: String

    /// Binds the inputs in order to `a`, `b`, `c`, `d`.
    public init(inputs: [Tensor], id: String) {
        var v: [String: Tensor] = [:]
        for (name, t) in zip(["a", "b", "c", "d"], inputs) { v[name] = t }
        self.variables = v
        self.id = id
    }

    /// Binds `name` to `tensor` (a program's assignment).
    public mutating func bind(_ name: String, _ tensor: Tensor) { variables[name] = tensor }

    /// The value of `e`; throws ``MissingOp`` when an op it needs is not in the table.
    public func evaluate(_ e: Expression) throws -> OpArgument {
        switch e {
        case .name(let n):
            guard let t = variables[n] else { throw ExpressionError("unknown name \(n)") }
            return .tensor(t)
        case .number(let s):
            return .scalar(s)
        case .list(let items):
            return .list(try items.map(evaluate))
        case .call(let name, let args, let kwargs):
            return try apply(name, try args.map(evaluate), try kwargs.mapValues(evaluate))
        case .method(let target, let name, let args, let kwargs):
            return try apply("Tensor." + name, [try evaluate(target)] + (try args.map(evaluate)), try kwargs.mapValues(evaluate))
        case .negate(let inner):
            let v = try evaluate(inner)
            if case .scalar(let s) = v { return .scalar(negated(s)) }
            return try apply("neg", [v], [:])
        case .binary(let op, let l, let r):
            let names = ["+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow",
                         ">": "gt", "<": "lt", ">=": "ge", "<=": "le", "==": "eq", "!=": "ne"]
            var left = try evaluate(l), right = try evaluate(r)
            // Python's reflected operators: a scalar on the left still means a tensor op.
            if left.tensor == nil, right.tensor != nil {
                switch op {
                case "+", "*", "==", "!=":
                    swap(&left, &right)
                case "-":
                    return try apply("add", [try apply("neg", [right], [:]), left], [:])
                case ">", "<", ">=", "<=":
                    let flipped = [">": "lt", "<": "gt", ">=": "le", "<=": "ge"][op]!
                    return try apply(flipped, [right, left], [:])
                default:
                    // `2 / t`, `2 ** t`: a 0-d tensor of the scalar keeps its category.
                    if case .scalar(let s) = left {
                        left = .tensor(Tensor(shape: [], values: [s]))
                    }
                }
            }
            return try apply(names[op]!, [left, right], [:])
        case .index(let target, let items):
            let index = try items.map { item -> OpArgument in try evaluate(item) }
            return try apply("getitem", [try evaluate(target)], ["index": .list(index)])
        case .string(let text):
            return .string(text)
        case .none:
            return .none
        case .slice(let start, let stop, let step):
            func bound(_ e: Expression?) throws -> Int? { try e.flatMap { try evaluate($0).int } }
            return .slice(try bound(start), try bound(stop), try bound(step) ?? 1)
        case .attribute(let target, let name):
            let value = try evaluate(target)
            switch (name, value) {
            case ("values", .list(let parts)) where !parts.isEmpty: return parts[0]
            case ("indices", .list(let parts)) where parts.count > 1: return parts[1]
            default: return try apply("Tensor." + name, [value], [:])
            }
        }
    }

    private func negated(_ s: Scalar) -> Scalar {
        switch s {
        case .int(let i): return .int(-i)
        case .double(let d): return .double(-d)
        case .bool(let b): return .int(b ? -1 : 0)
        }
    }

    private func apply(_ op: String, _ args: [OpArgument], _ kwargs: [String: OpArgument]) throws -> OpArgument {
        guard let impl = lookupOp(op) else { throw MissingOp(op: op) }
        switch try impl(OpCall(id: id, args: args, kwargs: kwargs)) {
        case .tensor(let t): return .tensor(t)
        case .tensors(let ts): return .list(ts.map { .tensor($0) })
        case .scalar(let s): return .scalar(s)
        case .string(let s): return .string(s)
        }
    }
}

/// The implementation of `op` for an expression: its own form, the table's, or — for a
/// method like `Tensor.sum` without an entry — the function of the same name (Python's
/// `x.sum(0)` is `torch.sum(x, 0)`).
func lookupOp(_ op: String) -> OpImplementation? {
    if let impl = expressionOps[op] ?? opTable[op] { return impl }
    if op.hasPrefix("Tensor."), !op.hasSuffix("_") {
        let function = String(op.dropFirst(7))
        return expressionOps[function] ?? opTable[function]
    }
    return nil
}

/// Ops that only expressions use, in the argument form expressions produce
/// (`getitem` with plain integers rather than the corpus's `{"int": i}` items).
let expressionOps: [String: OpImplementation] = [
    // `torch.einsum('ij,jk->ik', a, b)`: the equation comes first, not as a keyword.
    "einsum": { c in
        .tensor(einsum(c[0].string ?? "", c.args.dropFirst().compactMap(\.tensor)))
    },
    // `torch.zeros(2, 3)`: sizes as separate arguments.
    "zeros": { c in
        let sizes = c.args.count == 1 ? (c[0].ints ?? []) : c.args.compactMap(\.int)
        return .tensor(Tensor.zeros(sizes, dtype: c.dtype))
    },
    // `torch.tensor([[1], [0]])` from an evaluated list.
    "tensor": { c in
        let (shape, values) = flattenNested(c[0])
        return .tensor(Tensor(shape: shape, values: values, dtype: c.dtype))
    },
]
