import Foundation
import Torch

/// What replaying one case gave. SwiftTorch only: PyTorch has no counterpart (conformance-runner
/// plumbing).
public enum CaseOutcome: Equatable {
    /// Values (and gradients, when checked) match PyTorch.
    case passed
    /// A difference, described.
    case failed(String)
    /// Not replayable yet, e.g. `nn.functional.conv2d not implemented`.
    case skipped(String)
    /// An error case: it must run in a child process, which the caller arranges.
    case needsChildProcess
}

/// Loads the corpus and replays cases through the op table. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public struct ConformanceRunner {
    /// The corpus files (name without `.jsonl`) with their cases, in name order.
    public let files: [(name: String, cases: [ConformanceCase])]
    /// Whether gradients are checked (`--no-grad` turns this off).
    public var checkGradients: Bool

    /// Reads every `*.jsonl` in `directory` (only `only` when given).
    public init(directory: URL, only: Set<String>? = nil, checkGradients: Bool = true) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".jsonl") }
            .map { String($0.dropLast(6)) }
            .filter { only?.contains($0) ?? true }
            .sorted()
        var files: [(String, [ConformanceCase])] = []
        for name in names {
            let url = directory.appendingPathComponent(name + ".jsonl")
            let text = try String(contentsOf: url, encoding: .utf8)
            var cases: [ConformanceCase] = []
            for (n, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
                do {
                    cases.append(try ConformanceCase(json: JSONParser.parse(String(line)), file: name))
                } catch {
                    throw TorchError("\(url.path):\(n + 1): \(error)")
                }
            }
            files.append((name, cases))
        }
        self.files = files
        self.checkGradients = checkGradients
    }

    /// The default corpus: `TORCH_CONFORMANCE_DIR`, else the project's copy found from
    /// `start` upward (`Tests/ConformanceTests/Corpus`).
    public static func defaultDirectory(from start: URL) -> URL? {
        if let env = ProcessInfo.processInfo.environment["TORCH_CONFORMANCE_DIR"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        var dir = start.standardizedFileURL
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent("Tests/ConformanceTests/Corpus")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Every case, in file order.
    public var allCases: [ConformanceCase] { files.flatMap(\.cases) }

    /// Replays one case in this process (error cases report `.needsChildProcess`).
    public func run(_ c: ConformanceCase) -> CaseOutcome {
        if let unknown = c.unknownDTypes.first { return .skipped("dtype \(unknown) not supported") }
        if c.expectedError != nil { return .needsChildProcess }
        switch c.op {
        case "expr", "grad2", "backward", "backward_accumulate":
            return runExpressionCase(c)
        case "program":
            return runProgramCase(c)
        default:
            return runTableCase(c)
        }
    }

    /// Runs an error case's call, which is expected to stop the process. Returns normally
    /// (so the child exits 0 and the case fails) when the call did not fail.
    public func runErrorCase(_ c: ConformanceCase) -> CaseOutcome {
        if let unknown = c.unknownDTypes.first { return .skipped("dtype \(unknown) not supported") }
        if ["expr", "backward", "backward_twice", "backward_accumulate", "grad2"].contains(c.op) {
            return runExpressionCase(c, expectingError: true)
        }
        if c.op == "program" { return runProgramCase(c, expectingError: true) }
        guard let impl = opTable[c.op] else { return .skipped("\(c.op) not implemented") }
        let call = OpCall(c)
        if c.inputs.count > 0, c.kwargs["requires_grad"] != nil {
            call.args.compactMap(\.tensor).forEach { $0.requiresGrad_(true) }
        }
        do {
            _ = try impl(call)
        } catch {
            // A thrown error is the call failing, as PyTorch's raise: report it and stop.
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
        return .failed("the call did not fail")
    }

    /// Whether the op (or every op of an expression) exists, so an error case can be run.
    public func canRun(_ c: ConformanceCase) -> Bool {
        if !c.unknownDTypes.isEmpty { return false }
        if c.op == "program" {
            guard let statements = try? programStatements(c) else { return false }
            return statements.flatMap(\.expressions).flatMap(missingOps).isEmpty
        }
        if let e = c.kwargs["expr"]?.string ?? c.kwargs["exprs"]?.array?.first?.string {
            guard let parsed = try? Expression.parse(e) else { return false }
            return missingOps(parsed).isEmpty
        }
        return opTable[c.op] != nil
    }

    private func missingOps(_ e: Expression) -> [String] {
        switch e {
        case .name, .number, .string, .none: return []
        case .slice(let a, let b, let c): return [a, b, c].compactMap { $0 }.flatMap(missingOps)
        case .attribute(let t, _): return missingOps(t)
        case .list(let items): return items.flatMap(missingOps)
        case .call(let n, let a, let k):
            return (lookupOp(n) == nil ? [n] : []) + a.flatMap(missingOps) + k.values.flatMap(missingOps)
        case .method(let t, let n, let a, let k):
            return (lookupOp("Tensor." + n) == nil ? ["Tensor." + n] : []) + missingOps(t) + a.flatMap(missingOps) + k.values.flatMap(missingOps)
        case .binary(let op, let l, let r):
            let names = ["+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow",
                         ">": "gt", "<": "lt", ">=": "ge", "<=": "le", "==": "eq", "!=": "ne"]
            let n = names[op] ?? op
            return (opTable[n] == nil ? [n] : []) + missingOps(l) + missingOps(r)
        case .negate(let i): return (opTable["neg"] == nil ? ["neg"] : []) + missingOps(i)
        case .index(let t, let i): return (opTable["getitem"] == nil ? ["getitem"] : []) + missingOps(t) + i.flatMap(missingOps)
        }
    }

    // MARK: table ops

    private func runTableCase(_ c: ConformanceCase) -> CaseOutcome {
        guard let impl = opTable[c.op] else { return .skipped("\(c.op) not implemented") }
        let call = OpCall(c)
        let wantsGrads = checkGradients && c.grads != nil
        let differentiable = wantsGrads ? markRequiringGrad(call, grads: c.grads!) : []
        let result: OpValue
        do {
            result = try impl(call)
        } catch {
            return .failed("threw \(error)")
        }
        let shapeOnly = c.kwargs["check"]?.string == "shape_only"
        // FORMAT.md rule 12: conversions (`Tensor.to`) are exact even for 16-bit floats.
        if let problem = Comparison.value(result, c.out, rtol: c.rtol, atol: c.atol, shapeOnly: shapeOnly,
                                          exact: c.op == "Tensor.to") {
            return .failed(problem)
        }
        guard wantsGrads else { return .passed }
        let out: Tensor
        switch result {
        case .tensor(let t): out = t
        case .tensors(let ts) where !ts.isEmpty: out = ts[0]
        default: return .failed("no tensor to differentiate")
        }
        return checkGradients(of: out, inputs: differentiable, case: c)
    }

    /// Sets `requiresGrad` on every float tensor input whose recorded gradient is not null;
    /// returns them with their positions (list inputs flatten in order).
    private func markRequiringGrad(_ call: OpCall, grads: [JSON]) -> [(Tensor, JSON)] {
        var out: [(Tensor, JSON)] = []
        for (i, arg) in call.args.enumerated() where i < grads.count {
            switch (arg, grads[i]) {
            case (.tensor(let t), let g) where g != .null && t.dtype.isFloatingPoint:
                t.requiresGrad_(true)
                out.append((t, g))
            case (.list(let items), .array(let gs)):
                for (item, g) in zip(items, gs) where g != .null {
                    if let t = item.tensor, t.dtype.isFloatingPoint {
                        t.requiresGrad_(true)
                        out.append((t, g))
                    }
                }
            default:
                break
            }
        }
        return out
    }

    private func checkGradients(of out: Tensor, inputs: [(Tensor, JSON)], case c: ConformanceCase) -> CaseOutcome {
        // FORMAT.md rule 14: in gradgrad.jsonl the first derivative's grad_fn only names
        // PyTorch's internal formula; values and gradients decide.
        let gradFnIsInformational = c.op == "grad2" && c.file == "gradgrad"
        if !gradFnIsInformational, let name = c.gradFn, out.gradFn?.name != name {
            return .failed("grad_fn \(out.gradFn?.name ?? "none"), expected \(name)")
        }
        guard out.requiresGrad, !inputs.isEmpty else {
            return inputs.isEmpty ? .passed : .failed("the result does not require grad")
        }
        guard let gradOutJSON = c.gradOut, let gradOut = decodeTensor(gradOutJSON) else {
            return .failed("no grad_out recorded")
        }
        let grads = gradients(of: [out], wrt: inputs.map(\.0), gradOutputs: [gradOut], allowUnused: true)
        for (k, (g, (t, want))) in zip(grads, inputs).enumerated() {
            let got = g ?? Tensor.zerosLike(t)
            if let problem = Comparison.tensor(got, want, rtol: c.rtol, atol: c.atol) {
                return .failed("grad \(k): \(problem)")
            }
        }
        return .passed
    }

    // MARK: expressions

    private func runExpressionCase(_ c: ConformanceCase, expectingError: Bool = false) -> CaseOutcome {
        let inputs = c.inputs.compactMap(decodeTensor)
        let sources = c.kwargs["exprs"]?.array?.compactMap(\.string) ?? [c.kwargs["expr"]?.string ?? ""]
        let parsed: [Expression]
        do {
            parsed = try sources.map { try Expression.parse($0) }
        } catch {
            return .failed("cannot parse: \(error)")
        }
        let missing = parsed.flatMap(missingOps)
        if let first = missing.first { return .skipped("\(first) not implemented") }
        let differentiable = inputs.filter { $0.dtype.isFloatingPoint }
        let needsGrad = expectingError || c.grads != nil || c.op != "expr"
        if needsGrad || checkGradients { differentiable.forEach { $0.requiresGrad_(true) } }
        let evaluator = ExpressionEvaluator(inputs: inputs, id: c.id)
        do {
            switch c.op {
            case "backward_twice":
                guard let out = try evaluator.evaluate(parsed[0]).tensor else { return .failed("not a tensor") }
                out.backward()
                out.backward()
                return .failed("the second backward did not fail")
            case "backward":
                guard let out = try evaluator.evaluate(parsed[0]).tensor else { return .failed("not a tensor") }
                if expectingError {
                    out.backward(gradient: c.gradOut.flatMap(decodeTensor))
                    return .failed("backward did not fail")
                }
                if let problem = Comparison.tensor(out, c.out, rtol: c.rtol, atol: c.atol) { return .failed(problem) }
                if let name = c.gradFn, out.gradFn?.name != name {
                    return .failed("grad_fn \(out.gradFn?.name ?? "none"), expected \(name)")
                }
                out.backward(gradient: c.gradOut.flatMap(decodeTensor))
                return compareLeafGrads(differentiable, c)
            case "backward_accumulate":
                let outs = c.out.array ?? []
                for (k, e) in parsed.enumerated() {
                    guard let out = try evaluator.evaluate(e).tensor else { return .failed("not a tensor") }
                    if k < outs.count, let problem = Comparison.tensor(out, outs[k], rtol: c.rtol, atol: c.atol) {
                        return .failed("expression \(k): \(problem)")
                    }
                    out.backward()
                }
                return compareLeafGrads(differentiable, c)
            case "grad2":
                guard let y = try evaluator.evaluate(parsed[0]).tensor else { return .failed("not a tensor") }
                // FORMAT.md rule 14: `kwargs.wrt` picks the input of the first derivative;
                // grads are recorded per input, null for integer ones.
                let wrt = c.kwargs["wrt"]?.int.map { inputs[$0] } ?? differentiable[0]
                guard let first = gradients(of: [y], wrt: [wrt], createGraph: true, allowUnused: true)[0] else {
                    return .failed("no first derivative")
                }
                if let problem = Comparison.tensor(first, c.out, rtol: c.rtol, atol: c.atol) { return .failed(problem) }
                guard checkGradients else { return .passed }
                let pairs = zip(inputs, c.grads ?? []).filter { $0.1 != .null && $0.0.dtype.isFloatingPoint }
                return checkGradients(of: first, inputs: pairs.map { ($0, $1) }, case: c)
            default:
                let value = try evaluator.evaluate(parsed[0])
                if expectingError { return .failed("the expression did not fail") }
                guard case .tensor(let out) = value else { return .failed("not a tensor") }
                if let problem = Comparison.tensor(out, c.out, rtol: c.rtol, atol: c.atol) { return .failed(problem) }
                guard checkGradients, let grads = c.grads else { return .passed }
                return checkGradients(of: out, inputs: zip(differentiable, grads).filter { $0.1 != .null }.map { ($0, $1) }, case: c)
            }
        } catch let missing as MissingOp {
            return .skipped(missing.description)
        } catch {
            return .failed("\(error)")
        }
    }

    // MARK: programs

    private func programStatements(_ c: ConformanceCase) throws -> [Statement] {
        try (c.kwargs["lines"]?.array ?? []).compactMap(\.string).map(Statement.parse)
    }

    /// Runs a `program` case (FORMAT.md rule 13): the lines in order, then `out`'s value,
    /// grad_fn and gradients. Expected errors stop the process, in the forward lines or in
    /// backward (`kwargs.error_at`).
    private func runProgramCase(_ c: ConformanceCase, expectingError: Bool = false) -> CaseOutcome {
        let inputs = c.inputs.compactMap(decodeTensor)
        let statements: [Statement]
        do {
            statements = try programStatements(c)
        } catch {
            return .failed("cannot parse: \(error)")
        }
        if let first = statements.flatMap(\.expressions).flatMap(missingOps).first {
            return .skipped("\(first) not implemented")
        }
        let differentiable = inputs.filter { $0.dtype.isFloatingPoint }
        differentiable.forEach { $0.requiresGrad_(true) }
        var evaluator = ExpressionEvaluator(inputs: inputs, id: c.id)
        do {
            for statement in statements { try evaluator.execute(statement) }
        } catch let missing as MissingOp {
            return .skipped(missing.description)
        } catch {
            return .failed("\(error)")
        }
        guard let out = evaluator.variables["out"] else { return .failed("the program sets no out") }
        if expectingError {
            if c.kwargs["error_at"]?.string == "backward" {
                let g = c.gradOut.flatMap(decodeTensor) ?? Tensor.onesLike(out)
                _ = gradients(of: [out], wrt: differentiable, gradOutputs: [g], allowUnused: true)
                return .failed("backward did not fail")
            }
            return .failed("the program did not fail")
        }
        if let problem = Comparison.tensor(out, c.out, rtol: c.rtol, atol: c.atol) { return .failed(problem) }
        guard checkGradients, let grads = c.grads else { return .passed }
        return checkGradients(of: out, inputs: zip(differentiable, grads).filter { $0.1 != .null }.map { ($0, $1) }, case: c)
    }

    private func compareLeafGrads(_ leaves: [Tensor], _ c: ConformanceCase) -> CaseOutcome {
        guard checkGradients else { return .passed }
        for (k, (t, want)) in zip(leaves, c.grads ?? []).enumerated() where want != .null {
            guard let g = t.grad else { return .failed("input \(k) has no .grad") }
            if let problem = Comparison.tensor(g, want, rtol: c.rtol, atol: c.atol) { return .failed("grad \(k): \(problem)") }
        }
        return .passed
    }
}

/// Per-file tallies and the summary lines the harness prints. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public struct ConformanceReport {
    /// `(file, passed, failed, skipped)` in file order.
    public var files: [(name: String, passed: Int, failed: Int, skipped: Int)] = []
    /// Ids of every passing case.
    public var passedIDs: Set<String> = []
    /// `(id, reason)` of failures, for `--verbose`.
    public var failures: [(id: String, reason: String)] = []
    /// `(id, reason)` of skips.
    public var skips: [(id: String, reason: String)] = []
    /// Error cases whose stderr also contained PyTorch's message.
    public var matchingMessages = 0

    /// Creates an empty report.
    public init() {}

    /// Adds one outcome to `file`'s tally.
    public mutating func record(_ outcome: CaseOutcome, for c: ConformanceCase) {
        if files.last?.name != c.file { files.append((c.file, 0, 0, 0)) }
        switch outcome {
        case .passed:
            files[files.count - 1].passed += 1
            passedIDs.insert(c.id)
        case .failed(let why):
            files[files.count - 1].failed += 1
            failures.append((c.id, why))
        case .skipped(let why):
            files[files.count - 1].skipped += 1
            skips.append((c.id, why))
        case .needsChildProcess:
            files[files.count - 1].skipped += 1
            skips.append((c.id, "error case not run"))
        }
    }

    /// `name: N passed, N failed, N skipped` per file, then the totals line.
    public var lines: [String] {
        var out = files.map { "\($0.name): \($0.passed) passed, \($0.failed) failed, \($0.skipped) skipped" }
        let p = files.reduce(0) { $0 + $1.passed }, f = files.reduce(0) { $0 + $1.failed }, s = files.reduce(0) { $0 + $1.skipped }
        out.append("\(p) passed, \(f) failed, \(s) skipped")
        return out
    }
}

/// The ratchet: ids that once passed, which must keep passing. SwiftTorch only: PyTorch has no
/// counterpart (conformance-runner plumbing).
public enum Ratchet {
    /// Reads the ids in `url` (one per line; a missing file is an empty ratchet).
    public static func read(_ url: URL) -> Set<String> {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty })
    }

    /// Adds `ids` to the file, never removing any; returns how many were new.
    @discardableResult
    public static func extend(_ url: URL, with ids: Set<String>) throws -> Int {
        let old = read(url)
        let all = old.union(ids)
        try (all.sorted().joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return all.count - old.count
    }
}
