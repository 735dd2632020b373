package io.leadflow.processor.funnel;

import io.leadflow.avro.DeadLetter;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.deadletter.DeadLetters;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the customers topic into changes of funnel facts, keyed by tenant: it remembers what each customer
 * counted as last time, so a change, an owner move or a merge (tombstone) takes back exactly that and adds
 * the new facts. Snapshots no newer than the one held are ignored, as are changes the funnel does not see
 * (contacts, match keys, ...). A snapshot it cannot read goes to the dead-letter topic with its bytes.
 *
 * <p>It also keeps which dimensions have cohort figures its customers are counted in ({@link CountedCohorts}).
 * Started with other cohort dimensions, it counts every customer it holds again, a chunk at a time between
 * records (a change from the same facts in the old dimensions' cohorts to the same facts in the new ones): a
 * dimension left out loses its cohort figures (they empty and are written as tombstones), one added gets them
 * for every customer, and a dimension left out and added back starts from nothing rather than from figures no
 * longer kept up.
 */
final class CustomerFactsTracker implements Processor<String, byte[], String, byte[]> {

    /** Customers recounted per punctuation: some 70 ms of work, far inside a transaction's time. */
    static final int RECOUNT_CHUNK = 10_000;

    private static final Logger log = LoggerFactory.getLogger(CustomerFactsTracker.class);

    private static final Serializer<FactsChange> CHANGES =
            FunnelSerdes.changes().serializer();
    private static final Serde<CustomerFacts> FACTS = FunnelSerdes.facts();

    private final Duration zoneRefreshInterval;
    private final Set<FunnelDimension> cohortDimensions;
    private final int recountChunk;
    private final Map<String, String> zones = new HashMap<>();
    private KeyValueStore<String, byte[]> facts;
    private ReadOnlyKeyValueStore<String, TenantRules> rules;
    private ProcessorContext<String, byte[]> context;
    private CountedCohorts countedCohorts;
    private Cancellable recount;
    private long recountedSoFar;
    private long recountStarted;

    CustomerFactsTracker(Duration zoneRefreshInterval, Set<FunnelDimension> cohortDimensions) {
        this(zoneRefreshInterval, cohortDimensions, RECOUNT_CHUNK);
    }

    CustomerFactsTracker(Duration zoneRefreshInterval, Set<FunnelDimension> cohortDimensions, int recountChunk) {
        this.zoneRefreshInterval = Objects.requireNonNull(zoneRefreshInterval, "zoneRefreshInterval");
        this.cohortDimensions = FactsChange.dimensionsOf(FactsChange.bitsOf(cohortDimensions));
        if (recountChunk < 1) {
            throw new IllegalArgumentException("recountChunk must be at least 1, was " + recountChunk);
        }
        this.recountChunk = recountChunk;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        facts = context.getStateStore(FunnelStores.CUSTOMER_FACTS);
        rules = context.getStateStore(TenantRulesStore.NAME);
        // Reading the rules for every snapshot would cost more than the rest; a zone change applies within
        // this interval, and the zone a customer was counted with is kept with its facts.
        context.schedule(zoneRefreshInterval, PunctuationType.WALL_CLOCK_TIME, now -> zones.clear());
        boolean holdsCustomers;
        try (KeyValueIterator<String, byte[]> any = facts.all()) {
            holdsCustomers = any.hasNext();
        }
        countedCohorts = new CountedCohorts(
                context.getStateStore(FunnelStores.COUNTED_COHORTS), cohortDimensions, holdsCustomers);
        if (countedCohorts.recounting()) {
            recountStarted = System.nanoTime();
            // Records may not be forwarded from init; a chunk at every punctuation, records in between.
            recount = context.schedule(Duration.ofMillis(1), PunctuationType.WALL_CLOCK_TIME, this::recountNext);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            log.error("skipping a customer snapshot without a key");
            return;
        }
        if (record.value() == null) {
            forgetMergedCustomer(record, facts.get(record.key()));
            return;
        }
        SnapshotFacts.Snapshot snapshot = decode(record);
        if (snapshot == null) {
            return;
        }
        byte[] held = facts.get(record.key());
        CustomerFacts before =
                held == null ? null : FACTS.deserializer().deserialize(FunnelStores.CUSTOMER_FACTS, held);
        if (before == null || snapshot.version() > before.version()) {
            countChangedCustomer(record, held, before, snapshot.facts(zoneOf(snapshot.tenant())));
        }
    }

    /** {@code held}: the customer's facts as stored, null if it holds none. */
    private void forgetMergedCustomer(Record<String, byte[]> record, byte[] held) {
        if (held != null) {
            CustomerFacts before = FACTS.deserializer().deserialize(FunnelStores.CUSTOMER_FACTS, held);
            facts.delete(record.key());
            Set<FunnelDimension> cohorts = countedCohorts.of(record.key());
            forward(record, before.tenant(), FunnelSerdes.change(held, null, cohorts, cohorts));
        }
    }

    /** {@code held}: {@code before} as stored, both null for a new customer. */
    private void countChangedCustomer(
            Record<String, byte[]> record, byte[] held, CustomerFacts before, CustomerFacts after) {
        if (after.countsLike(before)) {
            // A change the funnel does not count (a follow-up, a contact, a claim within the owner's pool): nothing
            // to send, nor to store. The facts kept keep their older version, which still refuses every snapshot
            // older than them; one between them and this one counts like this one, so it changes nothing either.
            return;
        }
        byte[] encoded = FACTS.serializer().serialize(FunnelStores.CUSTOMER_FACTS, after);
        facts.put(record.key(), encoded);
        Set<FunnelDimension> cohorts = countedCohorts.of(record.key());
        forward(record, after.tenant(), FunnelSerdes.change(held, encoded, cohorts, cohorts));
    }

    /**
     * Sends a change encoded ({@link FunnelSerdes#changes()}): the facts are encoded once, for the store and the
     * change alike, and the aggregator journals the very bytes it reads.
     */
    private void forward(Record<?, ?> record, String tenant, byte[] change) {
        context.forward(record.withKey(tenant).withValue(change), FunnelTopology.CHANGES_OUT);
    }

    private void recountNext(long now) {
        Set<FunnelDimension> from = countedCohorts.counted();
        Set<FunnelDimension> to = countedCohorts.recountingTo();
        recountedSoFar += countedCohorts.recountNext(
                facts,
                recountChunk,
                cohortDimensions,
                change -> forward(
                        new Record<>(null, null, now),
                        change.after().tenant(),
                        CHANGES.serialize(FunnelTopology.BY_TENANT, change)));
        boolean finished =
                !countedCohorts.recounting() || !countedCohorts.recountingTo().equals(to);
        if (!finished) {
            return;
        }
        log.info(
                "funnel cohort dimensions changed from {} to {}: {} customers of task {} counted again in {} ms",
                from,
                to,
                recountedSoFar,
                context.taskId(),
                (System.nanoTime() - recountStarted) / 1_000_000);
        recountedSoFar = 0;
        recountStarted = System.nanoTime();
        if (!countedCohorts.recounting()) {
            recount.cancel();
        }
    }

    /** The snapshot's funnel fields, or null when it cannot be read. */
    private SnapshotFacts.Snapshot decode(Record<String, byte[]> record) {
        try {
            return SnapshotFacts.read(Topics.CUSTOMERS.name(), record.value());
        } catch (SerializationException e) {
            // The processor wrote this topic itself; an unreadable record means a bug, not bad input. It is kept
            // as a dead letter, and the customer counts again at its next snapshot.
            log.error("funnel skips unreadable customer snapshot '{}': {}", record.key(), e.getMessage());
            RecordMetadata source = context.recordMetadata().orElseThrow();
            DeadLetter letter = DeadLetters.of(
                    source,
                    record.key().getBytes(StandardCharsets.UTF_8),
                    record.value(),
                    "funnel cannot read this customer snapshot: " + e.getMessage(),
                    e,
                    Instant.ofEpochMilli(record.timestamp()));
            context.forward(
                    new Record<>(
                            DeadLetters.key(source),
                            Topics.DEAD_LETTER.valueSerde().serializer().serialize(Topics.DEAD_LETTER.name(), letter),
                            record.timestamp()),
                    FunnelTopology.DEAD_LETTER_SINK);
            return null;
        }
    }

    private String zoneOf(String tenant) {
        return zones.computeIfAbsent(
                tenant, t -> TenantRulesStore.rulesOf(rules, t).getTimeZone());
    }
}
