package io.leadflow.bench.funnel;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.MatchKey;
import io.leadflow.avro.MatchKeyKind;
import io.leadflow.avro.StageFigure;
import io.leadflow.avro.StageVisit;
import io.leadflow.bench.BenchRocksDb;
import io.leadflow.bench.StreamThreads;
import io.leadflow.processor.funnel.EmissionMetrics;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.funnel.FunnelTopology;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.AvroTrust;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import io.leadflow.testsupport.SharedPostgres;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.postgresql.PGConnection;

/**
 * Funnel benchmark, printing its figures (see docs/bench-funnel.md):
 *
 * <ol>
 *   <li>events/s through the funnel topology on a real broker (one stream thread, exactly-once): every
 *       customer's creation, then changes (stage moves, amounts, owners), produced first, then processed;
 *       snapshots as identity writes them (a company's registration data, two contacts, five match keys,
 *       two leads: about 600 bytes; the funnel reads a dozen fields of it); and how the stream thread's CPU
 *       splits into emission, paid per interval whatever the rate of changes, and the rest ({@code
 *       EmissionMetrics});
 *   <li>end-to-end delay from a stage change produced to the customers topic to the updated figure on the
 *       funnel topic, on a real broker with exactly-once and the default 200 ms emit interval;
 *   <li>reading one tenant's funnel: the figure row the aggregate keeps (point read) versus the {@code GROUP
 *       BY} over a PostgreSQL table with the same customers, in the same run and database;
 *   <li>(run before 3.) a restart on the same state with owner and team cohorts added: the time until every
 *       customer is counted in them and the stream thread's CPU per customer ({@code -Dbench.recount=false}
 *       skips it).
 * </ol>
 *
 * System properties: {@code customers} (1000000), {@code changes} (200000), {@code probes} (100), {@code
 * bench.uncounted} (0: the share of changes the funnel does not count).
 */
public final class FunnelBench {

    private static final String TENANT = "bench";
    private static final String[] STAGES = {"NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST"};
    private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");

    private final int customers = Integer.getInteger("customers", 1_000_000);
    private final int changes = Integer.getInteger("changes", 200_000);
    private final int probes = Integer.getInteger("probes", 100);
    /**
     * The share of changes that leave the funnel's facts as they were (a follow-up logged, a contact added: the
     * customer's snapshot is written again with a new version), {@code -Dbench.uncounted}, 0 by default.
     */
    private final double uncounted = Double.parseDouble(System.getProperty("bench.uncounted", "0"));
    // Customers in the PostgreSQL table; those beyond the streamed ones are generated the same way.
    private final int pgCustomers = Math.max(customers, Integer.getInteger("pgCustomers", customers));

    // Final state of every customer, kept in arrays so the PostgreSQL table holds exactly the same.
    private final byte[] stage;
    private final long[] amountCents;
    private final short[] owner;
    private final int[] versions;
    private final long[] firstLeadAt;
    private final List<List<StageVisit>> histories;

    private FunnelBench() {
        stage = new byte[pgCustomers];
        amountCents = new long[pgCustomers];
        owner = new short[pgCustomers];
        versions = new int[pgCustomers];
        firstLeadAt = new long[pgCustomers];
        histories = new ArrayList<>(pgCustomers);
    }

    public static void main(String[] args) throws Exception {
        AvroTrust.trustGeneratedClasses();
        new FunnelBench().run();
        System.exit(0);
    }

    private void run() throws Exception {
        FunnelSettings settings = settings();
        System.out.printf(
                "funnel bench: %d customers, %d changes, %d probes, %d cores, cohort figures for %s,"
                        + " emitted every %d ms (live) and %d ms (cohort), customers' facts in %s, %s%n",
                customers,
                changes,
                probes,
                Runtime.getRuntime().availableProcessors(),
                settings.cohortDimensions(),
                settings.emitInterval().toMillis(),
                settings.cohortEmitInterval().toMillis(),
                settings.factsStore(),
                BenchRocksDb.describe());
        SharedKafka.createAllTopics();
        String applicationId = "funnel-bench-" + UUID.randomUUID();
        Path stateDir = Files.createTempDirectory("funnel-bench");
        FunnelFigure tenantFigure;
        try (KafkaStreams streams = funnelStreams(settings, applicationId, stateDir);
                KafkaConsumer<byte[], byte[]> funnel = consumerAtEnd()) {
            tenantFigure = throughput(streams, funnel);
            printHeapAfterGc();
            endToEndDelay(funnel);
        }
        if (!Boolean.parseBoolean(System.getProperty("bench.recount", "true"))) {
            System.out.println("recount: skipped (-Dbench.recount=false)");
        } else if (settings.cohortDimensions().contains(FunnelDimension.OWNER)) {
            System.out.println("recount: skipped, owner cohorts are already counted");
        } else {
            recountWithOwnerCohorts(settings, applicationId, stateDir);
        }
        readComparison(tenantFigure);
    }

