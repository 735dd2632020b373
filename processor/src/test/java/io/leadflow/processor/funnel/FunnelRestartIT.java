package io.leadflow.processor.funnel;

import static io.leadflow.processor.funnel.Customers.aCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelDimension;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.avro.FunnelKind;
import io.leadflow.processor.Changelogs;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.processor.rules.TenantRulesStore;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.AvroTrust;
import io.leadflow.schemas.Keys;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The funnel on a real broker with exactly-once: the processor is stopped mid-stream and restarted with its
 * local state gone (restored from the changelogs), and the figures still equal a recomputation from the
 * customers, with nothing counted twice, whether the figures were written to their store or are in the
 * journal only; figures changed and committed but not yet emitted when it stopped are emitted after the
 * restart.
 */
class FunnelRestartIT {

    private static final String ZONE = "Asia/Shanghai";
    private static final Duration EMIT = Duration.ofMillis(100);

    private final String tenant = "funnel-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String applicationId = "funnel-restart-it-" + UUID.randomUUID();
    private final Map<String, CustomerSnapshot> customers = new LinkedHashMap<>();

    @BeforeAll
    static void topics() {
        AvroTrust.trustGeneratedClasses();
        SharedKafka.createAllTopics();
    }

    /**
     * With every figure written at each commit (1 ms), with none written before the restart (1 h: the
     * figures come back from the journal alone), and in between (50 ms: a figure changed in one commit
     * interval is written at the next commit, so the last changes are in the journal only, and records
     * every figure has since been written with are dropped).
     */
    @ParameterizedTest(name = "snapshot interval {0} ms")
    @ValueSource(longs = {1, 50, 3_600_000})
    void figuresStayExactAcrossARestartThatLosesLocalState(long snapshotMillis) throws Exception {
        Duration snapshotInterval = Duration.ofMillis(snapshotMillis);
        List<Runnable> history = history(new Random(42));
        int quarter = history.size() / 4;
        int half = history.size() / 2;

        KafkaStreams first = start(Files.createTempDirectory("funnel-it-a"), EMIT, EMIT, snapshotInterval);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.state() == KafkaStreams.State.RUNNING);
        history.subList(0, quarter).forEach(Runnable::run);
        // The first instance has counted, committed and emitted some of it ...
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !figuresOfTenant().isEmpty());
        // ... and stops while the second quarter may still be in flight: whatever was not committed is redone.
        history.subList(quarter, half).forEach(Runnable::run);
        stop(first);

        history.subList(half, history.size()).forEach(Runnable::run);
        KafkaStreams second = start(Files.createTempDirectory("funnel-it-b"), EMIT, EMIT, snapshotInterval);
        awaitRecomputedFiguresAndClose(second, 20);
    }

    /**
     * With every figure written at each commit (1 ms: the journal, never emitted, is kept whole, and the
     * restarted task must not count its changes again into figures that hold them), and with none written
     * (30 s); with nothing emitted before the restart, and with the live figures emitted but not the cohort
     * figures (the journal knows how far each kind was emitted).
     */
    @ParameterizedTest(name = "snapshot interval {0} ms, live figures emitted every {1} ms before the restart")
    @CsvSource({"1, 3600000", "30000, 3600000", "30000, 100"})
    void figuresChangedButNotYetEmittedWhenStoppedAreEmittedAfterARestartThatLosesLocalState(
            long snapshotMillis, long liveEmitMillis) throws Exception {
        // A cohort emit interval far beyond the run: the first instance commits every change and emits no
        // cohort figure (nor, at 1 h, any live one); the restarted one finds what it has to emit in the journal.
        Duration never = Duration.ofHours(1);
        KafkaStreams first = start(
                Files.createTempDirectory("funnel-it-c"),
                Duration.ofMillis(liveEmitMillis),
                never,
                Duration.ofMillis(snapshotMillis));
        Map<TopicPartition, Long> before = endOffsets(List.of(Topics.CUSTOMERS.name()));
        // Each customer has an owner, team and campaign of its own: about 3,600 figures.
        for (int i = 0; i < 300; i++) {
            send(aCustomer("c-" + i)
                    .ofTenant(tenant)
                    .firstLeadAt(Instant.parse("2026-09-01T10:00:00Z").plus(Duration.ofDays(i % 60)))
                    .from("src-" + (i % 3), "campaign-" + i)
                    .ownedBy("owner-" + i, "team-" + i)
                    .withAmount(i + ".25")
                    .movedTo("CONTACTED", Duration.ofHours(1 + i % 50)));
        }
        // Only the partitions written to here: others may end with a transaction marker of another test.
        Map<TopicPartition, Long> sent = endOffsets(List.of(Topics.CUSTOMERS.name()));
        sent.entrySet().removeIf(end -> end.getValue().equals(before.get(end.getKey())));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> everythingSentIsProcessedAndCommitted(sent));
        stop(first);
        Map<String, FunnelFigure> emittedBefore = figuresOfTenant();
        assertThat(emittedBefore.values()).noneMatch(figure -> figure.getKind() == FunnelKind.COHORT);
        assertThat(emittedBefore.isEmpty()).isEqualTo(liveEmitMillis == never.toMillis());

        KafkaStreams second =
                start(Files.createTempDirectory("funnel-it-d"), EMIT, EMIT, Duration.ofMillis(snapshotMillis));
        awaitRecomputedFiguresAndClose(second, FigureBook.DIRTY_KEYS_PER_RECORD);
    }

    /**
     * The figures of a run with cohorts for every dimension; then a restart leaves out the owner and team
     * cohorts (the default since they were every dimension's), another adds them back. Each time the figures
     * equal a recomputation with the dimensions of that run: those left out are gone from the topic (not
     * stale), those added back count every customer once (not on top of what they held before). Once with the
     * customers' facts on the heap, where every start reads them back from their changelog and the recount
     * walks the heap's store.
     */
    @ParameterizedTest(name = "snapshot interval {0} ms, customers' facts in {1}")
    @CsvSource({"1, ROCKSDB", "3600000, IN_MEMORY"})
    void aChangeOfTheCohortDimensionsCountsEveryCustomerInTheNewOnes(long snapshotMillis, StoreBacking factsStore)
            throws Exception {
        Duration snapshotInterval = Duration.ofMillis(snapshotMillis);
        FunnelSettings every = new FunnelSettings(EMIT, Duration.ofSeconds(1))
                .withSnapshotInterval(snapshotInterval)
                .withFactsStore(factsStore);
        FunnelSettings fewer = every.withCohortDimensions(FunnelSettings.DEFAULT_COHORT_DIMENSIONS);
        List<Runnable> history = history(new Random(7));
        int third = history.size() / 3;

        KafkaStreams first = start(Files.createTempDirectory("funnel-it-e"), every);
        history.subList(0, third).forEach(Runnable::run);
        awaitRecomputedFiguresAndClose(first, every.cohortDimensions(), 20);

        KafkaStreams second = start(Files.createTempDirectory("funnel-it-f"), fewer);
        history.subList(third, 2 * third).forEach(Runnable::run);
        awaitRecomputedFiguresAndClose(second, fewer.cohortDimensions(), 20);

        KafkaStreams thirdRun = start(Files.createTempDirectory("funnel-it-g"), every);
        history.subList(2 * third, history.size()).forEach(Runnable::run);
        awaitRecomputedFiguresAndClose(thirdRun, every.cohortDimensions(), 20);
    }

    /**
     * Week and month figures were counted change by change before they were summed from their days at each
     * emission. A task restarted onto a store of that time may find such a figure marked for emission (as a
     * change of its tenant's rules left it); it emits the week summed from its days, not the sums it was
     * written with, and deletes it from the store.
     */
    @Test
    void aWeekFigureCountedByAFormerVersionIsSummedFromItsDaysAndDeleted() throws Exception {
        KafkaStreams first = start(Files.createTempDirectory("funnel-it-h"), EMIT, EMIT, Duration.ofMillis(1));
        history(new Random(11)).forEach(Runnable::run);
        awaitRecomputedFiguresAndClose(first, 20);

        // As the former version left it, but counting one customer too many: the restart must not emit that.
        String week = Keys.funnel(tenant, FunnelDimension.TENANT, "2026-W48", tenant);
        FigureState formerSums = new FigureState();
        formerSums.apply(new Contribution("NEW", 100, "NEW", List.of()), 1);
        String figures = changelogOf(FunnelStores.FIGURES);
        int partition =
                Changelogs.partitionHolding(figures, Keys.funnel(tenant, FunnelDimension.TENANT, Cohorts.LIVE, tenant));
        Changelogs.write(
                figures,
                partition,
                week,
                FunnelSerdes.figures().serializer().serialize(figures, new FigureBook.Figure(formerSums)));
        Changelogs.write(changelogOf(FunnelStores.DIRTY_FIGURES), partition, week, new byte[0]);
        Map<TopicPartition, Long> emittedBefore = endOffsets(List.of(Topics.FUNNEL.name()));

        KafkaStreams second = start(Files.createTempDirectory("funnel-it-i"), EMIT, EMIT, Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() ->
                        SharedKafka.client()
                                .readAll(Topics.FUNNEL, Duration.ofMillis(500), Duration.ofSeconds(30))
                                .stream()
                                .anyMatch(record -> record.key().equals(week)
                                        && record.offset()
                                                >= emittedBefore.get(
                                                        new TopicPartition(record.topic(), record.partition()))));
        awaitRecomputedFiguresAndClose(second, 20);
        assertThat(Changelogs.latestValues(figures)).containsEntry(week, null);
    }

    private String changelogOf(String store) {
        return Changelogs.of(applicationId, store);
    }

    /**
     * Waits until the tenant's figures on the funnel topic equal a recomputation from the customers sent,
     * more than {@code moreThan} of them, and closes {@code streams}.
     */
    private void awaitRecomputedFiguresAndClose(KafkaStreams streams, int moreThan) {
        awaitRecomputedFiguresAndClose(streams, EnumSet.allOf(FunnelDimension.class), moreThan);
    }

    /** As above, with cohort figures for {@code cohortDimensions} only. */
    private void awaitRecomputedFiguresAndClose(
            KafkaStreams streams, Set<FunnelDimension> cohortDimensions, int moreThan) {
        try {
            Map<String, FunnelFigure> expected = new HashMap<>(
                    BruteForceFunnel.figures(customers.values(), TenantRulesDefaults.defaultStages(), ZONE));
            expected.values()
                    .removeIf(figure ->
                            figure.getKind() == FunnelKind.COHORT && !cohortDimensions.contains(figure.getDimension()));
            assertThat(expected).hasSizeGreaterThan(moreThan);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(BruteForceFunnel.withoutUpdatedAt(figuresOfTenant()))
                            .isEqualTo(expected));
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    /**
     * Whether the application has committed every customer record up to {@code sent} and every change it
     * repartitioned from them: the last record of the repartition topic is then a transaction marker.
     */
    private boolean everythingSentIsProcessedAndCommitted(Map<TopicPartition, Long> sent) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = SharedKafka.admin()
                .listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata()
                .get();
        String repartition = applicationId + "-" + FunnelTopology.BY_TENANT + "-repartition";
        Map<TopicPartition, Long> repartitioned = endOffsets(List.of(repartition));
        return sent.entrySet().stream().allMatch(end -> offsetOf(committed, end.getKey()) >= end.getValue())
                && repartitioned.entrySet().stream()
                        .allMatch(
                                end -> end.getValue() == 0 || offsetOf(committed, end.getKey()) >= end.getValue() - 1);
    }

    private static long offsetOf(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
        OffsetAndMetadata offset = committed.get(partition);
        return offset == null ? 0 : offset.offset();
    }

    private static Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        SharedKafka.admin()
                .describeTopics(topics)
                .allTopicNames()
                .get()
                .values()
                .forEach(topic -> topic.partitions()
                        .forEach(partition -> latest.put(
                                new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        SharedKafka.admin()
                .listOffsets(latest)
                .all()
                .get()
                .forEach((partition, offset) -> ends.put(partition, offset.offset()));
        return ends;
    }

    /** 30 customers, each created, moved on (with regressions), re-owned; some merged away. */
    private List<Runnable> history(Random random) {
        List<String> stages = List.of("NEW", "CONTACTED", "QUALIFIED", "PROPOSAL", "NEGOTIATION", "WON", "LOST");
        List<Runnable> steps = new ArrayList<>();
        List<Customers> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Customers customer = aCustomer("c-" + i)
                    .ofTenant(tenant)
                    .firstLeadAt(Instant.parse("2026-11-25T10:00:00Z").plus(Duration.ofDays(i % 9)))
                    .from("src-" + (i % 3), i % 2 == 0 ? "expo" : null)
                    .ownedBy("owner-" + (i % 4), "team-" + (i % 2))
                    .withAmount(i + "00.00");
            all.add(customer);
            steps.add(() -> send(customer));
        }
        for (int round = 0; round < 4; round++) {
            for (Customers customer : all) {
                int change = random.nextInt(4);
                steps.add(() -> {
                    if (change == 0) {
                        customer.withAmount(random.nextInt(100_000) + ".50");
                    } else if (change == 1) {
                        if (random.nextBoolean()) {
                            customer.inPublicPool();
                        } else {
                            customer.ownedBy("owner-" + random.nextInt(4), "team-1");
                        }
                    } else {
                        customer.movedTo(
                                stages.get(random.nextInt(stages.size())), Duration.ofHours(random.nextInt(100)));
                    }
                    send(customer);
                });
            }
        }
        for (int i = 0; i < 30; i += 7) {
            Customers mergedAway = all.get(i);
            steps.add(() -> {
                customers.remove(mergedAway.key());
                SharedKafka.client().produce(Topics.CUSTOMERS, mergedAway.key(), null);
            });
        }
        return steps;
    }

    private void send(Customers customer) {
        CustomerSnapshot snapshot = customer.build();
        customers.put(customer.key(), snapshot);
        SharedKafka.client().produce(Topics.CUSTOMERS, customer.key(), snapshot);
    }

    private Map<String, FunnelFigure> figuresOfTenant() {
        return SharedKafka.client()
                .latestByKey(Topics.FUNNEL, Duration.ofMillis(500), Duration.ofSeconds(30))
                .entrySet()
                .stream()
                .filter(entry -> Keys.tenantOf(entry.getKey()).equals(tenant))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Closes {@code streams} as an operator's restart does: it stays in its group (Kafka Streams does not
     * leave it on close) until the session timeout, 2 s here, passes.
     */
    private static void stop(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(30));
    }

    private KafkaStreams start(
            Path stateDir, Duration liveEmitInterval, Duration cohortEmitInterval, Duration snapshotInterval)
            throws IOException {
        return start(
                stateDir,
                new FunnelSettings(liveEmitInterval, Duration.ofSeconds(1))
                        .withCohortEmitInterval(cohortEmitInterval)
                        .withSnapshotInterval(snapshotInterval));
    }

    private KafkaStreams start(Path stateDir, FunnelSettings settings) throws IOException {
        StreamsBuilder builder = new StreamsBuilder();
        FunnelTopology.build(builder, settings);
        Topology topology = builder.build();
        TenantRulesStore.addTo(topology);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The test broker's least: a restarted instance is given the tasks 2 s after the stopped one went, not 45 s.
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int)
                SharedKafka.TEST_SESSION_TIMEOUT.toMillis());
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                SharedKafka.TEST_HEARTBEAT_INTERVAL.toMillis());
        KafkaStreams streams = new KafkaStreams(topology, config);
        streams.start();
        return streams;
    }
}
