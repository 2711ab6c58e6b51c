package dev.gan4j.tensor.backend;

import java.util.Locale;

/**
 * A backend buffer cache's counters: allocations served from released buffers (hits) or new memory
 * (misses), and the bytes it now holds for reuse.
 */
public record AllocatorStats(long hits, long misses, long cachedBytes) {

    /** For a backend without a cache. */
    public static final AllocatorStats NONE = new AllocatorStats(0, 0, 0);

    /** Hits over all allocations, 0 before the first. */
    public double hitRate() {
        long all = hits + misses;
        return all == 0 ? 0 : (double) hits / all;
    }

    /** The counters accumulated since {@code earlier} (cached bytes as now). */
    public AllocatorStats since(AllocatorStats earlier) {
        return new AllocatorStats(hits - earlier.hits, misses - earlier.misses, cachedBytes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d hits, %d misses (%.1f%% hits), %.1f MiB cached", hits, misses,
                100 * hitRate(), cachedBytes / 1048576.0);
    }
}
