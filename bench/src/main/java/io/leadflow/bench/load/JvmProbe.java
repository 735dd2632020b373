package io.leadflow.bench.load;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.OptionalLong;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads another JVM's memory from the inside, over JMX through the attach API (the JVM's own local
 * management agent, started on demand; loopback only, no port to configure): heap in use, heap after the
 * last collection, the live set after a full collection, and the RocksDB memory Kafka Streams reports.
 */
final class JvmProbe implements AutoCloseable {

    /**
     * Kafka Streams' per-store RocksDB gauges (recording level INFO, so on by default). The processor gives
     * every store one shared block cache ({@code BoundedRocksDb}), which holds the index and filter blocks and
     * to which one {@code WriteBufferManager} charges the memtables, so every store reports the same
     * {@link #SHARED_CACHE_USAGE}: it is counted once. Table readers outside the cache are per store.
     */
    private static final String SHARED_CACHE_USAGE = "block-cache-usage";

    private static final String TABLE_READERS = "estimate-table-readers-mem";

    private final long pid;
    private JMXConnector connector;
    private MBeanServerConnection server;

    JvmProbe(long pid) {
        this.pid = pid;
    }

    /** Heap in use now (live objects plus garbage not yet collected). */
    long heapUsed() throws IOException {
        return memory().getHeapMemoryUsage().getUsed();
    }

    /** Heap in use right after the most recent collection (young or full), summed over the heap pools. */
    OptionalLong heapAfterLastGc() throws IOException {
        long best = -1;
        long bestEnd = -1;
        for (ObjectName name : connection().queryNames(name("java.lang:type=GarbageCollector,*"), null)) {
            GarbageCollectorMXBean collector = ManagementFactory.newPlatformMXBeanProxy(
                    connection(), name.toString(), GarbageCollectorMXBean.class);
            GcInfo last = collector.getLastGcInfo();
            if (last != null && last.getEndTime() > bestEnd) {
                bestEnd = last.getEndTime();
                best = last.getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> isHeapPool(pool.getKey()))
                        .map(java.util.Map.Entry::getValue)
                        .mapToLong(MemoryUsage::getUsed)
                        .sum();
            }
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    /**
     * The live set: heap in use after a full collection that this call asks for ({@code System.gc()}, a
     * full, stop-the-world collection with the default G1). It disturbs the process for the length of the
     * pause, so it is taken at the sampling interval only.
     */
    long liveHeapAfterFullGc() throws IOException {
        MemoryMXBean memory = memory();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The processor's RocksDB memory: its shared block cache (memtables, index and filter blocks included) once,
     * plus every store's table readers; empty when there is no RocksDB store.
     */
    OptionalLong rocksDbMemory() throws IOException {
        Set<ObjectName> stores = connection().queryNames(name("kafka.streams:type=stream-state-metrics,*"), null);
        long cache = 0;
        long tableReaders = 0;
        boolean found = false;
        for (ObjectName store : stores) {
            if (store.getKeyProperty("rocksdb-state-id") == null) {
                continue;
            }
            try {
                if (connection().getAttribute(store, SHARED_CACHE_USAGE) instanceof Number usage) {
                    cache = Math.max(cache, usage.longValue());
                    found = true;
                }
                if (connection().getAttribute(store, TABLE_READERS) instanceof Number readers) {
                    tableReaders += readers.longValue();
                }
            } catch (javax.management.JMException e) {
                // a store closed between the query and the read
            }
        }
        return found ? OptionalLong.of(cache + tableReaders) : OptionalLong.empty();
    }

    @Override
    public void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException e) {
                // the process is gone
            }
            connector = null;
            server = null;
        }
    }

    private MemoryMXBean memory() throws IOException {
        return ManagementFactory.newPlatformMXBeanProxy(
                connection(), ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    }

    private static ObjectName name(String pattern) {
        try {
            return new ObjectName(pattern);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(pattern, e);
        }
    }

    private static boolean isHeapPool(String pool) {
        String name = pool.toLowerCase(java.util.Locale.ROOT);
        return name.contains("eden") || name.contains("survivor") || name.contains("old") || name.contains("tenured");
    }

    private MBeanServerConnection connection() throws IOException {
        if (server == null) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                try {
                    connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
                } finally {
                    vm.detach();
                }
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException("cannot attach to " + pid, e);
            }
            server = connector.getMBeanServerConnection();
        }
        return server;
    }
}
