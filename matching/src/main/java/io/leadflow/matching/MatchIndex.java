package io.leadflow.matching;

import java.util.List;
import java.util.Optional;

/**
 * What the engine reads to decide: one tenant's exact keys and blocking entries. The processor backs it
 * with RocksDB stores, the batch report with memory ({@link InMemoryMatchIndex}), the api's duplicate
 * check with PostgreSQL. Implementations are scoped to one tenant.
 */
public interface MatchIndex {

    /** The customer that holds {@code key}, if any. */
    Optional<String> holderOf(MatchKey key);

    /**
     * Customers filed under a blocking key with the fingerprint they were filed with, at most {@code
     * limit}; a customer may appear more than once (one entry per spelling).
     */
    List<Filed> filedUnder(String block, int limit);

    /**
     * Whether this index already knows, without reading, that at least {@code count} customers are filed
     * under {@code block}; {@code false} when it does not know. With stop-units the engine skips such a
     * block without scanning it.
     */
    default boolean knownToHoldAtLeast(String block, int count) {
        return false;
    }

    /** The customer {@code customerId} was merged into, if it was. */
    Optional<String> mergedInto(String customerId);

    /** One blocking entry: a customer and the comparable values it was filed with. */
    record Filed(String customerId, String fingerprint) {}
}
