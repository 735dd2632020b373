package io.leadflow.processor;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB state store in this JVM together. Left alone, Kafka Streams gives each
 * store of each task its own block cache (50 MiB) and memtables (3 × 16 MiB): with 17 stores on 6 tasks that is
 * a hundred instances whose memory grows as they fill (the soak saw +250 MiB an hour, heading for gigabytes).
 * Here all of them share one LRU block cache that also holds their index and filter blocks, and their
 * memtables are counted against that same cache by one {@link WriteBufferManager}: Kafka Streams' "bounded
 * memory" recipe. The total is {@link #TOTAL_BYTES_CONFIG} (the processor's
 * {@code leadflow.processor.rocksdb-memory}), fixed by the first store opened in the JVM.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** Streams configuration key: off-heap bytes all stores of this JVM may use together. */
    public static final String TOTAL_BYTES_CONFIG = "leadflow.rocksdb.total-bytes";

    static final long DEFAULT_TOTAL_BYTES = 256L << 20;
    /** A quarter of the cache may hold memtables, so reads keep most of it. */
    private static final double MEMTABLE_SHARE = 0.25;
    /** Index and filter blocks go to the cache's high-priority pool, which may use this share of it. */
    private static final double INDEX_FILTER_SHARE = 0.1;

    private static Shared shared;

    private record Shared(long totalBytes, Cache cache, WriteBufferManager writeBuffers) {}

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared memory = shared(totalBytes(configs));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the JVM: never closed here.
    }

    /** The bytes all stores share, as the first store set them up ({@code 0} before any store opened). */
    static synchronized long sharedTotalBytes() {
        return shared == null ? 0 : shared.totalBytes();
    }

    private static synchronized Shared shared(long totalBytes) {
        if (shared == null) {
            Cache cache = new LRUCache(totalBytes, -1, false, INDEX_FILTER_SHARE);
            shared = new Shared(totalBytes, cache, new WriteBufferManager((long) (totalBytes * MEMTABLE_SHARE), cache));
        }
        return shared;
    }

    private static long totalBytes(Map<String, Object> configs) {
        Object value = configs.get(TOTAL_BYTES_CONFIG);
        if (value == null) {
            return DEFAULT_TOTAL_BYTES;
        }
        long bytes = Long.parseLong(value.toString());
        if (bytes < (16L << 20)) {
            throw new IllegalArgumentException(TOTAL_BYTES_CONFIG + " must be at least 16 MiB, not " + bytes);
        }
        return bytes;
    }
}
