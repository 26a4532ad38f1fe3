import SimulationKernel

/// Checks TwoPhase with `rms` resource managers exhaustively (no symmetry reduction) on
/// `threads` threads: the workload of `simulate bench two-phase` and of
/// `docs/bench/spin-vs-checker.sh`, where it is compared with SPIN on the same model.
///
/// Specialised here, in the model's module, so the checker's generic loop runs at full speed.
public func benchTwoPhase(rms: Int, threads: Int) -> CheckReport {
    Explorer(model: Model(resourceManagers: rms), options: CheckOptions(threads: threads)).check()
}
