package io.leadflow.processor.rules;

import io.leadflow.avro.TenantRules;
import io.leadflow.schemas.AvroSerde;
import io.leadflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's rules (pools, pool rules, funnel stages) as a global store, readable from every
 * processor of every sub-topology. A rules record replaces the tenant's previous rules only when its
 * version is newer; an unreadable record is logged and skipped (global stores cannot dead-letter).
 */
public final class TenantRulesStore {

    /** Tenant id to its current {@link TenantRules}. */
    public static final String NAME = "tenant-rules";

    static final String SOURCE = "tenant-rules-source";
    static final String LOADER = "tenant-rules-loader";

    private static final Logger log = LoggerFactory.getLogger(TenantRulesStore.class);

    private TenantRulesStore() {}

    public static void addTo(Topology topology) {
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NAME), Serdes.String(), decodedOnce())
                        .withLoggingDisabled(),
                SOURCE,
                Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(),
                Topics.TENANT_RULES.name(),
                LOADER,
                Loader::new);
    }

    /**
     * The store's serde. Every processor reads the rules of its tenant for every record it handles, and
     * decoding them is a large part of a small command's cost, so each distinct stored record is decoded
     * once: reads of unchanged rules return the same instance (read it, never change it).
     */
    private static Serde<TenantRules> decodedOnce() {
        AvroSerde<TenantRules> avro = AvroSerde.of(TenantRules.class);
        return Serdes.serdeFrom(avro.serializer(), new DecodedOnce(avro.deserializer()));
    }

    /** The tenant's rules, or the documented defaults when it has none. */
    public static TenantRules rulesOf(ReadOnlyKeyValueStore<String, TenantRules> store, String tenant) {
        TenantRules rules = store.get(tenant);
        return rules != null ? rules : TenantRulesDefaults.forTenant(tenant);
    }

    /**
     * Remembers the rules decoded from each distinct byte sequence (a handful of tenants' current and previous
     * rules): exact, since equal bytes decode to equal rules. Shared by the stream threads that read the store.
     */
    private static final class DecodedOnce implements Deserializer<TenantRules> {

        private static final int MAX_REMEMBERED = 1_024;

        private final Deserializer<TenantRules> decoder;
        private final Map<ByteBuffer, TenantRules> decoded = new ConcurrentHashMap<>();

        DecodedOnce(Deserializer<TenantRules> decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
        }

        @Override
        public TenantRules deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            TenantRules rules = decoded.get(ByteBuffer.wrap(data));
            if (rules == null) {
                rules = decoder.deserialize(topic, data);
                if (decoded.size() >= MAX_REMEMBERED) {
                    decoded.clear();
                }
                decoded.put(ByteBuffer.wrap(data.clone()), rules);
            }
            return rules;
        }
    }

    private static final class Loader implements Processor<String, byte[], Void, Void> {

        private KeyValueStore<String, TenantRules> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(NAME);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.key() == null) {
                log.error("skipping tenant rules without a key");
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
                return;
            }
            TenantRules rules;
            try {
                rules = Topics.TENANT_RULES
                        .valueSerde()
                        .deserializer()
                        .deserialize(Topics.TENANT_RULES.name(), record.value());
            } catch (SerializationException e) {
                log.error("skipping unreadable tenant rules of '{}': {}", record.key(), e.getMessage());
                return;
            }
            TenantRules current = store.get(record.key());
            if (current == null || rules.getVersion() > current.getVersion()) {
                store.put(record.key(), rules);
            }
        }
    }
}
