import Torch

/// One line of a `program` case (FORMAT.md rule 13): Python statements over tensors. SwiftTorch
/// only: PyTorch has no counterpart (conformance-runner plumbing).
public enum Statement: Equatable, Sendable {
    /// `y = expr`.
    case assign(String, Expression)
    /// `y += expr` (also `-=`, `*=`, `/=`): in place on the tensor `y` names.
    case augmented(String, String, Expression)
    /// `y[items] = expr`: item assignment, in place.
    case setItem(Expression, [Expression], Expression)
    /// A call whose result is dropped (`y.fill_(0.5)`).
    case expression(Expression)

    /// Parses one statement.
    public static func parse(_ source: String) throws -> Statement {
        let tokens = try tokenize(source)
        // The statement's operator is the first `=` (or `op=`) outside brackets.
        var depth = 0
        var split: Int?
        for (i, t) in tokens.enumerated() {
            if ["(", "["].contains(t) { depth += 1 }
            if [")", "]"].contains(t) { depth -= 1 }
            if depth == 0, ["=", "+=", "-=", "*=", "/="].contains(t) { split = i; break }
        }
        func expression(_ slice: ArraySlice<String>) throws -> Expression {
            var parser = ExpressionParser(tokens: Array(slice))
            let e = try parser.expression()
            guard parser.atEnd else { throw ExpressionError("unexpected \(parser.peek ?? "") in \(source)") }
            return e
        }
        guard let split else { return .expression(try expression(tokens[...])) }
        let target = try expression(tokens[..<split])
        let value = try expression(tokens[(split + 1)...])
        let op = tokens[split]
        switch (target, op) {
        case (.name(let n), "="): return .assign(n, value)
        case (.name(let n), _): return .augmented(n, String(op.dropLast()), value)
        case (.index(let t, let items), "="): return .setItem(t, items, value)
        default: throw ExpressionError("unsupported statement \(source)")
        }
    }

    /// The expressions the statement evaluates (for finding ops that do not exist yet).
    var expressions: [Expression] {
        switch self {
        case .assign(_, let e), .augmented(_, _, let e), .expression(let e): return [e]
        case .setItem(let t, let items, let v): return [t, v] + items
        }
    }
}

extension ExpressionEvaluator {
    /// Runs one statement, updating the variables.
    public mutating func execute(_ statement: Statement) throws {
        switch statement {
        case .assign(let name, let e):
            guard let t = try evaluate(e).tensor else { throw ExpressionError("\(name) is not a tensor") }
            bind(name, t)
        case .augmented(let name, let op, let e):
            guard let target = variables[name] else { throw ExpressionError("unknown name \(name)") }
            let method = ["+": "add_", "-": "sub_", "*": "mul_", "/": "div_"][op]!
            _ = try evaluate(.method(.name(name), method, [e], [:]))
            bind(name, target)
        case .setItem(let t, let items, let v):
            guard let target = try evaluate(t).tensor else { throw ExpressionError("item assignment to a non-tensor") }
            let index = try items.map { expressionIndexItem(try evaluate($0)) }
            switch try evaluate(v) {
            case .tensor(let value): target.indexPut_(index, value)
            case .scalar(let s): target.indexPut_(index, s)
            default: throw ExpressionError("unsupported value in item assignment")
            }
        case .expression(let e):
            _ = try evaluate(e)
        }
    }
}
