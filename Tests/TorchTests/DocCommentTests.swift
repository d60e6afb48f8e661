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

    /// `file:line: declaration` for each public declaration without a doc comment above it
    /// (attributes such as `@discardableResult` may sit between the two).
    static func undocumented() throws -> [String] {
        var missing: [String] = []
        let root = sourcesDirectory()
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        for file in files.sorted(by: { $0.path < $1.path }) {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (i, line) in lines.enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                guard declaration.firstMatch(in: line, range: range) != nil else { continue }
                var j = i - 1
                while j >= 0 && lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("@") { j -= 1 }
                let previous = j >= 0 ? lines[j].trimmingCharacters(in: .whitespaces) : ""
                if previous.hasPrefix("///") || previous.hasSuffix("*/") { continue }
                let relative = file.path.replacingOccurrences(of: root.deletingLastPathComponent().path + "/", with: "")
                missing.append("\(relative):\(i + 1): \(line.trimmingCharacters(in: .whitespaces))")
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
}
