import RayClusterModel

/// A setting `simulate sweep --vary` can set: one of the reconnect timeouts
/// (`RAY_gcs_rpc_server_reconnect_timeout_s`), named by its model-file key.
enum SweepParameter: Hashable, Sendable {
    /// `cluster.workerReconnectTimeoutSeconds`: the one-group shorthand.
    case workerReconnectTimeout
    /// `cluster.headReconnectTimeoutSeconds`.
    case headReconnectTimeout
    /// `cluster.workerGroups[i].reconnectTimeoutSeconds` of the group with this name.
    case groupReconnectTimeout(String)

    static let workerName = "workerReconnectTimeoutSeconds"
    static let headName = "headReconnectTimeoutSeconds"
    static let groupPrefix = "group."
    static let groupSuffix = ".reconnectTimeoutSeconds"

    /// The names `--vary` accepts and what each sets: the help text and the error for an unknown
    /// name are both rendered from this list.
    static let forms: [(name: String, meaning: String)] = [
        (workerName, "the workers' reconnect timeout (one worker group)"),
        (headName, "the head's reconnect timeout"),
        (groupPrefix + "NAME" + groupSuffix, "the reconnect timeout of worker group NAME"),
    ]

    static var formList: String { forms.map(\.name).joined(separator: ", ") }

    /// The name as `--vary` spells it.
    var name: String {
        switch self {
        case .workerReconnectTimeout: Self.workerName
        case .headReconnectTimeout: Self.headName
        case .groupReconnectTimeout(let group): Self.groupPrefix + group + Self.groupSuffix
        }
    }

    /// The setting `text` names in `model`: a known name, and a group the model has.
    static func named(
        _ text: String, in model: ModelDefinition
    ) throws(InputError) -> SweepParameter {
        let groups = model.spec.workerGroups.map(\.name)
        let example = "e.g. --vary \(groupPrefix)\(groups.first ?? "NAME")\(groupSuffix)=30..60/5"
        switch text {
        case workerName:
            guard groups.count <= 1 else {
                throw .flag("--vary", "\(workerName) is the one-group shorthand, but the model has "
                            + "\(groups.count) worker groups (\(groups.joined(separator: ", ")))",
                            "vary one group's timeout: \(example)")
            }
            return .workerReconnectTimeout
        case headName:
            return .headReconnectTimeout
        case _ where text.hasPrefix(groupPrefix) && text.hasSuffix(groupSuffix)
            && text.count > groupPrefix.count + groupSuffix.count:
            let group = String(text.dropFirst(groupPrefix.count).dropLast(groupSuffix.count))
            guard groups.contains(group) else {
                throw .flag("--vary", "the model has no worker group \(InputText.quoted(group)); "
                            + "its groups: \(groups.joined(separator: ", "))", example)
            }
            return .groupReconnectTimeout(group)
        default:
            throw .flag("--vary", "unknown setting \(InputText.quoted(text))",
                        "vary one of: \(formList), e.g. --vary \(workerName)=60..90/5")
        }
    }

    /// `model` with this setting at `seconds`.
    func apply(_ seconds: Int, to model: inout ModelDefinition) {
        switch self {
        case .workerReconnectTimeout: model.spec.workerReconnectTimeoutSeconds = seconds
        case .headReconnectTimeout: model.spec.headReconnectTimeoutSeconds = seconds
        case .groupReconnectTimeout(let group):
            let index = model.spec.workerGroups.firstIndex { $0.name == group }
            precondition(index != nil, "group \(group) was checked when --vary was read")
            model.spec.workerGroups[index!].reconnectTimeoutSeconds = seconds
        }
    }
}

/// One `--vary PARAM=FROM..TO/STEP`: a setting and the whole seconds it takes, FROM to TO.
struct SweepAxis: Hashable, Sendable {
    let parameter: SweepParameter
    let from: Int
    let to: Int
    let step: Int

    /// The values in order: FROM, FROM + STEP, …, TO.
    var values: [Int] { Array(stride(from: from, through: to, by: step)) }

    /// `FROM..TO`, with `/STEP` unless it is 1.
    var rangeText: String { "\(from)..\(to)" + (step == 1 ? "" : "/\(step)") }

    static let syntax = "PARAM=FROM..TO/STEP"
    static let example = "e.g. --vary \(SweepParameter.workerName)=60..90/5"

