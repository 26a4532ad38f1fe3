import Foundation
import RayClusterModel
import SimulationKernel

/// A counterexample as a file: the exact model it was found in, and the choices that walk it.
/// Written atomically (temporary file, then rename); read back by `simulate replay`.
struct TraceFile: Codable {
    static let formatName = "ray-gcs-ft-lab/counterexample"
    static let currentVersion = 1

    var format = formatName
    var version = currentVersion
    /// The violated property's id.
    var property: String
    /// Fingerprint of `model`'s canonical JSON when written: names the model a trace belongs to.
    var modelDigest: String
    /// The model, with the checker's grid and fault budget applied: replay needs nothing else.
    var model: ModelDefinition
    var symmetry: Bool
    /// The choices of each step.
    var steps: [[Int]]
    /// Fingerprint of the (canonical) violating state, to notice a model that changed since.
    var violatingFingerprint: String

    /// The model the trace's choices run in.
    var clusterModel: ClusterModel {
        ClusterModel(model, symmetry: symmetry)
    }

    static func digest(of model: ModelDefinition) -> String {
        var h = StableHasher()
        h.combine(canonicalJSON(model))
        return hex16(h.finalize())
    }

    /// The file's text and the digest's input: our own writer (``JSONText/pretty(_:)``), so the
    /// bytes do not depend on Foundation's encoder.
    static func canonicalJSON<T: Encodable>(_ value: T) -> String { JSONText.pretty(value) }

    /// Writes the file atomically: a killed run never leaves a partial trace behind.
    func write(to path: String) throws(InputError) {
        do { try AtomicFile.write(Self.canonicalJSON(self) + "\n", to: path) } catch {
            throw InputError(field: "--trace-out", problem: "cannot write \(path) (\(error.localizedDescription))",
                             fix: "choose a writable path, e.g. --trace-out /tmp/counterexample.json")
        }
    }

    /// Reads a trace file and checks that it is exactly what `simulate check` wrote: a current
    /// format, a model that passes the model file validation and still matches its digest, a known
    /// property, and choices in range. Whatever an edit did, the result is one `InputError`
    /// naming the part, never a trap; whether the steps still fit the model is seen by the one
    /// replay that follows (``problem(_:path:)``), which does not trap either.
    static func read(_ path: String) throws(InputError) -> TraceFile {
        let data = try InputFile.read(path: path, what: "trace file", field: "TRACE")
        let doc = try StrictJSON(data, what: "trace file", field: "TRACE")
        guard doc.has("format") else {
            throw InputError(field: "TRACE",
                             problem: "\(InputText.path(path)) is not a counterexample trace (it has no \"format\" field)",
                             fix: "pass a trace file written by `simulate check`")
        }
        guard doc.string("format") == formatName, doc.integer("version") == Int64(currentVersion) else {
            let format = doc.string("format").map(InputText.quoted) ?? "(not a string)"
            let version = doc.integer("version").map(String.init) ?? "(not a whole number)"
            throw InputError(field: "TRACE", problem: "unsupported trace format \(format) version \(version)",
                             fix: "this release reads \(formatName) version \(currentVersion); run `simulate check` again")
        }
        try doc.requireWholeNumbers()
        let trace = try doc.decode(TraceFile.self)
        try trace.model.validate(names: .encoded(under: "model"))
        let computed = digest(of: trace.model)
        guard computed == trace.modelDigest || writtenByOlderRelease(doc, trace.model) else {
            throw InputError(field: "modelDigest",
                             problem: "the trace was edited: its model no longer matches its digest "
                                 + "(\(InputText.quoted(trace.modelDigest)) recorded, \"\(computed)\" computed)",
                             fix: "restore the model as `simulate check` wrote it, "
                                 + "or run `simulate check` on the changed model")
        }
        guard ClusterProperties.ids.contains(trace.property) else {
            throw InputError(field: "property",
                             problem: "the trace was edited: unknown property \(InputText.quoted(trace.property))",
                             fix: "use one of: \(ClusterProperties.ids.joined(separator: ", "))")
        }
        if let problem = stepProblem(trace) { throw problem }
        return trace
    }

    /// True when the trace's model lacks fields this release writes (and has no others): an older
    /// release wrote it, decoding filled the new fields with their defaults, so its digest cannot
    /// match the re-encoded model. Such traces still load (whether they still reproduce is what
    /// replay checks); any other digest mismatch is an edit.
    static func writtenByOlderRelease(_ doc: StrictJSON, _ model: ModelDefinition) -> Bool {
        let encoded = Data(canonicalJSON(model).utf8)
        guard let current = try? StrictJSON(encoded, what: "model", field: "model") else { return false }
        return doc.keyPaths(under: "model").isStrictSubset(of: current.keyPaths())
    }

