package io.leadflow.bench.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadflow.avro.CommandResult;
import io.leadflow.avro.PoolEvent;
import io.leadflow.bench.cluster.ProcessPipeline;
import io.leadflow.bench.workload.Reference;
import io.leadflow.bench.workload.Workload;
import io.leadflow.bench.workload.WorkloadSpec;
import io.leadflow.schemas.Topics;
import io.leadflow.standalone.LeadflowServices.Service;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The processor killed with {@code kill -9} under load (leads, activities and commands pushed through ingest
 * and the api), at seeded random points, and started again on its state directory, or, every second time, on an
 * empty one (a host replaced with its disk, every store rebuilt from its changelog): in the end the api serves
 * exactly the {@link Reference} of everything accepted — the customers with their leads, owners, stages and
 * amounts, so each owner's held count, and the live funnel per tenant, owner, source and campaign — and nothing
 * was duplicated or lost on the way: each customer's pool events once each and in a valid order, one result
 * per command (and the outcome the api answered is the reference's), no dead letter.
 */
@ExtendWith(SharedPipeline.class)
class ProcessorCrashIT {

    @Test
    void apiServesTheReferenceAfterProcessorKills(ProcessPipeline pipeline) throws Exception {
        CrashSettings settings = CrashSettings.fromSystemProperties(2, 70, 2);
        Workload workload = SharedPipeline.Scenario.PROCESSOR.workload(
                WorkloadSpec.of(settings.seed(), settings.tenants(), settings.leadsPerTenant()));
        Random random = new Random(settings.seed());
        try (GroupRecovery group = new GroupRecovery(pipeline.bootstrapServers(), GroupRecovery.PROCESSOR)) {
            PipelineClient client = new PipelineClient(pipeline);
            List<String> recoveries = new ArrayList<>();
            List<Duration> groupRecoveries = new ArrayList<>();
            WorkloadDriver driver = CrashRun.drive(client, workload, settings, random, running -> {
                Set<String> members = group.members();
                pipeline.kill(Service.PROCESSOR);
                Instant killed = Instant.now();
                int acceptedAtKill = running.acceptedCount();
                // Every second kill loses the disk too: the processor comes back on an empty state directory.
                boolean wiped = recoveries.size() % 2 == 1;
                if (wiped) {
                    assertThat(pipeline.wipeProcessorState())
                            .as("files of the state directory deleted")
                            .isGreaterThan(10);
                }
                Thread.sleep(random.nextInt(2_000));
                pipeline.start(Service.PROCESSOR);
                Instant healthy = Instant.now();
                Instant working = group.awaitReplaced(members, 1, Duration.ofSeconds(90));
                groupRecoveries.add(Duration.between(killed, working));
                recoveries.add(String.format(
                        "killed at %d accepted steps%s, ready again after %d ms, tasks running again after %d ms",
                        acceptedAtKill,
                        wiped ? " (state directory wiped)" : "",
                        Duration.between(killed, healthy).toMillis(),
                        Duration.between(killed, working).toMillis()));
            });
            // The killed instance's tasks wait out its session (10 s) before the restarted one may run them.
            assertThat(groupRecoveries)
                    .as("kill to tasks running again")
                    .allMatch(d -> d.compareTo(GroupRecovery.BOUND) < 0);
            Reference reference = Reference.of(driver.accepted());
            assertThat(driver.outcomes()).isEqualTo(reference.outcomes());

            Duration converged = Convergence.awaitServedWithHistories(client, reference);
            Served.OwnerComparison owners = Served.ownerDifferences(client, reference, workload);
            assertThat(owners.differences()).isEmpty();
            Set<String> tenants = Set.copyOf(workload.tenants());
            assertOneResultPerCommand(pipeline, tenants, driver);
            assertEachPoolEventOnce(pipeline, tenants);
            assertThat(TopicReader.readAll(pipeline.bootstrapServers(), Topics.DEAD_LETTER))
                    .as("dead letters (of every test on this pipeline so far)")
                    .isEmpty();
            System.out.printf(
                    "ProcessorCrashIT: %s; %s; %d commands answered late (202);"
                            + " api equal to the reference %d s after the last step; owner figures endpoint %s; %s%n",
                    workload.counts(),
                    recoveries,
                    driver.lateCommands(),
                    converged.toSeconds(),
                    owners.figuresServed() ? "compared" : "absent",
                    reference.tenants().stream()
                            .map(t -> t + " " + reference.customers(t).size() + " customers, held " + reference.held(t))
                            .collect(Collectors.joining("; ")));
        }
    }

    private static void assertOneResultPerCommand(
            ProcessPipeline pipeline, Set<String> tenants, WorkloadDriver driver) {
        Map<String, Long> results = TopicReader.readAll(pipeline.bootstrapServers(), Topics.COMMAND_RESULTS).stream()
                .map(ConsumerRecord::value)
                .filter(result -> tenants.contains(result.getTenant()))
                .collect(Collectors.groupingBy(CommandResult::getCommandId, Collectors.counting()));
        Set<String> answered =
                driver.commandIds().values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        assertThat(results.keySet()).isEqualTo(answered);
        assertThat(results)
                .allSatisfy((commandId, count) ->
                        assertThat(count).as("results of %s", commandId).isEqualTo(1));
    }

    private static void assertEachPoolEventOnce(ProcessPipeline pipeline, Set<String> tenants) {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<String, PoolEvent> record :
                TopicReader.readAll(pipeline.bootstrapServers(), Topics.POOL_EVENTS)) {
            if (tenants.contains(record.value().getTenant())) {
                seen.merge(record.value().getEventId(), 1, Integer::sum);
            }
        }
        assertThat(seen)
                .isNotEmpty()
                .allSatisfy((eventId, count) -> assertThat(count).as(eventId).isEqualTo(1));
    }
}
