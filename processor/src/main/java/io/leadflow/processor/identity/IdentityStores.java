package io.leadflow.processor.identity;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.processor.state.StoreBacking;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** The state stores of identity resolution, all keyed by tenant first so a tenant's state stays in one task. */
public final class IdentityStores {

    /**
     * Match key ({@code tenant|KIND|value}) to the id of the customer that holds it; for a merged customer,
     * {@code tenant|MERGED|mergedId} to the survivor's id; and {@code tenant|MERGE-VERSION|} to the tenant's
     * merge version ({@code count:mergedId>survivorId} of its latest merge).
     */
    public static final String IDENTITY_INDEX = "identity-index";

    /**
     * Blocking entries for fuzzy matching: {@code tenant|block NUL customerId NUL spelling} to the
     * fingerprint (comparable values) of that spelling, read by prefix scan of {@code tenant|block NUL}.
     */
    public static final String IDENTITY_BLOCKS = "identity-blocks";

    /** Customer key ({@code tenant/customerId}) to the customer's current snapshot. */
    public static final String CUSTOMERS = "customers";

    /** Lead key ({@code tenant|leadId}) to the customer the lead joined: makes re-sent leads no-ops. */
    public static final String SEEN_LEADS = "seen-leads";

    static final String MERGED = "MERGED";

    static final String MERGE_VERSION = "MERGE-VERSION";

    private IdentityStores() {}

    static StoreBuilder<KeyValueStore<String, String>> identityIndex(StoreBacking backing) {
        return Stores.keyValueStoreBuilder(backing.supplier(IDENTITY_INDEX), Serdes.String(), Serdes.String());
    }

    static StoreBuilder<KeyValueStore<String, String>> identityBlocks(StoreBacking backing) {
        return Stores.keyValueStoreBuilder(backing.supplier(IDENTITY_BLOCKS), Serdes.String(), Serdes.String());
    }

    /**
     * Values are the {@link CustomerSnapshot} as encoded for the customers topic (the bytes an {@code AvroSerde} of
     * the snapshot writes); read and write them through {@link CustomerStore}.
     */
    static StoreBuilder<KeyValueStore<String, byte[]>> customers(StoreBacking backing) {
        return Stores.keyValueStoreBuilder(backing.supplier(CUSTOMERS), Serdes.String(), Serdes.ByteArray());
    }

    static StoreBuilder<KeyValueStore<String, String>> seenLeads(StoreBacking backing) {
        return Stores.keyValueStoreBuilder(backing.supplier(SEEN_LEADS), Serdes.String(), Serdes.String());
    }

    static String indexKey(String tenant, String kind, String value) {
        return tenant + "|" + kind + "|" + value;
    }

    static String blockPrefix(String tenant, String block) {
        return tenant + "|" + block + "\u0000";
    }

    public static String leadKey(String tenant, String leadId) {
        return tenant + "|" + leadId;
    }
}
