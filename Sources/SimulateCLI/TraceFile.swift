import Foundation
import RayClusterModel
import SimulationKernel

/// A counterexample as a file: the exact model it was found in, and the choices that walk it.
/// Written atomically (temporary file, then rename); read back by `simulate replay`.
struct TraceFile: Codable {
    static let formatName = "ray-gcs-ft-lab/counterexample"
    static let currentVersion = 1

    var format = formatName
    var version = currentVersion
    /// The violated property's id.
    var property: String
    /// Fingerprint of `model`'s canonical JSON when written: names the model a trace belongs to.
    var modelDigest: String
    /// The model, with the checker's grid and fault budget applied: replay needs nothing else.
    var model: ModelDefinition
    var symmetry: Bool
    /// The choices of each step.
    var steps: [[Int]]
    /// Fingerprint of the (canonical) violating state, to notice a model that changed since.
    var violatingFingerprint: String

    static func digest(of model: ModelDefinition) -> String {
        var h = StableHasher()
        h.combine(canonicalJSON(model))
        return hex16(h.finalize())
    }

    static func canonicalJSON<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    /// Writes the file atomically: a killed run never leaves a partial trace behind.
    func write(to path: String) throws(InputError) {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
            .standardizedFileURL.absoluteURL
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data((Self.canonicalJSON(self) + "\n").utf8).write(to: temporary)
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw InputError(field: "--trace-out", problem: "cannot write \(path) (\(error.localizedDescription))",
                             fix: "choose a writable path, e.g. --trace-out /tmp/counterexample.json")
        }
    }

    static func read(_ path: String) throws(InputError) -> TraceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(field: "TRACE", problem: "no such file: \(path)", fix: "pass a trace file written by `simulate check`")
        }
        let trace: TraceFile
        do { trace = try JSONDecoder().decode(TraceFile.self, from: data) } catch {
            throw InputError(field: "TRACE", problem: "\(path) is not a counterexample trace (\(error))",
                             fix: "pass a trace file written by `simulate check`")
        }
        guard trace.format == formatName, trace.version == currentVersion else {
            throw InputError(field: "TRACE", problem: "unsupported trace format \(trace.format) version \(trace.version)",
                             fix: "re-run `simulate check` to write a current trace")
        }
        // The digest names the model; it is not compared on read: a model file of an older release
        // re-encodes differently. Whether the trace still reproduces is what replay checks.
        return trace
    }
}
