/// Something a step reports: a past-tense fact about one component.
public protocol TraceEvent: Sendable {
    /// The component it happened to, e.g. `gcs`, `worker-1`.
    var component: String { get }
    /// A stable past-tense identifier, e.g. `workerExited`.
    var name: String { get }
    /// One line a person can read.
    var detail: String { get }
    /// Machine-readable fields, in a fixed order.
    var attributes: [(key: String, value: String)] { get }
}

/// Receives the events of a step.
public protocol EventSink<Event> {
    associatedtype Event
    /// False for sinks that drop everything, so a model can skip building events no one reads.
    static var records: Bool { get }
    mutating func record(_ event: Event)
}

extension EventSink {
    public static var records: Bool { true }
}

/// Drops every event: what the checker uses, so exploring costs nothing for the timeline.
public struct DiscardEvents<Event>: EventSink {
    @inlinable public init() {}
    @inlinable public static var records: Bool { false }
    @inlinable public mutating func record(_ event: Event) {}
}

/// Keeps every event of a step, in order.
public struct CollectEvents<Event>: EventSink {
    public var events: [Event] = []
    @inlinable public init() {}
    @inlinable public mutating func record(_ event: Event) { events.append(event) }
}

/// An event stamped with the virtual time at which it happened.
public struct TimedEvent<Event: TraceEvent>: Sendable {
    public let at: SimDuration
    public let step: Int
    public let event: Event

    @inlinable public init(at: SimDuration, step: Int, event: Event) {
        self.at = at
        self.step = step
        self.event = event
    }
}

/// A sink the simulator can create per step and read back: collecting or discarding.
public protocol StepEventBuffer<Event>: EventSink {
    init()
    var buffered: [Event] { get }
}

extension CollectEvents: StepEventBuffer {
    @inlinable public var buffered: [Event] { events }
}

extension DiscardEvents: StepEventBuffer {
    @inlinable public var buffered: [Event] { [] }
}
