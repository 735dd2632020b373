package io.leadflow.bench.identity;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.bench.BenchRocksDb;
import io.leadflow.bench.StreamThreads;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.Outputs;
import io.leadflow.processor.command.CommandTopology;
import io.leadflow.processor.identity.IdentityStores;
import io.leadflow.processor.identity.IdentityTopology;
import io.leadflow.processor.pool.PoolTopology;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.AvroTrust;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Identity resolution throughput on a real stream thread: identity resolution with the pool placement it
 * calls (the customer-state sub-topology of {@link LeadflowTopology} without the funnel, RocksDB stores or, with
 * {@code -Dbench.identity-stores=in-memory}, identity's four stores on the heap as the processor's
 * {@code leadflow.processor.identity.stores=in-memory} keeps them,
 * {@code exactly_once_v2}, commit interval 100 ms, one stream thread) against the in-process broker
 * ({@link SharedKafka}) in the same JVM, one tenant (so one task does all the work).
 *
 * <p>Phase 1 loads the index with distinct companies (one lead each) up to the requested size or the
 * time budget; phase 2 times rounds of fresh leads (half repeat-customers with noisy fields, half new
 * companies), each produced first and timed until the application's committed offsets reach the end of
 * the leads topic, and prints the median rate and the stream thread's CPU time per lead (a figure that
 * depends less on what else runs on the machine); then index bytes per customer (keys + values of the
 * identity index and blocking stores, read through interactive queries, before RocksDB compression).
 *
 * <pre>… IdentityThroughputBench 1000000 20000 240   # customers, leads per round, load budget (s)</pre>
 */
public final class IdentityThroughputBench {

    private static final String TENANT = "bench";
    private static final int ROUNDS = 5;
    private static final int LOAD_CHUNK = 10_000;

    private final String applicationId =
            "identity-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final Path stateDir;
    private final Restoration restoration = new Restoration();
    private KafkaStreams streams;

