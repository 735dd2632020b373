package io.leadflow.processor.funnel;

import io.leadflow.processor.state.StoreBacking;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The funnel's state stores; every one is changelogged, so exactly-once covers it. */
final class FunnelStores {

    /** {@code tenant/customerId} → the customer's {@link CustomerFacts} as last counted. */
    static final String CUSTOMER_FACTS = "funnel-customer-facts";

    /**
     * Funnel key ({@link FigureKey#topicKey()}) → the figure's {@link FigureState} and completed stays; read
     * and written through a {@link FigureBook}.
     */
    static final String FIGURES = "funnel-figures";

    /**
     * Funnel key {@code \0} stage {@code \0} bucket (16 hex digits) → completed stays in that bucket, for
     * figures written before their stays moved into {@link #FIGURES}; the {@link FigureBook} reads such a
     * figure's buckets from here and deletes them when it writes the figure.
     */
    static final String STAGE_TIMES = "funnel-stage-times";

    /**
     * The funnel keys marked for emission without a change (their tenant's rules changed), a few thousand
     * per record, written by the {@link FigureBook} before a commit when they changed (before the journal,
     * every key changed since it was last emitted; earlier still, one key per figure, value empty).
     */
    static final String DIRTY_FIGURES = "funnel-dirty-figures";

    /**
     * The {@link FigureJournal}: record number (from 0) → the changes applied to the figures in one commit;
     * -1 → where the journal stands. Records go once every figure they changed has been written.
     */
    static final String JOURNAL = "funnel-journal";

    /**
     * The dimensions with cohort figures the customers of this task's {@link #CUSTOMER_FACTS} are counted in,
     * and where a recount to other dimensions stands: a few entries, read and written by {@link CountedCohorts}.
     */
    static final String COUNTED_COHORTS = "funnel-counted-cohorts";

    /** Tenant → version of its rules when its figures were last all rendered. */
    static final String RENDERED_RULES = "funnel-rendered-rules";

    private FunnelStores() {}

    /**
     * In RocksDB behind Kafka Streams' cache, which saves some writes of a customer changed twice in a commit;
     * on the heap without it, as the cache would only copy the heap's entries.
     */
    /**
     * Each customer's {@link CustomerFacts} as {@link FunnelSerdes#facts()} encodes them: the tracker splices the
     * stored bytes into the change it sends, rather than encoding the same facts again.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> customerFacts(StoreBacking backing) {
        StoreBuilder<KeyValueStore<String, byte[]>> builder =
                Stores.keyValueStoreBuilder(backing.supplier(CUSTOMER_FACTS), Serdes.String(), Serdes.ByteArray());
        return backing == StoreBacking.ROCKSDB ? builder.withCachingEnabled() : builder;
    }

    /** Not cached by Kafka Streams: written when the cohort dimensions change, once per chunk recounted. */
    static StoreBuilder<KeyValueStore<String, String>> countedCohorts() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(COUNTED_COHORTS), Serdes.String(), Serdes.String());
    }

    static StoreBuilder<FigureBook> figures(int figuresKept) {
        return FigureBook.builder(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(FIGURES), Serdes.String(), FunnelSerdes.figures()),
                figuresKept);
    }

    /** Not cached by Kafka Streams: read and written by the {@link FigureBook} only. */
    static StoreBuilder<KeyValueStore<String, Long>> stageTimes() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STAGE_TIMES), Serdes.String(), Serdes.Long());
    }

    /** Not cached by Kafka Streams: the {@link FigureBook} writes it once per commit. */
    static StoreBuilder<KeyValueStore<String, byte[]>> dirtyFigures() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DIRTY_FIGURES), Serdes.String(), Serdes.ByteArray());
    }

    /** Not cached by Kafka Streams: the {@link FigureBook} writes it once per commit. */
    static StoreBuilder<KeyValueStore<Long, byte[]>> journal() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOURNAL), Serdes.Long(), Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, Long>> renderedRules() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RENDERED_RULES), Serdes.String(), Serdes.Long())
                .withCachingEnabled();
    }

    /** Prefix of all stage-times keys of one figure. */
    static String stageTimesPrefix(String figureKey) {
        return figureKey + '\u0000';
    }
}
