package io.leadflow.processor.funnel;

import static io.leadflow.processor.funnel.Customers.aCustomer;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.FunnelDimension;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tracker's recount after a change of cohort dimensions, a chunk at a time with customers changing, merged
 * and created in between, and a restart half-way. Every change it sends is checked against what the figures
 * hold of that customer (the facts and the dimensions it was last counted in): a change that takes back
 * something else than was added, in the wrong dimensions, would leave a figure wrong.
 */
class CustomerFactsTrackerTest {

    private static final Set<FunnelDimension> FEWER = FunnelSettings.DEFAULT_COHORT_DIMENSIONS;

    private final List<StateStore> stores = new ArrayList<>();
    private MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    private final Map<String, Customers> customers = new HashMap<>();
    /** What the figures hold of each customer: its facts and the dimensions it is counted in. */
    private final Map<String, KeyValue<CustomerFacts, Set<FunnelDimension>>> counted = new HashMap<>();

    private final Random random = new Random(11);
    private KeyValueStore<String, byte[]> facts;
    private KeyValueStore<String, String> countedCohorts;
    private int created;

    @BeforeEach
    void stores() {
        facts = store(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(FunnelStores.CUSTOMER_FACTS), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build());
        countedCohorts = store(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(FunnelStores.COUNTED_COHORTS), Serdes.String(), Serdes.String())
                .withLoggingDisabled()
                .build());
        store(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(TenantRulesStore.NAME),
                        Serdes.String(),
                        Topics.TENANT_RULES.valueSerde())
                .withLoggingDisabled()
                .build());
    }

    @Test
    void aRecountInChunksBetweenChangesMovesEveryCustomerOnceIntoTheNewDimensions() {
        CustomerFactsTracker first = start(FactsChange.EVERY_DIMENSION, 7);
        for (int i = 0; i < 60; i++) {
            createCustomer(first);
        }
        assertThat(dimensionsCounted()).containsOnly(FactsChange.EVERY_DIMENSION);
        assertThat(scheduledRecounts()).isEmpty();

        CustomerFactsTracker second = start(FEWER, 7);
        int chunks = 0;
        while (!recountOver() && chunks < 3) {
            recountChunk();
            chunks++;
            changeSomeCustomers(second);
        }
        assertThat(dimensionsCounted()).contains(FactsChange.EVERY_DIMENSION, FEWER);

        // A restart half-way goes on from the last customer recounted.
        CustomerFactsTracker third = start(FEWER, 7);
        while (!recountOver()) {
            recountChunk();
            chunks++;
            changeSomeCustomers(third);
        }
        changeSomeCustomers(third);

        assertThat(chunks).isGreaterThan(8);
        assertThat(dimensionsCounted()).containsOnly(FEWER);
        assertThat(counted).hasSize(customersHeld());
        assertThat(countedCohorts.get(CountedCohorts.COUNTED)).isEqualTo("TENANT,SOURCE,CAMPAIGN");
        assertThat(countedCohorts.get(CountedCohorts.RECOUNTING_TO)).isNull();
        assertThat(countedCohorts.get(CountedCohorts.RECOUNTED_THROUGH)).isNull();
    }

    @Test
    void aTaskCountedByAVersionThatKeptNoDimensionsIsRecountedFromEveryDimension() {
        CustomerFactsTracker old = start(FactsChange.EVERY_DIMENSION, 7);
        for (int i = 0; i < 10; i++) {
            createCustomer(old);
        }
        countedCohorts.delete(CountedCohorts.COUNTED);

        start(FEWER, 100);
        recountChunk();

        assertThat(recountOver()).isTrue();
        assertThat(dimensionsCounted()).containsOnly(FEWER);
    }

    @Test
    void theSameDimensionsStartNoRecount() {
        // A new task holds no customers: they are counted in the dimensions configured, with nothing to recount.
        CustomerFactsTracker first = start(FEWER, 7);
        assertThat(scheduledRecounts()).isEmpty();
        createCustomer(first);
        assertThat(dimensionsCounted()).containsOnly(FEWER);

        start(FEWER, 7);

        assertThat(scheduledRecounts()).isEmpty();
        assertThat(countedCohorts.get(CountedCohorts.COUNTED)).isEqualTo("TENANT,SOURCE,CAMPAIGN");
    }

    private CustomerFactsTracker start(Set<FunnelDimension> dimensions, int chunk) {
        // A new task on the same stores, as after a restart.
        context = new MockProcessorContext<>();
        stores.forEach(context::addStateStore);
        CustomerFactsTracker tracker = new CustomerFactsTracker(Duration.ofSeconds(1), dimensions, chunk);
        tracker.init(context);
        return tracker;
    }

    private void createCustomer(CustomerFactsTracker tracker) {
        int i = created++;
        Customers customer = aCustomer("c-" + i)
                .firstLeadAt(Instant.parse("2026-11-02T10:00:00Z").plus(Duration.ofDays(i % 20)))
                .ownedBy("owner-" + i % 3, "team-" + i % 2)
                .from("source-" + i % 4, "campaign-" + i % 5)
                .withAmount(i + "00.00");
        customers.put(customer.key(), customer);
        send(tracker, customer);
    }

    /** A few changes to customers before and after the recount's position, a merge, a new customer. */
    private void changeSomeCustomers(CustomerFactsTracker tracker) {
        List<String> keys = new ArrayList<>(customers.keySet());
        for (int n = 0; n < 3; n++) {
            Customers customer = customers.get(keys.get(random.nextInt(keys.size())));
            send(tracker, customer.movedTo(random.nextBoolean() ? "CONTACTED" : "QUALIFIED", Duration.ofHours(2)));
        }
        String merged = keys.get(random.nextInt(keys.size()));
        customers.remove(merged);
        tracker.process(new Record<>(merged, null, 0L));
        take();
        createCustomer(tracker);
    }

    private void send(CustomerFactsTracker tracker, Customers customer) {
        byte[] snapshot =
                Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), customer.build());
        tracker.process(
                new Record<>(customer.key(), snapshot, customer.updatedAt().toEpochMilli()));
        take();
    }

    private void recountChunk() {
        List<CapturedPunctuator> recounts = scheduledRecounts();
        assertThat(recounts).hasSize(1);
        recounts.get(0).getPunctuator().punctuate(0L);
        take();
    }

    /**
     * Applies the changes the tracker sent to what the figures hold, checking each takes back exactly what the
     * customer added last, in the dimensions it added it to.
     */
    private void take() {
        for (MockProcessorContext.CapturedForward<? extends String, ? extends byte[]> forward : context.forwarded()) {
            FactsChange change = FunnelSerdes.changes()
                    .deserializer()
                    .deserialize("t", forward.record().value());
            CustomerFacts any = change.after() != null ? change.after() : change.before();
            String customer = any.customerId();
            KeyValue<CustomerFacts, Set<FunnelDimension>> held = counted.get(customer);
            if (change.before() == null) {
                assertThat(held)
                        .as("a new customer %s was not counted yet", customer)
                        .isNull();
            } else {
                assertThat(held).as("customer %s is counted", customer).isNotNull();
                assertThat(change.before()).isEqualTo(held.key);
                assertThat(change.beforeCohorts())
                        .as("dimensions of %s", customer)
                        .isEqualTo(held.value);
            }
            if (change.after() == null) {
                counted.remove(customer);
            } else {
                counted.put(customer, KeyValue.pair(change.after(), change.afterCohorts()));
            }
        }
        context.resetForwards();
    }

    private Set<Set<FunnelDimension>> dimensionsCounted() {
        Set<Set<FunnelDimension>> dimensions = new HashSet<>();
        counted.values().forEach(held -> dimensions.add(EnumSet.copyOf(held.value)));
        return dimensions;
    }

    private List<CapturedPunctuator> scheduledRecounts() {
        return context.scheduledPunctuators().stream()
                .filter(punctuator -> punctuator.getInterval().equals(Duration.ofMillis(1)))
                .filter(punctuator -> !punctuator.cancelled())
                .toList();
    }

    private boolean recountOver() {
        return scheduledRecounts().isEmpty();
    }

    private int customersHeld() {
        int held = 0;
        try (KeyValueIterator<String, byte[]> all = facts.all()) {
            while (all.hasNext()) {
                all.next();
                held++;
            }
        }
        return held;
    }

    private <S extends StateStore> S store(S store) {
        store.init(context.getStateStoreContext(), store);
        stores.add(store);
        return store;
    }
}
