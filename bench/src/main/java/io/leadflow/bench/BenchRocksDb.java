package io.leadflow.bench;

import io.leadflow.processor.BoundedRocksDb;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * RocksDB for the throughput benchmarks' Kafka Streams instances: the processor's settings ({@link
 * BoundedRocksDb}: one block cache and write-buffer budget for every store, {@code -Dbench.rocksdbBytes}, 256
 * MiB by default), or with {@code -Dbench.rocksdb=defaults} Kafka Streams' own (a cache and memtables per
 * store, as the figures before 2026-11-28 09:00 were taken).
 */
public final class BenchRocksDb {

    private static final long DEFAULT_BYTES = 256L << 20;

    private BenchRocksDb() {}

    /** Sets {@code config} up with the RocksDB settings chosen for this run. */
    public static void configure(Properties config) {
        if (!kafkaStreamsDefaults()) {
            config.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
            config.put(BoundedRocksDb.TOTAL_BYTES_CONFIG, Long.getLong("bench.rocksdbBytes", DEFAULT_BYTES));
        }
    }

    /** The settings chosen, for a benchmark's report. */
    public static String describe() {
        return kafkaStreamsDefaults()
                ? "RocksDB with Kafka Streams' defaults"
                : "RocksDB as the processor sets it up (" + (Long.getLong("bench.rocksdbBytes", DEFAULT_BYTES) >> 20)
                        + " MiB shared)";
    }

    private static boolean kafkaStreamsDefaults() {
        return "defaults".equals(System.getProperty("bench.rocksdb"));
    }
}
