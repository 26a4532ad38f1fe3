import SimulationKernel

/// A past-tense fact for the timeline: what happened, to which component.
public struct ClusterEvent: TraceEvent, Hashable {
    public let component: String
    public let name: String
    public let detail: String
    public let attributes: [(key: String, value: String)]

    public init(_ component: String, _ name: String, _ detail: String, _ attributes: [(key: String, value: String)] = []) {
        self.component = component
        self.name = name
        self.detail = detail
        self.attributes = attributes
    }

    public static func == (a: ClusterEvent, b: ClusterEvent) -> Bool {
        a.component == b.component && a.name == b.name && a.detail == b.detail
            && a.attributes.map(\.key) == b.attributes.map(\.key) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(component)
        hasher.combine(name)
        hasher.combine(detail)
    }
}