    /// Reads `text`; every malformed part is one error naming `--vary`.
    static func parse(_ text: String, in model: ModelDefinition) throws(InputError) -> SweepAxis {
        let quoted = InputText.quoted(text)
        func malformed(_ what: String) -> InputError {
            .flag("--vary", "\(quoted) is not \(syntax): \(what)", example)
        }
        // The last "=": a group name may hold one, a range never does.
        guard let equals = text.lastIndex(of: "=") else { throw malformed("it has no \"=\"") }
        let name = String(text[..<equals])
        let range = String(text[text.index(after: equals)...])
        guard let slash = range.lastIndex(of: "/") else {
            throw malformed("it has no \"/STEP\" (write /1 for every second)")
        }
        let bounds = range[..<slash].components(separatedBy: "..")
        guard bounds.count == 2 else { throw malformed("FROM..TO needs one \"..\"") }
        let parameter = try SweepParameter.named(name, in: model)
        let from = try seconds(bounds[0], "FROM", text)
        let to = try seconds(bounds[1], "TO", text)
        let step = try seconds(String(range[range.index(after: slash)...]), "STEP", text)
        guard to >= from else {
            throw .flag("--vary", "in \(quoted), TO \(to) is below FROM \(from)",
                        "write the smaller value first, e.g. --vary \(name)=\(to)..\(from)/\(step)")
        }
        let last = from + (to - from) / step * step
        guard last == to else {
            let above = last + step <= InputLimits.reconnectTimeoutSeconds.upperBound
                ? " or \(from)..\(last + step)/\(step)" : ""
            throw .flag("--vary", "in \(quoted), the steps of \(step) from \(from) miss TO \(to) "
                        + "(they reach \(last), then \(last + step))",
                        "end the range on a step: --vary \(name)=\(from)..\(last)/\(step)\(above)")
        }
        return SweepAxis(parameter: parameter, from: from, to: to, step: step)
    }

    /// FROM, TO or STEP: whole seconds within the model files' range for a reconnect timeout.
    static func seconds(_ text: String, _ part: String, _ whole: String) throws(InputError) -> Int {
        let range = InputLimits.reconnectTimeoutSeconds
        guard let n = Int(text), range.contains(n) else {
            throw .flag("--vary", "\(part) \(InputText.quoted(text)) in \(InputText.quoted(whole)) "
                        + "is not a whole number of seconds from \(range.lowerBound) "
                        + "to \(range.upperBound)", example)
        }
        return n
    }
}

/// Every point `simulate sweep --vary` checks: one or two axes, at most ``maxPoints`` points.
struct SweepGrid: Sendable {
    /// The most points a sweep checks: each is a whole `simulate check`.
    static let maxPoints = 400
    static let maxAxes = 2

    /// PARAM1 (the table's rows), then PARAM2 if given (its columns).
    let axes: [SweepAxis]

    /// Every point's values, one per axis, PARAM1's values outer and PARAM2's inner.
    var points: [[Int]] {
        guard axes.count == 2 else { return axes[0].values.map { [$0] } }
        return axes[0].values.flatMap { a in axes[1].values.map { [a, $0] } }
    }

    /// The base model with each axis's setting at its value in `values`.
    func model(at values: [Int], base: ModelDefinition) -> ModelDefinition {
        var model = base
        for (axis, value) in zip(axes, values) { axis.parameter.apply(value, to: &model) }
        return model
    }

    /// `name=value` for each axis: the progress line's and the error messages' name of a point.
    func label(_ values: [Int]) -> String {
        zip(axes, values).map { "\($0.parameter.name)=\($1)" }.joined(separator: " ")
    }

    /// The grid the `--vary` texts describe in `model`, refused with one `--vary` error when a
    /// text is malformed, a setting comes twice, or the grid is too large.
    static func parse(
        _ texts: [String], in model: ModelDefinition
    ) throws(InputError) -> SweepGrid {
        guard texts.count <= maxAxes else {
            throw .flag("--vary", "given \(texts.count) times; a sweep has one or two dimensions",
                        "give --vary once or twice")
        }
        var axes: [SweepAxis] = []
        for text in texts { axes.append(try SweepAxis.parse(text, in: model)) }
        if axes.count == 2, axes[0].parameter == axes[1].parameter {
            throw .flag("--vary", "\(axes[0].parameter.name) is varied twice",
                        "vary two different settings, or give --vary once")
        }
        let counts = axes.map(\.values.count)
        let total = counts.reduce(1, *)
        guard total <= maxPoints else {
            let product = counts.count == 2 ? "\(counts[0]) × \(counts[1]) = \(total)" : "\(total)"
            throw .flag("--vary", "\(product) grid points, more than \(maxPoints) "
                        + "(each point is a whole check)",
                        "use a larger STEP or a narrower FROM..TO, for at most \(maxPoints) points "
                        + "in all")
        }
        let grid = SweepGrid(axes: axes)
        for values in grid.points {
            do throws(InputError) {
                try grid.model(at: values, base: model).spec.validate(field: "cluster")
            } catch {
                throw .flag("--vary", "at \(grid.label(values)): \(error.field): \(error.problem)",
                            error.fix)
            }
        }
        return grid
    }
}
