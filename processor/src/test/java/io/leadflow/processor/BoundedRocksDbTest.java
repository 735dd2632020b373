package io.leadflow.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedRocksDbTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void everyStoreSharesOneWriteBufferManagerAndCachesItsIndexAndFilters() {
        BoundedRocksDb setter = new BoundedRocksDb();
        Map<String, Object> configs = Map.of(BoundedRocksDb.TOTAL_BYTES_CONFIG, String.valueOf(64L << 20));
        try (Options first = storeOptions();
                Options second = storeOptions()) {
            setter.setConfig("customers", first, configs);
            setter.setConfig("identity-index", second, configs);

            assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            assertThat(BoundedRocksDb.sharedTotalBytes()).isPositive();
        }
    }

    @Test
    void refusesATotalTooSmallToHoldAnything() {
        try (Options options = storeOptions()) {
            assertThatThrownBy(() -> new BoundedRocksDb()
                            .setConfig("customers", options, Map.of(BoundedRocksDb.TOTAL_BYTES_CONFIG, "1024")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(BoundedRocksDb.TOTAL_BYTES_CONFIG);
        }
    }

    private static Options storeOptions() {
        Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        return options;
    }
}