    private static KafkaStreams funnelStreams(FunnelSettings settings, String applicationId, Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        FunnelTopology.build(builder, settings);
        Topology topology = builder.build();
        TenantRulesStore.addTo(topology);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A restart on the same state is given the tasks 6 s after the closed instance left, not 45 s.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        BenchRocksDb.configure(config);
        return new KafkaStreams(topology, config);
    }

    /**
     * The defaults, or: cohort figures only for {@code -Dbench.cohortDimensions=TENANT,SOURCE,CAMPAIGN}; every
     * figure emitted at most once per {@code -Dbench.emitIntervalMs}; cohort figures once per {@code
     * -Dbench.cohortEmitIntervalMs}; the customers' facts on the heap for {@code -Dbench.factsStore=IN_MEMORY}.
     */
    private static FunnelSettings settings() {
        FunnelSettings settings = FunnelSettings.DEFAULTS;
        Long emitMillis = Long.getLong("bench.emitIntervalMs");
        if (emitMillis != null) {
            settings = settings.withEmitInterval(Duration.ofMillis(emitMillis));
        }
        Long cohortEmitMillis = Long.getLong("bench.cohortEmitIntervalMs");
        if (cohortEmitMillis != null) {
            settings = settings.withCohortEmitInterval(Duration.ofMillis(cohortEmitMillis));
        }
        String factsStore = System.getProperty("bench.factsStore");
        if (factsStore != null) {
            settings = settings.withFactsStore(
                    StoreBacking.valueOf(factsStore.strip().toUpperCase(Locale.ROOT)));
        }
        String dimensions = System.getProperty("bench.cohortDimensions");
        if (dimensions == null) {
            return settings;
        }
        Set<FunnelDimension> cohorts = EnumSet.noneOf(FunnelDimension.class);
        for (String dimension : dimensions.split(",")) {
            cohorts.add(FunnelDimension.valueOf(dimension.strip()));
        }
        return settings.withCohortDimensions(cohorts);
    }

    // ---- 1. throughput ----

