package io.leadflow.processor.identity;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.schemas.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The state stores of identity resolution, all keyed by tenant first so a tenant's state stays in one task. */
public final class IdentityStores {

    /** Match key ({@code tenant|KIND|value}) to the id of the customer that owns it. */
    public static final String IDENTITY_INDEX = "identity-index";

    /** Customer key ({@code tenant/customerId}) to the customer's current snapshot. */
    public static final String CUSTOMERS = "customers";

    /** Lead key ({@code tenant|leadId}) to the customer the lead joined: makes re-sent leads no-ops. */
    public static final String SEEN_LEADS = "seen-leads";

    private IdentityStores() {}

    static StoreBuilder<KeyValueStore<String, String>> identityIndex() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IDENTITY_INDEX), Serdes.String(), Serdes.String());
    }

    static StoreBuilder<KeyValueStore<String, CustomerSnapshot>> customers() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CUSTOMERS), Serdes.String(), AvroSerde.of(CustomerSnapshot.class));
    }

    static StoreBuilder<KeyValueStore<String, String>> seenLeads() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SEEN_LEADS), Serdes.String(), Serdes.String());
    }

    static String indexKey(String tenant, String kind, String value) {
        return tenant + "|" + kind + "|" + value;
    }

    public static String leadKey(String tenant, String leadId) {
        return tenant + "|" + leadId;
    }
}
