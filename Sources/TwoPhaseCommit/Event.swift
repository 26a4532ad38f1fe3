import SimulationKernel

extension Model {
    /// What a TwoPhase step reports: the action that happened, as a past-tense fact.
    public struct Event: TraceEvent, Hashable {
        public let action: Action

        public init(action: Action) { self.action = action }

        public var component: String {
            switch action {
            case .tmReceivesPrepared, .tmCommits, .tmAborts: return "tm"
            case .rmPrepares(let i), .rmChoosesToAbort(let i), .rmReceivesCommit(let i), .rmReceivesAbort(let i):
                return "rm-\(i)"
            }
        }

        public var name: String {
            switch action {
            case .tmReceivesPrepared: return "tmReceivedPrepared"
            case .tmCommits: return "tmCommitted"
            case .tmAborts: return "tmAborted"
            case .rmPrepares: return "rmPrepared"
            case .rmChoosesToAbort: return "rmChoseToAbort"
            case .rmReceivesCommit: return "rmReceivedCommit"
            case .rmReceivesAbort: return "rmReceivedAbort"
            }
        }

        public var detail: String {
            switch action {
            case .tmReceivesPrepared(let i): return "the TM received Prepared from rm-\(i)"
            case .tmCommits: return "the TM decided to commit and sent Commit"
            case .tmAborts: return "the TM decided to abort and sent Abort"
            case .rmPrepares(let i): return "rm-\(i) prepared and sent Prepared"
            case .rmChoosesToAbort(let i): return "rm-\(i) chose to abort"
            case .rmReceivesCommit(let i): return "rm-\(i) received Commit and committed"
            case .rmReceivesAbort(let i): return "rm-\(i) received Abort and aborted"
            }
        }

        public var attributes: [(key: String, value: String)] {
            switch action {
            case .tmReceivesPrepared(let i): return [("rm", String(i))]
            case .tmCommits, .tmAborts: return []
            case .rmPrepares(let i), .rmChoosesToAbort(let i), .rmReceivesCommit(let i), .rmReceivesAbort(let i):
                return [("rm", String(i))]
            }
        }
    }
}
