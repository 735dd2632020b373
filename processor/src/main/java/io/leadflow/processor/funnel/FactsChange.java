package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A customer's funnel facts before and after a change; either may be null (a new customer, a customer
 * merged away). It carries both so the figures take back exactly what the customer added before.
 *
 * <p>It also carries the dimensions with cohort figures each side counts in: {@code beforeCohorts} those the
 * before side was counted in, {@code afterCohorts} those the after side is to be counted in. They differ
 * only when the cohort dimensions were changed and a {@link CustomerFactsTracker} counts its customers again
 * (before and after then hold the same facts): a dimension left out takes the customer out of its cohort
 * figures, one added puts it in, so no figure keeps or takes back what it never held.
 */
record FactsChange(
        CustomerFacts before,
        CustomerFacts after,
        Set<FunnelDimension> beforeCohorts,
        Set<FunnelDimension> afterCohorts) {

    /** Cohorts for every dimension: what changes written before they carried their dimensions were counted in. */
    static final Set<FunnelDimension> EVERY_DIMENSION =
            Collections.unmodifiableSet(EnumSet.allOf(FunnelDimension.class));

    FactsChange {
        if (before == null && after == null) {
            throw new IllegalArgumentException("A change needs a before or an after");
        }
        Objects.requireNonNull(beforeCohorts, "beforeCohorts");
        Objects.requireNonNull(afterCohorts, "afterCohorts");
    }

    /** A change counted in the cohorts of {@code cohorts} before and after. */
    FactsChange(CustomerFacts before, CustomerFacts after, Set<FunnelDimension> cohorts) {
        this(before, after, cohorts, cohorts);
    }

    /** {@code dimensions} as one bit per dimension (bit = the enum's ordinal), as changes are written. */
    static int bitsOf(Set<FunnelDimension> dimensions) {
        int bits = 0;
        for (FunnelDimension dimension : dimensions) {
            bits |= 1 << dimension.ordinal();
        }
        return bits;
    }

    /** The dimensions {@link #bitsOf} wrote; one shared set for each combination. */
    static Set<FunnelDimension> dimensionsOf(int bits) {
        if (bits < 0 || bits >= BY_BITS.size()) {
            throw new IllegalArgumentException("No dimensions have the bits " + Integer.toBinaryString(bits));
        }
        return BY_BITS.get(bits);
    }

    private static final List<Set<FunnelDimension>> BY_BITS = everyCombination();

    private static List<Set<FunnelDimension>> everyCombination() {
        FunnelDimension[] all = FunnelDimension.values();
        List<Set<FunnelDimension>> combinations = new ArrayList<>(1 << all.length);
        for (int bits = 0; bits < 1 << all.length; bits++) {
            EnumSet<FunnelDimension> dimensions = EnumSet.noneOf(FunnelDimension.class);
            for (FunnelDimension dimension : all) {
                if ((bits & (1 << dimension.ordinal())) != 0) {
                    dimensions.add(dimension);
                }
            }
            combinations.add(Collections.unmodifiableSet(dimensions));
        }
        return List.copyOf(combinations);
    }
}
