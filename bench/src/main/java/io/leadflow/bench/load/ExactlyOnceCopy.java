package io.leadflow.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling for the processor: the plainest exactly-once consume → produce loop over the same input
 * records, doing nothing with them. One consumer ({@code read_committed}, Kafka Streams' {@code
 * max.poll.records} of 1000) and one transactional producer on one thread, like the processor's single stream
 * thread; every record goes to the same partition of a copy topic with as many partitions; offsets are sent
 * to the transaction and it commits every {@code commitInterval} (the processor's {@code commit.interval.ms}),
 * with Kafka Streams' producer {@code linger.ms} of 100.
 *
 * <p>Throughput is counted like the processor's replay: records committed from the first commit to the last,
 * over that time, so start-up is left out of both. When that takes less than {@link #MIN_MEASURED}, the input is
 * copied again from the beginning until it does, so that a small run still gives a steady figure.
 */
final class ExactlyOnceCopy {

    /**
     * @param records records committed after the first commit
     * @param seconds from the first commit to the last
     * @param passes how many times the input was copied (again while the measured time was short)
     */
    record Result(long records, double seconds, int passes) {
        double perSecond() {
            return records / seconds;
        }
    }

    static final Duration MIN_MEASURED = Duration.ofSeconds(5);

    private ExactlyOnceCopy() {}

    static Result run(String bootstrapServers, List<String> topics, Duration commitInterval, String runId)
            throws Exception {
        Map<String, String> copies = new HashMap<>();
        try (Admin admin = Admin.create(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<String, TopicDescription> described =
                    admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            for (String topic : topics) {
                String copy = "load-bench.copy." + runId + "." + topic;
                copies.put(topic, copy);
                toCreate.add(
                        new NewTopic(copy, described.get(topic).partitions().size(), (short) 1));
            }
            admin.createTopics(toCreate).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, runId);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers, runId)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic)
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            producer.initTransactions();
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            long inTransaction = 0;
            long committedAfterFirst = 0;
            long firstCommit = -1;
            long lastCommit = -1;
            long lastCommitAt = System.nanoTime();
            int passes = 1;
            while (true) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(
                            copies.get(record.topic()), record.partition(), record.key(), record.value()));
                    offsets.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    inTransaction++;
                }
                long now = System.nanoTime();
                boolean done = reached(consumer, partitions, ends);
                if (inTransaction > 0 && (now - lastCommitAt >= commitInterval.toNanos() || done)) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    lastCommit = System.nanoTime();
                    if (firstCommit < 0) {
                        firstCommit = lastCommit;
                    } else {
                        committedAfterFirst += inTransaction;
                    }
                    inTransaction = 0;
                    offsets.clear();
                    lastCommitAt = lastCommit;
                    producer.beginTransaction();
                }
                if (!done || inTransaction > 0) {
                    continue;
                }
                if (firstCommit >= 0 && lastCommit - firstCommit < MIN_MEASURED.toNanos()) {
                    // Too few records for a steady figure: copy them again (the same records, another pass).
                    consumer.seekToBeginning(partitions);
                    passes++;
                } else {
                    break;
                }
            }
            producer.abortTransaction();
            return new Result(committedAfterFirst, (lastCommit - firstCommit) / 1e9, passes);
        } finally {
            try (Admin admin = Admin.create(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                admin.deleteTopics(copies.values()).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean reached(
            KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < ends.get(partition)) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, String runId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "load-bench-copy-" + runId);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String runId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "load-bench-copy-" + runId);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
