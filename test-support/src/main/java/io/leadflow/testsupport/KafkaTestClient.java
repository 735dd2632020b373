package io.leadflow.testsupport;

import io.leadflow.schemas.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Typed produce and read helpers for tests, using each topic's own serdes from the catalogue.
 *
 * <p>{@link #produce} returns only once the broker acknowledged the record with {@code acks=all}.
 * The read methods see only committed data ({@code isolation.level=read_committed}), start at the
 * beginning of every partition, use a fresh consumer group each time and commit nothing, so one
 * read never influences another. Failing to read what was asked for within the timeout fails the
 * test with an {@link AssertionError} that says what was found.
 *
 * <p>Records are moved as bytes and (de)serialized here with the topic's serdes; the serdes are
 * never closed, as they belong to the catalogue.
 */
public final class KafkaTestClient implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private KafkaProducer<byte[], byte[]> producer;

    /** A client for the broker at {@code bootstrapServers}; see {@link SharedKafka#client()}. */
    public KafkaTestClient(String bootstrapServers) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        this.bootstrapServers = bootstrapServers;
    }

    /** Sends one record and waits until all in-sync replicas have it. */
    public <K, V> void produce(TopicSpec<K, V> topic, K key, V value) {
        Objects.requireNonNull(topic, "topic");
        Headers headers = new RecordHeaders();
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), headers, key);
        byte[] valueBytes =
                value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), headers, value);
        send(topic, new ProducerRecord<>(topic.name(), null, keyBytes, valueBytes, headers));
    }

    /**
     * Sends {@code value} as it is, not encoded with the topic's serde (e.g. bytes that are not a record of
     * the topic's schema), keyed by {@code key} encoded as the topic's keys are, and waits for the replicas.
     */
    public <K, V> void produceRaw(TopicSpec<K, V> topic, K key, byte[] value) {
        Objects.requireNonNull(topic, "topic");
        byte[] keyBytes = topic.keySerde().serializer().serialize(topic.name(), key);
        send(topic, new ProducerRecord<>(topic.name(), keyBytes, value));
    }

    private void send(TopicSpec<?, ?> topic, ProducerRecord<byte[], byte[]> record) {
        try {
            producer().send(record).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not produce to " + topic.name(), e);
        }
    }

    /**
     * Reads committed records of {@code topic} from the beginning until at least {@code atLeast}
     * arrived, and returns all records read so far (possibly more than asked for).
     *
     * @throws AssertionError if fewer than {@code atLeast} records arrive within {@code timeout}
     */
    public <K, V> List<ConsumerRecord<K, V>> consume(TopicSpec<K, V> topic, int atLeast, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        requirePositive(timeout, "timeout");
        if (atLeast < 0) {
            throw new IllegalArgumentException("atLeast must not be negative: " + atLeast);
        }
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = consumerFromBeginning(topic.name())) {
            while (records.size() < atLeast) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Expected at least %d records on %s within %s, but read %d: %s"
                            .formatted(atLeast, topic.name(), timeout, records.size(), records));
                }
                for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(POLL_INTERVAL)) {
                    records.add(deserialize(topic, raw));
                }
            }
        }
        return records;
    }

    /**
     * The latest committed value of every key of {@code topic}, read from the beginning, as a
     * compacted topic's reader sees it: a later record replaces an earlier one and a tombstone
     * removes its key. Returns once the end of every partition was reached and no new record came
     * for {@code quietPeriod}.
     *
     * @throws AssertionError if the topic does not go quiet within {@code timeout}
     */
    public <K, V> Map<K, V> latestByKey(TopicSpec<K, V> topic, Duration quietPeriod, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        requirePositive(quietPeriod, "quietPeriod");
        requirePositive(timeout, "timeout");
        Map<K, V> latest = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = consumerFromBeginning(topic.name())) {
            Instant lastRecordAt = Instant.now();
            while (!(caughtUp(consumer) && Instant.now().isAfter(lastRecordAt.plus(quietPeriod)))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Topic %s did not go quiet for %s within %s; latest values so far: %s"
                            .formatted(topic.name(), quietPeriod, timeout, latest));
                }
                for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(POLL_INTERVAL)) {
                    ConsumerRecord<K, V> record = deserialize(topic, raw);
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                    lastRecordAt = Instant.now();
                }
            }
        }
        return latest;
    }

    /**
     * Every committed record of {@code topic}, read from the beginning until the end of every partition
     * was reached and no new record came for {@code quietPeriod}.
     *
     * @throws AssertionError if the topic does not go quiet within {@code timeout}
     */
    public <K, V> List<ConsumerRecord<K, V>> readAll(TopicSpec<K, V> topic, Duration quietPeriod, Duration timeout) {
        Objects.requireNonNull(topic, "topic");
        requirePositive(quietPeriod, "quietPeriod");
        requirePositive(timeout, "timeout");
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<byte[], byte[]> consumer = consumerFromBeginning(topic.name())) {
            Instant lastRecordAt = Instant.now();
            while (!(caughtUp(consumer) && Instant.now().isAfter(lastRecordAt.plus(quietPeriod)))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("Topic %s did not go quiet for %s within %s; read %d records"
                            .formatted(topic.name(), quietPeriod, timeout, records.size()));
                }
                for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(POLL_INTERVAL)) {
                    records.add(deserialize(topic, raw));
                    lastRecordAt = Instant.now();
                }
            }
        }
        return records;
    }

    /** Closes the producer, if one was opened. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "leadflow-test-producer-" + UUID.randomUUID());
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private KafkaConsumer<byte[], byte[]> consumerFromBeginning(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "leadflow-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            // Assigning every partition avoids waiting for a group rebalance.
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("Topic " + topic + " does not exist; create it first");
            }
            List<TopicPartition> assignment = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Whether the consumer's position reached the last stable offset of every assigned partition. */
    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> endOffsets = consumer.endOffsets(consumer.assignment());
        return endOffsets.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static <K, V> ConsumerRecord<K, V> deserialize(TopicSpec<K, V> topic, ConsumerRecord<byte[], byte[]> raw) {
        K key = raw.key() == null
                ? null
                : topic.keySerde().deserializer().deserialize(raw.topic(), raw.headers(), raw.key());
        V value = raw.value() == null
                ? null
                : topic.valueSerde().deserializer().deserialize(raw.topic(), raw.headers(), raw.value());
        return new ConsumerRecord<>(
                raw.topic(),
                raw.partition(),
                raw.offset(),
                raw.timestamp(),
                raw.timestampType(),
                raw.serializedKeySize(),
                raw.serializedValueSize(),
                key,
                value,
                raw.headers(),
                raw.leaderEpoch());
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
