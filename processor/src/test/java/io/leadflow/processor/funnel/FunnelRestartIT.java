package io.leadflow.processor.funnel;

import static io.leadflow.processor.funnel.Customers.aCustomer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.CustomerSnapshot;
import io.leadflow.avro.FunnelFigure;
import io.leadflow.processor.rules.TenantRulesDefaults;
import io.leadflow.processor.rules.TenantRulesStore;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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

/**
 * The funnel on a real broker with exactly-once: the processor is stopped mid-stream and restarted with its
 * local state gone (restored from the changelogs), and the figures still equal a recomputation from the
 * customers, with nothing counted twice; figures changed and committed but not yet emitted when it stopped
 * are emitted after the restart.
 */
class FunnelRestartIT {

    private static final String ZONE = "Asia/Shanghai";

    private final String tenant = "funnel-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final String applicationId = "funnel-restart-it-" + UUID.randomUUID();
    private final Map<String, CustomerSnapshot> customers = new LinkedHashMap<>();

    @BeforeAll
    static void topics() {
        AvroTrust.trustGeneratedClasses();
        SharedKafka.createAllTopics();
    }

    @Test
    void figuresStayExactAcrossARestartThatLosesLocalState() throws Exception {
        List<Runnable> history = history(new Random(42));
        int half = history.size() / 2;

        KafkaStreams first = start(Files.createTempDirectory("funnel-it-a"));
        history.subList(0, half).forEach(Runnable::run);
        // Stop while the first half may still be in flight: whatever was not committed is redone.
        first.close(Duration.ofSeconds(30));

        history.subList(half, history.size()).forEach(Runnable::run);
        KafkaStreams second = start(Files.createTempDirectory("funnel-it-b"));
        awaitRecomputedFiguresAndClose(second, 20);
    }

    @Test
    void figuresChangedButNotYetEmittedWhenStoppedAreEmittedAfterARestartThatLosesLocalState() throws Exception {
        // An emit interval far beyond the run: the first instance commits every change and emits nothing.
        KafkaStreams first = start(Files.createTempDirectory("funnel-it-c"), Duration.ofHours(1));
        Map<TopicPartition, Long> before = endOffsets(List.of(Topics.CUSTOMERS.name()));
        // Each customer has an owner, team and campaign of its own: about 3,600 figures, more than one record
        // of the stored dirty set holds.
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
        first.close(Duration.ofSeconds(30));
        assertThat(figuresOfTenant()).isEmpty();

        KafkaStreams second = start(Files.createTempDirectory("funnel-it-d"), Duration.ofMillis(100));
        awaitRecomputedFiguresAndClose(second, FigureBook.DIRTY_KEYS_PER_RECORD);
    }

    /**
     * Waits until the tenant's figures on the funnel topic equal a recomputation from the customers sent,
     * more than {@code moreThan} of them, and closes {@code streams}.
     */
    private void awaitRecomputedFiguresAndClose(KafkaStreams streams, int moreThan) {
        try {
            Map<String, FunnelFigure> expected =
                    BruteForceFunnel.figures(customers.values(), TenantRulesDefaults.defaultStages(), ZONE);
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

    private KafkaStreams start(Path stateDir) throws IOException {
        return start(stateDir, Duration.ofMillis(100));
    }

    private KafkaStreams start(Path stateDir, Duration emitInterval) throws IOException {
        StreamsBuilder builder = new StreamsBuilder();
        FunnelTopology.build(builder, new FunnelSettings(emitInterval, Duration.ofSeconds(1)));
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
        KafkaStreams streams = new KafkaStreams(topology, config);
        streams.start();
        return streams;
    }
}
