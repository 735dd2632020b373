package io.leadflow.api.customer;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A customer as the api shows it: the latest projected snapshot. */
public record CustomerView(
        String customerId,
        long version,
        Company company,
        JsonNode contacts,
        JsonNode matchKeys,
        List<String> leadIds,
        String source,
        String campaign,
        String owner,
        String team,
        String poolId,
        String stage,
        BigDecimal amount,
        String level,
        Instant firstLeadAt,
        Instant createdAt,
        Instant updatedAt,
        Instant assignedAt,
        Instant lastFollowUpAt,
        Instant returnDeadline,
        String returnRule,
        boolean locked) {

    /** The resolved company. */
    public record Company(String name, String creditCode, String website, String industry, String address) {}
}
