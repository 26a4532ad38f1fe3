import Foundation
import RayClusterModel

/// Where `simulate check` writes counterexample traces: nowhere unless `--trace-out` asks, and
/// under names made only of sanitised ids, never of a raw model string (a model's `name` is user
/// input: `../x`, `/etc/x`, `a/b` or 300 bytes must not decide where a file goes).
enum TracePlacement: Equatable {
    /// No `--trace-out`: nothing is written.
    case none
    /// `--trace-out FILE`: that file for one violated property; `STEM.PROPERTY.EXT` for several.
    case file(String)
    /// `--trace-out DIR` (an existing directory, or a path ending in `/`): `MODEL.PROPERTY.trace.json`
    /// inside it.
    case directory(String)

    /// The longest model-name part of a file name.
    static let maxNameLength = 64

    init(_ given: String?) {
        guard let given else { self = .none; return }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: given, isDirectory: &isDirectory)
        self = given.hasSuffix("/") || (exists && isDirectory.boolValue) ? .directory(given) : .file(given)
    }

    /// `name` reduced to `[A-Za-z0-9._-]` (every other character becomes `-`), without leading
    /// dots, at most ``maxNameLength`` characters; `model` if nothing is left.
    static func safeName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".unicodeScalars)
        var safe = String(String.UnicodeScalarView(name.unicodeScalars.map { allowed.contains($0) ? $0 : "-" }))
        while safe.hasPrefix(".") { safe.removeFirst() }
        safe = String(safe.prefix(maxNameLength))
        return safe.isEmpty ? "model" : safe
    }

    /// Before the check, so a long search is not lost to a typo: a directory ending in `/` is
    /// created; a file's directory must exist.
    func prepare() throws(InputError) {
        switch self {
        case .none: return
        case .directory(let dir):
            do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                throw .flag("--trace-out", "cannot create the directory \(dir) (\(error.localizedDescription))",
                            "choose a writable directory, e.g. --trace-out /tmp/traces/")
            }
        case .file(let file):
            let parent = URL(fileURLWithPath: file).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .flag("--trace-out", "the directory \(parent) of \(file) does not exist",
                            "create it first, or end the path with / to have it created")
            }
        }
    }

    /// The file for each of `properties` (ids of violated properties; they are already safe in
    /// a file name); empty for ``none``.
    func paths(model: String, properties: [String]) -> [String: String] {
        var paths: [String: String] = [:]
        for id in properties {
            switch self {
            case .none: return [:]
            case .directory(let dir):
                paths[id] = URL(fileURLWithPath: dir, isDirectory: true)
                    .appendingPathComponent("\(Self.safeName(model)).\(id).trace.json").path
            case .file(let given):
                if properties.count == 1 { paths[id] = given; continue }
                let url = URL(fileURLWithPath: given)
                let ext = url.pathExtension
                let stem = ext.isEmpty ? given : String(given.dropLast(ext.count + 1))
                paths[id] = ext.isEmpty ? "\(given).\(id)" : "\(stem).\(id).\(ext)"
            }
        }
        return paths
    }
}
