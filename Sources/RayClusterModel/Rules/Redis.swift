import SimulationKernel

/// External Redis: up or down, with or without persistence (reference §2, §3).
extension Transition {
    mutating func redisGoesDown() {
        s.redisUp = false
        schedule(.redisBack, in: timing.redisRestartDowntime)
        if s.gcs == .loading || s.gcs == .serving {
            s.agenda.schedule(.gcsRedisGraceExpired, after: timing.gcsRedisLossGrace)
        }
    }

    mutating func redisBack() {
        s.redisUp = true
        if cluster.redisPersistence == .none {
            note(.redisUp(empty: true))
            storageLost(.redisRestartedEmpty, everyNamespace: true)
        } else {
            note(.redisUp(empty: false))
        }
        // No cancel of .gcsRedisGraceExpired: Ray 2.60's GCS does not reopen its Redis connection.
        if s.gcs == .connectingRedis {
            s.agenda.cancel(.gcsRedisConnectGiveUp)
            s.gcs = .loading
            schedule(.gcsLoaded, in: timing.gcsTableLoad)
            note(.gcsConnectedToRedis)
        }
    }
}
