/// The successors of one state and their fingerprints, in the model's order, in buffers reused
/// from state to state so the hot loop allocates nothing.
///
/// Generating a whole state's successors before probing the visited set lets their cache misses
/// overlap (``FingerprintTable/prefetch(_:)``): on large tables that is most of the time saved.
/// Raw buffers rather than arrays: appending to an array costs a uniqueness check per element.
@usableFromInline
final class SuccessorBatch<State: StableHashable> {
    /// The buffers and how much of them is in use, in one value so the hot loop reads and writes
    /// the class's storage once per state.
    @usableFromInline struct Contents {
        @usableFromInline var states: UnsafeMutablePointer<State>
        @usableFromInline var fingerprints: UnsafeMutablePointer<UInt64>
        @usableFromInline var capacity: Int
        @usableFromInline var count: Int
        /// Set when a look inside the batch found a limit crossed: the batch is then partial, and
        /// the search must stop before using it. Kept here, not in the class, so the hot loop
        /// reads it with the rest of the contents (a class property pays an exclusivity check).
        @usableFromInline var stopReason: CheckReport.StopReason?

        @inlinable init(states: UnsafeMutablePointer<State>, fingerprints: UnsafeMutablePointer<UInt64>, capacity: Int, count: Int) {
            self.states = states
            self.fingerprints = fingerprints
            self.capacity = capacity
            self.count = count
            self.stopReason = nil
        }

        @inlinable var fingerprintBuffer: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: fingerprints, count: count) }
    }

    @usableFromInline var contents: Contents

    /// How many states' successors are generated ahead of the one being probed, plus one.
    @usableFromInline static var lookahead: Int { 5 }

    @inlinable init() {
        contents = Contents(states: .allocate(capacity: 16), fingerprints: .allocate(capacity: 16), capacity: 16, count: 0)
    }

    deinit {
        contents.states.deinitialize(count: contents.count)
        contents.states.deallocate()
        contents.fingerprints.deallocate()
    }

    /// Replaces the batch with the successors of `state`. Every ``LimitGuard/interval``
    /// successors it asks `look` whether a limit is crossed; if so it stops, partial, with
    /// ``Contents/stopReason`` set.
    @inlinable func fill<Model: SimulationModel>(from state: State, model: Model,
                                                 look: () -> CheckReport.StopReason?) where Model.State == State {
        var c = contents
        c.states.deinitialize(count: c.count)
        c.count = 0
        c.stopReason = nil
        var reason: CheckReport.StopReason?
        model.forEachSuccessor(of: state) { successor in
            if c.count == c.capacity { Self.enlarge(&c) }
            (c.states + c.count).initialize(to: successor)
            c.fingerprints[c.count] = successor.checkerFingerprint
            c.count += 1
            guard c.count % LimitGuard.interval == 0 else { return true }
            reason = look()
            return reason == nil
        }
        c.stopReason = reason
        contents = c
    }

    /// Doubles the buffers, keeping their entries.
    @usableFromInline static func enlarge(_ c: inout Contents) {
        let room = c.capacity * 2
        let states = UnsafeMutablePointer<State>.allocate(capacity: room)
        states.moveInitialize(from: c.states, count: c.count)
        c.states.deallocate()
        let fingerprints = UnsafeMutablePointer<UInt64>.allocate(capacity: room)
        fingerprints.update(from: c.fingerprints, count: c.count)
        c.fingerprints.deallocate()
        c = Contents(states: states, fingerprints: fingerprints, capacity: room, count: c.count)
    }
}

/// Successor batches generated a few states ahead of the state being probed, so the visited
/// set's cache misses for the next states are under way while this one's are handled.
@usableFromInline
struct SuccessorPipeline<Model: SimulationModel> {
    /// States whose successors are generated before they are probed.
    @usableFromInline static var lookahead: Int { 2 }

    @usableFromInline let model: Model
    @usableFromInline let frontier: [Model.State]
    @usableFromInline let range: Range<Int>
    @usableFromInline let ring: [SuccessorBatch<Model.State>]
    /// Asked inside a large batch whether a limit is crossed (see ``SuccessorBatch/fill(from:model:look:)``).
    @usableFromInline let look: () -> CheckReport.StopReason?

    /// A pipeline over `frontier[range]`; `prefetch` starts loading a batch's table slots.
    @inlinable init(model: Model, frontier: [Model.State], range: Range<Int>,
                    look: @escaping () -> CheckReport.StopReason?,
                    prefetch: (UnsafeBufferPointer<UInt64>) -> Void) {
        self.model = model
        self.frontier = frontier
        self.range = range
        self.look = look
        ring = (0...Self.lookahead).map { _ in SuccessorBatch<Model.State>() }
        for i in range.prefix(Self.lookahead) { load(i, prefetch: prefetch) }
    }

    /// The successors of `frontier[i]`, for each `i` of the range in order; starts the batch
    /// `lookahead` states further.
    @inlinable func batch(_ i: Int, prefetch: (UnsafeBufferPointer<UInt64>) -> Void) -> SuccessorBatch<Model.State> {
        if i + Self.lookahead < range.upperBound { load(i + Self.lookahead, prefetch: prefetch) }
        return ring[i % ring.count]
    }

    @inlinable func load(_ i: Int, prefetch: (UnsafeBufferPointer<UInt64>) -> Void) {
        let batch = ring[i % ring.count]
        batch.fill(from: frontier[i], model: model, look: look)
        prefetch(batch.contents.fingerprintBuffer)
    }
}
