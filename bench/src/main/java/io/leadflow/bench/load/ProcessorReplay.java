package io.leadflow.bench.load;

import io.leadflow.bench.cluster.JvmProcess;
import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.standalone.LeadflowServices;
import io.leadflow.standalone.LeadflowServices.Service;
import io.leadflow.standalone.ServiceMain;
import io.leadflow.standalone.embedded.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The processor's throughput on the very records of a run: a second processor, in a JVM of its own with the
 * same options, under a fresh application id (so an empty state and offsets from the beginning), works
 * through everything on its input topics (leads, activities, commands) while the rest of the pipeline is
 * stopped. Counted like {@link ExactlyOnceCopy}: input records committed from the group's first commit to the
 * moment its committed offsets reach the end of every input partition and it has no lag left on any partition
 * it reads (the funnel's sub-topology reads the customers topic and its repartition topic), over that time.
 * The customers topic then also holds the live run's snapshots, which the funnel reads and skips as not newer:
 * the replay does a little more than the run did.
 */
final class ProcessorReplay {

    private static final Duration WITHIN = Duration.ofMinutes(30);

    /**
     * @param records input records committed after the first commit
     * @param seconds from the first commit to the last
     * @param total input records replayed
     */
    record Result(long records, double seconds, long total) {
        double perSecond() {
            return records / seconds;
        }
    }

    private ProcessorReplay() {}

    static Result run(ProcessPipeline pipeline, List<String> inputTopics, String runId, Path workDir) throws Exception {
        String applicationId = "load-replay-" + runId;
        Map<String, String> properties = new HashMap<>(pipeline.options().extraProperties());
        properties.put("leadflow.processor.application-id", applicationId);
        LeadflowServices.Settings settings = new LeadflowServices.Settings(
                pipeline.bootstrapServers(),
                LeadflowServices.Database.of(pipeline.postgres()),
                workDir.resolve("replay-state-" + runId),
                FreePorts.next(),
                FreePorts.next(),
                FreePorts.next(),
                List.of(),
                pipeline.options().apiHmacSecret(),
                null,
                properties);
        List<String> arguments = new ArrayList<>();
        arguments.add("processor");
        arguments.addAll(LeadflowServices.arguments(Service.PROCESSOR, settings));
        try (ConsumerLag lag = new ConsumerLag(pipeline.bootstrapServers())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var description : lag.admin()
                    .describeTopics(inputTopics)
                    .allTopicNames()
                    .get()
                    .values()) {
                description
                        .partitions()
                        .forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition())));
            }
            Map<TopicPartition, Long> ends = lag.ends(partitions);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            JvmProcess processor = JvmProcess.of(
                    "replay-processor-" + runId,
                    pipeline.options().jvmOptions(),
                    ServiceMain.class.getName(),
                    arguments,
                    workDir.resolve("logs"));
            processor.start();
            try {
                return measure(lag, applicationId, Set.copyOf(partitions), ends, total, processor);
            } finally {
                processor.stop(Duration.ofSeconds(20));
            }
        }
    }

    private static Result measure(
            ConsumerLag lag,
            String group,
            Set<TopicPartition> inputs,
            Map<TopicPartition, Long> ends,
            long total,
            JvmProcess processor)
            throws Exception {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        long firstAt = -1;
        long firstCommitted = 0;
        while (System.nanoTime() < deadline) {
            processor.requireAlive();
            Map<TopicPartition, Long> committed = lag.committed(group);
            long now = System.nanoTime();
            long done = 0;
            boolean caughtUp = true;
            for (TopicPartition partition : inputs) {
                long offset = committed.getOrDefault(partition, 0L);
                done += offset;
                caughtUp &= offset >= ends.get(partition);
            }
            if (done > 0 && firstAt < 0) {
                firstAt = now;
                firstCommitted = done;
            }
            // Inputs done is not enough: the funnel's sub-topology (customers topic, repartition topic) must be too.
            if (caughtUp && lag.lag(group) == 0) {
                return new Result(done - firstCommitted, (now - firstAt) / 1e9, total);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the replay did not catch up within " + WITHIN);
    }
}
