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

        @inlinable init(states: UnsafeMutablePointer<State>, fingerprints: UnsafeMutablePointer<UInt64>, capacity: Int, count: Int) {
            self.states = states
            self.fingerprints = fingerprints
            self.capacity = capacity
            self.count = count
        }

        @inlinable var fingerprintBuffer: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: fingerprints, count: count) }
    }

    @usableFromInline var contents: Contents

    @inlinable init() {
        contents = Contents(states: .allocate(capacity: 16), fingerprints: .allocate(capacity: 16), capacity: 16, count: 0)
    }

    deinit {
        contents.states.deinitialize(count: contents.count)
        contents.states.deallocate()
        contents.fingerprints.deallocate()
    }

    /// Replaces the batch with the successors of `state`.
    @inlinable func fill<Model: SimulationModel>(from state: State, model: Model) where Model.State == State {
        var c = contents
        c.states.deinitialize(count: c.count)
        c.count = 0
        model.forEachSuccessor(of: state) { successor in
            if c.count == c.capacity { Self.enlarge(&c) }
            (c.states + c.count).initialize(to: successor)
            c.fingerprints[c.count] = successor.checkerFingerprint
            c.count += 1
        }
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
