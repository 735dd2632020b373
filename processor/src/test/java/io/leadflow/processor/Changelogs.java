package io.leadflow.processor;

import io.leadflow.testsupport.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test fixture: a Kafka Streams application's changelog topics on the shared broker, read and written directly,
 * to give a restarted instance the state a former version would have left.
 */
public final class Changelogs {

    private Changelogs() {}

    /** The changelog topic of {@code store} in the application {@code applicationId}. */
    public static String of(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /** The partition of {@code topic} that holds {@code key} (the task that keeps it). */
    public static int partitionHolding(String topic, String key) {
        return read(topic).stream()
                .filter(record -> record.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not in " + topic))
                .partition();
    }

    /** Each key's last value in {@code topic}, null for a tombstone. */
    public static Map<String, byte[]> latestValues(String topic) {
        Map<String, byte[]> latest = new HashMap<>();
        read(topic).forEach(record -> latest.put(record.key(), record.value()));
        return latest;
    }

    /** Writes {@code key → value} (null: a tombstone) to one partition of {@code topic}, and waits until it is. */
    public static void write(String topic, int partition, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, partition, key, value)).get();
        } catch (Exception e) {
            throw new AssertionError("could not write " + key + " to " + topic + "-" + partition, e);
        }
    }

    /** Every committed record of {@code topic}, to its end when called. */
    public static List<ConsumerRecord<String, byte[]>> read(String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Could not read " + topic + " to its end " + ends);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
