/// The checker's two customisation points and their defaults.
///
/// The default successors come from the one transition function: every choice vector of one
/// `step`, enumerated like an odometer, so the simulator and the checker can never disagree. A
/// model whose `step` is hot in the checker may override ``SimulationModel/forEachSuccessor(of:_:)``
/// with a direct loop, and should then test that both give the same successors.
extension SimulationModel {
    /// No symmetry: every state is its own representative.
    @inlinable public func canonicalize(_ state: inout State) {}

    /// Every choice vector of one `step` on a copy of `state`, each successor canonicalized, until
    /// `body` returns false.
    @inlinable public func forEachSuccessor(of state: State, _ body: (State) -> Bool) {
        forEachStep(of: state) { next, _ in
            var canonical = next
            canonicalize(&canonical)
            return body(canonical)
        }
    }

    /// Runs `step` on a copy of `state` once per choice vector, in lexicographic order, and calls
    /// `body` with each successor (not canonicalized) and the choice indices that produced it,
    /// until `body` returns false. A step that returns nil for a vector yields no successor for it.
    @inlinable public func forEachStep(of state: State, _ body: (State, [Int]) -> Bool) {
        var script: [Int]? = []
        while let current = script {
            var choices = ScriptedChoices(script: current)
            var events = DiscardEvents<Event>()
            var next = state
            if step(&next, choices: &choices, events: &events) != nil {
                guard body(next, choices.made.map(\.index)) else { return }
            }
            script = choices.nextScript()
        }
    }
}

extension StableHashable {
    /// The same value as ``StableHashable/fingerprint``, but inlinable so the checker's hot loop
    /// specialises it for the model's state type.
    @inlinable var checkerFingerprint: UInt64 {
        var hasher = StableHasher()
        stableHash(into: &hasher)
        return hasher.finalize()
    }
}
