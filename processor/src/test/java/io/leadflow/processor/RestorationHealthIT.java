package io.leadflow.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.leadflow.avro.Company;
import io.leadflow.avro.Contact;
import io.leadflow.avro.Lead;
import io.leadflow.processor.funnel.FunnelSettings;
import io.leadflow.processor.pool.StreamsInstance;
import io.leadflow.processor.state.StoreBacking;
import io.leadflow.schemas.Topics;
import io.leadflow.testsupport.KafkaTestClient;
import io.leadflow.testsupport.SharedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * An instance that starts on an empty state directory is not ready until its stores are restored, although
 * its liveness (Kafka Streams running or rebalancing) is up all along: the first instance resolves leads and stops; the
 * second restores the changelogs, slowed down by a restore listener that lingers over every batch, while its
 * readiness is read every few milliseconds. Whenever the listener is inside a restoration before and after a
 * reading, that reading must be down; once restoration is over, it must be up.
 */
class RestorationHealthIT {

    private static final int LEADS = 150;
    private static final Duration LINGER = Duration.ofMillis(5);

    @Test
    void anInstanceIsReadyOnlyOnceItsStoresAreRestored() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "restoration-" + run;
        String applicationId = "restoration-" + run;
        SharedKafka.createAllTopics();
        KafkaTestClient kafka = SharedKafka.client();

        try (KafkaStreams first = new KafkaStreams(topology(), config(applicationId))) {
            first.start();
            for (int i = 0; i < LEADS; i++) {
                kafka.produce(Topics.LEADS, tenant, lead(tenant, i));
            }
            await().atMost(Duration.ofSeconds(90))
                    .until(
                            () -> kafka
                                            .latestByKey(
                                                    Topics.CUSTOMERS, Duration.ofMillis(500), Duration.ofSeconds(20))
                                            .values()
                                            .stream()
                                            .filter(customer ->
                                                    customer.getTenant().equals(tenant))
                                            .count()
                                    == LEADS);
        }

        Properties config = config(applicationId);
        config.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        LingeringListener restorations = new LingeringListener();
        List<String> downWhileRestoring = new ArrayList<>();
        List<String> upWhileRestoring = new ArrayList<>();
        try (KafkaStreams second = new KafkaStreams(topology(), config)) {
            second.setGlobalStateRestoreListener(restorations);
            assertThat(RestorationHealthIndicator.of(second).getStatus())
                    .as("before start")
                    .isEqualTo(Status.DOWN);
            second.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            Health health;
            while (true) {
                boolean restoringBefore = !restorations.inProgress.isEmpty();
                health = RestorationHealthIndicator.of(second);
                boolean restoringAfter = !restorations.inProgress.isEmpty();
                if (restoringBefore && restoringAfter) {
                    (health.getStatus().equals(Status.UP) ? upWhileRestoring : downWhileRestoring)
                            .add(second.state() + " " + health.getDetails());
                }
                if (health.getStatus().equals(Status.UP) || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(health.getStatus())
                    .as("ready in the end: %s", health.getDetails())
                    .isEqualTo(Status.UP);
            assertThat(restorations.restored)
                    .as("the second instance restored stores from their changelogs")
                    .isNotEmpty();
            assertThat(upWhileRestoring)
                    .as("readings up while a store was restoring")
                    .isEmpty();
            assertThat(downWhileRestoring)
                    .as("readings while a store was restoring")
                    .hasSizeGreaterThan(10)
                    .allSatisfy(reading -> assertThat(reading).contains("restoringTasks="));
        }
    }

    /** Keeps every restoration in progress in a set, and slows each batch down by {@link #LINGER}. */
    private static final class LingeringListener implements StateRestoreListener {
        final Set<String> inProgress = ConcurrentHashMap.newKeySet();
        final Set<String> restored = ConcurrentHashMap.newKeySet();

        @Override
        public void onRestoreStart(TopicPartition partition, String store, long startOffset, long endOffset) {
            inProgress.add(store + "@" + partition);
        }

        @Override
        public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
            try {
                Thread.sleep(LINGER.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            restored.add(store + "@" + partition);
            inProgress.remove(store + "@" + partition);
        }

        @Override
        public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
            inProgress.remove(store + "@" + partition);
        }
    }

    private static Topology topology() {
        return LeadflowTopology.build(FunnelSettings.DEFAULTS, StoreBacking.ROCKSDB);
    }

    private static Properties config(String applicationId) throws IOException {
        return StreamsInstance.config(
                SharedKafka.bootstrapServers(),
                applicationId,
                Files.createTempDirectory("restoration").toString());
    }

    private static Lead lead(String tenant, int i) {
        return Lead.newBuilder()
                .setLeadId("lead-" + i)
                .setTenant(tenant)
                .setSourceSystem("web-form")
                .setAttributes(Map.of())
                .setReceivedAt(Instant.parse("2026-11-27T08:00:00Z"))
                .setContact(Contact.newBuilder()
                        .setEmail("buyer" + i + "@company" + i + ".example")
                        .build())
                .setCompany(
                        Company.newBuilder().setName("Company " + i + " GmbH").build())
                .build();
    }
}
