package io.leadflow.processor.funnel;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The funnel's state stores; every one is changelogged, so exactly-once covers it. */
final class FunnelStores {

    /** {@code tenant/customerId} → the customer's {@link CustomerFacts} as last counted. */
    static final String CUSTOMER_FACTS = "funnel-customer-facts";

    /**
     * Funnel key ({@link FigureKey#topicKey()}) → the figure's {@link FigureState}; read and written through
     * a {@link FigureBook}, which also writes {@link #STAGE_TIMES}.
     */
    static final String FIGURES = "funnel-figures";

    /** Funnel key {@code \0} stage {@code \0} bucket (16 hex digits) → completed stays in that bucket. */
    static final String STAGE_TIMES = "funnel-stage-times";

    /** Funnel keys changed since they were last emitted → empty. */
    static final String DIRTY_FIGURES = "funnel-dirty-figures";

    /** Tenant → version of its rules when its figures were last all rendered. */
    static final String RENDERED_RULES = "funnel-rendered-rules";

    private FunnelStores() {}

    static StoreBuilder<KeyValueStore<String, CustomerFacts>> customerFacts() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(CUSTOMER_FACTS), Serdes.String(), FunnelSerdes.facts())
                .withCachingEnabled();
    }

    static StoreBuilder<FigureBook> figures() {
        return FigureBook.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(FIGURES), Serdes.String(), FunnelSerdes.figures()));
    }

    /** Not cached by Kafka Streams: the {@link FigureBook} caches it and writes it before each commit. */
    static StoreBuilder<KeyValueStore<String, Long>> stageTimes() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STAGE_TIMES), Serdes.String(), Serdes.Long());
    }

    static StoreBuilder<KeyValueStore<String, byte[]>> dirtyFigures() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DIRTY_FIGURES), Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled();
    }

    static StoreBuilder<KeyValueStore<String, Long>> renderedRules() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RENDERED_RULES), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }

    /** Key of a stage-times bucket; the bucket is fixed-width hex so a figure's buckets sort by value. */
    static String stageTimeKey(String figureKey, String stage, long bucket) {
        return figureKey + '\u0000' + stage + '\u0000' + String.format("%016x", bucket);
    }

    /** Prefix of all stage-times keys of one figure. */
    static String stageTimesPrefix(String figureKey) {
        return figureKey + '\u0000';
    }
}
