package io.leadflow.bench.pool;

import io.leadflow.avro.Assign;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.avro.PoolCommand;
import io.leadflow.avro.PoolEvent;
import io.leadflow.avro.PoolEventType;
import io.leadflow.avro.PoolRuleSet;
import io.leadflow.avro.TenantRules;
import io.leadflow.avro.Transfer;
import io.leadflow.processor.LeadflowTopology;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The pool lifecycle on one stream thread of a real Kafka Streams instance (exactly-once v2, RocksDB,
 * commit interval 100 ms) against the in-process broker, one tenant (so one task does all the work):
 *
 * <ol>
 *   <li>leads → customers per second, N leads (N = {@code -Dcustomers}, default 1,000,000);
 *   <li>commands per second: assigning all N customers to 1,000 owners;
 *   <li>a return burst: 1% of the held customers made due at one instant (their transfer is stamped 30
 *       days before it), timed from that instant to the last {@code RETURNED} event read back;
 *   <li>the punctuator's cost when nothing is due (Kafka Streams' {@code punctuate-latency-avg}), with
 *       all N customers held.
 * </ol>
 *
 * For the first two it also prints the stream thread's CPU time per record, the figure to compare on a shared
 * machine; {@code -DskipBurst=true} stops after the commands. The funnel runs on an instance of its own (its own
 * stream thread, reading the customers topic), so the customer-state thread's CPU is identity's and the pool's
 * alone and the funnel's is printed apart; {@code -DfunnelOnSameThread=true} runs the whole topology on one
 * thread instead, as the first figures in {@code docs/benchmarks.md} were taken.
 *
 * Run: {@code ./mvnw -q -pl bench exec:java -Dexec.mainClass=io.leadflow.bench.pool.PoolBenchmark
 * -Dcustomers=1000000}
 */
public final class PoolBenchmark {

    private static final String TENANT = "bench";
    private static final int OWNERS = 1_000;
    private static final Duration FOLLOW_UP = Duration.ofDays(30);
    private static final boolean FUNNEL_APART = !Boolean.getBoolean("funnelOnSameThread");

    private final String applicationId =
            "pool-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final String funnelApplicationId = applicationId + "-funnel";
    private KafkaStreams streams;
    private KafkaStreams funnel;

