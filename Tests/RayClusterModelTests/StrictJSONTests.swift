import Foundation
import Testing
@testable import RayClusterModel

/// Our own JSON reader: what `JSONDecoder` let through silently, or reported without a position.
@Suite("Strict JSON reader")
struct StrictJSONTests {
    func parse(_ text: String) throws(InputError) -> JSONValue { try JSONValue.parse(Data(text.utf8), what: "model file") }

    func error(_ text: String) -> InputError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test("a key written twice is rejected, naming the key and both lines")
    func duplicateKeys() throws {
        let text = "{\n  \"name\": \"x\",\n  \"workers\": 1,\n  \"a\": 0,\n  \"b\": 0,\n  \"c\": 0,\n  \"workers\": 2\n}"
        let e = try #require(error(text))
        #expect(e.problem.contains("key \"workers\" appears twice, at line 3 and line 7"), "\(e.problem)")
        #expect(e.field == "(file)")
        // Through the model reader as well: JSONDecoder kept the last value without a word.
        #expect(throws: InputError.self) { try ModelDefinition.parse(Data(#"{"name": "x", "name": "y"}"#.utf8)) }
    }

    @Test("a trailing comma is rejected in objects and arrays, with its position",
          arguments: [(#"{"name": "x",}"#, "'}'", 14), (#"{"a": [1, 2,]}"#, "']'", 13)])
    func trailingComma(text: String, closer: String, column: Int) throws {
        let e = try #require(error(text))
        #expect(e.problem.contains("trailing comma before \(closer)"), "\(e.problem)")
        #expect(e.problem.contains("line 1, column \(column)"), "\(e.problem)")
    }

    @Test("every syntax error names its line and column", arguments: [
        ("{\n  \"name\": \"x\"\n  \"summary\": \"y\"\n}", 3, 3),
        ("{\n\"name\": tru}", 2, 9),
        ("{\"name\": \"x\"} extra", 1, 15),
        ("{\"a\": 07}", 1, 7),
        ("{\"a\": 1.}", 1, 9),
        ("{\"a\": \"é\" ]", 1, 11),
        ("{\"a\": \"unterminated", 1, 20),
    ])
    func positions(text: String, line: Int, column: Int) throws {
        let e = try #require(error(text))
        #expect(e.problem.contains("line \(line), column \(column):"), "\(e.problem)")
    }

    @Test("an empty or whitespace-only file is called empty", arguments: ["", "   ", "\n\t\r\n"])
    func empty(text: String) throws {
        let e = try #require(error(text))
        #expect(e.problem == "the model file is empty")
    }

    @Test("nesting is limited to 64 levels with a clear message")
    func depth() throws {
        let ok = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(throws: Never.self) { try parse("{\"a\": \(ok)}") }
        let deep = String(repeating: "[", count: 100_000)
        let e = try #require(error(deep))
        #expect(e.problem.contains("nested deeper than 64 levels"), "\(e.problem)")
    }

    @Test("whole numbers stay exact Int64; fractions are doubles; overflow is an error")
    func numbers() throws {
        #expect(try parse("9223372036854775807") == .integer(.max))
        #expect(try parse("-9223372036854775808") == .integer(.min))
        #expect(try parse("2.5") == .number(2.5))
        #expect(try parse("1e3") == .number(1000))
        let big = try #require(error("9223372036854775808"))
        #expect(big.problem.contains("does not fit a 64-bit whole number"))
        #expect(try #require(error("1e400")).problem.contains("too large"))
    }

    @Test("2.5 where a whole number is expected says so, with the value")
    func fractionWhereWholeExpected() throws {
        do {
            _ = try ModelDefinition.parse(Data(#"{"name": "x", "cluster": {"workers": 2.5}}"#.utf8))
            Issue.record("accepted 2.5 workers")
        } catch {
            #expect(error.field == "cluster.workers")
            #expect(error.problem == "expected a whole number, got 2.5")
        }
        // 2.0 is still read as 2 (documented).
        #expect(try ModelDefinition.parse(Data(#"{"name": "x", "cluster": {"workers": 2.0}}"#.utf8)).spec.workers == 2)
    }

    @Test("strings: every escape, surrogate pairs, and non-ASCII text")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u20ac\ud83d\ude00""#) == .string("é€😀"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
    }

    @Test("bad strings are rejected with their position", arguments: [
        ("\"a\u{01}b\"", "control character"), ("\"a\nb\"", "control character"), (#""\ud800""#, "lone surrogate"),
        (#""\udc00x""#, "lone surrogate"), (#""\ud800\u0041""#, "not followed by a low surrogate"),
        (#""\x""#, "unknown escape"), (#""\u12g4""#, "four hex digits"),
    ])
    func badStrings(text: String, problem: String) throws {
        let e = try #require(error(text))
        #expect(e.problem.contains(problem), "\(e.problem)")
        #expect(e.problem.contains("line 1, column"), "\(e.problem)")
    }

    @Test("invalid UTF-8 is rejected with its position", arguments: [
        [0x7B, 0x22, 0xFF, 0x22, 0x7D], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        do {
            _ = try JSONValue.parse(Data(bytes), what: "model file")
            Issue.record("accepted \(bytes)")
        } catch {
            #expect(error.problem.contains("not UTF-8"), "\(error.problem)")
            #expect(error.problem.contains("line 1, column"), "\(error.problem)")
        }
    }

    @Test("object members keep document order; the unknown key reported is the first in sorted order")
    func documentOrder() throws {
        guard case .object(let o) = try parse(#"{"zeta": 1, "alpha": 2, "mid": 3}"#) else { Issue.record("not an object"); return }
        #expect(o.keys == ["zeta", "alpha", "mid"])
        do {
            _ = try ModelDefinition.parse(Data(#"{"name": "x", "zzz": 1, "aaa": 2}"#.utf8))
            Issue.record("accepted unknown keys")
        } catch {
            #expect(error.field == "aaa")
        }
    }

    @Test("wide objects and long lines parse in linear time (100,000 keys, a 4 MB line)")
    func wide() throws {
        let keys = (0..<100_000).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        guard case .object(let o) = try parse("{\(keys)}") else { Issue.record("not an object"); return }
        #expect(o.members.count == 100_000 && o.keys.last == "k99999")
        let long = "{\"a\": \"" + String(repeating: "x", count: 4_000_000) + "\", \"a\": 1}"
        #expect(try #require(error(long)).problem.contains("column 4000011: key \"a\" appears twice"))
    }

    @Test("a YAML file still gets the conversion hint")
    func yamlHint() throws {
        let e = try #require(error("apiVersion: ray.io/v1\nkind: RayCluster\n"))
        #expect(e.problem.contains("looks like YAML, but it must be JSON"))
    }

    @Test("messages never leak Swift internals and say Fix once")
    func messageHygiene() {
        let texts = [#"{"name": 1}"#, #"{"name": "x", "cluster": []}"#, #"{"name": "x", "timing": {"granularity": 5}}"#,
                     #"{"name": "x", "faults": {"kinds": "gcs-process-kill"}}"#, "[1]", #"{"name": "x", "cluster": {"ftEnabled": 1}}"#]
        for text in texts {
            do {
                _ = try ModelDefinition.parse(Data(text.utf8))
                Issue.record("accepted \(text)")
            } catch {
                let d = error.description
                for leak in ["Dictionary<", "CodingKeys", "DecodingError", "Optional(", "Swift."] { #expect(!d.contains(leak), "\(d)") }
                #expect(d.components(separatedBy: "Fix:").count == 2, "\(d)")
            }
        }
    }
}