    /**
     * Produces every customer's creation and then the changes to the customers topic, starts the funnel
     * (exactly-once, one stream thread) and times it until the tenant's live figure shows the final state.
     */
    private FunnelFigure throughput(KafkaStreams streams, KafkaConsumer<byte[], byte[]> funnel) throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        long produceStart = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(20)) {
            for (int i = 0; i < customers; i++) {
                create(i, random);
                send(producer, TENANT, snapshot(i));
            }
            for (int n = 0; n < changes; n++) {
                int i = random.nextInt(customers);
                change(i, random);
                send(producer, TENANT, snapshot(i));
            }
            producer.flush();
        }
        System.out.printf(
                "produced %d creations and %d changes in %.1f s%n", customers, changes, seconds(produceStart));

        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < customers; i++) {
            expected.merge(STAGES[stage[i]], 1L, Long::sum);
        }
        String key = Keys.funnel(TENANT, FunnelDimension.TENANT, "live", TENANT);
        long start = System.nanoTime();
        long cpuStart = StreamThreads.cpuNanos();
        streams.start();
        long running = 0;
        FunnelFigure latest = null;
        while (latest == null || !countsOf(latest).equals(expected)) {
            if (running == 0 && streams.state() == KafkaStreams.State.RUNNING) {
                running = System.nanoTime();
            }
            for (ConsumerRecord<byte[], byte[]> record : funnel.poll(Duration.ofMillis(50))) {
                if (key.equals(new String(record.key())) && record.value() != null) {
                    latest =
                            Topics.FUNNEL.valueSerde().deserializer().deserialize(Topics.FUNNEL.name(), record.value());
                }
            }
        }
        double total = seconds(start);
        double processing = running == 0 ? total : seconds(running);
        double cpuMicros = (StreamThreads.cpuNanos() - cpuStart) / 1e3 / (customers + changes);
        System.out.printf(
                "throughput: %d events in %.1f s from start (%.1f s from RUNNING): %.0f events/s"
                        + " (%.0f from RUNNING), one stream thread, exactly_once_v2; stream thread CPU %.1f µs/event"
                        + " (%.0f events/s per fully used core)%n",
                customers + changes,
                total,
                processing,
                (customers + changes) / total,
                (customers + changes) / processing,
                cpuMicros,
                1e6 / cpuMicros);
        printEmissionShare(streams, processing, cpuMicros);
        return latest;
    }

    /**
     * Splits the stream thread's CPU into emission, paid per interval whatever the rate of changes, and the rest,
     * paid per change: at this emission load a thread of its own would take (1 - emission's share of a second) /
     * (CPU per change outside emission) changes per second.
     */
    private void printEmissionShare(KafkaStreams streams, double processingSeconds, double cpuMicros) {
        double emitNanos = funnelMetric(streams, EmissionMetrics.CPU_TOTAL);
        double figures = funnelMetric(streams, EmissionMetrics.FIGURES_TOTAL);
        double emitPerSecond = emitNanos / 1e9 / processingSeconds;
        double perChange = cpuMicros - emitNanos / 1e3 / (customers + changes);
        System.out.printf(
                "emission: %.0f figures written in %.1f s of stream-thread CPU (%.0f ms per second of processing,"
                        + " %.0f %% of the thread's CPU); outside emission %.1f µs per event: one thread would take"
                        + " %.0f events/s at this emission load%n",
                figures,
                emitNanos / 1e9,
                emitPerSecond * 1e3,
                100 * (cpuMicros - perChange) / cpuMicros,
                perChange,
                (1 - emitPerSecond) / perChange * 1e6);
    }

    private static double funnelMetric(KafkaStreams streams, String name) {
        return streams.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals(EmissionMetrics.GROUP)
                        && metric.getKey().name().equals(name))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                .sum();
    }

    /**
     * The heap still used after a full collection: with the customers' facts on the heap, less the same figure
     * of a run with them in RocksDB, what the facts of {@code customers} customers take.
     */
    private void printHeapAfterGc() {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("heap after GC: %.1f MiB (%d customers)%n", used / 1048576.0, customers);
    }

    private static Map<String, Long> countsOf(FunnelFigure figure) {
        Map<String, Long> counts = new HashMap<>();
        for (StageFigure stageFigure : figure.getStages()) {
            if (stageFigure.getCount() > 0) {
                counts.put(stageFigure.getStage(), stageFigure.getCount());
            }
        }
        return counts;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String tenant, CustomerSnapshot snapshot) {
        producer.send(new ProducerRecord<>(
                Topics.CUSTOMERS.name(),
                Keys.customer(tenant, snapshot.getCustomerId()).getBytes(StandardCharsets.UTF_8),
                Topics.CUSTOMERS.valueSerde().serializer().serialize(Topics.CUSTOMERS.name(), snapshot)));
    }

    private void create(int i, SplittableRandom random) {
        stage[i] = (byte) random.nextInt(5);
        amountCents[i] = random.nextInt(10_000_000);
        owner[i] = (short) random.nextInt(200);
        firstLeadAt[i] =
                START.plus(Duration.ofMinutes(random.nextInt(90 * 24 * 60))).toEpochMilli();
        List<StageVisit> history = new ArrayList<>();
        long at = firstLeadAt[i];
        for (int s = 0; s <= stage[i]; s++) {
            history.add(visit(STAGES[s], at));
            at += random.nextInt(7 * 24 * 3600_000);
        }
        histories.add(history);
    }

    private void change(int i, SplittableRandom random) {
        if (uncounted > 0 && random.nextDouble() < uncounted) {
            return;
        }
        int kind = random.nextInt(10);
        if (kind < 6) {
            stage[i] = (byte) random.nextInt(STAGES.length);
            List<StageVisit> history = histories.get(i);
            long last = history.get(history.size() - 1).getEnteredAt().toEpochMilli();
            history.add(visit(STAGES[stage[i]], last + random.nextInt(7 * 24 * 3600_000)));
        } else if (kind < 8) {
            amountCents[i] = random.nextInt(10_000_000);
        } else {
            owner[i] = (short) random.nextInt(200);
        }
    }

    private CustomerSnapshot snapshot(int i) {
        List<StageVisit> history = histories.get(i);
        Instant enteredAt = history.get(history.size() - 1).getEnteredAt();
        return CustomerSnapshot.newBuilder()
                .setTenant(TENANT)
                .setCustomerId("c-" + i)
                .setVersion(++versions[i])
                .setCompany(companyOf(i))
                .setContacts(contactsOf(i))
                .setMatchKeys(matchKeysOf(i))
                .setLeadIds(List.of("lead-" + i, "lead-" + i + "-2"))
                .setSource(sourceOf(i))
                .setCampaign(campaignOf(i))
                .setOwner(ownerOf(i))
                .setTeam(teamOf(i))
                .setStage(STAGES[stage[i]])
                .setAmount(BigDecimal.valueOf(amountCents[i], 2))
                .setFirstLeadAt(Instant.ofEpochMilli(firstLeadAt[i]))
                .setCreatedAt(Instant.ofEpochMilli(firstLeadAt[i]))
                .setUpdatedAt(enteredAt)
                .setStageEnteredAt(enteredAt)
                .setStageHistory(new ArrayList<>(history))
                .build();
    }

    /**
     * What identity writes about a customer besides the funnel's facts: a company with its registration data,
     * two contacts, its match keys and leads. The funnel reads past all of it in every snapshot.
     */
    private static Company companyOf(int i) {
        return Company.newBuilder()
                .setName("上海云杉第" + i + "信息技术有限公司")
                .setCreditCode(String.format("91310000MA1FL%05d", i % 100_000))
                .setWebsite("https://www.yunshan" + i + ".example.cn/")
                .setIndustry("软件和信息技术服务业")
                .setAddress("上海市浦东新区张江路" + (i % 1000) + "号")
                .build();
    }

    private static List<Contact> contactsOf(int i) {
        String mobile = String.format("+86138%08d", i);
        return List.of(
                Contact.newBuilder()
                        .setName("王芳")
                        .setTitle("采购经理")
                        .setMobile(mobile)
                        .setEmail("wang.fang@yunshan" + i + ".example.cn")
                        .build(),
                Contact.newBuilder()
                        .setName("李雷")
                        .setTitle("总经理")
                        .setPhone(String.format("+8621%08d", i))
                        .build());
    }

    private static List<MatchKey> matchKeysOf(int i) {
        return List.of(
                new MatchKey(MatchKeyKind.CREDIT_CODE, String.format("91310000MA1FL%05d", i % 100_000)),
                new MatchKey(MatchKeyKind.EMAIL, "wang.fang@yunshan" + i + ".example.cn"),
                new MatchKey(MatchKeyKind.PHONE, String.format("+86138%08d", i)),
                new MatchKey(MatchKeyKind.DOMAIN, "yunshan" + i + ".example.cn"),
                new MatchKey(MatchKeyKind.NAME, "云杉第" + i + "信息技术"));
    }

    private String ownerOf(int i) {
        return "owner-" + owner[i];
    }

    private String teamOf(int i) {
        return "team-" + (owner[i] % 20);
    }

    private static String sourceOf(int i) {
        return "source-" + (i % 5);
    }

    private static String campaignOf(int i) {
        return "campaign-" + (i % 40);
    }

    private static StageVisit visit(String stage, long at) {
        return StageVisit.newBuilder()
                .setStage(stage)
                .setEnteredAt(Instant.ofEpochMilli(at))
                .build();
    }

    // ---- 4. a change of the cohort dimensions ----

    /**
     * Restarts the funnel on the same state directory with owner and team cohorts added, and times it until
     * the tenant's owner cohorts by month count every customer once: each task counts every customer it holds
     * again, one change per customer through the repartition topic, 10,000 customers per punctuation.
     */
    private void recountWithOwnerCohorts(FunnelSettings settings, String applicationId, Path stateDir)
            throws Exception {
        FunnelSettings withOwners = settings.withCohortDimensions(EnumSet.allOf(FunnelDimension.class));
        Map<String, Long> reachedByOwnerMonth = new HashMap<>();
        String prefix = TENANT + "/" + FunnelDimension.OWNER + "/";
        try (KafkaConsumer<byte[], byte[]> funnel = consumerAtEnd();
                KafkaStreams streams = funnelStreams(withOwners, applicationId, stateDir)) {
            long start = System.nanoTime();
            long cpuStart = StreamThreads.cpuNanos();
            streams.start();
            long counted = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (counted != customers) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("recount: after 5 minutes the owner month cohorts count " + counted
                            + " customers, not " + customers);
                }
                for (ConsumerRecord<byte[], byte[]> record : funnel.poll(Duration.ofMillis(50))) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith(prefix) || record.value() == null) {
                        continue;
                    }
                    FunnelFigure figure =
                            Topics.FUNNEL.valueSerde().deserializer().deserialize(Topics.FUNNEL.name(), record.value());
                    if (figure.getPeriod().matches("\\d{4}-\\d{2}")) {
                        reachedByOwnerMonth.put(key, figure.getStages().get(0).getReached());
                    }
                }
                counted = reachedByOwnerMonth.values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
            }
            double cpuMicros = (StreamThreads.cpuNanos() - cpuStart) / 1e3 / customers;
            System.out.printf(
                    "recount: owner and team cohorts added, %d customers counted in %d owner month cohorts %.1f s"
                            + " after the restart (the group waits out the closed instance's 6 s session first);"
                            + " stream thread CPU %.1f µs per customer%n",
                    customers, reachedByOwnerMonth.size(), seconds(start), cpuMicros);
        }
    }

    // ---- 2. end-to-end delay ----

    /**
     * Sends customers won one at a time and times each until the tenant's live figure and its week cohort
     * count it.
     */
    private void endToEndDelay(KafkaConsumer<byte[], byte[]> funnel) throws Exception {
        String tenant = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        List<Double> live = new ArrayList<>();
        List<Double> cohort = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(0)) {
            for (int probe = 1; probe <= probes + 5; probe++) {
                CustomerSnapshot won = e2eCustomer(tenant, probe);
                long sentAt = System.nanoTime();
                send(producer, tenant, won);
                producer.flush();
                long[] seenAt = awaitWon(funnel, tenant, probe);
                if (seenAt != null && probe > 5) {
                    live.add((seenAt[0] - sentAt) / 1e6);
                    cohort.add((seenAt[1] - sentAt) / 1e6);
                }
            }
        }
        printDelays("figure", live);
        printDelays("week cohort figure", cohort);
    }

    private static void printDelays(String figure, List<Double> delays) {
        double[] sorted =
                delays.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(
                "end-to-end delay (stage change produced -> %s read, read_committed), %d probes: "
                        + "p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                figure, sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]);
    }

    private static CustomerSnapshot e2eCustomer(String tenant, int probe) {
        Instant at = Instant.now();
        return CustomerSnapshot.newBuilder()
                .setTenant(tenant)
                .setCustomerId("p-" + probe)
                .setVersion(1)
                .setCompany(Company.newBuilder().build())
                .setStage("WON")
                .setFirstLeadAt(at)
                .setCreatedAt(at)
                .setUpdatedAt(at)
                .setStageEnteredAt(at)
                .setStageHistory(List.of(visit("NEW", at.toEpochMilli() - 1000), visit("WON", at.toEpochMilli())))
                .build();
    }

    /**
     * When (nanoTime) the tenant's live figure and then its week cohort showed at least {@code won} customers
     * won; null if either did not within 10 s.
     */
    private static long[] awaitWon(KafkaConsumer<byte[], byte[]> consumer, String tenant, long won) {
        String prefix = tenant + "/" + FunnelDimension.TENANT + "/";
        long[] seenAt = new long[2];
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (seenAt[0] == 0 || seenAt[1] == 0)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                String key = new String(record.key());
                if (!key.startsWith(prefix) || record.value() == null) {
                    continue;
                }
                FunnelFigure figure =
                        Topics.FUNNEL.valueSerde().deserializer().deserialize(Topics.FUNNEL.name(), record.value());
                if (figure.getWon() < won) {
                    continue;
                }
                if (figure.getPeriod().equals("live")) {
                    seenAt[0] = seenAt[0] == 0 ? System.nanoTime() : seenAt[0];
                } else if (figure.getPeriod().contains("-W")) {
                    seenAt[1] = seenAt[1] == 0 ? System.nanoTime() : seenAt[1];
                }
            }
        }
        if (seenAt[0] == 0 || seenAt[1] == 0) {
            System.out.println("probe " + won + " timed out");
            return null;
        }
        return seenAt;
    }

    private static KafkaProducer<byte[], byte[]> producer(int lingerMs) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumerAtEnd() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.FUNNEL.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    // ---- 3. reading one tenant's funnel: aggregate vs GROUP BY ----

    private void readComparison(FunnelFigure figure) throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = customers; i < pgCustomers; i++) {
            create(i, random);
        }
        String database = SharedPostgres.createDatabase("funnel_bench");
        try (Connection connection = SharedPostgres.dataSource(database).getConnection()) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute(
                        "CREATE TABLE customers (tenant text NOT NULL, customer_id text NOT NULL, stage text NOT NULL,"
                                + " amount numeric(18,2), owner text, team text, source text, campaign text,"
                                + " first_lead_at timestamptz NOT NULL, PRIMARY KEY (tenant, customer_id))");
                ddl.execute("CREATE TABLE funnel_figures (key text PRIMARY KEY, figure bytea NOT NULL)");
            }
            long loadStart = System.nanoTime();
            StringBuilder rows = new StringBuilder();
            var copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (int i = 0; i < pgCustomers; i++) {
                rows.append(TENANT)
                        .append('\t')
                        .append("c-")
                        .append(i)
                        .append('\t')
                        .append(STAGES[stage[i]])
                        .append('\t')
                        .append(BigDecimal.valueOf(amountCents[i], 2).toPlainString())
                        .append('\t')
                        .append(ownerOf(i))
                        .append('\t')
                        .append(teamOf(i))
                        .append('\t')
                        .append(sourceOf(i))
                        .append('\t')
                        .append(campaignOf(i))
                        .append('\t')
                        .append(Instant.ofEpochMilli(firstLeadAt[i]))
                        .append('\n');
                if (rows.length() > 8_000_000 || i == pgCustomers - 1) {
                    copy.copyIn("COPY customers FROM STDIN", new StringReader(rows.toString()));
                    rows.setLength(0);
                }
            }
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE customers");
            }
            System.out.printf("postgres: %d customers loaded in %.1f s%n", pgCustomers, seconds(loadStart));

            String key = Keys.funnel(TENANT, FunnelDimension.TENANT, "live", TENANT);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO funnel_figures VALUES (?, ?)")) {
                insert.setString(1, key);
                insert.setBytes(2, Topics.FUNNEL.valueSerde().serializer().serialize(Topics.FUNNEL.name(), figure));
                insert.executeUpdate();
            }

            String groupBy = "SELECT stage, count(*), coalesce(sum(amount), 0) FROM customers WHERE tenant = ?"
                    + " GROUP BY stage";
            Map<String, Long> fromGroupBy = new HashMap<>();
            List<Double> groupByMillis = new ArrayList<>();
            List<Double> aggregateMillis = new ArrayList<>();
            FunnelFigure read = null;
            for (int round = 0; round < 12; round++) {
                long start = System.nanoTime();
                try (PreparedStatement query = connection.prepareStatement(groupBy)) {
                    query.setString(1, TENANT);
                    try (ResultSet result = query.executeQuery()) {
                        while (result.next()) {
                            fromGroupBy.put(result.getString(1), result.getLong(2));
                        }
                    }
                }
                groupByMillis.add((System.nanoTime() - start) / 1e6);
                for (int r = 0; r < 10; r++) {
                    start = System.nanoTime();
                    try (PreparedStatement query =
                            connection.prepareStatement("SELECT figure FROM funnel_figures WHERE key = ?")) {
                        query.setString(1, key);
                        try (ResultSet result = query.executeQuery()) {
                            result.next();
                            read = Topics.FUNNEL
                                    .valueSerde()
                                    .deserializer()
                                    .deserialize(Topics.FUNNEL.name(), result.getBytes(1));
                        }
                    }
                    aggregateMillis.add((System.nanoTime() - start) / 1e6);
                }
            }
            Map<String, Long> fromAggregate = new HashMap<>();
            for (StageFigure stageFigure : read.getStages()) {
                if (stageFigure.getCount() > 0) {
                    fromAggregate.put(stageFigure.getStage(), stageFigure.getCount());
                }
            }
            double groupByMedian = median(groupByMillis.subList(2, groupByMillis.size()));
            double aggregateMedian = median(aggregateMillis.subList(20, aggregateMillis.size()));
            System.out.printf(
                    "read one tenant's funnel (%d customers): GROUP BY median %.1f ms, aggregate row median"
                            + " %.3f ms, %.0fx faster; same counts: %s%n",
                    pgCustomers,
                    groupByMedian,
                    aggregateMedian,
                    groupByMedian / aggregateMedian,
                    pgCustomers == customers
                            ? String.valueOf(fromGroupBy.equals(fromAggregate))
                            : "n/a (the table has more customers than were streamed)");
        }
    }

    // ---- helpers ----

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static double percentile(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