    private PoolBenchmark() {
        SharedKafka.createAllTopics();
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        producer = new KafkaProducer<>(
                config, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        admin = SharedKafka.admin();
    }

    public static void main(String[] args) throws Exception {
        int customers = Integer.getInteger("customers", 1_000_000);
        PoolBenchmark bench = new PoolBenchmark();
        try {
            bench.run(customers);
        } finally {
            if (bench.streams != null) {
                bench.streams.close(Duration.ofSeconds(30));
            }
            if (bench.funnel != null) {
                bench.funnel.close(Duration.ofSeconds(30));
            }
            bench.producer.close();
        }
        // The in-process broker's threads are not daemons; a benchmark run ends here, figures printed.
        System.exit(0);
    }

    private void run(int customers) throws Exception {
        report(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, max heap "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, Java "
                        + System.getProperty("java.version"));
        send(Topics.TENANT_RULES, rules(), System.currentTimeMillis());
        streams = start(FUNNEL_APART ? LeadflowTopology.withoutFunnel() : LeadflowTopology.build(), applicationId);
        if (FUNNEL_APART) {
            funnel = start(LeadflowTopology.funnelOnly(), funnelApplicationId);
        }
        report(
                "stream threads",
                FUNNEL_APART
                        ? "customer state (identity, pool) on one, the funnel on another"
                        : "one: the whole topology");

        long start = System.nanoTime();
        long cpu = streamThreadCpuNanos(applicationId);
        long funnelCpu = streamThreadCpuNanos(funnelApplicationId);
        for (int i = 0; i < customers; i++) {
            send(Topics.LEADS, lead(i), System.currentTimeMillis());
        }
        producer.flush();
        awaitProcessed(Topics.LEADS);
        report("leads → customers (" + customers + ")", rate(customers, start));
        report("leads: customer-state stream thread CPU per lead", cpuPer(customers, applicationId, cpu));
        if (FUNNEL_APART) {
            awaitFunnelCaughtUp();
            report("leads: funnel stream thread CPU per lead", cpuPer(customers, funnelApplicationId, funnelCpu));
        }

        start = System.nanoTime();
        cpu = streamThreadCpuNanos(applicationId);
        funnelCpu = streamThreadCpuNanos(funnelApplicationId);
        for (int i = 0; i < customers; i++) {
            send(Topics.COMMANDS, assign(i), System.currentTimeMillis());
        }
        producer.flush();
        awaitProcessed(Topics.COMMANDS);
        report("commands/s, assign (" + customers + " customers end up held)", rate(customers, start));
        report("commands: customer-state stream thread CPU per command", cpuPer(customers, applicationId, cpu));
        if (FUNNEL_APART) {
            awaitFunnelCaughtUp();
            report("commands: funnel stream thread CPU per command", cpuPer(customers, funnelApplicationId, funnelCpu));
        }
        if (Boolean.getBoolean("skipBurst")) {
            return;
        }

        Thread.sleep(10_000);
        report("punctuation, nothing due: punctuate-latency-avg (" + customers + " held)", punctuateLatency());

        int burst = customers / 100;
        Instant due = Instant.now().plusSeconds(20);
        long stamp = due.minus(FOLLOW_UP).toEpochMilli();
        Map<TopicPartition, Long> eventsEnd = endOffsets(Topics.POOL_EVENTS);
        for (int i = 0; i < burst; i++) {
            send(Topics.COMMANDS, transfer(i), stamp);
        }
        producer.flush();
        awaitProcessed(Topics.COMMANDS);
        long lastReturnedAt = readReturned(eventsEnd, burst, due.plusSeconds(120));
        report("return burst: customers due at the same instant", Integer.toString(burst));
        report(
                "return burst: deadline → last RETURNED event read back",
                String.format("%.2f s", (lastReturnedAt - due.toEpochMilli()) / 1000.0));
    }

    /** Starts an instance with one stream thread; its client id (and so its threads' names) is its application id. */
    private static KafkaStreams start(org.apache.kafka.streams.Topology topology, String applicationId)
            throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.CLIENT_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("pool-bench").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams = new KafkaStreams(topology, config);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        if (!running.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka Streams did not start");
        }
        return streams;
    }

