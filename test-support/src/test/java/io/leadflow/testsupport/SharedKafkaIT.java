package io.leadflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.schemas.TopicSpec;
import io.leadflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SharedKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A test-only topic, so these records never show up in another class's catalogue topic. */
    private static final TopicSpec<String, String> TX_TOPIC =
            TopicSpec.deleting("test-support.transactions", Serdes.String(), Serdes.String(), 3, Duration.ofHours(1));

    private static final TopicSpec<String, String> COMPACTED_TOPIC =
            TopicSpec.compacted("test-support.latest", Serdes.String(), Serdes.String(), 2);

    @BeforeAll
    static void createTopics() {
        SharedKafka.createTopics(List.of(TX_TOPIC, COMPACTED_TOPIC));
    }

    @Test
    void createsCatalogueTopicsIdempotently() throws Exception {
        SharedKafka.createAllTopics();
        SharedKafka.createAllTopics();

        assertThat(SharedKafka.admin().listTopics().names().get())
                .containsAll(Topics.all().stream().map(TopicSpec::name).toList());
    }

    @Test
    void readCommittedSeesCommittedTransactionAndNotAbortedOne() {
        String run = UUID.randomUUID().toString();

        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(record(TX_TOPIC, run, "aborted"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(record(TX_TOPIC, run, "committed-1"));
            producer.send(record(TX_TOPIC, run, "committed-2"));
            producer.commitTransaction();
        }
        // A non-transactional marker written after both transactions: once it is read, everything
        // before it in the partition has been decided.
        SharedKafka.client().produce(TX_TOPIC, run, "after");

        List<String> values = SharedKafka.client().consume(TX_TOPIC, 1, TIMEOUT).stream()
                .filter(r -> r.key().equals(run))
                .map(ConsumerRecord::value)
                .toList();
        assertThat(values).containsExactly("committed-1", "committed-2", "after");
    }

    @Test
    void producesAndConsumesTypedRecords() {
        String key = UUID.randomUUID().toString();

        SharedKafka.client().produce(TX_TOPIC, key, "hello");

        assertThat(SharedKafka.client().consume(TX_TOPIC, 1, TIMEOUT)).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo(key);
            assertThat(r.value()).isEqualTo("hello");
        });
    }

    @Test
    void latestByKeyKeepsLastValueAndDropsTombstones() {
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        KafkaTestClient client = SharedKafka.client();
        client.produce(COMPACTED_TOPIC, a, "1");
        client.produce(COMPACTED_TOPIC, b, "1");
        client.produce(COMPACTED_TOPIC, a, "2");
        client.produce(COMPACTED_TOPIC, b, null);

        Map<String, String> latest = client.latestByKey(COMPACTED_TOPIC, Duration.ofMillis(300), TIMEOUT);

        assertThat(latest).containsEntry(a, "2").doesNotContainKey(b);
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        SharedKafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "test-support-" + UUID.randomUUID()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static ProducerRecord<byte[], byte[]> record(TopicSpec<String, String> topic, String key, String value) {
        return new ProducerRecord<>(
                topic.name(),
                topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }
}
