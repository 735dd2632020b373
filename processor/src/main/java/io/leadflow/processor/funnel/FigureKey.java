package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelKind;
import io.leadflow.schemas.Keys;
import java.util.Objects;

/** The key of one funnel figure: tenant, dimension and its value, period ({@code live} or a cohort). */
record FigureKey(String tenant, FunnelDimension dimension, String period, String value) {

    FigureKey {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(dimension, "dimension");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(value, "value");
    }

    /** The same figure for another period. */
    FigureKey withPeriod(String newPeriod) {
        return new FigureKey(tenant, dimension, newPeriod, value);
    }

    FunnelKind kind() {
        return Cohorts.LIVE.equals(period) ? FunnelKind.SNAPSHOT : FunnelKind.COHORT;
    }

    boolean isCohort() {
        return kind() == FunnelKind.COHORT;
    }

    /** The output topic's key, {@link Keys#funnel}. */
    String topicKey() {
        return Keys.funnel(tenant, dimension, period, value);
    }

    /** Parses a key made by {@link #topicKey()}. */
    static FigureKey parse(String topicKey) {
        String[] parts = topicKey.split("/", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("Not a funnel key: " + topicKey);
        }
        return new FigureKey(parts[0], FunnelDimension.valueOf(parts[1]), parts[2], parts[3]);
    }
}
