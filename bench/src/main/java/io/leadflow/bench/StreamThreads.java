package io.leadflow.bench;

import io.leadflow.schemas.TopicSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What the throughput benchmarks measure of a Kafka Streams application running in the same JVM. */
public final class StreamThreads {

    private StreamThreads() {}

    /**
     * CPU time used so far by the stream threads of every Kafka Streams instance in this JVM: per record
     * processed, a figure that depends much less than a rate on what else runs on a shared machine.
     */
    public static long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            String name = info == null ? "" : info.getThreadName();
            if (name.contains("StreamThread") && !name.contains("producer")) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos;
    }

    /** Waits until {@code applicationId}'s committed offsets reach the end of every partition of {@code topic}. */
    public static void awaitProcessed(Admin admin, String applicationId, TopicSpec<?, ?> topic)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < topic.partitions(); p++) {
            request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((partition, info) -> end.put(partition, info.offset()));
        while (true) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get();
            boolean done = end.entrySet().stream().allMatch(partition -> {
                OffsetAndMetadata offset = committed.get(partition.getKey());
                return partition.getValue() == 0 || offset != null && offset.offset() >= partition.getValue();
            });
            if (done) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
