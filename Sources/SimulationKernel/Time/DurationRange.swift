/// A closed range of durations from which a model draws one value, on a grid.
///
/// Drawing from a declared range, instead of a fixed constant, is how the model says "Kubernetes
/// takes somewhere between 5 s and 60 s to start a pod": the simulator samples one value, the
/// checker tries every grid point.
public struct DurationRange: Hashable, Codable, Sendable, CustomStringConvertible {
    public var min: SimDuration
    public var max: SimDuration

    @inlinable public init(_ min: SimDuration, _ max: SimDuration) {
        precondition(min <= max, "DurationRange min \(min) must not exceed max \(max)")
        self.min = min
        self.max = max
    }

    /// A range holding exactly one value.
    public static func exactly(_ d: SimDuration) -> DurationRange { DurationRange(d, d) }

    public var description: String { min == max ? min.description : "\(min)..\(max)" }

    /// The grid points `min, min+g, min+2g, …` below `max`, and `max` itself: both ends always count.
    @inlinable public func gridCount(granularity g: SimDuration) -> Int {
        precondition(g.milliseconds > 0, "granularity must be positive, got \(g)")
        let span = max.milliseconds - min.milliseconds
        let steps = span / g.milliseconds
        return Int(steps) + 1 + (span % g.milliseconds == 0 ? 0 : 1)
    }

    /// The `index`-th grid point (see ``gridCount(granularity:)``).
    @inlinable public func gridPoint(_ index: Int, granularity g: SimDuration) -> SimDuration {
        let value = min.milliseconds + Int64(index) * g.milliseconds
        return .ms(Swift.min(value, max.milliseconds))
    }

    /// The first tick of a periodic check with an unknown phase, `start` from now or later: the
    /// grid points of `g` in `[start, start + period)` (the last one is the greatest multiple of
    /// `g` below `period`). A zero period is `start` itself.
    @inlinable
    public static func phase(of period: SimDuration, after start: SimDuration,
                             granularity g: SimDuration) -> DurationRange {
        precondition(g.milliseconds > 0, "granularity must be positive, got \(g)")
        guard period.milliseconds > 0 else { return .exactly(start) }
        let last = (period.milliseconds - 1) / g.milliseconds * g.milliseconds
        return DurationRange(start, start + .ms(last))
    }
}
