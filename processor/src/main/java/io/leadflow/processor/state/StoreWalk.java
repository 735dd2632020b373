package io.leadflow.processor.state;

import java.util.function.BiConsumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A walk through a store in key order, a chunk at a time, for work over a whole task's state that must not
 * hold the stream thread (or one transaction) for long: the caller keeps where the last chunk ended, in a store
 * written in the same transaction, and a restart goes on from there.
 */
public final class StoreWalk {

    /**
     * What one chunk did.
     *
     * @param last the key of the last entry handed over, null if none was
     * @param finished whether the store holds nothing after {@code last}
     */
    public record Step(String last, int walked, boolean finished) {}

    private StoreWalk() {}

    /**
     * Hands up to {@code chunk} entries after {@code after} (from the first if null) to {@code action}, in the
     * store's key order (UTF-8 bytes).
     */
    public static <V> Step next(KeyValueStore<String, V> store, String after, int chunk, BiConsumer<String, V> action) {
        String last = null;
        int walked = 0;
        // After a key, the next one a store can hold is that key and a zero byte.
        try (KeyValueIterator<String, V> entries = store.range(after == null ? null : after + '\u0000', null)) {
            while (walked < chunk && entries.hasNext()) {
                KeyValue<String, V> entry = entries.next();
                action.accept(entry.key, entry.value);
                last = entry.key;
                walked++;
            }
            return new Step(last, walked, !entries.hasNext());
        }
    }
}
