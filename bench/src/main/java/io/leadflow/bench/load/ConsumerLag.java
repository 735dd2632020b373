package io.leadflow.bench.load;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind: the sum over the partitions it has committed offsets for of (last
 * stable offset − committed offset). The last stable offset is what a {@code read_committed} consumer can
 * reach, so the transaction markers at the end of a partition do not count as lag.
 */
final class ConsumerLag implements AutoCloseable {

    private final Admin admin;

    ConsumerLag(String bootstrapServers) {
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000));
    }

    /** Committed offsets of {@code group}, by partition (partitions without a commit are absent). */
    Map<TopicPartition, Long> committed(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(15, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(entry -> entry.getValue() != null)
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    /** Last stable offsets of {@code partitions}. */
    Map<TopicPartition, Long> ends(Iterable<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
        return admin
                .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(15, TimeUnit.SECONDS)
                .entrySet()
                .stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    /** Records {@code group} has not yet committed past, over every partition it has committed on. */
    long lag(String group) throws Exception {
        Map<TopicPartition, Long> committed = committed(group);
        if (committed.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, Long> ends = ends(committed.keySet());
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> entry : committed.entrySet()) {
            lag += Math.max(0, ends.getOrDefault(entry.getKey(), entry.getValue()) - entry.getValue());
        }
        return lag;
    }

    Admin admin() {
        return admin;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
