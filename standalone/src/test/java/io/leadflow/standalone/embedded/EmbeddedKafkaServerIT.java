package io.leadflow.standalone.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaServerIT {

    private static final String TOPIC = "embedded.persistence";

    @TempDir
    Path dataDir;

    @Test
    void keepsRecordsAcrossRestartsOnTheSameDataDirectory() throws Exception {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        String clusterId;

        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dataDir, brokerPort, controllerPort)) {
            clusterId = clusterId(kafka);
            try (Admin admin = admin(kafka)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get();
            }
            committedInTransaction(kafka, "tenant-1", "lead-1");
        }

        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dataDir, brokerPort, controllerPort)) {
            assertThat(clusterId(kafka)).isEqualTo(clusterId);
            assertThat(readAll(kafka)).containsExactly("tenant-1=lead-1");
        }
    }

    @Test
    void createsTopicsWithSixPartitionsByDefaultAndNeverImplicitly() throws Exception {
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dataDir, FreePorts.next(), FreePorts.next());
                Admin admin = admin(kafka)) {
            admin.createTopics(
                            List.of(new NewTopic("defaults", java.util.Optional.empty(), java.util.Optional.empty())))
                    .all()
                    .get();
            TopicDescription description = admin.describeTopics(Set.of("defaults"))
                    .allTopicNames()
                    .get()
                    .get("defaults");
            assertThat(description.partitions()).hasSize(EmbeddedKafkaServer.DEFAULT_PARTITIONS);

            try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
                assertThat(consumer.listTopics(Duration.ofSeconds(5))).doesNotContainKey("never-created");
                consumer.partitionsFor("never-created", Duration.ofSeconds(1));
            } catch (org.apache.kafka.common.errors.TimeoutException expected) {
                // metadata for an unknown topic times out instead of creating it
            }
            assertThat(admin.listTopics().names().get()).doesNotContain("never-created");
        }
    }

    @Test
    void formatsAnEmptyDirectoryOnlyOnce() throws Exception {
        Path nested = dataDir.resolve("kafka");
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(nested, FreePorts.next(), FreePorts.next())) {
            assertThat(kafka.dataDir()).isEqualTo(nested.toAbsolutePath());
        }
        String metaProperties = Files.readString(nested.resolve("meta.properties"));

        try (EmbeddedKafkaServer ignored = EmbeddedKafkaServer.start(nested, FreePorts.next(), FreePorts.next())) {
            assertThat(Files.readString(nested.resolve("meta.properties"))).isEqualTo(metaProperties);
        }
    }

    @Test
    void failsWithoutStoppingTheJvmWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> EmbeddedKafkaServer.start(dataDir, taken.getLocalPort(), FreePorts.next()))
                    .isInstanceOf(IllegalStateException.class);
        }
        int brokerPort = FreePorts.next();
        try (EmbeddedKafkaServer kafka = EmbeddedKafkaServer.start(dataDir, brokerPort, FreePorts.next())) {
            assertThat(clusterId(kafka)).isNotBlank();
        }
    }

    @Test
    void refusesASecondServerOnTheSameDataDirectory() {
        try (EmbeddedKafkaServer first = EmbeddedKafkaServer.start(dataDir, FreePorts.next(), FreePorts.next())) {
            assertThatThrownBy(() -> EmbeddedKafkaServer.start(dataDir, FreePorts.next(), FreePorts.next()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(first.bootstrapServers()).isNotBlank();
        }
    }

    @Test
    void refusesInvalidArguments() {
        assertThatThrownBy(() -> EmbeddedKafkaServer.start(dataDir, 0, 9093))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaServer.start(dataDir, 9092, 9092))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaServer.start(null, 9092, 9093)).isInstanceOf(NullPointerException.class);
    }

    private static String clusterId(EmbeddedKafkaServer kafka) throws Exception {
        try (Admin admin = admin(kafka)) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static void committedInTransaction(EmbeddedKafkaServer kafka, String key, String value) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "embedded-it-" + UUID.randomUUID());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, key, value));
            producer.commitTransaction();
        }
    }

    private static List<String> readAll(EmbeddedKafkaServer kafka) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.key() + "=" + record.value());
                }
            }
        }
        return values;
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaServer kafka) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-it-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin(EmbeddedKafkaServer kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
