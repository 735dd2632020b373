package io.leadflow.processor.identity;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.processor.state.StoreWalk;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The customers store ({@link IdentityStores#CUSTOMERS}) as its users see it: snapshots by tenant and customer id.
 * It holds each snapshot as encoded for the customers topic, so a change is encoded once, for the store and the topic
 * alike ({@link #save} returns the bytes to send); the changelog holds the same bytes as when the store encoded
 * snapshots itself, so state restores from changelogs written either way. Use it from a processor connected to the
 * store.
 */
public final class CustomerStore {

    private static final Serializer<CustomerSnapshot> ENCODER =
            Topics.CUSTOMERS.valueSerde().serializer();
    private static final Deserializer<CustomerSnapshot> DECODER =
            Topics.CUSTOMERS.valueSerde().deserializer();

    private final KeyValueStore<String, byte[]> store;

    private CustomerStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    public static CustomerStore in(ProcessorContext<?, ?> context) {
        return over(context.getStateStore(IdentityStores.CUSTOMERS));
    }

    /** The customers held in {@code store}, a {@link IdentityStores#CUSTOMERS} store. */
    static CustomerStore over(KeyValueStore<String, byte[]> store) {
        return new CustomerStore(store);
    }

    /** The customer's current snapshot, or null if there is none. */
    public CustomerSnapshot get(String tenant, String customerId) {
        return decode(store.get(Keys.customer(tenant, customerId)));
    }

    /** Stores the snapshot under its tenant and customer id; returns it as encoded for the customers topic. */
    public byte[] save(CustomerSnapshot customer) {
        byte[] encoded = ENCODER.serialize(Topics.CUSTOMERS.name(), customer);
        store.put(Keys.customer(customer.getTenant(), customer.getCustomerId()), encoded);
        return encoded;
    }

    public void delete(String tenant, String customerId) {
        store.delete(Keys.customer(tenant, customerId));
    }

    /** Hands every stored customer of the tenant to {@code action}, in key order. */
    public void forEachOf(String tenant, Consumer<CustomerSnapshot> action) {
        try (KeyValueIterator<String, byte[]> all =
                store.prefixScan(Keys.customerPrefix(tenant), new StringSerializer())) {
            all.forEachRemaining(entry -> action.accept(decode(entry.value)));
        }
    }

    /** Whether no customer of any tenant is stored. */
    boolean isEmpty() {
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            return !all.hasNext();
        }
    }

    /** Hands up to {@code chunk} customers stored after the key {@code after} (from the first if null) to {@code action}. */
    StoreWalk.Step next(String after, int chunk, Consumer<CustomerSnapshot> action) {
        return StoreWalk.next(store, after, chunk, (key, encoded) -> action.accept(decode(encoded)));
    }

    private static CustomerSnapshot decode(byte[] encoded) {
        return DECODER.deserialize(Topics.CUSTOMERS.name(), encoded);
    }
}
