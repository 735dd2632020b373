package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Tuning of the funnel topology.
 *
 * @param emitInterval how often changed figures are written out: each figure key is emitted at most once
 *     per interval (wall-clock), so dashboards update smoothly without a flood
 * @param rulesCheckInterval how often the tenants' rules are compared with the ones the figures were last
 *     rendered with; a changed stage set re-emits every figure of that tenant
 * @param cohortDimensions the dimensions that get cohort figures (day, week, month); live figures exist for
 *     every dimension. All five by default; leaving out {@code OWNER} and {@code TEAM} removes most of the
 *     figures a change touches (one per owner and team per day, week and month)
 * @param snapshotInterval how long a changed figure may live in memory and in the funnel's journal only
 *     before it is written to its store: a figure that many changes touch within the interval is written
 *     once instead of at every commit; a restarted task replays the journal of up to this long
 */
public record FunnelSettings(
        Duration emitInterval,
        Duration rulesCheckInterval,
        Set<FunnelDimension> cohortDimensions,
        Duration snapshotInterval) {

    /**
     * 200 ms between emissions of one figure, rules checked every second, cohorts for every dimension,
     * figures written to their store at least every 30 seconds.
     */
    public static final FunnelSettings DEFAULTS = new FunnelSettings(Duration.ofMillis(200), Duration.ofSeconds(1));

    public FunnelSettings {
        requirePositive(emitInterval, "emitInterval");
        requirePositive(rulesCheckInterval, "rulesCheckInterval");
        Objects.requireNonNull(cohortDimensions, "cohortDimensions");
        cohortDimensions = cohortDimensions.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(cohortDimensions));
        requirePositive(snapshotInterval, "snapshotInterval");
    }

    /** Cohort figures for every dimension, figures written to their store at least every 30 seconds. */
    public FunnelSettings(Duration emitInterval, Duration rulesCheckInterval) {
        this(emitInterval, rulesCheckInterval, EnumSet.allOf(FunnelDimension.class), Duration.ofSeconds(30));
    }

    /** These settings with figures emitted at most once per {@code interval}. */
    public FunnelSettings withEmitInterval(Duration interval) {
        return new FunnelSettings(interval, rulesCheckInterval, cohortDimensions, snapshotInterval);
    }

    /** These settings with cohort figures for {@code dimensions} only. */
    public FunnelSettings withCohortDimensions(Set<FunnelDimension> dimensions) {
        return new FunnelSettings(emitInterval, rulesCheckInterval, dimensions, snapshotInterval);
    }

    /** These settings with changed figures written to their store at least once per {@code interval}. */
    public FunnelSettings withSnapshotInterval(Duration interval) {
        return new FunnelSettings(emitInterval, rulesCheckInterval, cohortDimensions, interval);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