    /** Waits until the application's committed offsets reach the end of every partition of {@code topic}. */
    private void awaitProcessed(TopicSpec<?, ?> topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get();
            boolean done = end.entrySet().stream().allMatch(partition -> {
                OffsetAndMetadata offset = committed.get(partition.getKey());
                return partition.getValue() == 0 || offset != null && offset.offset() >= partition.getValue();
            });
            if (done) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Waits until the funnel instance has read all it can: its committed offsets on the customers topic and on its
     * repartition topic stay the same for two seconds and are at most one behind the end (the customers topic is
     * written in transactions, and a transaction's commit marker takes an offset a reader may not commit past).
     */
    private void awaitFunnelCaughtUp() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> last = Map.of();
        long stableSince = System.nanoTime();
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(funnelApplicationId)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, Long> end = endOffsets(Topics.CUSTOMERS);
            Map<TopicPartition, OffsetSpec> others = new java.util.HashMap<>();
            committed.keySet().stream()
                    .filter(partition -> !end.containsKey(partition))
                    .forEach(partition -> others.put(partition, OffsetSpec.latest()));
            admin.listOffsets(others).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
            boolean near = end.entrySet().stream().allMatch(partition -> {
                OffsetAndMetadata offset = committed.get(partition.getKey());
                return partition.getValue() == 0 || offset != null && offset.offset() >= partition.getValue() - 1;
            });
            if (!committed.equals(last)) {
                last = committed;
                stableSince = System.nanoTime();
            } else if (near && System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private Map<TopicPartition, Long> endOffsets(TopicSpec<?, ?> topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int p = 0; p < topic.partitions(); p++) {
            request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new java.util.HashMap<>();
        admin.listOffsets(request).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
        return end;
    }

    /** Reads pool events after {@code from} until {@code expected} RETURNED events came; returns when the last arrived. */
    private long readReturned(Map<TopicPartition, Long> from, int expected, Instant giveUpAt) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long lastAt = 0;
        int returned = 0;
        try (KafkaConsumer<String, PoolEvent> consumer = new KafkaConsumer<>(
                config,
                Topics.POOL_EVENTS.keySerde().deserializer(),
                Topics.POOL_EVENTS.valueSerde().deserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (returned < expected && Instant.now().isBefore(giveUpAt)) {
                for (ConsumerRecord<String, PoolEvent> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().getType() == PoolEventType.RETURNED) {
                        returned++;
                        lastAt = System.currentTimeMillis();
                    }
                }
            }
        }
        if (returned < expected) {
            throw new IllegalStateException("only " + returned + " of " + expected + " customers returned");
        }
        return lastAt;
    }

    /**
     * CPU time of the stream thread (not its producer's network thread): on a shared machine the wall-clock
     * rate depends on the other load, the thread's CPU time per record much less.
     */
    private static long streamThreadCpuNanos(String clientId) {
        Pattern streamThread = Pattern.compile(Pattern.quote(clientId) + "-StreamThread-\\d+");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && streamThread.matcher(info.getThreadName()).matches()) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static String cpuPer(long count, String clientId, long cpuAtStart) {
        double micros = (streamThreadCpuNanos(clientId) - cpuAtStart) / 1e3 / count;
        return String.format("%.1f µs (%,.0f/s of CPU)", micros, 1e6 / micros);
    }

    private String punctuateLatency() {
        for (Map.Entry<MetricName, ? extends Metric> metric : streams.metrics().entrySet()) {
            if (metric.getKey().name().equals("punctuate-latency-avg")
                    && metric.getKey().group().equals("stream-thread-metrics")) {
                return String.format("%.3f ms", ((Number) metric.getValue().metricValue()).doubleValue());
            }
        }
        return "n/a";
    }

    private <V> void send(TopicSpec<String, V> topic, V value, long timestamp) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), null, timestamp, TENANT, bytes));
    }

    private static Lead lead(int i) {
        return Lead.newBuilder()
                .setLeadId("lead-" + i)
                .setTenant(TENANT)
                .setSourceSystem("bench")
                .setContact(Contact.newBuilder()
                        .setEmail("buyer" + i + "@company" + i + ".example")
                        .build())
                .setAttributes(Map.of())
                .setReceivedAt(Instant.now())
                .build();
    }

    private static PoolCommand assign(int i) {
        return command("assign-" + i, i, new Assign(owner(i), false));
    }

    private static PoolCommand transfer(int i) {
        return command("transfer-" + i, i, new Transfer(owner(i), owner(i + 1), false));
    }

    private static PoolCommand command(String id, int customer, Object payload) {
        return PoolCommand.newBuilder()
                .setCommandId(id)
                .setTenant(TENANT)
                .setActor("manager")
                .setActorRoles(List.of("manager"))
                .setIssuedAt(Instant.now())
                .setCustomerId(customerIdOf("lead-" + customer))
                .setPayload(payload)
                .build();
    }

    private static String owner(int i) {
        return "owner-" + i % OWNERS;
    }

    /** Identity derives a customer's id from the tenant and the lead that founded it. */
    private static String customerIdOf(String leadId) {
        return UUID.nameUUIDFromBytes((TENANT + "/" + leadId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static TenantRules rules() {
        TenantRules defaults = TenantRulesDefaults.forTenant(TENANT);
        return TenantRules.newBuilder(defaults)
                .setVersion(1)
                .setDefaults(PoolRuleSet.newBuilder(defaults.getDefaults())
                        .setPrivatePoolCapacity(null)
                        .setDailyClaimLimit(null)
                        .setReclaimCooldownDays(null)
                        .setFollowUpDays((int) FOLLOW_UP.toDays())
                        .setCloseDays(null)
                        .setReminderDays(null)
                        .build())
                .build();
    }

    private static String rate(long count, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format("%,.0f/s (%,d in %.1f s)", count / seconds, count, seconds);
    }

    private static void report(String what, String figure) {
        System.out.printf("%-72s %s%n", what, figure);
    }
}
