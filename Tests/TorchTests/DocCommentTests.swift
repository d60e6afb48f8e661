import Foundation
import Testing

/// Every public or open declaration in `Sources/` carries a `///` comment (issue 21: full
/// documentation coverage). Reads the sources as text, so it also guards the library
/// products this test target does not import.
@Suite struct DocCommentTests {
    /// A line that declares something public: modifiers, then a declaration keyword.
    /// Extensions are not symbols of their own and need no comment.
    static let declaration = try! NSRegularExpression(pattern:
        #"^\s*(?:@[\w.]+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?!extension\b|import\b)"#
        + #"(?:[\w()]+\s+)*?(?:func|var|let|class|struct|enum|protocol|init|subscript|typealias|case|actor|"#
        + #"static|convenience|override|required|final|indirect|mutating|nonmutating|prefix|postfix|infix|lazy)\b"#)

    static func sourcesDirectory() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
    }

    /// Every Swift file under `Sources/`, in path order, as its path relative to the package
    /// and its lines.
    static func sourceFiles() throws -> [(path: String, lines: [String])] {
        let root = sourcesDirectory()
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        return try files.sorted(by: { $0.path < $1.path }).map { file in
            (file.path.replacingOccurrences(of: root.deletingLastPathComponent().path + "/", with: ""),
             try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n"))
        }
    }

    /// `file:line: declaration` for each public declaration without a doc comment above it
    /// (attributes such as `@discardableResult` may sit between the two).
    static func undocumented() throws -> [String] {
        var missing: [String] = []
        for (relative, lines) in try sourceFiles() {
            for (i, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                guard declaration.firstMatch(in: line, range: range) != nil else { continue }
                var j = i - 1
                while j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
                let previous = j >= 0 ? lines[j].trimmingCharacters(in: .whitespaces) : ""
                if previous.hasPrefix("///") || previous.hasSuffix("*/") { continue }
                missing.append("\(relative):\(i + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return missing
    }

    /// The types whose own members each name their PyTorch counterpart. Members of every other
    /// type are covered by that type's cross reference.
    static let crossReferencedTypes: Set<String> = ["Tensor", "Module", "Optimizer", "DataLoader"]

    /// A line that opens a type or an extension; group 1 is the type's name.
    static let typeHeader = try! NSRegularExpression(pattern:
        #"^\s*(?:(?:@[\w.]+(?:\([^)]*\))?|public|open|final|private|fileprivate|internal|indirect)\s+)*"#
        + #"(?:extension|class|struct|enum|protocol|actor)\s+(\w+)"#)

    /// The number of leading spaces and tabs.
    static func indentation(_ line: String) -> Int {
        line.prefix(while: { $0 == " " || $0 == "\t" }).count
    }

    /// The name of the type or extension whose body directly holds line `index`: the nearest line
    /// above it that is less indented (blank lines, comments and `#if` lines skipped), or `nil`
    /// when that line opens no type.
    static func enclosingType(_ lines: [String], _ index: Int) -> String? {
        let depth = indentation(lines[index])
        var j = index - 1
        while j >= 0 {
            let line = lines[j]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty && !trimmed.hasPrefix("//") && !trimmed.hasPrefix("#") && indentation(line) < depth {
                guard let match = typeHeader.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                      let name = Range(match.range(at: 1), in: line) else { return nil }
                return String(line[name])
            }
            j -= 1
        }
        return nil
    }

    /// Whether line `index` declares a symbol whose comment must name its PyTorch counterpart: a
    /// public declaration at top level, or one directly inside `Tensor`, `Module`, `Optimizer` or
    /// `DataLoader` (their type declarations or extensions).
    static func isCrossReferenced(_ lines: [String], _ index: Int) -> Bool {
        let line = lines[index]
        guard declaration.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil else { return false }
        if indentation(line) == 0 { return true }
        guard let type = enclosingType(lines, index) else { return false }
        return crossReferencedTypes.contains(type)
    }

    /// Whether the `///` block above line `index` (attributes may sit between) names a PyTorch
    /// counterpart: it mentions `torch` (`torch.nn.functional.relu`, `torchvision.io.read_image`)
    /// or `PyTorch` (as in "SwiftTorch only: PyTorch has no counterpart").
    static func namesPyTorchCounterpart(_ lines: [String], _ index: Int) -> Bool {
        var j = index - 1
        while j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
        while j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("///") {
            if lines[j].contains("torch") || lines[j].contains("PyTorch") { return true }
            j -= 1
        }
        return false
    }

    /// `file:line: declaration` for each cross-referenced declaration whose comment names no
    /// PyTorch counterpart.
    static func withoutPyTorchCounterpart() throws -> [String] {
        var missing: [String] = []
        for (relative, lines) in try sourceFiles() {
            for i in lines.indices where isCrossReferenced(lines, i) && !namesPyTorchCounterpart(lines, i) {
                missing.append("\(relative):\(i + 1): \(lines[i].trimmingCharacters(in: .whitespaces))")
            }
        }
        return missing
    }

    @Test func everyPublicDeclarationHasADocComment() throws {
        let missing = try Self.undocumented()
        #expect(missing.isEmpty, "public declarations without a /// comment:\n\(missing.prefix(50).joined(separator: "\n"))")
    }

    /// The check itself finds an undocumented declaration and accepts a documented one.
    @Test func checkerSeesMissingComments() {
        let undocumented = "    public func f() {}"
        let documented = ["    /// Does f.", "    @discardableResult", "    public func g() -> Int { 0 }"]
        func matches(_ s: String) -> Bool {
            Self.declaration.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
        }
        #expect(matches(undocumented))
        #expect(matches(documented[2]))
        #expect(!matches("public extension Tensor {"))
        #expect(!matches("    func internalOne() {}"))
    }

    /// Every top-level public symbol, and every public member of `Tensor`, `Module`, `Optimizer`
    /// and `DataLoader`, names its PyTorch counterpart in its documentation (`torch.Tensor.sort`,
    /// `torch.nn.Module.state_dict`), or says that PyTorch has none.
    @Test func everyPublicSymbolNamesItsPyTorchCounterpart() throws {
        let missing = try Self.withoutPyTorchCounterpart()
        #expect(missing.isEmpty, "public symbols whose /// comment names no PyTorch counterpart:\n\(missing.prefix(50).joined(separator: "\n"))")
    }

    /// The cross-reference check covers top-level symbols and the members of the four types, and
    /// leaves the members of other types to their type's reference.
    @Test func crossReferenceCheckerScopesTopLevelAndTheFourTypes() {
        let source = [
            "/// Does f.",                                  // 0
            "public func f() {}",                           // 1: top level, no reference
            "/// Does g (`torch.g`).",                      // 2
            "@discardableResult",                           // 3
            "public func g() -> Int { 0 }",                 // 4: top level, referenced
            "/// Another type (`torch.Other`).",            // 5
            "public struct Other {",                        // 6: top level, referenced
            "    /// A member of another type.",            // 7
            "    public func h() {}",                       // 8: out of scope
            "}",                                            // 9
            "extension Tensor {",                           // 10
            "    /// A tensor method.",                     // 11
            "    public func k() {}",                       // 12: in scope, no reference
            "",                                             // 13
            "#if os(Linux)",                                // 14
            "    /// A tensor method (`torch.Tensor.m`).",  // 15
            "    public func m() {}",                       // 16: in scope, referenced
            "#endif",                                       // 17
            "    /// A type nested in Tensor (`torch.Tensor.__iter__`).", // 18
            "    public struct Rows {",                     // 19: in scope, referenced
            "        /// The next row.",                    // 20
            "        public func next() {}",                // 21: a member of Rows, out of scope
            "    }",                                        // 22
            "}",                                            // 23
            "open class Module {",                          // 24
            "    /// The computation; SwiftTorch only: PyTorch has no counterpart.", // 25
            "    open func forward() {}",                   // 26: in scope, says it has none
            "}",                                            // 27
        ]
        #expect(Self.isCrossReferenced(source, 1) && !Self.namesPyTorchCounterpart(source, 1))
        #expect(Self.isCrossReferenced(source, 4) && Self.namesPyTorchCounterpart(source, 4))
        #expect(Self.isCrossReferenced(source, 6) && Self.namesPyTorchCounterpart(source, 6))
        #expect(!Self.isCrossReferenced(source, 8))
        #expect(Self.enclosingType(source, 8) == "Other")
        #expect(Self.isCrossReferenced(source, 12) && !Self.namesPyTorchCounterpart(source, 12))
        #expect(Self.isCrossReferenced(source, 16) && Self.namesPyTorchCounterpart(source, 16))
        #expect(Self.isCrossReferenced(source, 19) && Self.namesPyTorchCounterpart(source, 19))
        #expect(!Self.isCrossReferenced(source, 21))
        #expect(Self.isCrossReferenced(source, 26) && Self.namesPyTorchCounterpart(source, 26))
        #expect(!Self.isCrossReferenced(source, 10))
    }
}
