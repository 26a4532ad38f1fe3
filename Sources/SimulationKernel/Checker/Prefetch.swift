/// Starts loading the cache line holding `address` and returns at once.
///
/// The checker's hot loop is one random probe of a large table per successor; issuing the probes'
/// loads a few states ahead lets their cache misses overlap (TwoPhase, 9 RMs: about 1.4x faster
/// than reading the slots early with plain loads, which hold up the instructions behind them).
/// Swift exposes no prefetch. Building with `-Xswiftc -DCHECKER_PREFETCH` calls LLVM's intrinsic by
/// name through the unsupported `@_silgen_name`; it is off by default so that the package builds
/// with supported Swift only (it also does not compile with the thread sanitizer). Without it the
/// hint is a no-op; it never changes what the checker computes.
@inlinable func prefetchCacheLine(_ address: UnsafeRawPointer) {
    #if CHECKER_PREFETCH
    llvmPrefetch(address, 0, 3, 1)
    #endif
}

#if CHECKER_PREFETCH
/// `llvm.prefetch(address, read, keep in all cache levels, data cache)`.
@usableFromInline @_silgen_name("llvm.prefetch.p0")
func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ cacheType: Int32)
#endif
