/// Minimal, deterministic JSON text writing: sorted keys, fixed escaping, no Foundation encoder
/// whose key order or number formatting could drift between platforms.
public enum JSONText {
    /// A JSON string literal for `text`.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let h = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A JSON object from already-encoded values, keys sorted.
    public static func object(_ fields: [(String, String)]) -> String {
        let sorted = fields.sorted { $0.0 < $1.0 }
        return "{" + sorted.map { quote($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}

extension TimedEvent {
    /// This event as one JSON object with sorted keys (schema in docs/trace-format.md):
    /// `{"attributes":{…},"atMs":61250,"component":"gcs","detail":"…","event":"gcsServing","step":12,"type":"event"}`.
    public var jsonLine: String {
        JSONText.object([
            ("type", JSONText.quote("event")),
            ("step", String(step)),
            ("atMs", String(at.milliseconds)),
            ("component", JSONText.quote(event.component)),
            ("event", JSONText.quote(event.name)),
            ("detail", JSONText.quote(event.detail)),
            ("attributes", JSONText.object(event.attributes.map { ($0.key, JSONText.quote($0.value)) })),
        ])
    }
}
