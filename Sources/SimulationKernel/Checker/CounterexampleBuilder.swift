/// Rebuilds a counterexample from successor ordinals by replaying the model.
///
/// The search keeps only which successor each state was of its parent. Replaying those ordinals
/// from the initial state gives the canonical path; at each step the builder then finds, among
/// the choice vectors of `step` on the *actual* (uncanonicalized) state, the first whose result
/// canonicalizes to the next canonical state. Those choices are what the simulator replays.
@usableFromInline
struct CounterexampleBuilder<Model: SimulationModel> {
    @usableFromInline let model: Model

    @usableFromInline init(model: Model) { self.model = model }

    /// The counterexample following `ordinals` from the initial state.
    @usableFromInline func build(ordinals: [Int]) -> Counterexample {
        var canonical = model.initialState
        model.canonicalize(&canonical)
        var actual = model.initialState
        var steps: [[Int]] = []
        for ordinal in ordinals {
            let target = successor(of: canonical, ordinal: ordinal)
            let (script, next) = step(from: actual, reaching: target)
            steps.append(script)
            canonical = target
            actual = next
        }
        return Counterexample(steps: steps, violatingFingerprint: canonical.fingerprint)
    }

    /// The `ordinal`-th successor the model yields for `state`.
    func successor(of state: Model.State, ordinal: Int) -> Model.State {
        var seen = 0
        var found: Model.State?
        model.forEachSuccessor(of: state) { s in
            if seen == ordinal { found = s }
            seen += 1
            return found == nil
        }
        guard let found else {
            preconditionFailure("the model yielded \(seen) successors on replay, the search saw at least \(ordinal + 1)")
        }
        return found
    }

    /// The first choice vector of `step` on `actual` whose successor canonicalizes to `target`.
    func step(from actual: Model.State, reaching target: Model.State) -> ([Int], Model.State) {
        var match: ([Int], Model.State)?
        model.forEachStep(of: actual) { next, script in
            var canonical = next
            model.canonicalize(&canonical)
            if canonical == target { match = (script, next) }
            return match == nil
        }
        guard let match else {
            preconditionFailure("""
                no choice of step reaches state \(hex16(target.fingerprint)): forEachSuccessor disagrees \
                with step, or canonicalize is not a symmetry of the model
                """)
        }
        return match
    }
}
