#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body(rank)` for ranks `0..<count` at once, rank 0 on the calling thread, and returns
/// when all have finished.
///
/// Plain POSIX threads: no executor, no queue. Which thread runs which chunk of a level never
/// changes what the search finds (see ``ConcurrentFingerprintTable/claim(_:chunk:)``); the join is the only
/// synchronisation besides the table's locks and the chunk counter.
@usableFromInline
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    precondition(count >= 1, "runOnThreads needs at least one thread, got \(count)")
    if count == 1 { body(0); return }
    var threads: [pthread_t] = []
    for rank in 1..<count {
        let context = Unmanaged.passRetained(ThreadContext(rank: rank, body: body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
            context.body(context.rank)
            return nil
        }, context)
        precondition(rc == 0, "pthread_create failed with \(rc)")
        threads.append(thread)
    }
    body(0)
    for thread in threads { pthread_join(thread, nil) }
}

/// What a worker thread needs: its rank and the work.
final class ThreadContext: Sendable {
    let rank: Int
    let body: @Sendable (Int) -> Void
    init(rank: Int, body: @escaping @Sendable (Int) -> Void) {
        self.rank = rank
        self.body = body
    }
}
