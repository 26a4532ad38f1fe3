extension Model {
    /// One TLA+ action of TwoPhase, as one atomic step (a `d_step` in the Promela reference).
    public enum Action: Hashable, Sendable {
        /// TMRcvPrepared(rm): the TM records a Prepared message from `rm`.
        case tmReceivesPrepared(Int)
        /// TMCommit: all RMs prepared; the TM decides to commit and sends Commit.
        case tmCommits
        /// TMAbort: the TM decides to abort and sends Abort.
        case tmAborts
        /// RMPrepare(rm): a working RM prepares and sends Prepared.
        case rmPrepares(Int)
        /// RMChooseToAbort(rm): a working RM aborts on its own.
        case rmChoosesToAbort(Int)
        /// RMRcvCommitMsg(rm): the RM receives Commit and commits.
        case rmReceivesCommit(Int)
        /// RMRcvAbortMsg(rm): the RM receives Abort and aborts.
        case rmReceivesAbort(Int)
    }

    /// The enabled actions in `state`, in the reference order: the TM's (receive Prepared from
    /// each RM, commit, abort), then each RM's (prepare, choose to abort, receive Commit,
    /// receive Abort). Messages are a set: once sent, a message stays receivable.
    public func enabledActions(in state: State) -> [Action] {
        var actions: [Action] = []
        let n = resourceManagers
        if !tmDone(state) {
            for i in 0..<n where preparedSent(i, in: state) { actions.append(.tmReceivesPrepared(i)) }
            if allPrepared(state) { actions.append(.tmCommits) }
            actions.append(.tmAborts)
        }
        for i in 0..<n {
            if rm(i, in: state) == .working {
                actions.append(.rmPrepares(i))
                actions.append(.rmChoosesToAbort(i))
            }
            if commitSent(state) { actions.append(.rmReceivesCommit(i)) }
            if abortSent(state) { actions.append(.rmReceivesAbort(i)) }
        }
        return actions
    }

    /// `state` after `action` (which must be enabled).
    public func apply(_ action: Action, to state: State) -> State {
        switch action {
        case .tmReceivesPrepared(let i): return State(word: state.word | tmPreparedBit(i))
        case .tmCommits: return State(word: state.word | tmDoneBit | msgCommitBit)
        case .tmAborts: return State(word: state.word | tmDoneBit | msgAbortBit)
        case .rmPrepares(let i): return State(word: setting(i, to: .prepared, in: state).word | msgPreparedBit(i))
        case .rmChoosesToAbort(let i): return setting(i, to: .aborted, in: state)
        case .rmReceivesCommit(let i): return setting(i, to: .committed, in: state)
        case .rmReceivesAbort(let i): return setting(i, to: .aborted, in: state)
        }
    }
}
