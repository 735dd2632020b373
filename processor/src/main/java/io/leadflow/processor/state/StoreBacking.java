package io.leadflow.processor.state;

import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Where a key-value state store keeps its data. Both are backed by a changelog topic, so nothing is lost on
 * a crash; they differ in what a start costs and where the memory goes.
 */
public enum StoreBacking {

    /**
     * On local disk, in off-heap memory bounded by the processor's {@code rocksdb-memory}: a restarted
     * instance reopens its local state and reads only the changelog records it lacks.
     */
    ROCKSDB,

    /**
     * On the Java heap, rebuilt from the changelog in full at every start: no JNI call and no block cache on
     * the way to a value, for heap sized to hold every entry.
     */
    IN_MEMORY;

    /** A supplier of a store named {@code name} kept this way. */
    public KeyValueBytesStoreSupplier supplier(String name) {
        return this == ROCKSDB ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
    }
}
