/// A KubeRay operator release, as far as this model tells releases apart: major and minor (the
/// patch is kept for display only). Behaviour that changed between releases is keyed by it, each
/// with its upstream source (docs/model.md, "KubeRay versions").
public struct KubeRayVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public let patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The releases whose behaviour the model knows (any patch of them is accepted).
    public static let known: [KubeRayVersion] = [
        .init(0, 5), .init(0, 6), .init(1, 0), .init(1, 1), .init(1, 2), .init(1, 3), .init(1, 4),
        .init(1, 5), .init(1, 6), .init(1, 7),
    ]
    /// The default: the newest release the model knows.
    public static let newest = known.last!

    /// The known releases as `0.5, 0.6, …`, for messages and `--help`.
    public static var knownList: String { known.map { "\($0.major).\($0.minor)" }.joined(separator: ", ") }

    /// Parses `1.1.0`, `v1.1.0` or `1.1`; nil for anything else or a release the model does not know.
    public init?(parsing text: String) {
        var body = Substring(text)
        if body.first == "v" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        let patch = parts.count == 3 ? Int(parts[2]) ?? 0 : 0
        guard Self.known.contains(where: { $0.major == major && $0.minor == minor }) else { return nil }
        self.init(major, minor, patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    /// Ordered by major and minor; patches of one release behave alike.
    public static func < (a: KubeRayVersion, b: KubeRayVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }

    public static func == (a: KubeRayVersion, b: KubeRayVersion) -> Bool {
        a.major == b.major && a.minor == b.minor && a.patch == b.patch
    }

    /// At least `major.minor`.
    public func atLeast(_ major: Int, _ minor: Int) -> Bool { (self.major, self.minor) >= (major, minor) }
}

extension KubeRayVersion: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let v = KubeRayVersion(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "unknown KubeRay version \"\(text)\"; known: \(Self.knownList)")
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
