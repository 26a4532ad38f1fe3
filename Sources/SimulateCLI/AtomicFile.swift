import Foundation

/// Writing a file whole or not at all: a temporary file beside it, then rename(2), so a killed
/// run never leaves a partial file behind. Trace files and the sweep's files are written this way.
enum AtomicFile {
    /// Writes `text` to `path` (relative to the current directory) through a temporary file in
    /// the same directory; on failure the temporary file is removed and the error rethrown.
    static func write(_ text: String, to path: String) throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let url = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL.absoluteURL
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
