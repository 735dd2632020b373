package io.leadflow.api.customer;

import java.time.Instant;
import java.util.List;

/** What happened to a customer's pool state, oldest first. */
public record CustomerHistory(String customerId, List<PoolEventView> poolEvents) {

    /** One pool event. */
    public record PoolEventView(
            long seq,
            String eventId,
            String type,
            String actor,
            String fromOwner,
            String toOwner,
            String poolId,
            String rule,
            String reason,
            Instant deadline,
            Instant occurredAt) {}
}
