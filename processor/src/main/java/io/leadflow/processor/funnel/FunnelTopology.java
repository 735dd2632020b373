package io.leadflow.processor.funnel;

import io.leadflow.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The live sales funnel, built with the Kafka Streams DSL from the customers topic (every customer change
 * arrives there as a full snapshot, a merge as a tombstone):
 *
 * <ol>
 *   <li>{@link CustomerFactsTracker}, co-partitioned with the customers topic, keeps what each customer
 *       last counted as and sends the change (before, after) keyed by tenant — the same subtract-then-add
 *       a {@code KTable.groupBy().aggregate(adder, subtractor)} does, but one record per change instead of
 *       one per figure, and storing only the facts the funnel counts;
 *   <li>{@link FigureAggregator}, after repartitioning by tenant, applies the change to every live and
 *       cohort figure the customer counts in and writes changed figures to {@code leadflow.funnel.v1} at
 *       most once per emit interval.
 * </ol>
 *
 * Stage order, probabilities and won/lost flags are applied when a figure is rendered, from the tenant's
 * current rules (global store {@link io.leadflow.processor.rules.TenantRulesStore#NAME}), which the
 * topology expects to be added to it.
 */
public final class FunnelTopology {

    static final String CUSTOMERS_SOURCE = "funnel-customers-source";
    static final String FACTS_TRACKER = "funnel-customer-facts-tracker";
    static final String BY_TENANT = "funnel-changes-by-tenant";

    /**
     * The node the DSL puts first in the repartition by tenant (it drops records without a key): the tracker sends
     * its changes there by name, as it sends unreadable snapshots to {@link #DEAD_LETTER_SINK}.
     */
    static final String CHANGES_OUT = BY_TENANT + "-repartition-filter";

    static final String DEAD_LETTER_SINK = "funnel-dead-letter-sink";
    static final String FIGURE_AGGREGATOR = "funnel-figure-aggregator";
    static final String FUNNEL_SINK = "funnel-sink";

    private FunnelTopology() {}

    public static void build(StreamsBuilder builder) {
        build(builder, FunnelSettings.DEFAULTS);
    }

    public static void build(StreamsBuilder builder, FunnelSettings settings) {
        builder.addStateStore(FunnelStores.customerFacts(settings.factsStore()));
        builder.addStateStore(FunnelStores.countedCohorts());
        builder.addStateStore(FunnelStores.figures(settings.figuresKept()));
        builder.addStateStore(FunnelStores.stageTimes());
        builder.addStateStore(FunnelStores.dirtyFigures());
        builder.addStateStore(FunnelStores.journal());
        builder.addStateStore(FunnelStores.renderedRules());
        KStream<String, byte[]> tracked = builder.stream(
                        Topics.CUSTOMERS.name(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(CUSTOMERS_SOURCE))
                .process(
                        () -> new CustomerFactsTracker(settings.rulesCheckInterval(), settings.cohortDimensions()),
                        Named.as(FACTS_TRACKER),
                        FunnelStores.CUSTOMER_FACTS,
                        FunnelStores.COUNTED_COHORTS);
        tracked.to(
                Topics.DEAD_LETTER.name(),
                Produced.with(Topics.DEAD_LETTER.keySerde(), Serdes.ByteArray()).withName(DEAD_LETTER_SINK));
        tracked.repartition(
                        Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(BY_TENANT))
                .process(
                        () -> new FigureAggregator(settings),
                        Named.as(FIGURE_AGGREGATOR),
                        FunnelStores.FIGURES,
                        FunnelStores.STAGE_TIMES,
                        FunnelStores.DIRTY_FIGURES,
                        FunnelStores.JOURNAL,
                        FunnelStores.RENDERED_RULES)
                .to(
                        Topics.FUNNEL.name(),
                        Produced.with(Topics.FUNNEL.keySerde(), Topics.FUNNEL.valueSerde())
                                .withName(FUNNEL_SINK));
    }
}
