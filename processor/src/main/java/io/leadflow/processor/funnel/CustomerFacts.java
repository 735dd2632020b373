package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The part of a customer snapshot the funnel counts, and the zone its cohort days were cut in. The funnel
 * keeps these per customer, so when a customer changes or goes away exactly what it added is taken back.
 *
 * @param amountCents the amount in cents (scale 2), null when the customer has none
 * @param zone the tenant's time zone when these facts were taken, which fixes the cohort periods
 * @param visits every stay, oldest first, the current stage last
 */
record CustomerFacts(
        String tenant,
        String customerId,
        long version,
        String stage,
        Long amountCents,
        String owner,
        String team,
        String source,
        String campaign,
        long firstLeadAt,
        String zone,
        List<Visit> visits) {

    /** Separates stage names in a path; stage names never contain it. */
    static final char PATH_SEPARATOR = '\u0000';

    CustomerFacts {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(customerId, "customerId");
        stage = Names.canonical(Objects.requireNonNull(stage, "stage"));
        Objects.requireNonNull(zone, "zone");
        visits = List.copyOf(visits);
    }

    /** Whether both facts count the same in every figure (they may differ in version only). */
    boolean countsLike(CustomerFacts other) {
        return other != null && equals(other.withVersion(version));
    }

    CustomerFacts withVersion(long newVersion) {
        return new CustomerFacts(
                tenant,
                customerId,
                newVersion,
                stage,
                amountCents,
                owner,
                team,
                source,
                campaign,
                firstLeadAt,
                zone,
                visits);
    }

    /**
     * Every figure this customer is counted in: live and cohort (day, week, month of its first lead), each
     * for the tenant and for its team, owner, source and campaign where it has one; cohort figures only for
     * {@code cohortDimensions}, and weeks and months only for those not summed from their days ({@link
     * Cohorts#SUMMED_DIMENSIONS}). A customer in a public pool (no owner) counts for no owner and no team.
     */
    List<FigureKey> figureKeys(Set<FunnelDimension> cohortDimensions) {
        List<FigureKey> keys = new ArrayList<>(12);
        addKeys(keys, Cohorts.LIVE, FactsChange.EVERY_DIMENSION);
        Set<FunnelDimension> countedRollUps = Cohorts.countedRollUps(cohortDimensions);
        if (countedRollUps.isEmpty()) {
            addKeys(keys, Cohorts.dayOf(firstLeadAt, zone), cohortDimensions);
        } else {
            List<String> periods = Cohorts.periodsOf(firstLeadAt, zone);
            addKeys(keys, periods.get(0), cohortDimensions);
            addKeys(keys, periods.get(1), countedRollUps);
            addKeys(keys, periods.get(2), countedRollUps);
        }
        return keys;
    }

    private void addKeys(List<FigureKey> keys, String period, Set<FunnelDimension> dimensions) {
        addKey(keys, dimensions, FunnelDimension.TENANT, period, tenant);
        addKey(keys, dimensions, FunnelDimension.TEAM, period, owner == null ? null : team);
        addKey(keys, dimensions, FunnelDimension.OWNER, period, owner);
        addKey(keys, dimensions, FunnelDimension.SOURCE, period, source);
        addKey(keys, dimensions, FunnelDimension.CAMPAIGN, period, campaign);
    }

    private void addKey(
            List<FigureKey> keys,
            Set<FunnelDimension> dimensions,
            FunnelDimension dimension,
            String period,
            String value) {
        if (value != null && dimensions.contains(dimension)) {
            keys.add(new FigureKey(tenant, dimension, period, value));
        }
    }

    /** What the customer adds to a live figure; {@code path} is its {@link #path()}. */
    Contribution liveContribution(String path) {
        return new Contribution(stage, amountCents == null ? 0 : amountCents, path, List.of());
    }

    /** What the customer adds to a cohort figure; {@code path} is its {@link #path()}. */
    Contribution cohortContribution(String path) {
        return new Contribution(stage, amountCents == null ? 0 : amountCents, path, stays());
    }

    /** The distinct stages visited, sorted by name: the order-free record of how far the customer got. */
    String path() {
        TreeSet<String> stages = new TreeSet<>();
        for (Visit visit : visits) {
            stages.add(visit.stage());
        }
        return Names.canonical(String.join(String.valueOf(PATH_SEPARATOR), stages));
    }

    /** Completed stays: every visit but the current one lasted until the next visit began. */
    List<Contribution.Stay> stays() {
        List<Contribution.Stay> stays = new ArrayList<>(visits.size());
        for (int i = 0; i + 1 < visits.size(); i++) {
            long duration = visits.get(i + 1).enteredAt() - visits.get(i).enteredAt();
            stays.add(new Contribution.Stay(visits.get(i).stage(), StageTimes.bucketOf(duration)));
        }
        return stays;
    }
}
