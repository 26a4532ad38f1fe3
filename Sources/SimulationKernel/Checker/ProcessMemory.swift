import Foundation

/// The process's memory as Linux reports it; nil elsewhere.
///
/// The checker's own accounting misses what states hold on the heap (an agenda's entries, say);
/// the resident set does not, so the memory limit and the reported peak come from it.
@usableFromInline
enum ProcessMemory {
    /// Bytes per page, read once.
    static let pageBytes = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Peak resident bytes so far (`VmHWM` in `/proc/self/status`).
    @usableFromInline static func peakResidentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return peakResidentBytes(status: status)
    }

    /// `VmHWM` of a `/proc/self/status` text, in bytes. Its value is padded to 8 digits after a
    /// tab (`VmHWM:\t   25432 kB`); past 8 digits (about 9.5 GiB) no blank is left but the tab.
    static func peakResidentBytes(status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }

    /// Current resident bytes: the second field of `/proc/self/statm`, in pages. One `open` and
    /// one `read` into a stack buffer (about a microsecond), so the searches can look often.
    @usableFromInline static func residentBytes() -> Int? {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int? in
            let n = read(fd, buffer.baseAddress, buffer.count)
            guard n > 0 else { return nil }
            var field = 0
            var value = 0
            var digits = 0
            for byte in buffer.prefix(n) {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                    if field == 1 { break }
                    field += 1
                    continue
                }
                guard field == 1 else { continue }
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
            }
            return digits > 0 ? value * pageBytes : nil
        }
    }
}
