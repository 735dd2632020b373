package io.leadflow.processor.funnel;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.processor.state.StoreBacking;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Tuning of the funnel topology.
 *
 * @param emitInterval how often changed live (snapshot) figures are written out: each figure key is emitted
 *     at most once per interval (wall-clock), so dashboards update smoothly without a flood
 * @param rulesCheckInterval how often the tenants' rules are compared with the ones the figures were last
 *     rendered with; a changed stage set re-emits every figure of that tenant
 * @param cohortDimensions the dimensions that get cohort figures (day, week, month); live figures exist for
 *     every dimension. {@link #DEFAULT_COHORT_DIMENSIONS} by default; adding {@code OWNER} and {@code TEAM}
 *     adds an owner's and a team's day, week and month figures to those a change touches (the tenant's,
 *     sources' and campaigns' weeks and months are summed from their days: {@link Cohorts#SUMMED_DIMENSIONS}).
 *     A change of them takes effect exactly at the next start ({@link CountedCohorts})
 * @param snapshotInterval how long a changed figure may live in memory and in the funnel's journal only
 *     before it is written to its store: a figure that many changes touch within the interval is written
 *     once instead of at every commit; a restarted task replays the journal of up to this long
 * @param cohortEmitInterval how often changed cohort figures are written out. A cohort figure (conversion,
 *     time in stage) is rendered with every stage's stay percentiles, and a changed day's week and month are
 *     summed from their days first, so emitting them less often than live figures saves most of the
 *     emission's cost; a dashboard's live funnel still moves at {@code emitInterval}
 * @param figuresKept how many figures each funnel task keeps decoded in memory once they are written and
 *     emitted; those read least recently beyond it are dropped and read from the store when next touched.
 *     Figures not yet written or emitted are always kept
 * @param factsStore where each task keeps the facts it last counted of each of its customers (one entry per
 *     customer, the funnel's only store that grows with the customers): RocksDB by default; on the heap a
 *     sixth less stream-thread CPU per event in {@code FunnelBench}, for about 210 bytes of heap per customer
 *     and the whole store read back from its changelog at every start
 */
public record FunnelSettings(
        Duration emitInterval,
        Duration rulesCheckInterval,
        Set<FunnelDimension> cohortDimensions,
        Duration snapshotInterval,
        Duration cohortEmitInterval,
        int figuresKept,
        StoreBacking factsStore) {

    /**
     * Cohort figures by default: per tenant, lead source and campaign. A cohort (the customers whose first lead
     * arrived on a day, in a week, in a month) answers how the leads of that time went on: per source and
     * campaign that is what marketing asks of its spend. Per owner and team it would answer it for whoever
     * holds the customers now — an owner change carries the customer's whole path to the new owner's cohorts,
     * a return to the public pool takes it out of them — while a manager's question (how does my team close)
     * is the live figures' won and lost per owner and team. Owner and team cohorts are one figure per owner
     * and team per day, week and month: adding them takes {@code FunnelBench} from 38 to 60 µs of stream-thread
     * CPU per event. They are a setting away ({@code leadflow.processor.funnel.cohort-dimensions}).
     */
    public static final Set<FunnelDimension> DEFAULT_COHORT_DIMENSIONS = Collections.unmodifiableSet(
            EnumSet.of(FunnelDimension.TENANT, FunnelDimension.SOURCE, FunnelDimension.CAMPAIGN));

    /** Figures kept decoded per task by default: a tenant's busy figures, with room to spare. */
    public static final int DEFAULT_FIGURES_KEPT = 50_000;

    /**
     * 200 ms between emissions of one live figure and 500 ms between those of one cohort figure, rules checked
     * every second, cohorts for the {@link #DEFAULT_COHORT_DIMENSIONS}, figures written to their store at least
     * every 30 seconds, {@value #DEFAULT_FIGURES_KEPT} figures kept in memory per task.
     */
    public static final FunnelSettings DEFAULTS = new FunnelSettings(Duration.ofMillis(200), Duration.ofSeconds(1))
            .withCohortEmitInterval(Duration.ofMillis(500))
            .withCohortDimensions(DEFAULT_COHORT_DIMENSIONS);

    public FunnelSettings {
        requirePositive(emitInterval, "emitInterval");
        requirePositive(rulesCheckInterval, "rulesCheckInterval");
        Objects.requireNonNull(cohortDimensions, "cohortDimensions");
        // In the enum's order, so settings print the same every time.
        EnumSet<FunnelDimension> dimensions = EnumSet.noneOf(FunnelDimension.class);
        dimensions.addAll(cohortDimensions);
        cohortDimensions = Collections.unmodifiableSet(dimensions);
        requirePositive(snapshotInterval, "snapshotInterval");
        requirePositive(cohortEmitInterval, "cohortEmitInterval");
        if (figuresKept < 1) {
            throw new IllegalArgumentException("figuresKept must be at least 1, was " + figuresKept);
        }
        Objects.requireNonNull(factsStore, "factsStore");
    }

    /**
     * Every figure, live or cohort, emitted at most once per {@code emitInterval}; cohort figures for every
     * dimension, figures written to their store at least every 30 seconds.
     */
    public FunnelSettings(Duration emitInterval, Duration rulesCheckInterval) {
        this(
                emitInterval,
                rulesCheckInterval,
                EnumSet.allOf(FunnelDimension.class),
                Duration.ofSeconds(30),
                emitInterval,
                DEFAULT_FIGURES_KEPT,
                StoreBacking.ROCKSDB);
    }

    /** These settings with every figure, live or cohort, emitted at most once per {@code interval}. */
    public FunnelSettings withEmitInterval(Duration interval) {
        return new FunnelSettings(
                interval, rulesCheckInterval, cohortDimensions, snapshotInterval, interval, figuresKept, factsStore);
    }

    /** These settings with cohort figures emitted at most once per {@code interval}. */
    public FunnelSettings withCohortEmitInterval(Duration interval) {
        return new FunnelSettings(
                emitInterval,
                rulesCheckInterval,
                cohortDimensions,
                snapshotInterval,
                interval,
                figuresKept,
                factsStore);
    }

    /** These settings with cohort figures for {@code dimensions} only. */
    public FunnelSettings withCohortDimensions(Set<FunnelDimension> dimensions) {
        return new FunnelSettings(
                emitInterval,
                rulesCheckInterval,
                dimensions,
                snapshotInterval,
                cohortEmitInterval,
                figuresKept,
                factsStore);
    }

    /** These settings with changed figures written to their store at least once per {@code interval}. */
    public FunnelSettings withSnapshotInterval(Duration interval) {
        return new FunnelSettings(
                emitInterval,
                rulesCheckInterval,
                cohortDimensions,
                interval,
                cohortEmitInterval,
                figuresKept,
                factsStore);
    }

    /** These settings with {@code count} figures kept decoded in memory per task. */
    public FunnelSettings withFiguresKept(int count) {
        return new FunnelSettings(
                emitInterval,
                rulesCheckInterval,
                cohortDimensions,
                snapshotInterval,
                cohortEmitInterval,
                count,
                factsStore);
    }

    /** These settings with the customers' facts kept as {@code backing} says. */
    public FunnelSettings withFactsStore(StoreBacking backing) {
        return new FunnelSettings(
                emitInterval,
                rulesCheckInterval,
                cohortDimensions,
                snapshotInterval,
                cohortEmitInterval,
                figuresKept,
                backing);
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
