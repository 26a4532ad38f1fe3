import Foundation
import RayClusterModel
import SimulationKernel

/// `simulate sweep --vary`: checks the model exhaustively at every point of a grid of reconnect
/// timeouts (one or two settings) and reads the boundary of the safe region off the verdicts.
/// The same `ClusterCheck` as `simulate check`, once per point; the seed sweep is
/// ``SweepCommand``.
enum SweepVaryCommand {
    struct Settings {
        /// The model before the sweep sets its values, the fault flags applied.
        var model: ModelDefinition
        var grid: SweepGrid
        var granularity: SimDuration
        var files: SweepFiles?
        var json: Bool
        var quiet: Bool
    }

    /// The flags of the seed sweep only, refused with `--vary`.
    static let seedFlags = ["--seeds", "--from"]
    /// The flags of the settings sweep only, refused without `--vary`.
    static let varyFlags = ["--granularity", "--out"]

    static func execute(
        _ args: Arguments, modelPath: String?, environment: CommandEnvironment
    ) -> CommandOutcome {
        do throws(InputError) {
            let settings = try parse(args, modelPath: modelPath)
            try settings.files?.prepare()
            return run(settings, environment: environment)
        } catch {
            return .badInput(error)
        }
    }

    /// Everything is read and checked before anything runs or is written.
    static func parse(_ args: Arguments, modelPath: String?) throws(InputError) -> Settings {
        for flag in seedFlags where args.value(flag) != nil {
            throw .flag(flag, "counts seeds, but --vary sweeps settings with the checker",
                        "drop \(flag), or drop --vary for a seed sweep")
        }
        let model = try ModelOptions.load(args, modelPath: modelPath)
        let grid = try SweepGrid.parse(args.values("--vary"), in: model)
        let granularity = try CheckCommand.granularity(args) ?? model.checkGranularity
        let files = try args.value("--out").map { dir throws(InputError) in
            try SweepFiles(directory: dir)
        }
        return Settings(model: model, grid: grid, granularity: granularity, files: files,
                        json: args.has("--json"), quiet: args.has("--quiet"))
    }

    static func run(_ s: Settings, environment: CommandEnvironment) -> CommandOutcome {
        let all = s.grid.points
        var points: [SweepPoint] = []
        let start = DispatchTime.now().uptimeNanoseconds
        environment.longTask(quiet: s.quiet) {
            for values in all {
                guard !environment.isStopRequested else { break }
                environment.progress?.point(points.count + 1, of: all.count, s.grid.label(values))
                // Every property gets its own verdict, as a scenario's check does.
                let options = CheckOptions(
                    stopAtFirstViolation: false, control: environment.control)
                let check = ClusterCheck(
                    s.grid.model(at: values, base: s.model), granularity: s.granularity,
                    options: options)
                points.append(SweepPoint(values: values, result: check.run()))
            }
        }
        let checked = points.count
        points += all[checked...].map { SweepPoint(notCheckedAt: $0) }
        let report = SweepReport(
            model: s.model, grid: s.grid, granularity: s.granularity, points: points,
            checked: checked,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        var out = CommandOutcome(exitCode: report.exitCode,
                                 stdout: s.json ? report.json : report.markdown)
        do throws(InputError) { try s.files?.write(report) } catch {
            // The sweep's result is kept: printed, with the error and exit 2.
            out.stderr += CommandOutcome.badInput(error).stderr
            out.exitCode = CommandOutcome.Code.badInput
        }
        return out
    }
}

/// Where `--out DIR` writes: `sweep.md`, `sweep.csv` and `sweep.svg` in DIR and nowhere else,
/// under fixed names (nothing from the model file decides where a file goes), each atomically.
struct SweepFiles: Sendable {
    let directory: String

    /// Refuses a path that exists but is not a directory, before anything runs.
    init(directory: String) throws(InputError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
           !isDirectory.boolValue {
            throw .flag("--out", "\(directory) is a file, not a directory",
                        "give a directory (it is created if missing), e.g. --out /tmp/sweep")
        }
        self.directory = directory
    }

    /// Creates the directory if it is missing.
    func prepare() throws(InputError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .flag("--out", "cannot create the directory \(directory) "
                        + "(\(error.localizedDescription))",
                        "choose a writable directory, e.g. --out /tmp/sweep")
        }
    }

    /// The files' names and contents.
    static func contents(_ report: SweepReport) -> [(name: String, text: String)] {
        [("sweep.md", report.markdown), ("sweep.csv", report.csv),
         ("sweep.svg", SweepHeatmap.svg(report))]
    }

    func write(_ report: SweepReport) throws(InputError) {
        for (name, text) in Self.contents(report) {
            let path = URL(fileURLWithPath: directory, isDirectory: true)
                .appendingPathComponent(name).path
            do { try AtomicFile.write(text, to: path) } catch {
                throw .flag("--out", "cannot write \(path) (\(error.localizedDescription))",
                            "choose a writable directory, e.g. --out /tmp/sweep")
            }
        }
    }
}