    /// The first step whose recorded choices cannot be a check's, as an error naming step and
    /// choice: more than ``InputLimits/traceChoicesPerStepMax`` of them, or one negative or above
    /// ``InputLimits/traceChoiceIndexMax``. Whether the model offers each choice is seen by the
    /// replay (``problem(_:path:)``).
    static func stepProblem(_ trace: TraceFile) -> InputError? {
        let limit = InputLimits.traceChoicesPerStepMax
        for (i, choices) in trace.steps.enumerated() {
            if choices.count > limit {
                return InputError(field: "steps[\(i)]",
                                  problem: "the trace was edited: \(choices.count) choices in one step (at most \(limit))",
                                  fix: stepFix)
            }
            for (k, c) in choices.enumerated() where c < 0 || c > InputLimits.traceChoiceIndexMax {
                return InputError(field: "steps[\(i)][\(k)]",
                                  problem: "the trace was edited: choice \(c) is \(c < 0 ? "negative" : "out of range")",
                                  fix: stepFix)
            }
        }
        return nil
    }

    static let stepFix = "restore the steps `simulate check` wrote, "
        + "or run `simulate check` again to find the current counterexample"

    /// Why the replayed run is not this trace's counterexample, or nil when it is: a step that
    /// did not take its recorded choices, a run that ended early, a world other than the recorded
    /// violating one, or the property holding. The choices are not covered by the digest, so a
    /// step that does not fit is an edit or a change of the model's rules; a run that fits every
    /// step but ends elsewhere is a change of the rules.
    func problem(_ replay: ClusterReplay, path: String) -> InputError? {
        let changed = "the steps were edited, or the model's rules changed since the trace was written"
        let fix = Self.stepFix
        switch replay.mismatch {
        case .notOffered(let i, let position, let asked, let offered)?:
            return InputError(
                field: "steps[\(i)][\(position)]",
                problem: "choice \(asked), but step \(i + 1) offers only \(offered) alternatives "
                    + "there (0 to \(offered - 1)): \(changed)", fix: fix)
        case .choiceCount(let i, let recorded, let made)?:
            return InputError(
                field: "steps[\(i)]",
                problem:
                    "\(recorded) choices recorded, but step \(i + 1) makes \(made): \(changed)",
                fix: fix)
        case nil:
            break
        }
        let ran = replay.run.steps
        if ran < steps.count {
            return InputError(
                field: "steps[\(ran)]",
                problem: "the run ends after \(ran) of \(steps.count) steps: \(changed)", fix: fix)
        }
        let why: String
        if hex16(replay.finalFingerprint) != violatingFingerprint {
            why = "after \(steps.count) steps the world differs from the recorded one"
        } else if replay.run.verdict(property)?.held != false {
            why = "property \(property) holds on the replayed path"
        } else {
            return nil
        }
        return InputError(
            field: "TRACE",
            problem: "\(path) no longer reproduces: \(why); "
                + "the model's rules changed since the trace was written",
            fix: "run `simulate check` again to find the current counterexample")
    }
}

/// The one trace writer of every command.
extension TraceFile {
    /// The trace of `property`'s counterexample in `result`: the model the evidence runs in (the
    /// checked one, or with zones its 1 ms grid) with that model's own symmetry, so that
    /// `simulate replay` runs exactly the steps the check replayed. Every command writes its
    /// traces through this one writer (``write(counterexamplesOf:to:)``).
    init?(counterexampleOf property: String, in result: ClusterCheckResult) {
        guard let found = result.report.property(property)?.counterexample else { return nil }
        let evidence = result.model.definition
        self.init(property: property, modelDigest: Self.digest(of: evidence), model: evidence,
                  symmetry: result.model.symmetry, steps: found.steps,
                  violatingFingerprint: hex16(found.violatingFingerprint))
    }

    /// Writes the trace of each replayed counterexample of `result` that `paths` places; the
    /// files written by property, and the first write error (the others are still tried).
    static func write(counterexamplesOf result: ClusterCheckResult, to paths: [String: String])
        -> (written: [String: String], error: InputError?)
    {
        var written: [String: String] = [:]
        var firstError: InputError?
        for cx in result.counterexamples {
            guard let file = paths[cx.property],
                  let trace = TraceFile(counterexampleOf: cx.property, in: result) else { continue }
            do { try trace.write(to: file) } catch {
                if firstError == nil { firstError = error }
                continue
            }
            written[cx.property] = file
        }
        return (written, firstError)
    }
}
