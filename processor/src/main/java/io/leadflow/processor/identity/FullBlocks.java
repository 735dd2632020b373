package io.leadflow.processor.identity;

import java.util.HashMap;
import java.util.Map;

/**
 * The blocking keys of a task's tenants that a scan found holding at least the engine's block limit: with
 * stop-units the engine retrieves nothing from them, so the lead resolver need not scan them again nor file
 * more customers under them. Blocking entries are never removed, so a block once full stays full; a task
 * that restarts learns its full blocks again from its first scans.
 */
final class FullBlocks {

    /** Knows nothing and keeps nothing: every block is scanned and filed into. */
    static final FullBlocks NONE = new FullBlocks(Integer.MAX_VALUE);

    private final int limit;
    private final Map<String, Integer> atLeast = new HashMap<>();

    /** Remembers blocks found holding at least {@code limit} customers (the engine's block limit). */
    FullBlocks(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        this.limit = limit;
    }

    /** A scan of {@code blockPrefix} for at most {@code count} entries returned {@code count}. */
    void found(String blockPrefix, int count) {
        if (this != NONE) {
            atLeast.merge(blockPrefix, count, Math::max);
        }
    }

    boolean holdsAtLeast(String blockPrefix, int count) {
        return atLeast.getOrDefault(blockPrefix, 0) >= count;
    }

    /** Whether the block is known to hold the engine's block limit, so filing under it is pointless. */
    boolean isFull(String blockPrefix) {
        return holdsAtLeast(blockPrefix, limit);
    }
}
