package io.leadflow.api.stream;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Bodies of the live streams' events (the funnel stream sends {@link io.leadflow.api.funnel.FunnelView}s). */
final class StreamViews {

    private StreamViews() {}

    /** A pool event: a customer was assigned, claimed, released, returned, warned of its return, …. */
    record PoolEventView(
            long seq,
            String eventId,
            String customerId,
            String type,
            String actor,
            String fromOwner,
            String toOwner,
            String poolId,
            String rule,
            String reason,
            Instant deadline,
            Instant occurredAt) {}

    /** An identity finding that concerns the user (a collision, a possible duplicate, …), with its evidence. */
    record IdentityEventView(
            long seq,
            String eventId,
            String type,
            String customerId,
            String otherCustomerId,
            String leadId,
            String holder,
            String intendedOwner,
            JsonNode evidence,
            Instant occurredAt) {}
}
