import SimulationKernel

/// A fact as the timeline shows it: the typed ``ClusterFact`` and its text, rendered once
/// (`ClusterFact+Text.swift`). Tests compare `fact`; people and parsers read the text.
public struct ClusterEvent: TraceEvent, Hashable {
    /// What happened, typed.
    public let fact: ClusterFact
    public let component: String
    public let name: String
    public let detail: String
    public let attributes: [(key: String, value: String)]

    init(_ component: String, _ name: String, _ detail: String,
         _ attributes: [(key: String, value: String)], fact: ClusterFact) {
        self.fact = fact
        self.component = component
        self.name = name
        self.detail = detail
        self.attributes = attributes
    }

    public static func == (a: ClusterEvent, b: ClusterEvent) -> Bool {
        a.fact == b.fact && a.component == b.component && a.name == b.name && a.detail == b.detail
            && a.attributes.map(\.key) == b.attributes.map(\.key) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fact)
        hasher.combine(name)
        hasher.combine(detail)
    }
}
