/// A JSON value that keeps integers and floats apart: in the corpus `2` and `2.0` differ
/// (a Python int versus a Python float), and that decides type promotion. SwiftTorch only: PyTorch
/// has no counterpart (conformance-runner plumbing).
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    /// The member `key` of an object, `nil` otherwise.
    public subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The elements of an array, `nil` otherwise.
    public var array: [JSON]? { if case .array(let a) = self { return a } else { return nil } }
    /// The string, `nil` otherwise.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The members of an object, `nil` otherwise.
    public var object: [String: JSON]? { if case .object(let o) = self { return o } else { return nil } }

    /// A number as `Double`, with the corpus's `"nan"`, `"inf"`, `"-inf"` strings.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }

    /// An integer, `nil` for anything else.
    public var int: Int? { if case .int(let i) = self { return Int(i) } else { return nil } }

    /// A boolean, `nil` for anything else.
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
}

/// Errors from parsing a JSON line. SwiftTorch only: PyTorch has no counterpart (conformance-runner
/// plumbing).
public struct JSONParseError: Error, CustomStringConvertible {
    /// What is wrong and where.
    public let description: String
}

/// A small strict JSON parser over UTF-8 bytes. SwiftTorch only: PyTorch has no counterpart
/// (conformance-runner plumbing).
public struct JSONParser {
    private let bytes: [UInt8]
    private var i = 0

    /// Parses one JSON document.
    public static func parse(_ text: String) throws -> JSON {
        var p = JSONParser(bytes: Array(text.utf8))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw JSONParseError(description: "trailing characters at \(p.i)") }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    private func fail(_ what: String) -> JSONParseError { JSONParseError(description: "\(what) at byte \(i)") }

    private mutating func value() throws -> JSON {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: return try number()
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("bad literal") }
        i += w.count
    }

    private mutating func object() throws -> JSON {
        i += 1
        var out: [String: JSON] = [:]
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
        while true {
            skipSpace()
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
            i += 1
            skipSpace()
            out[key] = try value()
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func array() throws -> JSON {
        i += 1
        var out: [JSON] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
        while true {
            skipSpace()
            out.append(try value())
            skipSpace()
            guard i < bytes.count else { throw fail("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func string() throws -> String {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected string") }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if c != UInt8(ascii: "\\") { out.append(c); continue }
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                    throw fail("bad \\u escape")
                }
                i += 4
                var scalarValue = code
                // A surrogate pair encodes one scalar beyond the BMP.
                if (0xD800..<0xDC00).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                   let low = UInt32(String(decoding: bytes[i + 2..<i + 6], as: UTF8.self), radix: 16) {
                    scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalarValue).map(Character.init) ?? "?").utf8))
            default: out.append(e)
            }
        }
        throw fail("unterminated string")
    }

    private mutating func number() throws -> JSON {
        let start = i
        var isFloat = false
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { isFloat = true }
            if (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                i += 1
            } else { break }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if !isFloat, let v = Int64(text) { return .int(v) }
        if let d = Double(text) { return .double(d) }
        throw fail("bad number '\(text)'")
    }
}