    private IdentityThroughputBench() throws IOException {
        AvroTrust.trustGeneratedClasses();
        SharedKafka.createAllTopics();
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        admin = SharedKafka.admin();
        stateDir = Files.createTempDirectory(
                Path.of(System.getProperty("bench.stateDir", System.getProperty("java.io.tmpdir"))), "identity-bench");
    }

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long budgetNanos = (args.length > 2 ? Long.parseLong(args[2]) : 240) * 1_000_000_000L;
        IdentityThroughputBench bench = new IdentityThroughputBench();
        try {
            bench.run(customers, perRound, budgetNanos);
        } finally {
            if (bench.streams != null) {
                bench.streams.close(Duration.ofSeconds(30));
            }
            bench.producer.close();
        }
        // The in-process broker's threads are not daemons; a benchmark run ends here, figures printed.
        System.exit(0);
    }

    private void run(int customers, int perRound, long budgetNanos) throws Exception {
        Report.print(String.format(
                "topology: identity + pool placement (no funnel), identity stores %s, exactly_once_v2, one stream thread,"
                        + " in-process broker; %d cores, Java %s",
                identityStores(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        startStreams();
        B2bLeadGenerator generator = new B2bLeadGenerator(7);
        List<B2bLeadGenerator.Entity> known = new ArrayList<>();
        long start = System.nanoTime();
        int loaded = 0;
        while (loaded < customers && System.nanoTime() - start < budgetNanos) {
            int chunkEnd = Math.min(customers, loaded + LOAD_CHUNK);
            for (; loaded < chunkEnd; loaded++) {
                B2bLeadGenerator.Entity entity = generator.entity("e" + loaded);
                if (loaded % 10 == 0) {
                    known.add(entity);
                }
                send(lead(generator.acceptedLead(entity)));
            }
            producer.flush();
            awaitProcessed();
        }
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        Report.print(String.format(
                "loaded %,d customers in %.0f s (%.0f leads/s while the index grew)",
                loaded, loadSeconds, loaded / loadSeconds));
        streams.pause();
        Report.print(String.format(
                "heap in use after a full collection: %,d MB (in-memory identity stores live here; RocksDB's are off-heap)",
                liveHeapBytes() >> 20));

        List<Double> rates = new ArrayList<>();
        List<Double> cpuMicros = new ArrayList<>();
        int next = loaded;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < perRound; i++) {
                B2bLeadGenerator.Entity entity =
                        i % 2 == 0 ? known.get((round * perRound + i) % known.size()) : generator.entity("e" + next++);
                send(lead(generator.acceptedLead(entity)));
            }
            producer.flush();
            long cpuStart = StreamThreads.cpuNanos();
            long roundStart = System.nanoTime();
            streams.resume();
            awaitProcessed();
            double rate = perRound / ((System.nanoTime() - roundStart) / 1e9);
            double cpu = (StreamThreads.cpuNanos() - cpuStart) / 1e3 / perRound;
            streams.pause();
            rates.add(rate);
            cpuMicros.add(cpu);
            Report.print(
                    String.format("round %d: %,.0f leads/s, stream thread CPU %.0f µs/lead", round + 1, rate, cpu));
        }
        rates.sort(Double::compare);
        cpuMicros.sort(Double::compare);
        Report.print(String.format(
                "median over %d rounds of %,d leads: %,.0f leads/s per stream thread, stream thread CPU %.0f µs/lead"
                        + " (%,.0f leads/s per fully used core); index of %,d+ customers",
                ROUNDS,
                perRound,
                rates.get(ROUNDS / 2),
                cpuMicros.get(ROUNDS / 2),
                1e6 / cpuMicros.get(ROUNDS / 2),
                loaded));
        streams.resume();
        long indexBytes = bytes(IdentityStores.IDENTITY_INDEX);
        long blockBytes = bytes(IdentityStores.IDENTITY_BLOCKS);
        int total = next;
        Report.print(String.format(
                "index bytes per customer: %.0f exact keys + %.0f blocking entries = %.0f (logical key+value bytes, %,d customers)",
                (double) indexBytes / total,
                (double) blockBytes / total,
                (double) (indexBytes + blockBytes) / total,
                total));
        restoration.reset();
        double resolvedAgain = secondsToResolveAfterRestart(generator.lead(generator.entity("e" + next)));
        Report.print(String.format(
                "restart (clean close, same state directory): %s; leads resolved again after %.1f s",
                restoration, resolvedAgain));
    }

    /**
     * Closes the instance and starts it again on the same state directory; the seconds until a lead sent at the start
     * is resolved: RocksDB reopens its files, in-memory stores are rebuilt from their changelogs.
     */
    private double secondsToResolveAfterRestart(Map<String, String> probe) throws Exception {
        streams.close(Duration.ofSeconds(60));
        long start = System.nanoTime();
        startStreams();
        send(lead(probe));
        producer.flush();
        awaitProcessed();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Changelog records restored into the stores and the time from the first store's start to the last's end. */
    private static final class Restoration implements StateRestoreListener {
        private final AtomicLong records = new AtomicLong();
        private volatile long firstStart;
        private volatile long lastEnd;

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            if (firstStart == 0) {
                firstStart = System.nanoTime();
            }
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
            records.addAndGet(restored);
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            lastEnd = System.nanoTime();
        }

        void reset() {
            records.set(0);
            firstStart = 0;
            lastEnd = 0;
        }

        @Override
        public String toString() {
            return String.format(
                    "%,d changelog records restored in %.1f s", records.get(), (lastEnd - firstStart) / 1e9);
        }
    }

    private static long liveHeapBytes() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Identity resolution and the pool placement it calls, with the rules store and the sinks. */
    private static Topology identityTopology() {
        Topology topology = new Topology();
        TenantRulesStore.addTo(topology);
        Map<Class<?>, String> routes = new HashMap<>(IdentityTopology.commandRoutes());
        routes.putAll(PoolTopology.commandRoutes());
        List<String> writers = new ArrayList<>(CommandTopology.build(topology, routes));
        writers.addAll(IdentityTopology.build(topology, identityStores()));
        writers.addAll(PoolTopology.build(topology));
        PoolTopology.connectPlacement(topology, IdentityTopology.LEAD_RESOLVER);
        PoolTopology.connectPlacement(topology, IdentityTopology.IDENTITY_COMMANDS);
        Outputs.addSinks(topology, writers);
        return topology;
    }

    /**
     * RocksDB as in production; {@code -Dbench.identity-stores=in-memory} keeps the four identity stores in Kafka
     * Streams' in-memory store (still changelogged) instead, to show what the state design costs.
     */
    private static StoreBacking identityStores() {
        return "in-memory".equals(System.getProperty("bench.identity-stores"))
                ? StoreBacking.IN_MEMORY
                : StoreBacking.ROCKSDB;
    }

    private void startStreams() throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A restart's new member waits for the old one's session to end (Kafka Streams' dynamic members do not leave
        // the group when they close): 6 s, not the default 45 s, for the restart figure.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);
        BenchRocksDb.configure(config);
        streams = new KafkaStreams(identityTopology(), config);
        streams.setGlobalStateRestoreListener(restoration);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(600, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka Streams did not start");
        }
    }

    private void awaitProcessed() throws Exception {
        StreamThreads.awaitProcessed(admin, applicationId, Topics.LEADS);
    }

    private void send(Lead lead) {
        byte[] bytes = Topics.LEADS.valueSerde().serializer().serialize(Topics.LEADS.name(), lead);
        producer.send(new ProducerRecord<>(Topics.LEADS.name(), TENANT, bytes));
    }

    private static Lead lead(Map<String, String> fields) {
        return Lead.newBuilder()
                .setLeadId(fields.get(B2bLeadGenerator.ID))
                .setTenant(TENANT)
                .setSourceSystem("bench")
                .setCompany(Company.newBuilder()
                        .setName(fields.get("name"))
                        .setCreditCode(fields.get("creditCode"))
                        .setWebsite(fields.get("website"))
                        .build())
                .setContact(Contact.newBuilder()
                        .setEmail(fields.get("email"))
                        .setPhone(fields.get("phone"))
                        .setMobile(fields.get("mobile"))
                        .build())
                .setAttributes(Map.of())
                .setReceivedAt(Instant.EPOCH)
                .build();
    }

    private long bytes(String store) {
        ReadOnlyKeyValueStore<String, String> view =
                streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        long bytes = 0;
        try (KeyValueIterator<String, String> all = view.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                bytes += entry.key.getBytes(StandardCharsets.UTF_8).length
                        + entry.value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
