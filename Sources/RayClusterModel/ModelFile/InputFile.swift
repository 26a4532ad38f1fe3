import Foundation

/// Reads a whole input file from any readable path: regular files, pipes, `/dev/fd/N` and process
/// substitution (`--model <(jq … model.json)`), which `FileManager.contents(atPath:)` cannot read.
public enum InputFile {
    /// The bytes of `path`, at most ``InputLimits/fileBytesMax``, checked to be non-empty UTF-8.
    /// `what` names the file in messages ("model file"), `field` is the error's field.
    ///
    /// One `open`, then `read` until end of file: a pipe can be read only once, so nothing here
    /// looks at the path twice (no `fileExists` first, which would also race with the read).
    public static func read(
        path: String, what: String, field: String = "(file)"
    ) throws(InputError) -> Data {
        let fix = "pass the path of a readable \(what)"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw openError(errno, path: path, field: field, fix: fix) }
        let shown = InputText.path(path)
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(
                field: field, problem: "\(shown) is a directory, not a \(what)", fix: fix)
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EISDIR {
                    throw InputError(
                        field: field, problem: "\(shown) is a directory, not a \(what)", fix: fix)
                }
                throw InputError(
                    field: field,
                    problem: "cannot read \(shown): \(String(cString: strerror(errno)))", fix: fix)
            }
            data.append(contentsOf: buffer[0..<n])
            guard data.count <= InputLimits.fileBytesMax else {
                throw InputError(
                    field: field,
                    problem:
                        "\(shown) is too large: more than \(InputLimits.fileBytesMax >> 20) MiB",
                    fix: "a \(what) is a few KiB of JSON; check that this is the right file")
            }
        }
        guard !data.isEmpty else {
            throw InputError(
                field: field, problem: "\(shown) is empty",
                fix: "write a JSON object into it; see docs/model-files.md")
        }
        try checkUTF8(data, path: path, field: field)
        return data
    }

    private static func openError(
        _ code: Int32, path: String, field: String, fix: String
    ) -> InputError {
        let shown = InputText.path(path)
        return switch code {
        case ENOENT, ENOTDIR: InputError(field: field, problem: "no such file: \(shown)", fix: fix)
        case EACCES, EPERM:
            InputError(
                field: field, problem: "permission denied: \(shown)",
                fix: "make it readable (chmod +r), or \(fix)")
        case EISDIR: InputError(field: field, problem: "\(shown) is a directory", fix: fix)
        default:
            InputError(
                field: field, problem: "cannot open \(shown): \(String(cString: strerror(code)))",
                fix: fix)
        }
    }

    private static func checkUTF8(_ data: Data, path: String, field: String) throws(InputError) {
        let shown = InputText.path(path)
        let bytes = Array(data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw InputError(
                field: field, problem: "\(shown) is UTF-16 text, not UTF-8", fix: "save it as UTF-8"
            )
        }
        guard let bad = UTF8Check.firstInvalidOffset(bytes) else { return }
        let (line, column) = UTF8Check.position(of: bad, in: bytes)
        throw InputError(
            field: field,
            problem:
                "\(shown) is not UTF-8 text: invalid byte 0x\(hexByte(bytes[bad])) at line \(line), "
                + "column \(column)", fix: "save it as UTF-8")
    }
}
