package io.leadflow.api.customer;

import java.time.Instant;

/**
 * Filters of a customer listing; a null field does not filter.
 *
 * @param query literal text in the company name
 * @param poolId only unowned customers of this public pool (customers without a pool id sit in the default)
 * @param returnsBefore only customers whose return deadline is at or before this instant
 */
public record CustomerFilter(
        String query,
        String owner,
        String team,
        String poolId,
        String stage,
        String level,
        String source,
        String campaign,
        Instant returnsBefore) {

    public static final CustomerFilter NONE = new CustomerFilter(null, null, null, null, null, null, null, null, null);

    public static CustomerFilter ownedBy(String owner) {
        return new CustomerFilter(null, owner, null, null, null, null, null, null, null);
    }

    public static CustomerFilter inPool(String poolId) {
        return new CustomerFilter(null, null, null, poolId, null, null, null, null, null);
    }
}
