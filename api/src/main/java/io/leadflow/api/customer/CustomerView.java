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

    /** The view of a snapshot the processor sent with a command's result. */
    public static CustomerView of(
            io.leadflow.avro.CustomerSnapshot snapshot, tools.jackson.databind.json.JsonMapper json) {
        io.leadflow.avro.Company company = snapshot.getCompany();
        List<java.util.Map<String, String>> contacts = snapshot.getContacts().stream()
                .map(contact -> {
                    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
                    putIfPresent(fields, "name", contact.getName());
                    putIfPresent(fields, "title", contact.getTitle());
                    putIfPresent(fields, "phone", contact.getPhone());
                    putIfPresent(fields, "mobile", contact.getMobile());
                    putIfPresent(fields, "email", contact.getEmail());
                    return fields;
                })
                .toList();
        List<java.util.Map<String, String>> keys = snapshot.getMatchKeys().stream()
                .map(key -> java.util.Map.of("kind", key.getKind().name(), "value", key.getValue()))
                .toList();
        return new CustomerView(
                snapshot.getCustomerId(),
                snapshot.getVersion(),
                new Company(
                        company.getName(),
                        company.getCreditCode(),
                        company.getWebsite(),
                        company.getIndustry(),
                        company.getAddress()),
                json.valueToTree(contacts),
                json.valueToTree(keys),
                List.copyOf(snapshot.getLeadIds()),
                snapshot.getSource(),
                snapshot.getCampaign(),
                snapshot.getOwner(),
                snapshot.getTeam(),
                snapshot.getPoolId(),
                snapshot.getStage(),
                snapshot.getAmount(),
                snapshot.getLevel(),
                snapshot.getFirstLeadAt(),
                snapshot.getCreatedAt(),
                snapshot.getUpdatedAt(),
                snapshot.getAssignedAt(),
                snapshot.getLastFollowUpAt(),
                snapshot.getReturnDeadline(),
                snapshot.getReturnRule(),
                snapshot.getLocked());
    }

    private static void putIfPresent(java.util.Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** The resolved company. */
    public record Company(String name, String creditCode, String website, String industry, String address) {}
}
