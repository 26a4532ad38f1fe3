import Foundation

/// The process's memory as Linux reports it; nil elsewhere.
///
/// The checker's own accounting misses what states hold on the heap; the resident set does not,
/// so the memory limit looks at both.
@usableFromInline
enum ProcessMemory {
    /// Peak resident bytes so far (`VmHWM` in `/proc/self/status`).
    @usableFromInline static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// Current resident bytes (second field of `/proc/self/statm`, in pages).
    @usableFromInline static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
