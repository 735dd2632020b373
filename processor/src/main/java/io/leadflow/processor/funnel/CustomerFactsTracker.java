package io.leadflow.processor.funnel;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.TenantRules;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the customers topic into changes of funnel facts, keyed by tenant: it remembers what each customer
 * counted as last time, so a change, an owner move or a merge (tombstone) takes back exactly that and adds
 * the new facts. Snapshots no newer than the one held are ignored, as are changes the funnel does not see
 * (contacts, match keys, ...).
 */
final class CustomerFactsTracker implements Processor<String, byte[], String, FactsChange> {

    private static final Logger log = LoggerFactory.getLogger(CustomerFactsTracker.class);

    private final Duration zoneRefreshInterval;
    private final Map<String, String> zones = new HashMap<>();
    private KeyValueStore<String, CustomerFacts> facts;
    private ReadOnlyKeyValueStore<String, TenantRules> rules;
    private ProcessorContext<String, FactsChange> context;

    CustomerFactsTracker(Duration zoneRefreshInterval) {
        this.zoneRefreshInterval = Objects.requireNonNull(zoneRefreshInterval, "zoneRefreshInterval");
    }

    @Override
    public void init(ProcessorContext<String, FactsChange> context) {
        this.context = context;
        facts = context.getStateStore(FunnelStores.CUSTOMER_FACTS);
        rules = context.getStateStore(TenantRulesStore.NAME);
        // Reading the rules for every snapshot would cost more than the rest; a zone change applies within
        // this interval, and the zone a customer was counted with is kept with its facts.
        context.schedule(zoneRefreshInterval, PunctuationType.WALL_CLOCK_TIME, now -> zones.clear());
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
        CustomerSnapshot snapshot = decode(record);
        if (snapshot == null) {
            return;
        }
        CustomerFacts before = facts.get(record.key());
        if (before == null || snapshot.getVersion() > before.version()) {
            countChangedCustomer(record, before, CustomerFacts.of(snapshot, zoneOf(snapshot.getTenant())));
        }
    }

    private void forgetMergedCustomer(Record<String, byte[]> record, CustomerFacts before) {
        if (before != null) {
            facts.delete(record.key());
            context.forward(record.withKey(before.tenant()).withValue(new FactsChange(before, null)));
        }
    }

    private void countChangedCustomer(Record<String, byte[]> record, CustomerFacts before, CustomerFacts after) {
        facts.put(record.key(), after);
        if (!after.countsLike(before)) {
            context.forward(record.withKey(after.tenant()).withValue(new FactsChange(before, after)));
        }
    }

    /** The snapshot, or null when it cannot be read. */
    private CustomerSnapshot decode(Record<String, byte[]> record) {
        try {
            return Topics.CUSTOMERS.valueSerde().deserializer().deserialize(Topics.CUSTOMERS.name(), record.value());
        } catch (SerializationException e) {
            // The processor wrote this topic itself; an unreadable record means a bug, not bad input.
            log.error("funnel skips unreadable customer snapshot '{}': {}", record.key(), e.getMessage());
            return null;
        }
    }

    private String zoneOf(String tenant) {
        return zones.computeIfAbsent(
                tenant, t -> TenantRulesStore.rulesOf(rules, t).getTimeZone());
    }
}
