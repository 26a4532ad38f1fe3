import Foundation
import SimulationKernel
import Testing

@testable import RayClusterModel

/// Hostile and broken YAML: the reader returns or throws a positioned ``YAMLError``, never
/// crashes, never hangs. Every input comes from a fixed SplitMix64 seed, so a failure names
/// its reproduction: the seed and the round.
@Suite("YAML reader under fuzzing")
struct YAMLFuzzTests {
    /// Reads `bytes`; a failure is recorded unless the reader returned or threw an error whose
    /// position lies inside the input. Returns true when it was read.
    @discardableResult
    func check(_ bytes: [UInt8], _ what: @autoclosure () -> String) -> Bool {
        do {
            let documents = try YAMLReader.documents(bytes)
            for document in documents { _ = document.jsonValue() }
            return true
        } catch {
            let lines = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            if error.line < 1 || error.line > lines || error.column < 1 || error.message.isEmpty
                || error.fix.isEmpty
            {
                Issue.record("\(what()): bad error \(error)")
            }
            return false
        }
    }

    static let seeds: [[UInt8]] = [
        YAMLSamples.rayCluster, YAMLSamples.rayClusterJSON, YAMLSamples.rayServiceStream,
        "a: [1, {b: 'x''y', c: \"\\u00e9\\n\"}]\nd: |-\n  text\n  more\ne: >\n  f\n\n  g\n",
    ].map { Array($0.utf8) }

    /// Bytes the mutations insert: YAML's indicators, blanks and line breaks.
    static let inserted: [UInt8] = Array(":-'\"{[]},#\t&*|>!?%@` \n\\".utf8)

    func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        func at() -> Int { random.next(below: bytes.count + 1) }
        switch random.next(below: 8) {
        case 0 where !bytes.isEmpty:
            let i = random.next(below: bytes.count)
            bytes[i] ^= UInt8(1 << random.next(below: 8))
        case 1 where !bytes.isEmpty:
            let i = random.next(below: bytes.count)
            bytes.removeSubrange(i..<min(bytes.count, i + 1 + random.next(below: 8)))
        case 2:
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            var copy = lines.map(Array.init)
            let i = random.next(below: copy.count)
            copy.insert(copy[i], at: random.next(below: copy.count + 1))
            bytes = Array(copy.joined(separator: [0x0A]))
        case 3, 4:
            let b = Self.inserted[random.next(below: Self.inserted.count)]
            bytes.insert(b, at: at())
        case 5:
            bytes.removeSubrange(at()...)
        case 6 where !bytes.isEmpty:
            bytes[random.next(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        default:
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            var copy = lines.map(Array.init)
            let i = random.next(below: copy.count)
            if random.next(below: 2) == 0 {
                copy[i].insert(contentsOf: [0x20, 0x20], at: 0)
            } else if copy[i].first == 0x20 {
                copy[i].removeFirst()
            } else {
                copy.remove(at: i)
            }
            bytes = Array(copy.joined(separator: [0x0A]))
        }
    }

    @Test(
        "mutated manifests are read or refused with a position inside the input",
        arguments: [0x5941_4D4C_0001, 0x5941_4D4C_0002] as [UInt64])
    func mutatedManifests(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var read = 0
        let rounds = 1_500
        for round in 0..<rounds {
            var bytes = Self.seeds[random.next(below: Self.seeds.count)]
            for _ in 0...random.next(below: 4) { mutate(&bytes, &random) }
            if check(bytes, "seed \(seed) round \(round)") { read += 1 }
        }
        // Both outcomes occur: the mutations are neither all harmless nor all fatal.
        #expect(read > rounds / 20 && read < rounds - rounds / 20, "\(read) of \(rounds) read")
    }

    @Test("random byte strings are read or refused with a position")
    func randomBytes() {
        var random = SplitMix64(seed: 0x5941_4D4C_0003)
        let alphabet = Self.inserted + Array("ab01 .~\n\n  ".utf8)
        for round in 0..<2_000 {
            let count = random.next(below: 120)
            let bytes: [UInt8] = (0..<count).map { _ in
                random.next(below: 4) == 0
                    ? UInt8(truncatingIfNeeded: random.next())
                    : alphabet[random.next(below: alphabet.count)]
            }
            check(bytes, "random round \(round)")
        }
    }

    /// Shapes that break naive readers, by name (the test arguments).
    static let shapeNames = [
        "100,000 [", "100,000 {a: ", "100,000 '- ' on one line", "a ladder of 2,000 '- ' lines",
        "a ladder of 2,000 'k:' lines", "100,001 quotes", "50,000 empty documents",
        "a comment of 1,000,000 #", "a plain scalar of 1,000,000 bytes",
        "a block scalar of 100,000 lines", "60 nested flow sequences",
        "10,000 unclosed single quotes",
    ]

    /// The text of the shape `name`, built on demand.
    static func shape(_ name: String) -> String {
        func ladder(_ count: Int, _ line: String) -> String {
            (0..<count).map { String(repeating: " ", count: $0) + line }.joined(separator: "\n")
        }
        switch name {
        case "100,000 [": return String(repeating: "[", count: 100_000)
        case "100,000 {a: ": return "a: " + String(repeating: "{a: ", count: 100_000)
        case "100,000 '- ' on one line": return String(repeating: "- ", count: 100_000) + "x"
        case "a ladder of 2,000 '- ' lines": return ladder(2_000, "- ")
        case "a ladder of 2,000 'k:' lines": return ladder(2_000, "k:")
        case "100,001 quotes": return String(repeating: "\"", count: 100_001)
        case "50,000 empty documents": return String(repeating: "---\n", count: 50_000)
        case "a comment of 1,000,000 #": return String(repeating: "#", count: 1_000_000)
        case "a plain scalar of 1,000,000 bytes":
            return "k: " + String(repeating: "x", count: 1_000_000)
        case "a block scalar of 100,000 lines":
            return "k: |\n" + String(repeating: "  line\n", count: 100_000)
        case "60 nested flow sequences":
            return String(repeating: "[a, ", count: 60) + String(repeating: "]", count: 60)
        default: return String(repeating: "k: 'x\n", count: 10_000)
        }
    }

    @Test(
        "deep nesting and pathological shapes are refused or read, never overflow the stack",
        arguments: shapeNames)
    func pathological(name: String) {
        check(Array(Self.shape(name).utf8), name)
    }

    @Test("the deep inputs are refused by the depth limit, with the position of the 65th level")
    func deepIsRefused() {
        for (text, column) in [
            (String(repeating: "[", count: 100_000), 65),
            (String(repeating: "- ", count: 100_000), 129),
        ] {
            do {
                _ = try YAMLReader.documents(Array(text.utf8))
                Issue.record("accepted 100,000 levels")
            } catch {
                #expect(error.message.contains("nested deeper than 64 levels"))
                #expect(error.position == YAMLPosition(line: 1, column: column))
            }
        }
    }

    @Test("reading is deterministic: the same input gives the same tree or the same error")
    func deterministic() {
        var random = SplitMix64(seed: 0x5941_4D4C_0004)
        for _ in 0..<200 {
            var bytes = Self.seeds[random.next(below: Self.seeds.count)]
            mutate(&bytes, &random)
            let first = Result { () throws(YAMLError) in try YAMLReader.documents(bytes) }
            let second = Result { () throws(YAMLError) in try YAMLReader.documents(bytes) }
            #expect(first == second)
        }
    }
}
