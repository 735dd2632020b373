package io.leadflow.processor.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.MatchKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Pure changes to customer snapshots that identity resolution makes.
 *
 * <p>Merge rule: the survivor keeps its own fields and gains the merged customer's leads, contacts and
 * match keys; company fields it lacks are filled in from the merged one. The survivor's owner keeps the
 * customer; if it has none, the merged customer's owner does (with that assignment's team, time and
 * deadline); if neither has one, it stays in the survivor's public pool. Stage and stage history are
 * the survivor's.
 */
final class Customers {

    static final String SURVIVOR_OWNER = "the survivor's owner keeps it";
    static final String MERGED_OWNER = "the survivor had no owner, so the merged customer's owner keeps it";
    static final String NO_OWNER = "neither had an owner: it stays in the public pool";

    private Customers() {}

    /** The result of a merge: the survivor after it, the merged customer's last snapshot, who kept it. */
    record Merged(CustomerSnapshot survivor, CustomerSnapshot mergedAway, String keptOwner, String ownerRule) {}

    /** {@code company} with its blank fields taken from {@code other}. */
    static Company filledIn(Company company, Company other) {
        if (other == null) {
            return company;
        }
        return Company.newBuilder(company)
                .setName(firstNonBlank(company.getName(), other.getName()))
                .setCreditCode(firstNonBlank(company.getCreditCode(), other.getCreditCode()))
                .setWebsite(firstNonBlank(company.getWebsite(), other.getWebsite()))
                .setIndustry(firstNonBlank(company.getIndustry(), other.getIndustry()))
                .setAddress(firstNonBlank(company.getAddress(), other.getAddress()))
                .build();
    }

    static Merged merge(CustomerSnapshot survivor, CustomerSnapshot merged, Instant at) {
        CustomerSnapshot.Builder after = CustomerSnapshot.newBuilder(survivor)
                .setVersion(survivor.getVersion() + 1)
                .setCompany(filledIn(survivor.getCompany(), merged.getCompany()))
                .setLeadIds(union(survivor.getLeadIds(), merged.getLeadIds()))
                .setContacts(union(survivor.getContacts(), merged.getContacts()))
                .setMatchKeys(union(survivor.getMatchKeys(), merged.getMatchKeys()))
                .setFirstLeadAt(earlier(survivor.getFirstLeadAt(), merged.getFirstLeadAt()))
                .setLastFollowUpAt(later(survivor.getLastFollowUpAt(), merged.getLastFollowUpAt()))
                .setUpdatedAt(at);
        String rule;
        if (survivor.getOwner() != null) {
            rule = SURVIVOR_OWNER;
        } else if (merged.getOwner() != null) {
            rule = MERGED_OWNER;
            after.setOwner(merged.getOwner())
                    .setTeam(merged.getTeam())
                    .setAssignedAt(merged.getAssignedAt())
                    .setReturnDeadline(merged.getReturnDeadline())
                    .setReturnRule(merged.getReturnRule());
        } else {
            rule = NO_OWNER;
        }
        CustomerSnapshot survivorAfter = after.build();
        CustomerSnapshot mergedAway = CustomerSnapshot.newBuilder(merged)
                .setVersion(merged.getVersion() + 1)
                .setMergedInto(survivor.getCustomerId())
                .setUpdatedAt(at)
                .build();
        return new Merged(survivorAfter, mergedAway, survivorAfter.getOwner(), rule);
    }

    private static <T> List<T> union(List<T> first, List<T> second) {
        LinkedHashSet<T> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return new ArrayList<>(all);
    }

    private static String firstNonBlank(String value, String fallback) {
        return value != null && !value.isBlank() ? value : fallback;
    }

    private static Instant earlier(Instant a, Instant b) {
        return b != null && (a == null || b.isBefore(a)) ? b : a;
    }

    private static Instant later(Instant a, Instant b) {
        return b != null && (a == null || b.isAfter(a)) ? b : a;
    }

    /** The engine keys of a snapshot (kinds this version does not know are left out). */
    static List<io.leadflow.matching.MatchKey> engineKeys(List<MatchKey> keys) {
        return keys.stream().flatMap(key -> AvroMapping.fromAvro(key).stream()).toList();
    }
}
